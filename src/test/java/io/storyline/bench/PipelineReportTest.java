package io.storyline.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** Percentiles by nearest rank, and the printed form. */
class PipelineReportTest {

    @Test
    void percentilesAreNearestRank() {
        long[] sorted = new long[200];
        for (int i = 0; i < sorted.length; i++) {
            sorted[i] = i + 1;
        }
        assertEquals(new PipelineReport.Latency(200, 100, 190, 198, 200),
                PipelineReport.Latency.of(sorted));
        assertEquals(new PipelineReport.Latency(1, 7, 7, 7, 7),
                PipelineReport.Latency.of(new long[] {7}));
        assertEquals(new PipelineReport.Latency(0, 0, 0, 0, 0),
                PipelineReport.Latency.of(new long[0]));
    }

    @Test
    void printsRatesAndLatencies() {
        PipelineReport report = new PipelineReport(
                new PipelineReport.Setup(10_000, 20, 30, 20, 32, 500, 2, 6L << 30), 4.5,
                new PipelineReport.Backlog(10_000, 200_000, 20, 25, 40, 70, 1.5),
                new PipelineReport.Steady(90, 30_000, 29_000, 1_800, 1_790, 1_790,
                        new PipelineReport.Latency(1_790, 40_000, 90_000, 250_000, 600_000),
                        new PipelineReport.Stages(
                                new PipelineReport.Latency(1_790, 5_000, 0, 20_000, 0),
                                new PipelineReport.Latency(1_790, 15_000, 0, 80_000, 0),
                                new PipelineReport.Latency(1_790, 20_000, 0, 150_000, 0)),
                        80, 2.0),
                3.2, true, new PipelineReport.Totals(1L << 30, 40, 1.5, 0, 40_000, 201_800,
                        201_800, 201_800, 0, Map.of("new_story", 1L)));
        String text = report.format();
        assertTrue(text.contains("every feed fetched once                        20.0 s"
                + "        500 feeds/s"), text);
        assertTrue(text.contains("articles assigned                             1,790"
                + "       19.9 articles/s"), text);
        assertTrue(text.contains("feed polls                                   30,000"
                + "     20,000 /min (304: 96.7 %)"), text);
        assertTrue(text.contains("p50 40.0 ms   p95 90.0 ms   p99 250.0 ms   max 600.0 ms"),
                text);
        assertTrue(text.contains("transaction committed, read back            20.0 ms / "
                + "150.0 ms"), text);
        assertTrue(text.contains("feeds fetched per minute with conditional GET: met"), text);
        assertTrue(text.contains("at steady state: met (250.0 ms)"), text);
    }
}
