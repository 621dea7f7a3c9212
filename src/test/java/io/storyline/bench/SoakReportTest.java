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

    /**
     * {@code n} minutes, heap and postings from the functions; 170 threads and 212 files up
     * to the reference minute (n / 2), then those given.
     */
    private static SoakReport report(int n, IntToLongFunction heapMb,
            IntToLongFunction postings, int threadsLater, long filesLater) {
        List<SoakReport.Minute> minutes = new ArrayList<>();
        for (int m = 1; m <= n; m++) {
            minutes.add(new SoakReport.Minute(m, 6_000L * m, 6_000, 500, 6_000L * m, 4_000,
                    Math.min(50_000, 6_000 * m), postings.applyAsLong(m),
                    postings.applyAsLong(m) * 5 / 4, 90_000, 150_000, 50_000,
                    heapMb.applyAsLong(m) * MB, 300,
                    new PipelineReport.Latency(6_000, 2_500_000, 4_900_000, 5_200_000,
                            6_000_000), 0, 900_000, m > n / 2 ? threadsLater : 170,
                    m > n / 2 ? filesLater : 212, 1.5));
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
    void minutesWithoutAConfirmedFullCollectionAreLeftOut() {
        // -1: System.gc() returned without a full collection; 999 MB would be outside.
        SoakReport r = report(30, m -> m == 25 ? -1 : 400, m -> 700_000, 170, 212);
        assertEquals(new SoakReport.Spread(400 * MB, 400 * MB, 400 * MB, 400 * MB),
                r.verdict().heap());
        assertTrue(r.verdict().heapStable());
        assertFalse(report(30, m -> m == 15 ? -1 : 400, m -> 1, 170, 212).verdict()
                .heapStable());
    }

    @Test
    void indexShrinkingPastFivePercentIsNotStable() {
        SoakReport r = report(30, m -> 400, m -> m == 25 ? 660_000 : 700_000, 170, 212);
        assertFalse(r.verdict().indexStable());
        assertFalse(r.verdict().stable());
    }

    @Test
    void oneMoreThreadOrFileInEveryLaterMinuteIsGrowth() {
        assertEquals(1, report(30, m -> 400, m -> 1, 171, 212).verdict().threads().growth());
        assertFalse(report(30, m -> 400, m -> 1, 171, 212).verdict().stable());
        SoakReport files = report(30, m -> 400, m -> 1, 170, 215);
        assertEquals(3, files.verdict().files().growth());
        assertTrue(files.verdictText().contains("open file descriptors    212 up to minute 15; "
                + "215-215, last 215 (lowest +3): GREW"), files::verdictText);
        assertTrue(report(30, m -> 400, m -> 1, 169, 200).verdict().stable());
    }

    @Test
    void countsCompareWithTheHighestOfTheFiveMinutesUpToTheReference() {
        List<SoakReport.Minute> minutes = new ArrayList<>(report(30, m -> 400, m -> 1, 175,
                214).minutes());
        SoakReport.Minute m12 = minutes.get(11);
        minutes.set(11, new SoakReport.Minute(12, m12.articlesIn(), 0, 0, 0, 0, 0, 0, 0, 0, 0,
                0, 400 * MB, 0, m12.latency(), 0, 0, 176, 214, 0));
        SoakReport.Verdict v = new SoakReport(SETUP, minutes, null).verdict();
        assertEquals(new SoakReport.Spread(176, 175, 175, 175), v.threads());
        assertEquals(-1, v.threads().growth());
        assertEquals(0, v.files().growth());
        assertTrue(v.stable());
        // Minute 9 is before the baseline (10-15): its peak does not count.
        minutes.set(8, new SoakReport.Minute(9, m12.articlesIn(), 0, 0, 0, 0, 0, 0, 0, 0, 0,
                0, 400 * MB, 0, m12.latency(), 0, 0, 300, 300, 0));
        assertEquals(-1, new SoakReport(SETUP, minutes, null).verdict().threads().growth());
    }

    @Test
    void aPoolsWorkersComingAndGoingAreNoGrowth() {
        List<SoakReport.Minute> minutes = new ArrayList<>(report(30, m -> 400, m -> 1, 170,
                212).minutes());
        SoakReport.Minute m29 = minutes.get(28);
        minutes.set(29, new SoakReport.Minute(30, m29.articlesIn(), 0, 0, 0, 0, 0, 0, 0, 0, 0,
                0, 400 * MB, 0, m29.latency(), 0, 0, 194, 230, 0));
        SoakReport.Verdict v = new SoakReport(SETUP, minutes, null).verdict();
        assertEquals(new SoakReport.Spread(170, 170, 194, 194), v.threads());
        assertEquals(0, v.threads().growth());
        assertEquals(0, v.files().growth());
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
