package io.storyline.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.storyline.article.Article;
import io.storyline.article.ArticleReader;
import io.storyline.config.PipelineConfig;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** Shared helpers of the pipeline integration tests: sample input, producing, reading back. */
public final class PipelineTestKit {

    static final Instant SAMPLE_FETCHED = Instant.parse("2026-01-01T00:00:00Z");


    private PipelineTestKit() {
    }

    /** 1,000 AllSides articles (the engine tests' sample), in stream order. */
    /** Sample articles {@code from..to} as an ingestor would publish them (one fetch time). */
    static List<ArticleMessage> messages(int from, int to) {
        List<ArticleMessage> out = new ArrayList<>();
        for (Article a : sample().subList(from, to)) {
            out.add(new ArticleMessage(a, 0, "file:test", SAMPLE_FETCHED));
        }
        return out;
    }

    /** Records by key, failing on a key seen twice (an article assigned twice). */
    static Map<String, String> byKey(List<ConsumerRecord<String, String>> records) {
        Map<String, String> out = new TreeMap<>();
        for (ConsumerRecord<String, String> r : records) {
            assertEquals(null, out.put(r.key(), r.value()), "article " + r.key() + " twice");
        }
        return out;
    }

    static List<Article> sample() {
        List<Article> articles = new ArrayList<>();
        List<Object> problems = new ArrayList<>();
        try {
            Path file = Path.of(PipelineTestKit.class.getResource("/engine/allsides-sample.jsonl")
                    .toURI());
            new ArticleReader(articles::add, problems::add).read(file);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        if (!problems.isEmpty()) {
            throw new IllegalStateException("sample has problems: " + problems);
        }
        return articles;
    }

    /** Settings for tests: small partitions count, short session timeout. */
    static PipelineConfig config(Path dataDir) {
        return config(dataDir, Map.of());
    }

    /** As {@link #config(Path)}, with {@code more} settings on top. */
    static PipelineConfig config(Path dataDir, Map<String, String> more) {
        Map<String, String> s = new java.util.HashMap<>(Map.of(
                "kafka.data-dir", dataDir.toString(),
                "topics.partitions", "2",
                "detector.batch", "100",
                "detector.session-timeout.ms", "6000"));
        s.putAll(more);
        return PipelineConfig.from(io.storyline.config.Settings.of(s, "test", w -> { }));
    }

    /**
     * The partitions of {@code topic}, in order, waiting for a just-created topic's metadata
     * (right after creation a client can see the topic with no partitions yet).
     */
    public static List<TopicPartition> partitions(KafkaConsumer<?, ?> consumer, String topic) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            List<PartitionInfo> infos = consumer.partitionsFor(topic);
            if (infos != null && !infos.isEmpty()) {
                List<TopicPartition> parts = new ArrayList<>();
                for (PartitionInfo info : infos) {
                    parts.add(new TopicPartition(topic, info.partition()));
                }
                parts.sort((a, b) -> Integer.compare(a.partition(), b.partition()));
                return parts;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("topic " + topic + " has no partitions");
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    static void produce(Map<String, Object> client, List<ArticleMessage> messages) {
        Map<String, Object> p = new HashMap<>(client);
        p.put("acks", "all");
        p.put("enable.idempotence", "true");
        // One request at a time: on a topic created a moment ago a later batch can land
        // before an earlier one is retried, and the broker then refuses the earlier one's
        // sequence for good (the producer retried seq 0 against end seq 12 until killed).
        p.put("max.in.flight.requests.per.connection", 1);
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(p,
                new StringSerializer(), new ByteArraySerializer())) {
            for (ArticleMessage m : messages) {
                producer.send(new ProducerRecord<>(Topics.ARTICLES, m.article().id(),
                        Messages.article(m)));
            }
            producer.flush();
        }
    }

    /**
     * Reads {@code topic} (read_committed) until {@code expected} records arrived or the
     * timeout passed; returns the values per partition in offset order, partitions in order.
     */
    static List<ConsumerRecord<String, String>> readCommitted(Map<String, Object> client,
            String topic, int expected, Duration timeout) {
        Map<String, Object> c = new HashMap<>(client);
        c.put("isolation.level", "read_committed");
        List<ConsumerRecord<String, String>> out = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(c,
                new StringDeserializer(), new StringDeserializer())) {
            List<TopicPartition> parts = partitions(consumer, topic);
            consumer.assign(parts);
            consumer.seekToBeginning(parts);
            long deadline = System.nanoTime() + timeout.toNanos();
            while (out.size() < expected && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(out::add);
            }
            // Anything beyond the expected count is a duplicate: give it a moment to show.
            consumer.poll(Duration.ofMillis(500)).forEach(out::add);
        }
        out.sort((a, b) -> a.partition() != b.partition()
                ? Integer.compare(a.partition(), b.partition())
                : Long.compare(a.offset(), b.offset()));
        return out;
    }

    /**
     * The latest committed checkpoint in {@code storyline.detector-state}, or null if none
     * shows within 30 s (a commit returns before its markers are written, and until then a
     * read_committed reader cannot see it).
     */
    static Checkpoints.Checkpoint latestCheckpoint(Map<String, Object> client) {
        Map<String, Object> c = new java.util.HashMap<>(client);
        c.put("isolation.level", "read_committed");
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            try (KafkaConsumer<String, byte[]> reader = new KafkaConsumer<>(c,
                    new org.apache.kafka.common.serialization.StringDeserializer(),
                    new org.apache.kafka.common.serialization.ByteArrayDeserializer())) {
                Checkpoints.Checkpoint latest = Checkpoints.latest(reader);
                if (latest != null || System.nanoTime() > deadline) {
                    return latest;
                }
            }
        }
    }
}
