package io.storyline.pipeline;

import static io.storyline.pipeline.IngestTestKit.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.storyline.config.PipelineConfig;
import io.storyline.config.Settings;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ingestors rebalance cooperatively and as static members: an instance that joins takes
 * partitions from the running one without it giving up the partitions it keeps (eager
 * rebalancing revoked them all, every poll under way waited for and every state reloaded),
 * and an instance restarted with the same {@code ingest.instance-id} gets its partitions back
 * without moving any other instance's.
 */
class IngestorRebalanceIT {

    private static final int PARTITIONS = 4;
    private static final Duration PATIENCE = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    @Test
    void aJoiningInstanceTakesOnlyWhatMovesAndARestartMovesNothing() throws Exception {
        try (KafkaCluster cluster = KafkaCluster.open(PipelineConfig.from(Settings.of(Map.of(
                "kafka.data-dir", dir.resolve("kafka").toString(),
                "topics.partitions", Integer.toString(PARTITIONS)), "test", w -> { })))) {
            Map<String, Object> client = cluster.clientProperties();
            Ingestor a = ingestor(client, "ingestor-a");
            Thread loopA = IngestTestKit.start(a, "ingestor-a");
            try {
                await("ingestor-a owns every partition", PATIENCE,
                        () -> a.ownedPartitions().size() == PARTITIONS, () -> "");

                Ingestor b = ingestor(client, "ingestor-b");
                Thread loopB = IngestTestKit.start(b, "ingestor-b");
                await("the two split the partitions", PATIENCE,
                        () -> split(a, b), () -> " (a " + a.ownedPartitions() + ", b "
                                + b.ownedPartitions() + ")");
                Set<Integer> ofB = b.ownedPartitions();
                Set<Integer> ofA = a.ownedPartitions();
                assertEquals(ofB.size(), a.partitionsGivenUp(),
                        "ingestor-a gave up only the partitions that moved to ingestor-b");

                // Static membership: b leaves without leaving the group and comes back.
                b.close();
                loopB.join(Duration.ofSeconds(30).toMillis());
                Ingestor again = ingestor(client, "ingestor-b");
                Thread loopAgain = IngestTestKit.start(again, "ingestor-b again");
                try {
                    await("ingestor-b is back", PATIENCE,
                            () -> again.ownedPartitions().size() == ofB.size(), () -> "");
                    assertEquals(ofB, again.ownedPartitions(), "the same partitions");
                    assertEquals(ofA, a.ownedPartitions(), "ingestor-a kept its own");
                    assertEquals(ofB.size(), a.partitionsGivenUp(), "nothing else moved");
                } finally {
                    again.close();
                    loopAgain.join(Duration.ofSeconds(30).toMillis());
                }
            } finally {
                a.close();
                loopA.join(Duration.ofSeconds(30).toMillis());
            }
        }
    }

    /**
     * A static member that stops without coming back keeps its feeds only for its session
     * timeout ({@code ingest.session-timeout.ms}, here 6 s, the broker's minimum): then the
     * others poll them. Kafka's default (45 s) would miss the 20 s this test waits.
     */
    @Test
    void aStaticMemberThatDoesNotComeBackLosesItsFeedsAfterItsSessionTimeout() throws Exception {
        try (KafkaCluster cluster = KafkaCluster.open(PipelineConfig.from(Settings.of(Map.of(
                "kafka.data-dir", dir.resolve("kafka").toString(),
                "topics.partitions", Integer.toString(PARTITIONS)), "test", w -> { })))) {
            Map<String, Object> client = cluster.clientProperties();
            Ingestor a = ingestor(client, "ingestor-a", "6000");
            Thread loopA = IngestTestKit.start(a, "ingestor-a");
            try {
                Ingestor b = ingestor(client, "ingestor-b", "6000");
                Thread loopB = IngestTestKit.start(b, "ingestor-b");
                await("the two split the partitions", PATIENCE,
                        () -> split(a, b), () -> " (a " + a.ownedPartitions() + ", b "
                                + b.ownedPartitions() + ")");
                b.close(); // a static member's close does not leave the group
                loopB.join(Duration.ofSeconds(30).toMillis());
                await("ingestor-a owns every partition again", Duration.ofSeconds(20),
                        () -> a.ownedPartitions().size() == PARTITIONS,
                        () -> " (a " + a.ownedPartitions() + ")");
            } finally {
                a.close();
                loopA.join(Duration.ofSeconds(30).toMillis());
            }
        }
    }

    private static boolean split(Ingestor a, Ingestor b) {
        Set<Integer> all = new HashSet<>(a.ownedPartitions());
        all.addAll(b.ownedPartitions());
        return !a.ownedPartitions().isEmpty() && !b.ownedPartitions().isEmpty()
                && all.size() == PARTITIONS
                && a.ownedPartitions().size() + b.ownedPartitions().size() == PARTITIONS;
    }

    private static Ingestor ingestor(Map<String, Object> client, String name) {
        return new Ingestor(client, IngestTestKit.ingestConfig(Map.of("ingest.user-agent",
                name, "ingest.instance-id", name)), Clock.systemUTC());
    }

    private static Ingestor ingestor(Map<String, Object> client, String name,
            String sessionTimeoutMs) {
        return new Ingestor(client, IngestTestKit.ingestConfig(Map.of("ingest.user-agent",
                name, "ingest.instance-id", name, "ingest.session-timeout.ms",
                sessionTimeoutMs)), Clock.systemUTC());
    }
}
