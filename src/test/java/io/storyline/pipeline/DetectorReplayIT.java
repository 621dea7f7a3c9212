package io.storyline.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.storyline.config.EngineConfig;
import io.storyline.config.PipelineConfig;
import io.storyline.config.Settings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A takeover never loses articles in silence: articles deleted before they were processed
 * stop the detector (unless detector.replay.allow-truncated); a log whose beginning retention
 * deleted is, without a checkpoint, replayed from what is left, with an error in the log (or
 * stops it, with detector.replay.require-history), and with one, restored exactly; output
 * made with another engine configuration is not continued (unless
 * detector.accept-engine-change).
 */
class DetectorReplayIT {


    @TempDir
    Path dir;


    private PipelineConfig config(String... settings) {
        Map<String, String> s = new HashMap<>(Map.of(
                "kafka.data-dir", dir.resolve("kafka").toString(),
                "topics.partitions", "1",
                "detector.batch", "100",
                "detector.session-timeout.ms", "6000"));
        for (String kv : settings) {
            s.put(kv.substring(0, kv.indexOf('=')), kv.substring(kv.indexOf('=') + 1));
        }
        return PipelineConfig.from(Settings.of(s, "test", w -> { }));
    }

    /** Runs a detector until {@code total} assignments are committed. */
    private static void assignAll(Map<String, Object> client, PipelineConfig config,
            EngineConfig engine, int total) {
        try (Detector detector = new Detector(client, config, engine)) {
            new Thread(detector::run).start();
            assertEquals(total, PipelineTestKit.readCommitted(client, Topics.ASSIGNMENTS, total,
                    Duration.ofSeconds(60)).size());
        }
    }

    /** Runs a detector that must stop by itself; returns its failure's message. */
    private static String failure(Map<String, Object> client, PipelineConfig config,
            EngineConfig engine) {
        try (Detector detector = new Detector(client, config, engine)) {
            CompletableFuture<Void> loop = CompletableFuture.runAsync(detector::run);
            ExecutionException e = assertThrows(ExecutionException.class,
                    () -> loop.get(60, TimeUnit.SECONDS));
            Throwable cause = e.getCause();
            while (cause.getCause() != null && !(cause instanceof IllegalStateException)) {
                cause = cause.getCause(); // a failure in the rebalance callback is wrapped
            }
            return cause.getMessage();
        }
    }

    @Test
    void aTakeoverOnALogWhoseStartRetentionDeletedGoesOnUnlessHistoryIsRequired()
            throws Exception {
        PipelineConfig config = config("detector.checkpoint.articles=0");
        try (KafkaCluster cluster = KafkaCluster.open(config);
                Admin admin = Admin.create(cluster.clientProperties())) {
            Map<String, Object> client = cluster.clientProperties();
            PipelineTestKit.produce(client, PipelineTestKit.messages(0, 100));
            assignAll(client, config, EngineConfig.defaults(), 100);
            // What retention does to old segments, at once.
            admin.deleteRecords(Map.of(new TopicPartition(Topics.ARTICLES, 0),
                    RecordsToDelete.beforeOffset(50))).all().get();
            PipelineTestKit.produce(client, PipelineTestKit.messages(100, 120));

            String message = failure(client, config("detector.checkpoint.articles=0",
                    "detector.replay.require-history=true"), EngineConfig.defaults());
            assertTrue(message.contains("replay of storyline.articles: the log start is 50: "
                    + "articles 0..49 were deleted, so replaying up to offset 100 cannot "
                    + "rebuild the state that made the output. Unset "
                    + "detector.replay.require-history"), message);
            assertEquals(100, PipelineTestKit.readCommitted(client, Topics.ASSIGNMENTS, 101,
                    Duration.ofSeconds(2)).size(), "nothing assigned after the refusal");

            // The default: the history retention took is no reason to stop serving stories.
            assignAll(client, config, EngineConfig.defaults(), 120);
        }
    }

    @Test
    void withACheckpointATakeoverAfterRetentionIsExactAndNeedsNoHistory() throws Exception {
        PipelineConfig config = config("detector.replay.require-history=true");
        try (KafkaCluster cluster = KafkaCluster.open(config);
                Admin admin = Admin.create(cluster.clientProperties())) {
            Map<String, Object> client = cluster.clientProperties();
            PipelineTestKit.produce(client, PipelineTestKit.messages(0, 100));
            assignAll(client, config, EngineConfig.defaults(), 100);
            // The first transaction of a detector without a checkpoint writes one.
            long checkpoint = PipelineTestKit.latestCheckpoint(client).offset();
            assertTrue(checkpoint > 0, "checkpoint at " + checkpoint);
            admin.deleteRecords(Map.of(new TopicPartition(Topics.ARTICLES, 0),
                    RecordsToDelete.beforeOffset(checkpoint))).all().get();
            PipelineTestKit.produce(client, PipelineTestKit.messages(100, 120));
            assignAll(client, config, EngineConfig.defaults(), 120);
        }
    }

    @Test
    void articlesDeletedBeforeTheyWereProcessedStopTheTakeoverUnlessAllowed()
            throws Exception {
        PipelineConfig config = config();
        try (KafkaCluster cluster = KafkaCluster.open(config);
                Admin admin = Admin.create(cluster.clientProperties())) {
            Map<String, Object> client = cluster.clientProperties();
            PipelineTestKit.produce(client, PipelineTestKit.messages(0, 100));
            assignAll(client, config, EngineConfig.defaults(), 100);
            PipelineTestKit.produce(client, PipelineTestKit.messages(100, 120));
            // Articles 100..109 are gone before any detector saw them.
            admin.deleteRecords(Map.of(new TopicPartition(Topics.ARTICLES, 0),
                    RecordsToDelete.beforeOffset(110))).all().get();

            String message = failure(client, config, EngineConfig.defaults());
            assertTrue(message.contains("the committed offset 100 is below the log start 110:"
                    + " articles 100..109 were deleted before the detector processed them."
                    + " Set detector.replay.allow-truncated=true"), message);
            assertEquals(100, PipelineTestKit.readCommitted(client, Topics.ASSIGNMENTS, 101,
                    Duration.ofSeconds(2)).size(), "nothing assigned after the refusal");

            assignAll(client, config("detector.replay.allow-truncated=true"),
                    EngineConfig.defaults(), 110);
        }
    }

    @Test
    void outputMadeWithAnotherEngineConfigurationIsNotContinuedUnlessAccepted() {
        PipelineConfig config = config();
        EngineConfig before = EngineConfig.defaults();
        EngineConfig after = EngineConfig.from(Settings.of(Map.of("window.hours", "24"), "test",
                w -> { }));
        try (KafkaCluster cluster = KafkaCluster.open(config)) {
            Map<String, Object> client = cluster.clientProperties();
            PipelineTestKit.produce(client, PipelineTestKit.messages(0, 30));
            assignAll(client, config, before, 30);
            PipelineTestKit.produce(client, PipelineTestKit.messages(30, 40));

            String message = failure(client, config, after);
            assertTrue(message.contains("the output committed up to storyline.articles offset "
                    + "30 was made with engine configuration " + Detector.fingerprint(before)
                    + " and this detector's is " + Detector.fingerprint(after)), message);

            assignAll(client, config("detector.accept-engine-change=true"), after, 40);
            // The same configuration goes on as before.
            PipelineTestKit.produce(client, PipelineTestKit.messages(40, 45));
            assignAll(client, config, after, 45);
        }
    }
}
