package io.storyline.pipeline;

import io.storyline.config.PipelineConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates Storyline's topics with explicit settings when they are missing, and checks the
 * settings that correctness depends on: {@code storyline.articles} has a single partition,
 * because the engine's output is a function of one total order of articles; and
 * {@code storyline.feeds} and {@code storyline.feed-state} have as many partitions as each
 * other, because an ingestor reads a feed's state from the state partition numbered like the
 * registry partition it owns.
 */
public final class TopicSetup {

    private static final Logger LOG = LoggerFactory.getLogger(TopicSetup.class);

    private static final Duration METADATA_WAIT = Duration.ofSeconds(15);
    static final String TIMESTAMP_TYPE = "message.timestamp.type";
    static final String LOG_APPEND_TIME = "LogAppendTime";

    private TopicSetup() {
    }

    /** The topics as Storyline wants them. */
    static List<NewTopic> topics(PipelineConfig config) {
        short rf = config.replicationFactor();
        String minIsr = Integer.toString(config.minInsyncReplicas());
        int p = config.partitions();
        return List.of(
                new NewTopic(Topics.FEEDS, p, rf).configs(Map.of(
                        "cleanup.policy", "compact", "min.insync.replicas", minIsr)),
                // Same partition count and key as the registry: an ingestor that owns a feed's
                // registry partition finds the feed's state in the same state partition.
                new NewTopic(Topics.FEED_STATE, p, rf).configs(Map.of(
                        "cleanup.policy", "compact", "min.insync.replicas", minIsr)),
                // The broker stamps arrival: the detector's window follows one clock, not
                // each ingestor's.
                new NewTopic(Topics.ARTICLES, 1, rf).configs(Map.of(
                        "cleanup.policy", "delete",
                        "retention.ms", Long.toString(config.articlesRetention().toMillis()),
                        "min.insync.replicas", minIsr,
                        TIMESTAMP_TYPE, LOG_APPEND_TIME)),
                new NewTopic(Topics.ASSIGNMENTS, p, rf).configs(Map.of(
                        "cleanup.policy", "delete",
                        "retention.ms", Long.toString(config.assignmentsRetention().toMillis()),
                        "min.insync.replicas", minIsr)),
                // Compacted to the latest snapshot per story; stories untouched for the
                // retention period (closed long ago) are deleted.
                new NewTopic(Topics.STORIES, p, rf).configs(Map.of(
                        "cleanup.policy", "compact,delete",
                        "retention.ms", Long.toString(config.storiesRetention().toMillis()),
                        "min.insync.replicas", minIsr)),
                // Kept as long as the articles: a takeover's replay skips the records listed.
                new NewTopic(Topics.DEAD_LETTERS, 1, rf).configs(Map.of(
                        "cleanup.policy", "delete",
                        "retention.ms", Long.toString(config.articlesRetention().toMillis()),
                        "min.insync.replicas", minIsr)),
                // Only the latest checkpoint matters: segments roll hourly (and every 64 MB) so
                // compaction can drop the ones before.
                new NewTopic(Topics.DETECTOR_STATE, 1, rf).configs(Map.of(
                        "cleanup.policy", "compact",
                        "segment.ms", Long.toString(Duration.ofHours(1).toMillis()),
                        "segment.bytes", Integer.toString(64 << 20),
                        "min.cleanable.dirty.ratio", "0.1",
                        "min.insync.replicas", minIsr)),
                new NewTopic(Topics.FEED_HEALTH, p, rf).configs(Map.of(
                        "cleanup.policy", "compact", "min.insync.replicas", minIsr)),
                // Commands matter for a moment only: a day is plenty.
                new NewTopic(Topics.FEED_COMMANDS, p, rf).configs(Map.of(
                        "cleanup.policy", "delete",
                        "retention.ms", Long.toString(Duration.ofDays(1).toMillis()),
                        "min.insync.replicas", minIsr)),
                new NewTopic(Topics.SUBSCRIBERS, p, rf).configs(Map.of(
                        "cleanup.policy", "compact", "min.insync.replicas", minIsr)),
                // The latest record per digest; a month back is what markers and the
                // at-most-once check need, older digests go.
                new NewTopic(Topics.DIGESTS, p, rf).configs(Map.of(
                        "cleanup.policy", "compact,delete",
                        "retention.ms", Long.toString(config.digestsRetention().toMillis()),
                        "min.insync.replicas", minIsr)));
    }

