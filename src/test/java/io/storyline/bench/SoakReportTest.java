package io.storyline.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntToLongFunction;
import org.junit.jupiter.api.Test;

class SoakReportTest {

    private static final long MB = 1 << 20;
    private static final SoakReport.Setup SETUP = new SoakReport.Setup(30, 100, 50, 30, 5,
            50_000, 50_000, 2, 2048 * MB);

    /** {@code n} minutes, heap and postings from the functions, threads and fds given. */
    private static SoakReport report(int n, IntToLongFunction heapMb,
            IntToLongFunction postings, int threadsAtEnd, long filesAtEnd) {
        List<SoakReport.Minute> minutes = new ArrayList<>();
        for (int m = 1; m <= n; m++) {
            minutes.add(new SoakReport.Minute(m, 6_000L * m, 6_000, 500, 6_000L * m, 4_000,
                    Math.min(50_000, 6_000 * m), postings.applyAsLong(m),
                    postings.applyAsLong(m) * 5 / 4, 90_000, 150_000, 50_000,
                    heapMb.applyAsLong(m) * MB, 300,
                    new PipelineReport.Latency(6_000, 2_500_000, 4_900_000, 5_200_000,
                            6_000_000), 0, 900_000, m == n ? threadsAtEnd : 170,
                    m == n ? filesAtEnd : 212, 1.5));
        }
        return new SoakReport(SETUP, minutes, null);
    }

    @Test
    void comparesMinutesTwentyToThirtyWithMinuteFifteen() {
        // Minute 15 is the reference: 400 MB; 20-30 stay within 380-420 MB (5 %).
        SoakReport r = report(30, m -> m < 15 ? 100 + 20 * m : m == 15 ? 400 : 381 + m,
                m -> 700_000, 170, 212);
        SoakReport.Verdict v = r.verdict();
        assertEquals(15, v.reference());
        assertEquals(20, v.from());
        assertEquals(30, v.to());
        assertEquals(new SoakReport.Spread(400 * MB, 401 * MB, 411 * MB, 411 * MB), v.heap());
        assertTrue(v.heapStable());
        assertTrue(v.indexStable());
        assertEquals(0, v.threads().growth());
        assertTrue(v.stable(), r::format);
        assertTrue(r.verdictText().contains("verdict: stable"), r::verdictText);
        assertTrue(r.verdictText().contains("window full (50,000 articles): from minute 9"),
                r::verdictText);
    }

    @Test
    void heapGrowingPastFivePercentIsNotStable() {
        // 421 MB at minute 30 is 5.25 % above minute 15's 400 MB.
        SoakReport r = report(30, m -> m == 30 ? 421 : 400, m -> 700_000, 170, 212);
        assertFalse(r.verdict().heapStable());
        assertTrue(r.verdict().indexStable());
        assertFalse(r.verdict().stable());
        assertTrue(r.verdictText().contains("heap after GC (MB)       400 at minute 15; "
                + "400-421 (+0.0 % .. +5.3 %): OUTSIDE"), r::verdictText);
        assertTrue(r.verdictText().contains("verdict: NOT stable"), r::verdictText);
    }

    @Test
    void indexShrinkingPastFivePercentIsNotStable() {
        SoakReport r = report(30, m -> 400, m -> m == 25 ? 660_000 : 700_000, 170, 212);
        assertFalse(r.verdict().indexStable());
        assertFalse(r.verdict().stable());
    }

    @Test
    void oneMoreThreadOrFileAtTheEndIsGrowth() {
        assertEquals(1, report(30, m -> 400, m -> 1, 171, 212).verdict().threads().growth());
        assertFalse(report(30, m -> 400, m -> 1, 171, 212).verdict().stable());
        SoakReport files = report(30, m -> 400, m -> 1, 170, 215);
        assertEquals(3, files.verdict().files().growth());
        assertTrue(files.verdictText().contains("open file descriptors    212 at minute 15; "
                + "212-215, last 215 (+3): GREW"), files::verdictText);
        assertTrue(report(30, m -> 400, m -> 1, 169, 200).verdict().stable());
    }

    @Test
    void shortSoaksScaleTheMinutesAndTheShortestGetNoVerdict() {
        SoakReport.Verdict three = report(3, m -> 400, m -> 1, 170, 212).verdict();
        assertEquals(List.of(1, 2, 3), List.of(three.reference(), three.from(), three.to()));
        SoakReport.Verdict ten = report(10, m -> 400, m -> 1, 170, 212).verdict();
        assertEquals(List.of(5, 7, 10), List.of(ten.reference(), ten.from(), ten.to()));
        SoakReport two = report(2, m -> 400, m -> 1, 170, 212);
        assertNull(two.verdict());
        assertTrue(two.verdictText().contains("no verdict on fewer than 3 minutes"));
    }

    @Test
    void printsOneRowPerMinuteUnderTheHeader() {
        String text = report(3, m -> 400, m -> 700_000, 170, 212).format();
        List<String> lines = text.lines().toList();
        assertEquals(SoakReport.header(), lines.get(2));
        assertEquals("  1     6,000  6,000   500     6,000  4,000  6,000   700,000   875,000  "
                + "90,000 150,000  50,000    400   300   2500   5200    900     0  170  212   "
                + "1.5", lines.get(3));
        assertTrue(lines.get(5).startsWith("  3    18,000"), text);
    }
}
