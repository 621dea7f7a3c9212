package io.storyline.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PipelineConfigTest {

    private final List<String> warnings = new ArrayList<>();

    private Settings settings(Map<String, String> values) {
        return Settings.of(values, "test.properties", warnings::add);
    }

    private PipelineConfig from(Map<String, String> values) {
        return PipelineConfig.from(settings(values));
    }

    private String failure(String key, String value) {
        return assertThrows(IllegalArgumentException.class, () -> from(Map.of(key, value)))
                .getMessage();
    }

    @Test
    void defaultsStartTheEmbeddedBroker() {
        PipelineConfig c = PipelineConfig.defaults();
        assertNull(c.bootstrapServers());
        assertTrue(c.embedded());
        assertEquals(Path.of("data/kafka"), c.dataDir());
        assertEquals(0, c.port());
        assertEquals(Map.of(), c.clientProperties());
        assertEquals((short) 1, c.replicationFactor());
        assertEquals(1, c.minInsyncReplicas());
        assertEquals(3, c.partitions());
        assertEquals(Duration.ofHours(168), c.articlesRetention());
        assertEquals(Duration.ofDays(14), c.storiesRetention());
        assertEquals(Duration.ofDays(14), c.assignmentsRetention());
        assertEquals(500, c.detectorBatch());
        assertEquals(Duration.ofSeconds(10), c.sessionTimeout());
        assertEquals(c, from(Map.of()));
        assertEquals(List.of(), warnings);
    }

    @Test
    void anEmptyBootstrapSettingMeansEmbedded() {
        assertTrue(from(Map.of("kafka.bootstrap.servers", "")).embedded());
    }

    @Test
    void readsOverriddenValues() {
        PipelineConfig c = from(Map.ofEntries(
                Map.entry("kafka.bootstrap.servers", "k1:9092,k2:9092"),
                Map.entry("kafka.data-dir", "/var/lib/storyline"),
                Map.entry("kafka.port", "19092"),
                Map.entry("topics.partitions", "12"),
                Map.entry("topics.replication-factor", "3"),
                Map.entry("topics.min-insync-replicas", "2"),
                Map.entry("topics.articles.retention.hours", "2.5"),
                Map.entry("topics.stories.retention.days", "30"),
                Map.entry("topics.assignments.retention.days", "7"),
                Map.entry("detector.batch", "1_000"),
                Map.entry("detector.session-timeout.ms", "45000")));
        assertEquals("k1:9092,k2:9092", c.bootstrapServers());
        assertFalse(c.embedded());
        assertEquals(Path.of("/var/lib/storyline"), c.dataDir());
        assertEquals(19092, c.port());
        assertEquals(12, c.partitions());
        assertEquals((short) 3, c.replicationFactor());
        assertEquals(2, c.minInsyncReplicas());
        assertEquals(Duration.ofMinutes(150), c.articlesRetention());
        assertEquals(Duration.ofDays(30), c.storiesRetention());
        assertEquals(Duration.ofDays(7), c.assignmentsRetention());
        assertEquals(1000, c.detectorBatch());
        assertEquals(Duration.ofSeconds(45), c.sessionTimeout());
        assertEquals(List.of(), warnings);
    }

    @Test
    void otherKafkaKeysPassThroughWithoutThePrefix() {
        PipelineConfig c = from(Map.of("kafka.bootstrap.servers", "k1:9092",
                "kafka.data-dir", "d", "kafka.port", "9092",
                "kafka.security.protocol", "SASL_SSL", "kafka.sasl.mechanism", "PLAIN",
                "kafka.ssl.truststore.location", "", "kafkaesque", "no",
                "topics.partitions", "2"));
        assertEquals(Map.of("security.protocol", "SASL_SSL", "sasl.mechanism", "PLAIN"),
                c.clientProperties());
    }

    @Test
    void anEmptyPassThroughKeyIsLeftOutButNotUnknown() {
        Settings s = settings(Map.of("kafka.ssl.truststore.location", "",
                "kafka.security.protocol", "SSL"));
        assertEquals(Map.of("security.protocol", "SSL"),
                PipelineConfig.from(s).clientProperties());
        s.rejectUnknown("kafka.");
    }

    @Test
    void clientPropertiesCannotBeChangedAfterwards() {
        PipelineConfig c = from(Map.of("kafka.acks", "all"));
        assertThrows(UnsupportedOperationException.class,
                () -> c.clientProperties().put("acks", "0"));
    }

    @Test
    void minInsyncAboveTheReplicationFactorIsCappedWithAWarning() {
        PipelineConfig c = from(Map.of("topics.replication-factor", "2",
                "topics.min-insync-replicas", "3"));
        assertEquals(2, c.minInsyncReplicas());
        assertEquals(List.of("setting topics.min-insync-replicas in test.properties: is 3, above"
                + " the replication factor 2; using 2"), warnings);
    }

    @Test
    void outOfRangeValuesNameTheKey() {
        assertEquals("setting topics.partitions=0 in test.properties must be between 1 and 1024",
                failure("topics.partitions", "0"));
        assertEquals("setting topics.replication-factor=17 in test.properties must be between 1"
                + " and 16", failure("topics.replication-factor", "17"));
        assertEquals("setting kafka.port=65536 in test.properties must be between 0 and 65535",
                failure("kafka.port", "65536"));
        assertEquals("setting topics.articles.retention.hours=0.5 in test.properties must be "
                + "between 1.0 and 87600.0", failure("topics.articles.retention.hours", "0.5"));
        assertEquals("setting detector.session-timeout.ms=5000 in test.properties must be "
                + "between 6000 and 300000", failure("detector.session-timeout.ms", "5000"));
        assertEquals("setting detector.batch=many in test.properties is not a whole number",
                failure("detector.batch", "many"));
    }

    @Test
    void aMisspeltTopicsKeyIsRejectedAfterReading() {
        Settings s = settings(Map.of("topics.partiton", "4", "kafka.acks", "all"));
        PipelineConfig.from(s);
        String message = assertThrows(IllegalArgumentException.class,
                () -> s.rejectUnknown("topics.")).getMessage();
        assertEquals("unknown setting topics.partiton in test.properties (known: "
                + "detector.abort-backoff.max.ms, detector.accept-engine-change, detector.batch, "
                + "detector.checkpoint.articles, detector.checkpoint.minutes, "
                + "detector.max-dead-letters, detector.replay.allow-truncated, "
                + "detector.replay.require-history, "
                + "detector.session-timeout.ms, kafka.acks, "
                + "kafka.bootstrap.servers, kafka.data-dir, kafka.port, "
                + "topics.articles.retention.hours, topics.assignments.retention.days, "
                + "topics.digests.retention.days, topics.min-insync-replicas, "
                + "topics.partitions, topics.replication-factor, "
                + "topics.stories.retention.days)", message);
    }

    @Test
    void everyKeyItReadsIsKnownToRejectUnknown() {
        Settings s = settings(Map.of("kafka.acks", "all", "topics.partitions", "4",
                "detector.batch", "10"));
        PipelineConfig.from(s);
        s.rejectUnknown("kafka.", "topics.", "detector.");
    }
}
