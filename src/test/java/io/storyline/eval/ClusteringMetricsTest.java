package io.storyline.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Checks the metrics against hand-worked examples; expected values were also cross-checked
 * with brute-force pair loops and exact fractions in Python.
 */
class ClusteringMetricsTest {

    private static final double EPS = 1e-9;

    /** Gold: {a,b,c} {d,e} {f}. */
    private static final Map<String, String> SIX_GOLD = Map.of(
            "a", "A", "b", "A", "c", "A", "d", "B", "e", "B", "f", "C");

    @Test
    void perfectClusteringScoresOneEverywhereEvenWithRenamedLabels() {
        Map<String, String> predicted = Map.of(
                "a", "x", "b", "x", "c", "x", "d", "y", "e", "y", "f", "z");
        ClusteringScores s = ClusteringMetrics.score(SIX_GOLD, predicted);
        assertCounts(s, 6, 3, 3);
        assertScores(s, 1, 1, 1, 1, 1, 1, 1, 1);
    }

    @Test
    void sixItemExampleMatchesHandComputation() {
        // Predicted: {a,b} {c,d,e,f}.
        Map<String, String> predicted = Map.of(
                "a", "X", "b", "X", "c", "Y", "d", "Y", "e", "Y", "f", "Y");
        ClusteringScores s = ClusteringMetrics.score(SIX_GOLD, predicted);
        assertCounts(s, 6, 3, 2);
        // BCubed P = (1 + 1 + 1/4 + 2/4 + 2/4 + 1/4) / 6 = 7/12,
        // R = (2/3 + 2/3 + 1/3 + 1 + 1 + 1) / 6 = 7/9.
        // Pairs: TP = {ab, de} = 2, same-pred = 1 + 6 = 7, same-gold = 3 + 1 = 4.
        // ARI = (2 - 4*7/15) / ((4+7)/2 - 4*7/15) = 4/109.
        // NMI = 2 I / (H(1/2,1/3,1/6) + H(1/3,2/3)).
        assertScores(s, 7.0 / 12, 7.0 / 9, 2.0 / 3, 2.0 / 7, 1.0 / 2, 4.0 / 11,
                0.38625344285713004, 4.0 / 109);
    }

    @Test
    void allInOnePredictedCluster() {
        Map<String, String> predicted = new HashMap<>();
        SIX_GOLD.keySet().forEach(id -> predicted.put(id, "everything"));
        ClusteringScores s = ClusteringMetrics.score(SIX_GOLD, predicted);
        assertCounts(s, 6, 3, 1);
        // BCubed P = (3 * 3/6 + 2 * 2/6 + 1/6) / 6 = 7/18; pairwise P = 4/15.
        assertScores(s, 7.0 / 18, 1, 14.0 / 25, 4.0 / 15, 1, 8.0 / 19, 0, 0);
    }

    @Test
    void allSingletonPredictedClusters() {
        Map<String, String> predicted = new HashMap<>();
        SIX_GOLD.keySet().forEach(id -> predicted.put(id, "own-" + id));
        ClusteringScores s = ClusteringMetrics.score(SIX_GOLD, predicted);
        assertCounts(s, 6, 3, 6);
        // No predicted pairs: pairwise P is defined as 1; BCubed R = (3 * 1/3 + 2 * 1/2 + 1) / 6.
        // NMI = 2 H(gold) / (H(gold) + ln 6).
        assertScores(s, 1, 0.5, 2.0 / 3, 1, 0, 0, 0.7216162598446756, 0);
    }

    @Test
    void missingPredictedIdIsItsOwnSingletonAndExtraIdsAreIgnored() {
        Map<String, String> gold = Map.of("a", "A", "b", "A", "c", "B", "d", "B");
        // "d" is unassigned; "z" is not a gold item, so it must not enlarge cluster X.
        Map<String, String> predicted = Map.of("a", "X", "b", "X", "c", "X", "z", "X");
        ClusteringScores s = ClusteringMetrics.score(gold, predicted);
        assertCounts(s, 4, 2, 2);
        // Predicted {a,b,c} {d}: BCubed P = (2/3 + 2/3 + 1/3 + 1) / 4 = 2/3,
        // R = (1 + 1 + 1/2 + 1/2) / 4 = 3/4; pairs TP = 1, same-pred = 3, same-gold = 2.
        assertScores(s, 2.0 / 3, 3.0 / 4, 12.0 / 17, 1.0 / 3, 1.0 / 2, 2.0 / 5,
                0.3437110184854508, 0);
    }

