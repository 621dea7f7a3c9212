package io.storyline.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.storyline.config.EngineConfig;
import io.storyline.config.IngestConfig;
import io.storyline.config.PipelineConfig;
import io.storyline.config.ServeConfig;
import io.storyline.config.Settings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A soak of three 4-second "minutes": the rows and their figures, never a timing threshold. */
class SoakBenchIT {

    @TempDir
    Path dir;

    @Test
    void printsARowPerMinuteWithTheWholeRunsFigures() {
        Settings s = Settings.of(Map.of("detector.session-timeout.ms", "6000",
                "window.max-articles", "100", "serve.port", "0"), "test", w -> { });
        List<String> rows = new ArrayList<>();
        SoakReport report = new SoakBench(new SoakBench.Settings(3, 10, 5, 20,
                Duration.ofSeconds(1), Duration.ofSeconds(4), dir.resolve("kafka")),
                PipelineConfig.from(s), IngestConfig.defaults(), EngineConfig.from(s),
                ServeConfig.from(s), line -> { }, rows::add).run();

        assertNull(report.stopped(), report::format);
        assertEquals(3, report.minutes().size(), report::format);
        assertEquals(SoakReport.header(), rows.get(0));
        assertEquals(4, rows.size());
        SoakReport.Minute previous = null;
        for (SoakReport.Minute m : report.minutes()) {
            assertEquals(SoakReport.row(m), rows.get(m.minute()));
            assertTrue(m.window() <= 100, report::format);
            assertTrue(m.postings() <= m.postingsHeld(), report::format);
            assertTrue(m.heapAfterGc() > 0 && m.threads() > 0 && m.files() > 0,
                    report::format);
            assertTrue(m.latency().p50() <= m.latency().p99(), report::format);
            if (previous != null) {
                assertTrue(m.articlesIn() >= previous.articlesIn(), report::format);
                assertEquals(m.articlesIn() - previous.articlesIn(), m.inMinute());
                assertTrue(m.assigned() >= previous.assigned(), report::format);
            }
            previous = m;
        }
        assertTrue(report.verdictText().contains("stability, minutes 2-3 against minute 1"),
                report::verdictText);
    }
}
