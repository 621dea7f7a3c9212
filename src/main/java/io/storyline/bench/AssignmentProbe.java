package io.storyline.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.storyline.pipeline.Topics;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads {@code storyline.assignments} as a downstream consumer would (read_committed, so an
 * assignment counts only once its transaction commits) and notes, per assignment, when the
 * ingestor fetched the article and how long after that the assignment arrived here. Once
 * asked ({@link #watchArticlesFrom}) it also reads {@code storyline.articles}, so that an
 * article's latency can be split at the two sends: the ingestor's of the article and the
 * detector's of its assignment (the records' create times).
 */
final class AssignmentProbe implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration POLL = Duration.ofMillis(100);

    private final KafkaConsumer<String, byte[]> consumer;
    private final Clock clock;
    private final Thread thread;
    private final Set<String> seen = new HashSet<>();
    private final Map<String, Long> verdicts = new TreeMap<>();
    /** Per assignment: the article's fetch, the assignment's send and its arrival, epoch µs. */
    private long[] fetched = new long[1 << 16];
    private long[] sent = new long[1 << 16];
    private long[] received = new long[1 << 16];
    private String[] ids = new String[1 << 16];
    private int count;
    /** When the ingestor sent each article read from the articles topic, epoch µs. */
    private final Map<String, Long> articleSent = new HashMap<>();
    private volatile Instant watchArticlesFrom;
    private boolean watchingArticles;
    private volatile long distinct;
    private volatile long repeated;
    private volatile long unreadable;
    private volatile RuntimeException failure;
    /** Null, or told of each assignment in place of the per-article arrays above. */
    private final Sink sink;

    /**
     * Told of each assignment read (its JSON, and when it was read, epoch µs) by a probe that
     * keeps nothing per article: a soak of hours would fill the arrays.
     */
    @FunctionalInterface
    interface Sink {
        void assignment(JsonNode value, long readMicros);
    }

    AssignmentProbe(Map<String, Object> client, Clock clock) {
        this(client, clock, null);
    }

    /** With {@code sink} not null: no latencies, no repeats counted, nothing per article. */
    AssignmentProbe(Map<String, Object> client, Clock clock, Sink sink) {
        this.sink = sink;
        Map<String, Object> props = new HashMap<>(client);
        props.put("isolation.level", "read_committed");
        props.put("enable.auto.commit", "false");
        props.put("auto.offset.reset", "earliest");
        this.consumer = new KafkaConsumer<>(props, new StringDeserializer(),
                new ByteArrayDeserializer());
        this.clock = clock;
        this.thread = new Thread(this::run, "bench-assignment-probe");
        this.thread.setDaemon(true);
    }

    void start() {
        List<TopicPartition> parts = new ArrayList<>();
        for (PartitionInfo p : consumer.partitionsFor(Topics.ASSIGNMENTS)) {
            parts.add(new TopicPartition(p.topic(), p.partition()));
        }
        consumer.assign(parts);
        consumer.seekToBeginning(parts);
        thread.start();
    }

    /** Distinct (article, revision) pairs assigned so far. */
    long assigned() {
        return distinct;
    }

    /** Assignments of a pair already assigned: exactly-once output has none. */
    long repeated() {
        return repeated;
    }

    /** Records that were not assignment JSON with a fetch time. */
    long unreadable() {
        return unreadable;
    }

    /** The reason the probe stopped early, or null. */
    RuntimeException failure() {
        return failure;
    }

    /** Assignments per verdict ("new_story", "story", "near_duplicate", ...). */
    synchronized Map<String, Long> verdicts() {
        return Map.copyOf(verdicts);
    }

    /**
     * Reads the articles the ingestor sends from {@code from} on, for {@link #latencies}'
     * stages. Kept off until needed: the backlog's articles would cost reading every text.
     */
    void watchArticlesFrom(Instant from) {
        watchArticlesFrom = from;
    }

    /**
     * Latencies (µs) of the articles fetched in [from, to), each array ascending: the whole
     * fetch to read-back, then its stages (fetch to the article's send, article's send to
     * the assignment's send, assignment's send to read-back) for the articles whose send was
     * seen. Stage ends are create times in ms, so a stage can read up to 1 ms short.
     */
    synchronized long[][] latencies(Instant from, Instant to) {
        long lo = micros(from);
        long hi = micros(to);
        long[][] out = new long[4][count];
        int n = 0;
        int staged = 0;
        for (int i = 0; i < count; i++) {
            if (fetched[i] < lo || fetched[i] >= hi) {
                continue;
            }
            out[0][n++] = received[i] - fetched[i];
            Long article = articleSent.get(ids[i]);
            if (article != null) {
                out[1][staged] = Math.max(0, article - fetched[i]);
                out[2][staged] = Math.max(0, sent[i] - article);
                out[3][staged] = Math.max(0, received[i] - sent[i]);
                staged++;
            }
        }
        for (int k = 0; k < out.length; k++) {
            out[k] = Arrays.copyOf(out[k], k == 0 ? n : staged);
            Arrays.sort(out[k]);
        }
        return out;
    }

    @Override
    public void close() {
        consumer.wakeup();
        if (thread.isAlive()) {
            try {
                thread.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        } else {
            consumer.close(Duration.ZERO);
        }
    }

    private void run() {
        try {
            while (true) {
                if (!watchingArticles && watchArticlesFrom != null) {
                    watchArticles(watchArticlesFrom);
                }
                var records = consumer.poll(POLL);
                if (!records.isEmpty()) {
                    long now = micros(clock.instant());
                    for (ConsumerRecord<String, byte[]> r : records) {
                        if (r.topic().equals(Topics.ARTICLES)) {
                            noteArticle(r);
                        } else {
                            note(r, now);
                        }
                    }
                }
            }
        } catch (WakeupException e) {
            // close() asked us to stop
        } catch (RuntimeException e) {
            failure = e;
        } finally {
            consumer.close(Duration.ZERO);
        }
    }

    /** Adds the articles partition, from the first article sent at {@code from} or later. */
    private void watchArticles(Instant from) {
        TopicPartition articles = new TopicPartition(Topics.ARTICLES, 0);
        List<TopicPartition> parts = new ArrayList<>(consumer.assignment());
        parts.add(articles);
        consumer.assign(parts);
        OffsetAndTimestamp at = consumer.offsetsForTimes(Map.of(articles,
                from.toEpochMilli())).get(articles);
        if (at != null) {
            consumer.seek(articles, at.offset());
        } else {
            consumer.seekToEnd(List.of(articles));
        }
        watchingArticles = true;
    }

    private synchronized void noteArticle(ConsumerRecord<String, byte[]> r) {
        if (r.key() != null) {
            articleSent.putIfAbsent(r.key(), r.timestamp() * 1000);
        }
    }

    private synchronized void note(ConsumerRecord<String, byte[]> r, long now) {
        if (r.value() == null) {
            unreadable++;
            return;
        }
        JsonNode value;
        try {
            value = JSON.readTree(r.value());
        } catch (IOException e) {
            unreadable++;
            return;
        }
        long at;
        try {
            at = micros(Instant.parse(value.path("fetched").asText()));
        } catch (DateTimeParseException e) {
            unreadable++;
            return;
        }
        if (sink != null) {
            distinct++;
            verdicts.merge(value.path("verdict").asText("?"), 1L, Long::sum);
            sink.assignment(value, now);
            return;
        }
        if (!seen.add(r.key() + "#" + value.path("revision").asInt())) {
            repeated++;
            return;
        }
        distinct++;
        verdicts.merge(value.path("verdict").asText("?"), 1L, Long::sum);
        if (count == fetched.length) {
            fetched = Arrays.copyOf(fetched, count * 2);
            sent = Arrays.copyOf(sent, count * 2);
            received = Arrays.copyOf(received, count * 2);
            ids = Arrays.copyOf(ids, count * 2);
        }
        fetched[count] = at;
        sent[count] = r.timestamp() * 1000;
        received[count] = now;
        ids[count] = r.key();
        count++;
    }

    private static long micros(Instant t) {
        return ChronoUnit.MICROS.between(Instant.EPOCH, t);
    }
}
