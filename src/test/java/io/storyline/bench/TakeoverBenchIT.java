package io.storyline.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.storyline.config.EngineConfig;
import io.storyline.config.PipelineConfig;
import io.storyline.config.Settings;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A tiny takeover bench end to end: behaviour only, never a timing threshold. */
class TakeoverBenchIT {

    @Test
    void theFirstTakeoverRestoresACheckpointAndTheSecondReplays() throws Exception {
        PipelineConfig pipeline = PipelineConfig.from(Settings.of(Map.of(
                "detector.session-timeout.ms", "6000", "detector.checkpoint.articles", "500"),
                "test", w -> { }));
        List<String> progress = new ArrayList<>();
        TakeoverBench.Report report = new TakeoverBench(2_000, 0.3, 7, pipeline,
                EngineConfig.defaults(), progress::add).run();

        assertEquals(2_000, report.articles());
        assertTrue(report.checkpoints() >= 2, report.format()); // the first, then per 500
        assertTrue(report.bytes() > 0, report.format());
        assertTrue(report.restoredBytes() > 0, "restored a checkpoint: " + report.format());
        assertEquals(0, report.fullReplayRestoredBytes(), "replayed: " + report.format());
        assertTrue(report.format().contains("bytes written per article"), report.format());
    }
}
