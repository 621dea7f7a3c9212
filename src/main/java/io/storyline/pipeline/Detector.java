package io.storyline.pipeline;

import io.storyline.config.EngineConfig;
import io.storyline.config.PipelineConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The detector service: consumes {@code storyline.articles} (read_committed), runs the engine,
 * and produces assignments and story records in Kafka transactions together with the consumed
 * offsets, so each article's output is committed exactly once.
 *
 * <p>Instances share one consumer group on the single-partition articles topic: the one that
 * holds the partition is active, the others wait as standbys. On taking the partition an
 * instance first creates its transactional producer, which fences any earlier instance and
 * aborts its open transaction, then rebuilds its engine by replaying the retained articles up
 * to the committed offset (the engine is a pure function of the ordered input, so the state
 * equals that of a run without interruption) and continues from there.
 */
public final class Detector implements AutoCloseable {

    /** Consumer group and transactional id shared by all detector instances. */
    public static final String GROUP = "storyline-detector";

    private static final Logger LOG = LoggerFactory.getLogger(Detector.class);
    /** Story lines, apart so a large deployment can quiet them (log level of "stories"). */
    private static final Logger STORIES_LOG = LoggerFactory.getLogger("io.storyline.stories");
    private static final TopicPartition ARTICLES = new TopicPartition(Topics.ARTICLES, 0);
    private static final Duration POLL = Duration.ofMillis(200);

    private final Map<String, Object> clientProperties;
    private final PipelineConfig pipeline;
    private final EngineConfig engine;
    private final KafkaConsumer<String, byte[]> consumer;
    private KafkaProducer<String, byte[]> producer;
    private Detection detection;
    private volatile boolean running = true;
    private volatile boolean active;
    private volatile long committedArticles;
    private final CountDownLatch done = new CountDownLatch(1);
    private volatile boolean started;
    /** Articles not yet read by this instance (-1 before it knows), for metrics. */
    private volatile long lag = -1;
    private KafkaClientMetrics clientMetrics;

    public Detector(Map<String, Object> clientProperties, PipelineConfig pipeline,
            EngineConfig engine) {
        this.clientProperties = Map.copyOf(clientProperties);
        this.pipeline = pipeline;
        this.engine = engine;
        this.consumer = new KafkaConsumer<>(consumerProperties(true),
                new StringDeserializer(), new ByteArrayDeserializer());
    }

    /** Runs until {@link #close} or until another instance fences this one. */
    public void run() {
        started = true;
        consumer.subscribe(List.of(Topics.ARTICLES), new Rebalance());
        try {
            while (running) {
                ConsumerRecords<String, byte[]> records = consumer.poll(POLL);
                if (active) {
                    consumer.currentLag(ARTICLES).ifPresent(l -> lag = l);
                }
                if (!records.isEmpty() && detection != null) {
                    processBatch(records.records(ARTICLES));
                }
            }
        } catch (WakeupException e) {
            // close() asked us to stop
        } catch (ProducerFencedException | InvalidProducerEpochException e) {
            LOG.warn("detector fenced: another instance took over ({})", e.getMessage());
        } finally {
            stop();
            done.countDown();
        }
    }

    /**
     * Publishes the detector's lag (articles not yet read), committed articles and its Kafka
     * consumer's client metrics in {@code registry}; call before {@link #run}.
     */
    public void bindMetrics(MeterRegistry registry) {
        registry.gauge("storyline.detector.lag", this, d -> d.lag);
        registry.gauge("storyline.detector.committed", this, Detector::committedArticles);
        clientMetrics = new KafkaClientMetrics(consumer);
        clientMetrics.bindTo(registry);
    }

    /** Whether this instance holds the articles partition (is not a standby). */
    public boolean active() {
        return active;
    }

    /** Articles whose output this instance has committed since it became active. */
    public long committedArticles() {
        return committedArticles;
    }

    /** Stops the loop and waits until it has committed or aborted and left the group. */
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

    private void processBatch(List<ConsumerRecord<String, byte[]>> records) {
        List<Detection.Step> steps = new ArrayList<>(records.size());
        long next = -1;
        try {
            producer.beginTransaction();
            for (ConsumerRecord<String, byte[]> r : records) {
                Detection.Step step = process(r);
                if (step != null) {
                    steps.add(step);
                    for (Detection.Output o : step.outputs()) {
                        producer.send(new ProducerRecord<>(o.topic(), o.key(), o.value()));
                    }
                }
                next = r.offset() + 1;
            }
            producer.sendOffsetsToTransaction(Map.of(ARTICLES, new OffsetAndMetadata(next)),
                    consumer.groupMetadata());
            producer.commitTransaction();
        } catch (ProducerFencedException | InvalidProducerEpochException e) {
            throw e;
        } catch (KafkaException e) {
            // The engine has moved past what Kafka committed: rebuild it from the log.
            LOG.warn("transaction over {} at offsets {}..{} failed, rebuilding: {}",
                    Topics.ARTICLES, records.get(0).offset(), next, e.getMessage());
            abortQuietly();
            becomeActive();
            return;
        }
        committedArticles += records.size();
        steps.forEach(Detector::log);
    }

    /**
     * One line per new story, per article that joins one (a copy or another write-up) and per
     * revision, each with the article's headline, source and link.
     */
    private static void log(Detection.Step step) {
        if (!STORIES_LOG.isInfoEnabled()) {
            return;
        }
        String line = StoryLog.line(step);
        if (line != null) {
            STORIES_LOG.info(line);
        }
    }

