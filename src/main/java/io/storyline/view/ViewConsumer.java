package io.storyline.view;

import static io.storyline.pipeline.Topics.ASSIGNMENTS;
import static io.storyline.pipeline.Topics.FEED_HEALTH;
import static io.storyline.pipeline.Topics.STORIES;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Feeds a {@link ReadModel} from the output topics: reads {@code storyline.stories} and
 * {@code storyline.feed-health} from their start and {@code storyline.assignments} from
 * {@code serve.history.days} ago, read_committed and without a consumer group, so every
 * server builds its own model and a restart rebuilds it. A record that cannot be read is
 * logged with its topic, partition and offset and skipped; a schema newer than this version
 * reads stops the consumer (and with it the server) rather than misread.
 */
public final class ViewConsumer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ViewConsumer.class);
    private static final Duration POLL = Duration.ofMillis(200);
    private static final Duration METADATA_WAIT = Duration.ofSeconds(30);
    private static final long SECOND = Duration.ofSeconds(1).toNanos();

    private final KafkaConsumer<String, byte[]> consumer;
    private final ReadModel model;
    private final CountDownLatch done = new CountDownLatch(1);
    private volatile boolean running = true;
    private volatile boolean started;
    private volatile boolean ready;
    private Map<TopicPartition, Long> catchUp = Map.of();
    private Timer latency;
    private KafkaClientMetrics clientMetrics;

    public ViewConsumer(Map<String, Object> client, ReadModel model) {
        Map<String, Object> p = new HashMap<>(client);
        p.remove("group.id");
        p.put("enable.auto.commit", "false");
        p.put("isolation.level", "read_committed");
        p.put("allow.auto.create.topics", "false");
        p.put("max.poll.records", 2000);
        this.consumer = new KafkaConsumer<>(p, new StringDeserializer(),
                new ByteArrayDeserializer());
        this.model = model;
    }

    /**
     * Times fetch-to-assignment (the detector's commit minus the article's fetch time, for
     * live records) and binds the consumer's Kafka client metrics; call before {@link #run}.
     */
    public void bindMetrics(MeterRegistry registry) {
        latency = Timer.builder("storyline.fetch.to.assignment")
                .description("From an article's fetch to its assignment's commit")
                .publishPercentileHistogram()
                .maximumExpectedValue(Duration.ofMinutes(10))
                .register(registry);
        clientMetrics = new KafkaClientMetrics(consumer);
        clientMetrics.bindTo(registry);
    }

    /** Whether the model has caught up with the topics as they were at start. */
    public boolean ready() {
        return ready;
    }

    /** Runs until {@link #close}; throws when a record's schema is newer than it reads. */
    public void run() {
        started = true;
        long published = System.nanoTime();
        try {
            assign();
            LOG.info("read model rebuilding from {}, {} and {} ({} days of history)",
                    STORIES, ASSIGNMENTS, FEED_HEALTH, model.history().toDays());
            while (running) {
                var records = consumer.poll(POLL);
                for (ConsumerRecord<String, byte[]> r : records) {
                    apply(r);
                }
                // Time alone moves stories out of the history: once a second at least.
                if (!records.isEmpty() || System.nanoTime() - published > SECOND) {
                    model.publishChanges();
                    published = System.nanoTime();
                } else {
                    model.refreshOrder(); // the trending order moves with the clock alone
                }
                if (!ready && caughtUp()) {
                    ready = true;
                    ReadModel.Stats s = model.stats();
                    LOG.info("read model ready: {} stories, {} articles, {} feeds", s.stories(),
                            s.articles(), s.feeds());
                }
            }
        } catch (WakeupException e) {
            // close() asked us to stop
        } finally {
            if (clientMetrics != null) {
                clientMetrics.close();
            }
            consumer.close(Duration.ofSeconds(5));
            done.countDown();
        }
    }

    private void assign() {
        List<TopicPartition> all = new ArrayList<>();
        List<TopicPartition> assignments = partitions(ASSIGNMENTS);
        all.addAll(assignments);
        all.addAll(partitions(STORIES));
        all.addAll(partitions(FEED_HEALTH));
        consumer.assign(all);
        consumer.seekToBeginning(all);
        // Assignments older than the history would be dropped anyway: skip reading them.
        long from = model.clock().instant().minus(model.history()).toEpochMilli();
        Map<TopicPartition, Long> times = new HashMap<>();
        assignments.forEach(tp -> times.put(tp, from));
        Map<TopicPartition, OffsetAndTimestamp> offsets = consumer.offsetsForTimes(times);
        Map<TopicPartition, Long> end = consumer.endOffsets(all);
        for (TopicPartition tp : assignments) {
            OffsetAndTimestamp at = offsets.get(tp);
            consumer.seek(tp, at == null ? end.get(tp) : at.offset());
        }
        catchUp = end;
    }

    private List<TopicPartition> partitions(String topic) {
        long deadline = System.nanoTime() + METADATA_WAIT.toNanos();
        while (true) {
            List<PartitionInfo> infos = consumer.partitionsFor(topic);
            if (infos != null && !infos.isEmpty()) {
                return infos.stream().map(i -> new TopicPartition(topic, i.partition())).toList();
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("topic " + topic + " does not exist: the "
                        + "read model cannot be built");
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted waiting for topic " + topic, e);
            }
        }
    }

    private boolean caughtUp() {
        for (Map.Entry<TopicPartition, Long> e : catchUp.entrySet()) {
            if (consumer.position(e.getKey()) < e.getValue()) {
                return false;
            }
        }
        return true;
    }

    private void apply(ConsumerRecord<String, byte[]> r) {
        Instant written = Instant.ofEpochMilli(r.timestamp());
        try {
            switch (r.topic()) {
                case ASSIGNMENTS -> {
                    model.applyAssignment(r.value(), written);
                    if (ready && latency != null) {
                        timeAssignment(r);
                    }
                }
                case STORIES -> {
                    if (r.value() != null) {
                        model.applyStory(r.value());
                    }
                }
                case FEED_HEALTH -> {
                    if (r.key() != null) {
                        model.applyFeedHealth(r.key(), r.value(), written);
                    }
                }
                default -> { }
            }
        } catch (IllegalArgumentException e) {
            model.skipped();
            LOG.warn("skipping record at {}-{} offset {} (key {}): {}", r.topic(), r.partition(),
                    r.offset(), r.key(), e.getMessage());
        } catch (IllegalStateException e) {
            throw new IllegalStateException("read model stopped at " + r.topic() + "-"
                    + r.partition() + " offset " + r.offset() + ": " + e.getMessage(), e);
        }
    }

    private void timeAssignment(ConsumerRecord<String, byte[]> r) {
        ArticleView a = model.article(r.key());
        if (a != null && a.fetched() != null && a.revision() == 0) {
            long ms = r.timestamp() - a.fetched().toEpochMilli();
            if (ms >= 0) {
                latency.record(ms, TimeUnit.MILLISECONDS);
            }
        }
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        if (started) {
            try {
                done.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        } else {
            consumer.close(Duration.ZERO);
        }
    }
}