    /**
     * Creates the missing topics and verifies the partition counts: one for the articles, the
     * same for the feeds and feed-state topics (one of them created missing takes the other's
     * count).
     */
    public static void ensure(Admin admin, PipelineConfig config) {
        List<String> created = new ArrayList<>();
        // One request for all: every command and every instance runs this at start.
        Map<String, KafkaFuture<Void>> results = admin.createTopics(
                matchFeedPartitions(admin, topics(config))).values();
        for (Map.Entry<String, KafkaFuture<Void>> topic : results.entrySet()) {
            try {
                topic.getValue().get();
                created.add(topic.getKey());
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw new IllegalStateException("cannot create topic " + topic.getKey()
                            + ": " + e.getCause().getMessage(), e.getCause());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted creating topic " + topic.getKey(),
                        e);
            }
        }
        if (!created.isEmpty()) {
            LOG.info("created topics {}", created);
        }
        checkSinglePartition(admin, Topics.ARTICLES);
        checkSinglePartition(admin, Topics.DETECTOR_STATE);
        checkSamePartitions(admin, Topics.FEEDS, Topics.FEED_STATE);
        checkLogAppendTime(admin, Topics.ARTICLES);
    }

    /** Fails, naming the setting and the fix, unless the broker stamps the topic's records. */
    static void checkLogAppendTime(Admin admin, String topic) {
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        String type;
        try {
            ConfigEntry entry = admin.describeConfigs(List.of(resource)).all().get()
                    .get(resource).get(TIMESTAMP_TYPE);
            type = entry == null ? null : entry.value();
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot describe the configuration of topic "
                    + topic + ": " + e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted describing topic " + topic, e);
        }
        if (!LOG_APPEND_TIME.equals(type)) {
            throw new IllegalStateException("topic " + topic + " has " + TIMESTAMP_TYPE + "="
                    + type + "; the detector's window needs " + LOG_APPEND_TIME + " (arrival "
                    + "as the broker stamps it, not each ingestor's clock): kafka-configs "
                    + "--alter --entity-type topics --entity-name " + topic + " --add-config "
                    + TIMESTAMP_TYPE + "=" + LOG_APPEND_TIME);
        }
    }

    /**
     * The topics to create, with a missing feeds or feed-state topic given the partition count
     * of the other when that one exists already (created by an older version or by hand).
     */
    private static List<NewTopic> matchFeedPartitions(Admin admin, List<NewTopic> topics) {
        Set<String> existing;
        try {
            existing = admin.listTopics().names().get();
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot list topics: " + e.getCause().getMessage(),
                    e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted listing topics", e);
        }
        boolean feeds = existing.contains(Topics.FEEDS);
        boolean states = existing.contains(Topics.FEED_STATE);
        if (feeds == states) {
            return topics;
        }
        int count = partitions(admin, feeds ? Topics.FEEDS : Topics.FEED_STATE);
        String missing = feeds ? Topics.FEED_STATE : Topics.FEEDS;
        List<NewTopic> out = new ArrayList<>();
        for (NewTopic t : topics) {
            out.add(!t.name().equals(missing) ? t : new NewTopic(t.name(), count,
                    t.replicationFactor()).configs(t.configs()));
        }
        return out;
    }

    /** Describes a topic, waiting a little for a just-created topic's metadata to spread. */
    private static TopicDescription describe(Admin admin, String topic)
            throws InterruptedException, ExecutionException {
        long deadline = System.nanoTime() + METADATA_WAIT.toNanos();
        while (true) {
            try {
                return admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException)
                        || System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(100);
            }
        }
    }

    /** Fails, naming both topics and their counts, unless they have as many partitions. */
    static void checkSamePartitions(Admin admin, String registry, String state) {
        int feeds = partitions(admin, registry);
        int states = partitions(admin, state);
        if (feeds != states) {
            throw new IllegalStateException("topic " + registry + " has " + feeds
                    + " partitions but " + state + " has " + states + "; they must be equal (an"
                    + " ingestor reads a feed's state from the " + state + " partition numbered"
                    + " like its " + registry + " partition): add partitions to the smaller one"
                    + " with kafka-topics --alter");
        }
    }

    private static int partitions(Admin admin, String topic) {
        try {
            return describe(admin, topic).partitions().size();
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot describe topic " + topic + ": "
                    + e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted describing topic " + topic, e);
        }
    }

    private static void checkSinglePartition(Admin admin, String topic) {
        int n = partitions(admin, topic);
        if (n != 1) {
            throw new IllegalStateException("topic " + topic + " has " + n
                    + " partitions; the detector needs exactly one " + (topic.equals(
                            Topics.ARTICLES) ? "(its output depends on one order of articles)"
                            : "(it reads its checkpoint from partition 0)"));
        }
    }
}
