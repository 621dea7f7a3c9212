package io.storyline.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.storyline.config.PipelineConfig;
import io.storyline.config.Settings;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;

class TopicSetupTest {

    private static List<NewTopic> topics(Map<String, String> settings) {
        return TopicSetup.topics(PipelineConfig.from(Settings.of(settings, "test", w -> { })));
    }

    private static void assertTopic(NewTopic t, String name, int partitions, int replication,
            Map<String, String> configs) {
        assertEquals(name, t.name());
        assertEquals(partitions, t.numPartitions(), name);
        assertEquals((short) replication, t.replicationFactor(), name);
        assertEquals(configs, t.configs(), name);
    }

    @Test
    void createsTheElevenTopicsWithTheirDocumentedSettings() {
        List<NewTopic> topics = topics(Map.of("topics.partitions", "6",
                "topics.replication-factor", "3", "topics.min-insync-replicas", "2",
                "topics.articles.retention.hours", "36",
                "topics.assignments.retention.days", "7", "topics.stories.retention.days", "30",
                "topics.digests.retention.days", "40"));

        assertEquals(11, topics.size());
        assertTopic(topics.get(0), Topics.FEEDS, 6, 3, Map.of(
                "cleanup.policy", "compact", "min.insync.replicas", "2"));
        assertTopic(topics.get(1), Topics.FEED_STATE, 6, 3, Map.of(
                "cleanup.policy", "compact", "min.insync.replicas", "2"));
        assertTopic(topics.get(2), Topics.ARTICLES, 1, 3, Map.of(
                "cleanup.policy", "delete", "retention.ms", Long.toString(36 * 3_600_000L),
                "min.insync.replicas", "2", "message.timestamp.type", "LogAppendTime"));
        assertTopic(topics.get(3), Topics.ASSIGNMENTS, 6, 3, Map.of(
                "cleanup.policy", "delete", "retention.ms", Long.toString(7 * 86_400_000L),
                "min.insync.replicas", "2"));
        assertTopic(topics.get(4), Topics.STORIES, 6, 3, Map.of(
                "cleanup.policy", "compact,delete",
                "retention.ms", Long.toString(30 * 86_400_000L),
                "min.insync.replicas", "2"));
        // As long as the articles: a replay must know every retained article set aside.
        assertTopic(topics.get(5), Topics.DEAD_LETTERS, 1, 3, Map.of(
                "cleanup.policy", "delete", "retention.ms", Long.toString(36 * 3_600_000L),
                "min.insync.replicas", "2"));
        // Compacted to the latest checkpoint; segments roll so the cleaner can get at them.
        assertTopic(topics.get(6), Topics.DETECTOR_STATE, 1, 3, Map.of(
                "cleanup.policy", "compact", "segment.ms", Long.toString(3_600_000L),
                "segment.bytes", Integer.toString(64 << 20), "min.cleanable.dirty.ratio", "0.1",
                "min.insync.replicas", "2"));
        assertTopic(topics.get(7), Topics.FEED_HEALTH, 6, 3, Map.of(
                "cleanup.policy", "compact", "min.insync.replicas", "2"));
        assertTopic(topics.get(8), Topics.FEED_COMMANDS, 6, 3, Map.of(
                "cleanup.policy", "delete", "retention.ms", Long.toString(86_400_000L),
                "min.insync.replicas", "2"));
        assertTopic(topics.get(9), Topics.SUBSCRIBERS, 6, 3, Map.of(
                "cleanup.policy", "compact", "min.insync.replicas", "2"));
        assertTopic(topics.get(10), Topics.DIGESTS, 6, 3, Map.of(
                "cleanup.policy", "compact,delete",
                "retention.ms", Long.toString(40 * 86_400_000L),
                "min.insync.replicas", "2"));
    }

    @Test
    void defaultsSuitTheEmbeddedBroker() {
        List<NewTopic> topics = topics(Map.of());
        assertTopic(topics.get(2), Topics.ARTICLES, 1, 1, Map.of(
                "cleanup.policy", "delete", "retention.ms", Long.toString(168 * 3_600_000L),
                "min.insync.replicas", "1", "message.timestamp.type", "LogAppendTime"));
        for (NewTopic t : List.of(topics.get(0), topics.get(1), topics.get(3), topics.get(4))) {
            assertEquals(3, t.numPartitions(), t.name());
            assertEquals((short) 1, t.replicationFactor(), t.name());
            assertEquals("1", t.configs().get("min.insync.replicas"), t.name());
        }
    }

    @Test
    void fractionalArticleRetentionHoursKeepTheirMinutes() {
        NewTopic articles = topics(Map.of("topics.articles.retention.hours", "1.5")).get(2);
        assertEquals(Long.toString(90 * 60_000L), articles.configs().get("retention.ms"));
    }
}
