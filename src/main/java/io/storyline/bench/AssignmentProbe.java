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
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads {@code storyline.assignments} as a downstream consumer would (read_committed, so an
 * assignment counts only once its transaction commits) and notes, per assignment, when the
 * ingestor fetched the article and how long after that the assignment arrived here.
 */
final class AssignmentProbe implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration POLL = Duration.ofMillis(100);

    private final KafkaConsumer<String, byte[]> consumer;
    private final Clock clock;
    private final Thread thread;
    private final Set<String> seen = new HashSet<>();
    private final Map<String, Long> verdicts = new TreeMap<>();
    /** Fetch time (epoch µs) and fetch-to-assignment latency (µs) of each assignment. */
    private long[] fetched = new long[1 << 16];
    private long[] latency = new long[1 << 16];
    private int count;
    private volatile long distinct;
    private volatile long repeated;
    private volatile long unreadable;
    private volatile RuntimeException failure;

    AssignmentProbe(Map<String, Object> client, Clock clock) {
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

    /** Latencies (µs), ascending, of the articles fetched in [from, to). */
    synchronized long[] latencies(Instant from, Instant to) {
        long lo = micros(from);
        long hi = micros(to);
        long[] out = new long[count];
        int n = 0;
        for (int i = 0; i < count; i++) {
            if (fetched[i] >= lo && fetched[i] < hi) {
                out[n++] = latency[i];
            }
        }
        out = Arrays.copyOf(out, n);
        Arrays.sort(out);
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
                var records = consumer.poll(POLL);
                if (!records.isEmpty()) {
                    long received = micros(clock.instant());
                    for (ConsumerRecord<String, byte[]> r : records) {
                        note(r, received);
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

    private synchronized void note(ConsumerRecord<String, byte[]> r, long received) {
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
        if (!seen.add(r.key() + "#" + value.path("revision").asInt())) {
            repeated++;
            return;
        }
        distinct++;
        verdicts.merge(value.path("verdict").asText("?"), 1L, Long::sum);
        if (count == fetched.length) {
            fetched = Arrays.copyOf(fetched, count * 2);
            latency = Arrays.copyOf(latency, count * 2);
        }
        fetched[count] = at;
        latency[count] = received - at;
        count++;
    }

    private static long micros(Instant t) {
        return ChronoUnit.MICROS.between(Instant.EPOCH, t);
    }
}
