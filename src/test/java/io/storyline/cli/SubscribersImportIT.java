package io.storyline.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.storyline.config.DigestConfig;
import io.storyline.config.PipelineConfig;
import io.storyline.config.Settings;
import io.storyline.digest.SubscriberRegistry;
import io.storyline.pipeline.KafkaCluster;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The subscribers file goes into storyline.subscribers as the feeds file goes into the feed
 * registry: on first start only, so a removed subscriber stays removed; {@code digest
 * --import} adds the missing ones later.
 */
class SubscribersImportIT {

    private static final Path SHIPPED = Path.of("config", "digests.yaml");
    private static final String REMOVED = "nightdesk@example.org";

    @TempDir
    Path dir;

    @Test
    void theFileListsSubscribersOnFirstStartOnlyAndImportAddsTheMissingOnes() {
        PipelineConfig config = PipelineConfig.from(Settings.of(Map.of(
                "kafka.data-dir", dir.resolve("kafka").toString()), "test", w -> { }));
        Dashboard.Digests digests = new Dashboard.Digests(DigestConfig.defaults(), SHIPPED,
                false);
        try (KafkaCluster cluster = KafkaCluster.open(config);
                SubscriberRegistry registry = new SubscriberRegistry(cluster.clientProperties(),
                        Clock.systemUTC())) {
            assertTrue(registry.isNew());
            assertEquals(2, Dashboard.importSubscribers(cluster, digests));
            assertTrue(registry.remove(REMOVED));
            assertEquals(0, Dashboard.importSubscribers(cluster, digests));
            assertEquals(1, registry.list().size());
            assertFalse(registry.list().containsKey(REMOVED));
            // A default file that is not there is no error; nothing is imported.
            assertEquals(0, Dashboard.importSubscribers(cluster, new Dashboard.Digests(
                    DigestConfig.defaults(), dir.resolve("none.yaml"), false)));

            StringWriter out = new StringWriter();
            CommandLineRun run = new CommandLineRun(out);
            assertEquals(0, run.execute("digest", "--bootstrap-servers",
                    cluster.bootstrapServers(), "--import", SHIPPED.toString()));
            assertEquals("imported " + SHIPPED + ": 1 added, 1 already listed",
                    out.toString().strip().split("\\R")[0]);
            assertTrue(registry.list().containsKey(REMOVED));
        }
    }

    /** The command line with its output captured. */
    private record CommandLineRun(StringWriter out) {
        int execute(String... args) {
            picocli.CommandLine cli = Main.commandLine();
            cli.setOut(new PrintWriter(out, true));
            cli.setErr(new PrintWriter(out, true));
            return cli.execute(args);
        }
    }
}