    @Test
    void missingIdDoesNotMergeWithPredictedLabelNamedLikeIt() {
        Map<String, String> gold = Map.of("a", "A", "b", "B");
        // Unassigned "b" must stay apart even though a predicted label could spell "b".
        ClusteringScores s = ClusteringMetrics.score(gold, Map.of("a", "b"));
        assertCounts(s, 2, 2, 2);
        assertScores(s, 1, 1, 1, 1, 1, 1, 1, 1);
    }

    @Test
    void singleItemIsDegeneratePerfectMatch() {
        ClusteringScores s = ClusteringMetrics.score(Map.of("a", "A"), Map.of());
        assertCounts(s, 1, 1, 1);
        assertScores(s, 1, 1, 1, 1, 1, 1, 1, 1);
    }

    @Test
    void resultDoesNotDependOnMapIterationOrder() {
        Map<String, String> gold = new LinkedHashMap<>();
        Map<String, String> reversedGold = new TreeMap<>(Comparator.reverseOrder());
        Map<String, String> predicted = new HashMap<>();
        for (int i = 0; i < 2000; i++) {
            String id = "item-" + i;
            gold.put(id, "g" + (i % 37));
            reversedGold.put(id, "g" + (i % 37));
            predicted.put(id, "p" + (i * 7 % 53));
        }
        assertEquals(ClusteringMetrics.score(gold, predicted),
                ClusteringMetrics.score(reversedGold, new TreeMap<>(predicted)));
    }

    @Test
    void emptyGoldIsRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ClusteringMetrics.score(Map.of(), Map.of("a", "X")));
        assertEquals("gold is empty", e.getMessage());
    }

    @Test
    void reportShowsCountsAndFourDecimalFigures() {
        Map<String, String> predicted = Map.of(
                "a", "X", "b", "X", "c", "Y", "d", "Y", "e", "Y", "f", "Y");
        String report = ClusteringMetrics.score(SIX_GOLD, predicted).report();
        assertTrue(report.contains("items                     6"), report);
        assertTrue(report.contains("gold stories              3"), report);
        assertTrue(report.contains("predicted stories         2"), report);
        assertTrue(report.contains("BCubed    P 0.5833  R 0.7778  F1 0.6667"), report);
        assertTrue(report.contains("pairwise  P 0.2857  R 0.5000  F1 0.3636"), report);
        assertTrue(report.contains("NMI       0.3863"), report);
        assertTrue(report.contains("ARI       0.0367"), report);
        assertEquals(7, report.lines().count());
    }

    private static void assertCounts(ClusteringScores s, int items, int gold, int predicted) {
        assertEquals(items, s.items(), "items");
        assertEquals(gold, s.goldClusters(), "gold clusters");
        assertEquals(predicted, s.predictedClusters(), "predicted clusters");
    }

    private static void assertScores(ClusteringScores s,
                                     double bcubedP, double bcubedR, double bcubedF1,
                                     double pairP, double pairR, double pairF1,
                                     double nmi, double ari) {
        assertEquals(bcubedP, s.bcubedPrecision(), EPS, "BCubed precision");
        assertEquals(bcubedR, s.bcubedRecall(), EPS, "BCubed recall");
        assertEquals(bcubedF1, s.bcubedF1(), EPS, "BCubed F1");
        assertEquals(pairP, s.pairwisePrecision(), EPS, "pairwise precision");
        assertEquals(pairR, s.pairwiseRecall(), EPS, "pairwise recall");
        assertEquals(pairF1, s.pairwiseF1(), EPS, "pairwise F1");
        assertEquals(nmi, s.nmi(), EPS, "NMI");
        assertEquals(ari, s.ari(), EPS, "ARI");
    }
}
