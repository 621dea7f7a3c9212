package io.storyline.pipeline;

import static org.junit.jupiter.api.Assertions.fail;

import io.storyline.config.IngestConfig;
import io.storyline.config.Settings;
import io.storyline.ingest.FeedState;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/** Shared helpers of the ingestor integration tests: settings, reading topics back, waiting. */
final class IngestTestKit {

    /** Longest wait for a condition that normally holds within seconds. */
    static final Duration PATIENCE = Duration.ofSeconds(30);

    private IngestTestKit() {
    }

    /**
     * Ingest settings for tests: every feed polled about once a second (the allowed minimum),
     * failures retried after a second and doubling, no article pages (their links point
     * outside 127.0.0.1; 127.0.0.1 itself is allowed). Fetches may take 5 s: enough for a cold
     * JVM on a busy machine, and still half the time the slow fixture takes to trickle its
     * body.
     */
    static IngestConfig ingestConfig(Map<String, String> overrides) {
        Map<String, String> values = new HashMap<>(Map.of(
                "ingest.connect-timeout.ms", "5000",
                "ingest.read-timeout.ms", "5000",
                "ingest.max-body.bytes", Integer.toString(1024 * 1024),
                "ingest.min-interval.seconds", "1",
                "ingest.max-interval.seconds", "1",
                "ingest.backoff.base.seconds", "1",
                "ingest.backoff.max.seconds", "600",
                "ingest.concurrency", "8",
                "ingest.fetch-pages", "false",
                "ingest.allow-private-addresses", "true"));
        // Every fixture feed is on one host, 127.0.0.1:port: as many fetches to it as workers.
        values.put("ingest.per-host-concurrency", values.get("ingest.concurrency"));
        values.putAll(overrides);
        return IngestConfig.from(Settings.of(values, "test", w -> { }));
    }

    /** Runs {@code ingestor} on a thread of its own; {@link Ingestor#close} ends it. */
    static Thread start(Ingestor ingestor, String name) {
        Thread loop = new Thread(ingestor::run, name);
        loop.setDaemon(true);
        loop.start();
        return loop;
    }

    /** Every record of {@code topic} up to its end as of the call, partitions in order. */
    static List<ConsumerRecord<String, String>> readAll(Map<String, Object> client,
            String topic) {
        List<ConsumerRecord<String, String>> out = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(client,
                new StringDeserializer(), new StringDeserializer())) {
            List<TopicPartition> parts = PipelineTestKit.partitions(consumer, topic);
            consumer.assign(parts);
            consumer.seekToBeginning(parts);
            Map<TopicPartition, Long> end = consumer.endOffsets(parts);
            long deadline = System.nanoTime() + PATIENCE.toNanos();
            while (parts.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                if (System.nanoTime() > deadline) {
                    fail("reading " + topic + " to offsets " + end + " took over " + PATIENCE);
                }
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(100))) {
                    if (r.offset() < end.get(new TopicPartition(r.topic(), r.partition()))) {
                        out.add(r);
                    }
                }
            }
        }
        out.sort((a, b) -> a.partition() != b.partition()
                ? Integer.compare(a.partition(), b.partition())
                : Long.compare(a.offset(), b.offset()));
        return out;
    }

    /** The published articles and revisions, in topic order. */
    static List<ArticleMessage> articles(Map<String, Object> client) {
        List<ArticleMessage> out = new ArrayList<>();
        for (ConsumerRecord<String, String> r : readAll(client, Topics.ARTICLES)) {
            out.add(Messages.parseArticle(r.value().getBytes(StandardCharsets.UTF_8)));
        }
        return out;
    }

    /** The published articles and revisions by feed URL, in topic order. */
    static Map<String, List<ArticleMessage>> articlesByFeed(Map<String, Object> client) {
        Map<String, List<ArticleMessage>> out = new HashMap<>();
        for (ArticleMessage m : articles(client)) {
            out.computeIfAbsent(m.feed(), f -> new ArrayList<>()).add(m);
        }
        return out;
    }

    /** The published articles and revisions of one feed, in topic order. */
    static List<ArticleMessage> articlesOf(Map<String, Object> client, String feedUrl) {
        return articlesByFeed(client).getOrDefault(feedUrl, List.of());
    }

    /** A state the ingestor saved, with the wall-clock time it was written. */
    record Saved(FeedState state, Instant at) {
    }

    /** Every state saved so far, by feed URL, oldest first. */
    static Map<String, List<Saved>> states(Map<String, Object> client) {
        Map<String, List<Saved>> out = new HashMap<>();
        for (ConsumerRecord<String, String> r : readAll(client, Topics.FEED_STATE)) {
            if (r.value() != null) {
                out.computeIfAbsent(r.key(), k -> new ArrayList<>()).add(new Saved(
                        FeedState.fromJson(r.value()), Instant.ofEpochMilli(r.timestamp())));
            }
        }
        return out;
    }

    /** Every state saved for {@code feedUrl}, oldest first. */
    static List<Saved> states(Map<String, Object> client, String feedUrl) {
        return states(client).getOrDefault(feedUrl, List.of());
    }

    /** Waits until {@code condition} holds; fails with {@code what} after {@link #PATIENCE}. */
    static void await(String what, BooleanSupplier condition) throws InterruptedException {
        await(what, PATIENCE, condition, () -> "");
    }

    /** Waits until {@code condition} holds; fails with {@code what} and {@code state}. */
    static void await(String what, Duration patience, BooleanSupplier condition,
            Supplier<String> state) throws InterruptedException {
        long deadline = System.nanoTime() + patience.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("waited " + patience.toSeconds() + " s for " + what + state.get());
            }
            Thread.sleep(100);
        }
    }

    /** The system clock plus an offset a test moves forward, to reach long waits at once. */
    static final class MovableClock extends Clock {
        private volatile Duration offset = Duration.ZERO;

        void advance(Duration by) {
            offset = offset.plus(by);
        }

        @Override
        public Instant instant() {
            return Instant.now().plus(offset);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            throw new UnsupportedOperationException("tests use UTC");
        }
    }
}
