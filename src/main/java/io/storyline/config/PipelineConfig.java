package io.storyline.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;

/**
 * Settings of the Kafka side: where the cluster is (or where the embedded broker keeps its
 * data), how the topics are created, and the detector's consume-process-produce loop.
 * Every other {@code kafka.*} key is handed to the Kafka clients as it is, prefix removed
 * ({@code kafka.security.protocol=SASL_SSL}, {@code kafka.sasl.jaas.config=...}).
 *
 * @param bootstrapServers   an external cluster, or null to start the embedded broker
 * @param dataDir            the embedded broker's log directory
 * @param port               the embedded broker's port (0: chosen once, kept in the directory)
 * @param clientProperties   pass-through client settings
 * @param replicationFactor  replication factor of the topics Storyline creates
 * @param minInsyncReplicas  {@code min.insync.replicas} of those topics (capped by the factor)
 * @param partitions         partitions of the feeds, feed-state and output topics
 * @param articlesRetention  how long {@code storyline.articles} keeps articles
 * @param storiesRetention   how long a story nobody updates stays in {@code storyline.stories}
 * @param assignmentsRetention how long {@code storyline.assignments} keeps assignments
 * @param detectorBatch      most articles per detector transaction
 * @param sessionTimeout     how long a silent detector or ingestor keeps its partitions
 * @param maxDeadLetters     most records of {@code storyline.articles} the detector may set
 *                           aside as dead letters before it stops (a systematic failure)
 * @param maxAbortBackoff    longest pause of the detector after transactions aborted in a row
 * @param allowTruncatedReplay whether a takeover may go on when articles it had not
 *                           processed were deleted, or its replay meets a hole in the log
 * @param requireHistory     whether a takeover stops when retention deleted the log's
 *                           beginning (its replayed state cannot then be exact)
 * @param acceptEngineChange whether a detector may continue output another engine
 *                           configuration made
 * @param digestsRetention   how long {@code storyline.digests} keeps a digest's record
 * @param checkpointArticles the detector checkpoints its state after this many articles
 *                           (0: never)
 * @param checkpointInterval ... or after this long, when articles came since the last one
 */
public record PipelineConfig(
        String bootstrapServers,
        Path dataDir,
        int port,
        Map<String, String> clientProperties,
        short replicationFactor,
        int minInsyncReplicas,
        int partitions,
        Duration articlesRetention,
        Duration storiesRetention,
        Duration assignmentsRetention,
        int detectorBatch,
        Duration sessionTimeout,
        int maxDeadLetters,
        Duration maxAbortBackoff,
        boolean allowTruncatedReplay,
        boolean requireHistory,
        boolean acceptEngineChange,
        Duration digestsRetention,
        int checkpointArticles,
        Duration checkpointInterval) {

    private static final Set<String> OWNED = Set.of("kafka.bootstrap.servers",
            "kafka.data-dir", "kafka.port");

    public PipelineConfig {
        clientProperties = Map.copyOf(clientProperties);
    }

    public static PipelineConfig defaults() {
        return from(Settings.of(Map.of(), "defaults", w -> { }));
    }

    /** Reads the {@code kafka.*}, {@code topics.*} and {@code detector.*} keys. */
    public static PipelineConfig from(Settings s) {
        String bootstrap = s.string("kafka.bootstrap.servers", null);
        int replication = s.integer("topics.replication-factor", 1, 1, 16);
        int minInsync = s.integer("topics.min-insync-replicas", 1, 1, 16);
        if (minInsync > replication) {
            s.warn("topics.min-insync-replicas", "is " + minInsync + ", above the replication "
                    + "factor " + replication + "; using " + replication);
            minInsync = replication;
        }
        double articlesHours = s.decimal("topics.articles.retention.hours", 168, 1, 24 * 3650);
        return new PipelineConfig(
                bootstrap,
                Path.of(s.string("kafka.data-dir", "data/kafka")),
                s.integer("kafka.port", 0, 0, 65535),
                s.passThrough("kafka.", OWNED),
                (short) replication,
                minInsync,
                s.integer("topics.partitions", 3, 1, 1024),
                Duration.ofMinutes(Math.round(articlesHours * 60)),
                Duration.ofDays(s.integer("topics.stories.retention.days", 14, 1, 3650)),
                Duration.ofDays(s.integer("topics.assignments.retention.days", 14, 1, 3650)),
                s.integer("detector.batch", 500, 1, 100_000),
                Duration.ofMillis(s.integer("detector.session-timeout.ms", 10_000, 6_000,
                        300_000)),
                s.integer("detector.max-dead-letters", 1000, 0, 1_000_000),
                Duration.ofMillis(s.integer("detector.abort-backoff.max.ms", 30_000, 100,
                        600_000)),
                s.flag("detector.replay.allow-truncated", false),
                s.flag("detector.replay.require-history", false),
                s.flag("detector.accept-engine-change", false),
                Duration.ofDays(s.integer("topics.digests.retention.days", 35, 2, 3650)),
                s.integer("detector.checkpoint.articles", 20_000, 0, 100_000_000),
                Duration.ofMinutes(s.integer("detector.checkpoint.minutes", 60, 1,
                        7 * 24 * 60)));
    }

    /** Whether Storyline starts its own broker (no external cluster configured). */
    public boolean embedded() {
        return bootstrapServers == null;
    }
}
