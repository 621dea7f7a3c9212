package io.storyline.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.storyline.config.EngineConfig;
import io.storyline.config.IngestConfig;
import io.storyline.config.PipelineConfig;
import io.storyline.config.Settings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A tiny load run end to end: behaviour only, never a timing threshold. */
class PipelineBenchIT {

    @TempDir
    Path dir;

    private static PipelineConfig pipeline() {
        return PipelineConfig.from(Settings.of(Map.of("detector.session-timeout.ms", "6000"),
                "test", w -> { }));
    }

    private static PipelineBench bench(PipelineBench.Settings settings, List<String> progress) {
        return new PipelineBench(settings, pipeline(), IngestConfig.defaults(),
                EngineConfig.defaults(), progress::add);
    }

    @Test
    void everyArticleIsAssignedOnceAndTheLatencyIsMeasured() {
        List<String> progress = new ArrayList<>();
        PipelineReport report = bench(new PipelineBench.Settings(50, 5, Duration.ofSeconds(5),
                Duration.ofSeconds(1), 10, 2, dir.resolve("kafka")), progress).run();

        assertEquals(250, report.backlog().articles());
        assertTrue(report.drained(), report::format);
        PipelineReport.Totals totals = report.totals();
        assertTrue(totals.serverEntries() > 250, "the server added entries");
        assertEquals(totals.serverEntries(), totals.published(), report::format);
        assertEquals(totals.serverEntries(), totals.assigned(), report::format);
        assertEquals(0, totals.repeated());
        assertEquals(0, totals.problems());
        assertEquals(totals.assigned(), totals.verdicts().values().stream()
                .mapToLong(Long::longValue).sum());
        assertTrue(totals.verdicts().containsKey("new_story"), totals.verdicts()::toString);
        assertTrue(totals.peakHeapBytes() > 0);

        PipelineReport.Steady steady = report.steady();
        assertTrue(steady.newEntries() > 0 && steady.polls() > 0 && steady.notModified() > 0,
                report::format);
        PipelineReport.Latency latency = steady.latency();
        assertTrue(latency.count() > 0, report::format);
        assertTrue(latency.p50() > 0 && latency.p50() <= latency.p95()
                && latency.p95() <= latency.p99() && latency.p99() <= latency.max(),
                latency::toString);
        PipelineReport.Stages stages = steady.stages();
        assertTrue(stages.fetchToArticle().count() > 0, report::format);
        assertTrue(stages.assignmentToRead().p50() > 0, report::format);
        assertTrue(report.format().contains("fetch-to-assignment latency"));
        assertTrue(progress.stream().anyMatch(l -> l.startsWith("backlog: 250 articles")),
                progress::toString);
    }

    @Test
    void refusesADirectoryInUse() throws Exception {
        Files.writeString(dir.resolve("something"), "x");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> bench(new PipelineBench.Settings(1, 1, Duration.ZERO,
                        Duration.ofSeconds(1), 0, 1, dir), new ArrayList<>()).run());
        assertEquals("bench data directory " + dir + " is not empty: the bench needs a fresh "
                + "broker", e.getMessage());
    }
}
