package io.storyline.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.storyline.config.EngineConfig;
import io.storyline.config.PipelineConfig;
import io.storyline.config.Settings;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The detector fails closed: a record in a newer format stops it with a failure status before
 * that record, a fenced producer ends it with a failure, and a transaction the broker refuses
 * is aborted and retried from the committed offset, nothing skipped.
 */
class DetectorFailClosedIT {

    private static final TopicPartition ARTICLES = new TopicPartition(Topics.ARTICLES, 0);

    @TempDir
    Path dir;


    @Test
    void aRecordInANewerFormatStopsTheDetectCommandBeforeIt() throws Exception {
        PipelineConfig config = PipelineTestKit.config(dir.resolve("kafka"));
        try (KafkaCluster cluster = KafkaCluster.open(config)) {
            Map<String, Object> client = cluster.clientProperties();
            PipelineTestKit.produce(client, PipelineTestKit.messages(0, 10));
            String newer = "{\"schema\":2,\"id\":\"from-the-future\",\"title\":\"t\"}";
            send(client, Topics.ARTICLES, "from-the-future", newer);
            PipelineTestKit.produce(client, PipelineTestKit.messages(10, 15));

            Path log = dir.resolve("detector.log");
            try (DetectorProcess detector = DetectorProcess.start(cluster.bootstrapServers(),
                    log)) {
                assertEquals(1, detector.awaitExit(Duration.ofSeconds(120)),
                        "exit status of detect");
            }
            String output = Files.readString(log, StandardCharsets.UTF_8);
            assertTrue(output.contains("detector stops at storyline.articles-0 offset 10 (key "
                    + "from-the-future): schema 2 is newer than this Storyline understands (1)"),
                    output);
            assertEquals(10, committed(client).offset(), "committed up to the newer record");
            assertEquals(10, PipelineTestKit.readCommitted(client, Topics.ASSIGNMENTS, 11,
                    Duration.ofSeconds(3)).size());
        }
    }

    @Test
    void aFencedDetectorEndsWithAFailure() throws Exception {
        PipelineConfig config = PipelineTestKit.config(dir.resolve("kafka"));
        try (KafkaCluster cluster = KafkaCluster.open(config)) {
            Map<String, Object> client = cluster.clientProperties();
            PipelineTestKit.produce(client, PipelineTestKit.messages(0, 10));
            try (Detector detector = new Detector(client, config, EngineConfig.defaults())) {
                CompletableFuture<Void> loop = CompletableFuture.runAsync(detector::run);
                assertEquals(10, PipelineTestKit.readCommitted(client, Topics.ASSIGNMENTS, 10,
                        Duration.ofSeconds(60)).size());
                // A zombie's view: another producer took the transactional id.
                Map<String, Object> p = new HashMap<>(client);
                p.put("transactional.id", Detector.GROUP);
                try (KafkaProducer<String, byte[]> other = new KafkaProducer<>(p,
                        new StringSerializer(), new ByteArraySerializer())) {
                    other.initTransactions();
                    PipelineTestKit.produce(client, PipelineTestKit.messages(10, 20));
                    ExecutionException e = org.junit.jupiter.api.Assertions.assertThrows(
                            ExecutionException.class, () -> loop.get(60, TimeUnit.SECONDS));
                    assertTrue(e.getCause().getMessage().contains("failed fatally"),
                            e.getCause()::toString);
                }
            }
        }
    }

    @Test
    void aRefusedTransactionIsAbortedAndRetriedUntilItGoesThrough() throws Exception {
        Map<String, String> settings = new HashMap<>(Map.of(
                "kafka.data-dir", dir.resolve("kafka").toString(),
                "topics.partitions", "1",
                "detector.batch", "20",
                "detector.session-timeout.ms", "6000",
                "detector.abort-backoff.max.ms", "500"));
        PipelineConfig config = PipelineConfig.from(Settings.of(settings, "test", w -> { }));
        try (KafkaCluster cluster = KafkaCluster.open(config);
                Admin admin = Admin.create(cluster.clientProperties())) {
            Map<String, Object> client = cluster.clientProperties();
            ConfigResource assignments = new ConfigResource(ConfigResource.Type.TOPIC,
                    Topics.ASSIGNMENTS);
            // Every assignment is now too large for its topic (a commit or abort marker still
            // fits): each transaction fails.
            admin.incrementalAlterConfigs(Map.of(assignments, List.of(new AlterConfigOp(
                    new ConfigEntry("max.message.bytes", "200"), AlterConfigOp.OpType.SET))))
                    .all().get();
            List<ArticleMessage> input = PipelineTestKit.messages(0, 60);
            PipelineTestKit.produce(client, input);
            try (Detector detector = new Detector(client, config, EngineConfig.defaults())) {
                new Thread(detector::run).start();
                waitFor(() -> detector.abortedTransactions() >= 3, "three aborts");
                assertNull(committed(client), "nothing committed while the broker refuses");
                admin.incrementalAlterConfigs(Map.of(assignments, List.of(new AlterConfigOp(
                        new ConfigEntry("max.message.bytes", ""), AlterConfigOp.OpType.DELETE))))
                        .all().get();
                List<ConsumerRecord<String, String>> out = PipelineTestKit.readCommitted(
                        client, Topics.ASSIGNMENTS, input.size(), Duration.ofSeconds(90));
                assertEquals(expected(input), PipelineTestKit.byKey(out));
            }
        }
    }

    private static void waitFor(BooleanSupplier condition, String what)
            throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "no " + what + " in time");
            Thread.sleep(50);
        }
    }

    private static OffsetAndMetadata committed(Map<String, Object> client) throws Exception {
        try (Admin admin = Admin.create(client)) {
            return admin.listConsumerGroupOffsets(Detector.GROUP).partitionsToOffsetAndMetadata()
                    .get().get(ARTICLES);
        }
    }

    private static void send(Map<String, Object> client, String topic, String key,
            String value) {
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(client,
                new StringSerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(topic, key,
                    value.getBytes(StandardCharsets.UTF_8)));
            producer.flush();
        }
    }

    private static Map<String, String> expected(List<ArticleMessage> input) {
        Detection detection = new Detection(EngineConfig.defaults());
        Map<String, String> out = new TreeMap<>();
        for (int offset = 0; offset < input.size(); offset++) {
            for (Detection.Output o : detection.apply(input.get(offset), offset).outputs()) {
                if (o.topic().equals(Topics.ASSIGNMENTS)) {
                    out.put(o.key(), Messages.utf8(o.value()));
                }
            }
        }
        return out;
    }

}
