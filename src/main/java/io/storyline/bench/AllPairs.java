package io.storyline.bench;

import com.carrotsearch.hppc.IntArrayList;
import com.carrotsearch.hppc.LongIntHashMap;
import com.carrotsearch.hppc.LongObjectHashMap;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Exact all-pairs Jaccard similarity join (AllPairs with prefix and size filters, Bayardo et
 * al. 2007): every pair of sets whose exact Jaccard is at least the threshold, without
 * comparing all pairs. Ground truth for the candidate index's recall.
 */
final class AllPairs {

    /** A pair of set indexes {@code a < b} with their exact Jaccard similarity. */
    record Pair(int a, int b, double jaccard) {
    }

    private AllPairs() {
    }

    /** Pairs among {@code sets} (each sorted ascending, distinct) with Jaccard >= threshold. */
    static List<Pair> join(List<long[]> sets, double threshold) {
        LongIntHashMap frequency = new LongIntHashMap();
        for (long[] set : sets) {
            for (long e : set) {
                frequency.addTo(e, 1);
            }
        }
        // Reorder each set rarest element first, so prefixes hold the most selective ones.
        List<long[]> ordered = new ArrayList<>(sets.size());
        for (long[] set : sets) {
            ordered.add(sortByFrequency(set, frequency));
        }
        LongObjectHashMap<IntArrayList> prefixIndex = new LongObjectHashMap<>();
        List<Pair> pairs = new ArrayList<>();
        int[] seen = new int[sets.size()];
        Arrays.fill(seen, -1);
        for (int x = 0; x < ordered.size(); x++) {
            long[] set = ordered.get(x);
            int prefix = set.length - (int) Math.ceil(threshold * set.length) + 1;
            for (int i = 0; i < Math.min(prefix, set.length); i++) {
                IntArrayList postings = prefixIndex.get(set[i]);
                if (postings != null) {
                    for (int k = 0; k < postings.size(); k++) {
                        int y = postings.get(k);
                        if (seen[y] == x) {
                            continue;
                        }
                        seen[y] = x;
                        int sx = sets.get(x).length;
                        int sy = sets.get(y).length;
                        if (Math.min(sx, sy) < threshold * Math.max(sx, sy)) {
                            continue; // size filter: too different in size to reach it
                        }
                        double j = jaccard(sets.get(y), sets.get(x));
                        if (j >= threshold) {
                            pairs.add(new Pair(y, x, j));
                        }
                    }
                } else {
                    postings = new IntArrayList(2);
                    prefixIndex.put(set[i], postings);
                }
                postings.add(x);
            }
        }
        return pairs;
    }

    /** Exact Jaccard of two sorted distinct arrays. */
    static double jaccard(long[] a, long[] b) {
        int i = 0;
        int j = 0;
        int common = 0;
        while (i < a.length && j < b.length) {
            if (a[i] == b[j]) {
                common++;
                i++;
                j++;
            } else if (a[i] < b[j]) {
                i++;
            } else {
                j++;
            }
        }
        int union = a.length + b.length - common;
        return union == 0 ? 1 : (double) common / union;
    }

    private static long[] sortByFrequency(long[] set, LongIntHashMap frequency) {
        Long[] boxed = new Long[set.length];
        for (int i = 0; i < set.length; i++) {
            boxed[i] = set[i];
        }
        Arrays.sort(boxed, (p, q) -> {
            int c = Integer.compare(frequency.get(p), frequency.get(q));
            return c != 0 ? c : Long.compare(p, q);
        });
        long[] out = new long[set.length];
        for (int i = 0; i < set.length; i++) {
            out[i] = boxed[i];
        }
        return out;
    }
}
