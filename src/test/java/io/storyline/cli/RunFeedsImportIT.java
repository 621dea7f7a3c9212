package io.storyline.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.storyline.config.PipelineConfig;
import io.storyline.config.Settings;
import io.storyline.ingest.FeedSpec;
import io.storyline.pipeline.FeedRegistry;
import io.storyline.pipeline.KafkaCluster;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What {@code run} does with {@code --feeds} at start, against a fresh embedded broker. */
class RunFeedsImportIT {

    private static final Path SHIPPED = Path.of("config", "feeds.opml");
    private static final String REMOVED = "file:seeds/feeds/le-veilleur.atom.xml";

    @TempDir
    Path dir;

    @Test
    void theFeedsFileListsFeedsOnFirstStartOnlySoARemovedFeedStaysRemoved() {
        PipelineConfig config = PipelineConfig.from(Settings.of(Map.of(
                "kafka.data-dir", dir.resolve("kafka").toString()), "test", w -> { }));
        StringWriter err = new StringWriter();
        try (KafkaCluster cluster = KafkaCluster.open(config);
                FeedRegistry registry = new FeedRegistry(cluster.clientProperties())) {
            assertTrue(registry.isNew());
            assertEquals(9, RunCommand.importFeeds(cluster, SHIPPED, new PrintWriter(err)));
            assertFalse(registry.isNew());
            assertTrue(registry.remove(REMOVED));

            assertEquals(0, RunCommand.importFeeds(cluster, SHIPPED, new PrintWriter(err)));

            List<String> urls = registry.list().stream().map(FeedSpec::url).toList();
            assertEquals(8, urls.size(), urls::toString);
            assertFalse(urls.contains(REMOVED), urls::toString);

            // Emptied by removals, the registry is still not new: nothing comes back.
            urls.forEach(registry::remove);
            assertFalse(registry.isNew());
            assertEquals(0, RunCommand.importFeeds(cluster, SHIPPED, new PrintWriter(err)));
            assertEquals(List.of(), registry.list());
        }
        assertEquals("", err.toString());
    }
}