    /** The step for one record; a record that is not a valid article is logged and skipped. */
    private Detection.Step process(ConsumerRecord<String, byte[]> r) {
        ArticleMessage message;
        try {
            message = Messages.parseArticle(r.value());
        } catch (IllegalArgumentException e) {
            LOG.warn("skipping record at {}-{} offset {} (key {}): {}", r.topic(), r.partition(),
                    r.offset(), r.key(), e.getMessage());
            return null;
        }
        try {
            return detection.apply(message, r.offset());
        } catch (RuntimeException e) {
            // A bug on one article must not stop the stream; the replay skips it the same way.
            LOG.error("engine failed on article {} at {}-{} offset {}, skipped", r.key(),
                    r.topic(), r.partition(), r.offset(), e);
            return null;
        }
    }

    /**
     * Takes the partition over: fences earlier instances (aborting their open transaction),
     * then replays the retained articles up to the committed offset and resumes there.
     */
    private void becomeActive() {
        // A fresh producer each time: initTransactions fences the earlier holder of the
        // transactional id (and aborts its open transaction, so the committed offset is
        // final), and a producer kept from an earlier turn may itself have been fenced since.
        closeProducer();
        producer = new KafkaProducer<>(producerProperties(), new StringSerializer(),
                new ByteArraySerializer());
        producer.initTransactions();
        long committed = committedOffset();
        detection = new Detection(engine);
        long replayed = replay(committed);
        consumer.seek(ARTICLES, committed);
        active = true;
        LOG.info("detector active: replayed {} articles up to offset {}, {} in the window, "
                + "{} open stories", replayed, committed, detection.windowSize(),
                detection.openStories());
    }

    private long committedOffset() {
        OffsetAndMetadata c = consumer.committed(Set.of(ARTICLES)).get(ARTICLES);
        if (c != null) {
            return c.offset();
        }
        return consumer.beginningOffsets(List.of(ARTICLES)).get(ARTICLES);
    }

    /** Feeds the engine every retained article before {@code end}, discarding the output. */
    private long replay(long end) {
        long count = 0;
        try (KafkaConsumer<String, byte[]> reader = new KafkaConsumer<>(
                consumerProperties(false), new StringDeserializer(),
                new ByteArrayDeserializer())) {
            reader.assign(List.of(ARTICLES));
            reader.seekToBeginning(List.of(ARTICLES));
            while (reader.position(ARTICLES) < end) {
                for (ConsumerRecord<String, byte[]> r : reader.poll(POLL)) {
                    if (r.offset() >= end) {
                        break;
                    }
                    process(r);
                    count++;
                }
            }
        }
        return count;
    }

    private void abortQuietly() {
        try {
            producer.abortTransaction();
        } catch (KafkaException e) {
            LOG.warn("abort failed, recreating the transactional producer: {}", e.getMessage());
        }
    }

    private void stop() {
        active = false;
        closeProducer();
        if (clientMetrics != null) {
            clientMetrics.close();
        }
        consumer.close(Duration.ofSeconds(5));
        LOG.info("detector stopped after committing {} articles", committedArticles);
    }

    private void closeProducer() {
        if (producer != null) {
            producer.close(Duration.ofSeconds(5));
            producer = null;
        }
    }

    private Map<String, Object> consumerProperties(boolean group) {
        Map<String, Object> p = new HashMap<>(clientProperties);
        p.put("isolation.level", "read_committed");
        p.put("enable.auto.commit", "false");
        p.put("max.poll.records", pipeline.detectorBatch());
        if (group) {
            p.put("group.id", GROUP);
            p.put("auto.offset.reset", "earliest");
            p.put("session.timeout.ms", (int) pipeline.sessionTimeout().toMillis());
            p.put("heartbeat.interval.ms", (int) pipeline.sessionTimeout().toMillis() / 4);
            // A takeover replays the retained articles inside the rebalance callback.
            p.put("max.poll.interval.ms", (int) Duration.ofMinutes(30).toMillis());
            // Eager rebalancing revoked the active instance's partition whenever a standby
            // joined, and handed it to the newcomer about half the time (a full replay).
            // Cooperative-sticky keeps the partition with its owner.
            p.put("partition.assignment.strategy",
                    "org.apache.kafka.clients.consumer.CooperativeStickyAssignor");
        }
        return p;
    }

    private Map<String, Object> producerProperties() {
        Map<String, Object> p = new HashMap<>(clientProperties);
        p.put("transactional.id", GROUP);
        p.put("enable.idempotence", "true");
        p.put("acks", "all");
        p.put("linger.ms", 5);
        p.put("compression.type", "lz4");
        // Under transactions v2 a transaction begun right after a commit is refused with
        // CONCURRENT_TRANSACTIONS until the broker has written the commit's markers (usually a
        // few ms). The default first retry after 100 ms would idle the detector
        // after every commit; the backoff still doubles up to its 1 s maximum.
        p.put("retry.backoff.ms", 20);
        return p;
    }

    /** Activates on assignment of the articles partition, steps down on its loss. */
    private final class Rebalance implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            if (partitions.contains(ARTICLES)) {
                becomeActive();
            }
        }

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            if (partitions.contains(ARTICLES)) {
                stepDown("revoked");
            }
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            if (partitions.contains(ARTICLES)) {
                stepDown("lost");
            }
        }

        private void stepDown(String why) {
            if (active) {
                LOG.info("detector standing by: articles partition {}", why);
            }
            active = false;
            detection = null;
            closeProducer();
        }
    }
}
