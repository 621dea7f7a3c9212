package io.storyline.eval;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToIntFunction;

/**
 * Scores a predicted clustering against gold labels with BCubed, pairwise, NMI and ARI.
 *
 * <p>Every metric is derived from the contingency table (gold cluster x predicted cluster
 * counts), so scoring costs O(n log n) for sorting ids plus O(nonzero cells), never O(n^2).
 * Items are visited in sorted id order and cells kept in first-seen order, so floating-point
 * sums run in a fixed order and printed digits are identical between runs.
 */
public final class ClusteringMetrics {

    private ClusteringMetrics() {
    }

    /**
     * Scores {@code predicted} against {@code gold}; both map item id to cluster label.
     *
     * <p>The evaluated items are exactly the ids of {@code gold}. A gold id absent from
     * {@code predicted} (or mapped to {@code null}) counts as its own singleton predicted
     * cluster, so unassigned items are penalised rather than silently dropped. Ids present only
     * in {@code predicted} are ignored.
     *
     * @throws IllegalArgumentException if {@code gold} is empty
     */
    public static ClusteringScores score(Map<String, String> gold,
                                         Map<String, String> predicted) {
        if (gold.isEmpty()) {
            throw new IllegalArgumentException("gold is empty");
        }
        Contingency table = Contingency.of(gold, predicted);
        double bcubedP = bcubed(table, table.predSizes(), Cell::pred);
        double bcubedR = bcubed(table, table.goldSizes(), Cell::gold);
        PairCounts pairs = PairCounts.of(table);
        double pairP = ratioOrOne(pairs.together(), pairs.samePredicted());
        double pairR = ratioOrOne(pairs.together(), pairs.sameGold());
        return new ClusteringScores(
                table.items(), table.goldSizes().length, table.predSizes().length,
                bcubedP, bcubedR, f1(bcubedP, bcubedR),
                pairP, pairR, f1(pairP, pairR),
                nmi(table), ari(pairs));
    }

    /**
     * Mean over items of |pred(i) ∩ gold(i)| / |cluster(i)|: each cell of size c contributes c
     * items sharing that ratio, hence c^2 / size. Predicted sizes give precision, gold sizes
     * give recall.
     */
    private static double bcubed(Contingency table, long[] sizes, ToIntFunction<Cell> cluster) {
        double sum = 0;
        for (Cell cell : table.cells()) {
            sum += (double) cell.count() * cell.count() / sizes[cluster.applyAsInt(cell)];
        }
        return sum / table.items();
    }

    /** Arithmetic-mean normalized mutual information, natural logs, like sklearn's default. */
    private static double nmi(Contingency table) {
        double goldEntropy = entropy(table.goldSizes(), table.items());
        double predEntropy = entropy(table.predSizes(), table.items());
        if (goldEntropy == 0 && predEntropy == 0) {
            // Neither labelling splits the data, so they agree perfectly.
            return 1.0;
        }
        double n = table.items();
        double mi = 0;
        for (Cell cell : table.cells()) {
            double expected = (double) table.goldSizes()[cell.gold()]
                    * table.predSizes()[cell.pred()];
            mi += cell.count() / n * Math.log(n * cell.count() / expected);
        }
        // Rounding can push a truly zero MI slightly negative; MI is never below zero.
        return 2 * Math.max(0, mi) / (goldEntropy + predEntropy);
    }

    private static double entropy(long[] sizes, int items) {
        double h = 0;
        for (long size : sizes) {
            double p = (double) size / items;
            h -= p * Math.log(p);
        }
        return h;
    }

    /** Hubert and Arabie adjusted Rand index, as sklearn's adjusted_rand_score. */
    private static double ari(PairCounts pairs) {
        long gold = pairs.sameGold();
        long pred = pairs.samePredicted();
        // Expected index equals max index only when both labellings are all singletons or both
        // a single cluster; testing exact counts avoids a 0/0 from rounded doubles.
        if (gold == pred && (gold == 0 || gold == pairs.all())) {
            return 1.0;
        }
        double expected = (double) gold * pred / pairs.all();
        double max = (gold + pred) / 2.0;
        return (pairs.together() - expected) / (max - expected);
    }

    private static double ratioOrOne(long numerator, long denominator) {
        return denominator == 0 ? 1.0 : (double) numerator / denominator;
    }

    private static double f1(double precision, double recall) {
        double sum = precision + recall;
        return sum == 0 ? 0.0 : 2 * precision * recall / sum;
    }

    /** Number of unordered pairs among {@code k} items; long is exact far beyond 100k items. */
    private static long comb2(long k) {
        return k * (k - 1) / 2;
    }

    /** Number of evaluated items sharing one gold cluster and one predicted cluster. */
    private record Cell(int gold, int pred, long count) {
    }

    /** Nonzero contingency cells plus marginal cluster sizes, clusters indexed densely. */
    private record Contingency(int items, long[] goldSizes, long[] predSizes, List<Cell> cells) {

        static Contingency of(Map<String, String> gold, Map<String, String> predicted) {
            String[] ids = gold.keySet().toArray(new String[0]);
            Arrays.sort(ids);
            Indexer goldIndex = new Indexer();
            Indexer predIndex = new Indexer();
            Map<Long, long[]> counts = new LinkedHashMap<>();
            for (String id : ids) {
                int g = goldIndex.of(gold.get(id));
                String label = predicted.get(id);
                int p = label == null ? predIndex.fresh() : predIndex.of(label);
                counts.computeIfAbsent(((long) g << 32) | p, k -> new long[1])[0]++;
            }
            return fromCounts(ids.length, goldIndex.size(), predIndex.size(), counts);
        }

        private static Contingency fromCounts(int items, int goldClusters, int predClusters,
                                              Map<Long, long[]> counts) {
            long[] goldSizes = new long[goldClusters];
            long[] predSizes = new long[predClusters];
            List<Cell> cells = new ArrayList<>(counts.size());
            for (Map.Entry<Long, long[]> entry : counts.entrySet()) {
                long key = entry.getKey();
                Cell cell = new Cell((int) (key >>> 32), (int) key, entry.getValue()[0]);
                goldSizes[cell.gold()] += cell.count();
                predSizes[cell.pred()] += cell.count();
                cells.add(cell);
            }
            return new Contingency(items, goldSizes, predSizes, cells);
        }
    }

    /** Assigns dense cluster indices so sizes live in arrays instead of label-keyed maps. */
    private static final class Indexer {
        private final Map<String, Integer> indices = new HashMap<>();
        private int next;

        int of(String label) {
            Integer index = indices.get(label);
            if (index == null) {
                index = next++;
                indices.put(label, index);
            }
            return index;
        }

        /** A cluster no label maps to, for an item the prediction left unassigned. */
        int fresh() {
            return next++;
        }

        int size() {
            return next;
        }
    }

    /** Counts of unordered item pairs that share a gold cluster, a predicted one, or both. */
    private record PairCounts(long all, long sameGold, long samePredicted, long together) {

        static PairCounts of(Contingency table) {
            long together = 0;
            for (Cell cell : table.cells()) {
                together += comb2(cell.count());
            }
            return new PairCounts(comb2(table.items()), sumComb2(table.goldSizes()),
                    sumComb2(table.predSizes()), together);
        }

        private static long sumComb2(long[] sizes) {
            long sum = 0;
            for (long size : sizes) {
                sum += comb2(size);
            }
            return sum;
        }
    }
}
