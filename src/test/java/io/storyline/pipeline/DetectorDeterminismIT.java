package io.storyline.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.storyline.article.Article;
import io.storyline.bench.SyntheticCorpus;
import io.storyline.config.PipelineConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The exactly-once acceptance test: the same articles through a detector that runs without
 * interruption and through one killed with SIGKILL at random points and restarted give the
 * same {@code storyline.assignments} and {@code storyline.stories}, record for record, each
 * article assigned once; and this holds when retention has deleted the log's beginning: after
 * each kill but the first, everything before the latest checkpoint is deleted, so each
 * restarted detector can only rebuild its state from that checkpoint.
 */
class DetectorDeterminismIT {

    private static final int ARTICLES = 5_000;
    private static final int KILLS = 5;
    /**
     * A short window, so the stream crosses it many times (stories close, articles leave):
     * the broker stamps all articles within seconds of each other, so it is bounded by count.
     */
    private static final String WINDOW = "window.max-articles=400";
    /** Checkpoints often enough that every restart has one to start from. */
    private static final String CHECKPOINTS = "detector.checkpoint.articles=500";

    @TempDir
    Path dir;

    @Test
    void killedAndRestartedDetectorWritesWhatAnUninterruptedOneWrites() throws Exception {
        List<ArticleMessage> input = corpus();
        List<String> calmStories = new ArrayList<>();
        List<String> reference = run(input, "calm", new long[0], calmStories);

        long[] killAt = new Random(20261122).longs(KILLS, ARTICLES / 20, ARTICLES * 9L / 10)
                .sorted().toArray();
        List<String> crashedStories = new ArrayList<>();
        List<String> crashed = run(input, "crashing", killAt, crashedStories);

        assertEquals(ARTICLES, reference.size());
        Set<String> ids = new HashSet<>();
        for (String r : reference) {
            ids.add(r.substring(0, r.indexOf('\t', 2)));
        }
        assertEquals(ARTICLES, ids.size(), "every article assigned exactly once");
        assertSameRecords(reference, crashed, "storyline.assignments");
        assertTrue(calmStories.size() > ARTICLES / 2, "story records: " + calmStories.size());
        assertSameRecords(calmStories, crashedStories, "storyline.stories");
        String log = java.nio.file.Files.readString(dir.resolve("crashing/detector.log"));
        long restored = log.lines().filter(l -> l.contains("restored the checkpoint")).count();
        assertTrue(restored >= KILLS - 1, "restarts from a checkpoint: " + restored);
    }

    /**
     * Publishes {@code input} to a fresh broker and runs detector processes over it, killing
     * the running one each time the committed output passes the next count in {@code killAt};
     * returns the committed assignments as "partition TAB key TAB value" in log order.
     */
    private List<String> run(List<ArticleMessage> input, String name, long[] killAt,
            List<String> stories) throws Exception {
        Path runDir = dir.resolve(name);
        PipelineConfig config = PipelineTestKit.config(runDir.resolve("kafka"));
        try (KafkaCluster cluster = KafkaCluster.open(config);
                KafkaConsumer<String, String> out = committedReader(cluster)) {
            PipelineTestKit.produce(cluster.clientProperties(), input);
            Path log = runDir.resolve("detector.log");
            List<String> seen = new ArrayList<>();
            for (int k = 0; k < killAt.length; k++) {
                try (DetectorProcess detector = DetectorProcess.start(
                        cluster.bootstrapServers(), log, WINDOW, CHECKPOINTS)) {
                    readUntil(out, seen, killAt[k]);
                    detector.kill();
                }
                if (k > 0) {
                    deleteBeforeCheckpoint(cluster);
                }
            }
            try (DetectorProcess detector = DetectorProcess.start(cluster.bootstrapServers(),
                    log, WINDOW, CHECKPOINTS)) {
                readUntil(out, seen, ARTICLES);
                // Anything more would be an article assigned twice: give it time to show.
                readFor(out, seen, Duration.ofSeconds(2));
                assertTrue(detector.alive(), "the last detector is still running");
            }
            // Written in the same transactions: all there once the assignments are.
            for (ConsumerRecord<String, String> r : PipelineTestKit.readCommitted(
                    cluster.clientProperties(), Topics.STORIES, Integer.MAX_VALUE,
                    Duration.ofSeconds(3))) {
                stories.add(r.partition() + "\t" + r.key() + "\t" + r.value());
            }
            return seen;
        }
    }

    /** Record for record, naming the first difference (the whole lists would flood the log). */
    private static void assertSameRecords(List<String> expected, List<String> actual,
            String topic) {
        for (int i = 0; i < Math.min(expected.size(), actual.size()); i++) {
            assertEquals(expected.get(i), actual.get(i), topic + ": first difference at "
                    + "record " + i + " of " + expected.size());
        }
        assertEquals(expected.size(), actual.size(), topic + ": records");
    }

    /** What retention does to old segments, at once: all before the latest checkpoint. */
    private static void deleteBeforeCheckpoint(KafkaCluster cluster) throws Exception {
        Checkpoints.Checkpoint checkpoint =
                PipelineTestKit.latestCheckpoint(cluster.clientProperties());
        assertNotNull(checkpoint, "a checkpoint to start from");
        try (Admin admin = Admin.create(cluster.clientProperties())) {
            admin.deleteRecords(Map.of(new TopicPartition(Topics.ARTICLES, 0),
                    RecordsToDelete.beforeOffset(checkpoint.offset()))).all().get();
        }
    }

    private static KafkaConsumer<String, String> committedReader(KafkaCluster cluster) {
        Map<String, Object> c = new HashMap<>(cluster.clientProperties());
        c.put("isolation.level", "read_committed");
        KafkaConsumer<String, String> consumer = new KafkaConsumer<>(c,
                new StringDeserializer(), new StringDeserializer());
        List<TopicPartition> parts = PipelineTestKit.partitions(consumer, Topics.ASSIGNMENTS);
        consumer.assign(parts);
        consumer.seekToBeginning(parts);
        return consumer;
    }

    private static void readUntil(KafkaConsumer<String, String> out, List<String> seen,
            long count) {
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (seen.size() < count) {
            assertTrue(System.nanoTime() < deadline, "only " + seen.size() + " of " + count
                    + " assignments committed in time");
            poll(out, seen);
        }
    }

    private static void readFor(KafkaConsumer<String, String> out, List<String> seen,
            Duration time) {
        long deadline = System.nanoTime() + time.toNanos();
        while (System.nanoTime() < deadline) {
            poll(out, seen);
        }
    }

    private static void poll(KafkaConsumer<String, String> out, List<String> seen) {
        List<ConsumerRecord<String, String>> batch = new ArrayList<>();
        out.poll(Duration.ofMillis(100)).forEach(batch::add);
        for (ConsumerRecord<String, String> r : batch) {
            seen.add(r.partition() + "\t" + r.key() + "\t" + r.value());
        }
        // Keep log order per partition; interleaving across partitions is the reader's own.
        seen.sort((a, b) -> Character.compare(a.charAt(0), b.charAt(0)));
    }

    private static List<ArticleMessage> corpus() {
        SyntheticCorpus corpus = new SyntheticCorpus(ARTICLES, 0.3, 7);
        List<ArticleMessage> input = new ArrayList<>(ARTICLES);
        while (corpus.hasNext()) {
            // Fetched as published (5 s apart); the window follows the broker's stamps.
            Article a = corpus.next();
            input.add(new ArticleMessage(a, 0, "file:synthetic", a.published()));
        }
        return input;
    }
}
