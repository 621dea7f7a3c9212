package io.storyline.eval;

import java.util.Locale;

/**
 * Quality figures of one predicted clustering measured against gold labels, as produced by
 * {@link ClusteringMetrics#score}.
 *
 * @param items number of evaluated items (the ids of the gold map)
 * @param goldClusters number of distinct gold clusters
 * @param predictedClusters number of distinct predicted clusters over the evaluated items
 * @param bcubedPrecision mean per-item BCubed precision
 * @param bcubedRecall mean per-item BCubed recall
 * @param bcubedF1 harmonic mean of BCubed precision and recall
 * @param pairwisePrecision share of same-predicted-cluster pairs that share a gold cluster
 * @param pairwiseRecall share of same-gold-cluster pairs that share a predicted cluster
 * @param pairwiseF1 harmonic mean of pairwise precision and recall
 * @param nmi normalized mutual information (arithmetic-mean normalization)
 * @param ari adjusted Rand index
 */
public record ClusteringScores(
        int items, int goldClusters, int predictedClusters,
        double bcubedPrecision, double bcubedRecall, double bcubedF1,
        double pairwisePrecision, double pairwiseRecall, double pairwiseF1,
        double nmi, double ari) {

    /**
     * Renders the scores as an aligned table for terminal output; lines are separated by
     * {@code \n} with no trailing newline. Locale.ROOT keeps the decimal point stable.
     */
    public String report() {
        return String.join("\n",
                count("items", items),
                count("gold stories", goldClusters),
                count("predicted stories", predictedClusters),
                triple("BCubed", bcubedPrecision, bcubedRecall, bcubedF1),
                triple("pairwise", pairwisePrecision, pairwiseRecall, pairwiseF1),
                single("NMI", nmi),
                single("ARI", ari));
    }

    private static String count(String label, int value) {
        return String.format(Locale.ROOT, "%-20s%7d", label, value);
    }

    private static String triple(String label, double p, double r, double f1) {
        return String.format(Locale.ROOT, "%-10sP %.4f  R %.4f  F1 %.4f", label, p, r, f1);
    }

    private static String single(String label, double value) {
        return String.format(Locale.ROOT, "%-10s%.4f", label, value);
    }
}
