package io.storyline.story;

import com.carrotsearch.hppc.LongFloatHashMap;
import java.util.Arrays;

/**
 * The summed vectors of a story's members for one kind of evidence, pruned to the strongest
 * terms so that a long-running story stays as specific as its core coverage (a centroid that
 * kept every term of every member would come to resemble everything: a black hole).
 *
 * <p>Most stories stay one article. Until a second vector arrives the centroid is that
 * article's vector itself (shared, not copied); the hash map, several times the vector's
 * size, is built only when there is something to sum.
 */
final class Centroid {

    private static final long[] NO_TERMS = new long[0];

    /** The only vector so far (sorted by key), while {@link #weights} is null. */
    private long[] soleTerms = NO_TERMS;
    private float[] soleWeights;
    private LongFloatHashMap weights;
    private double norm;

    /** Adds a member's vector; terms are sorted, so the norm update sums in a fixed order. */
    void add(long[] terms, float[] w, int maxTerms) {
        if (terms.length == 0) {
            return;
        }
        if (weights == null && soleTerms.length == 0) {
            soleTerms = terms;
            soleWeights = w;
            norm = sumOfSquaresRoot(terms, w);
            return;
        }
        materialize();
        double squares = norm * norm;
        for (int i = 0; i < terms.length; i++) {
            float before = weights.addTo(terms[i], w[i]) - w[i];
            squares += w[i] * (2.0 * before + w[i]);
        }
        norm = StrictMath.sqrt(Math.max(0, squares));
        if (weights.size() > 2 * maxTerms) {
            prune(maxTerms);
            norm = computeNorm();
        }
    }

    void absorb(Centroid other, int maxTerms) {
        if (other.isEmpty()) {
            return;
        }
        materialize();
        for (long key : other.sortedKeys()) {
            weights.addTo(key, other.weight(key));
        }
        if (weights.size() > 2 * maxTerms) {
            prune(maxTerms);
        }
        norm = computeNorm();
    }

    boolean isEmpty() {
        return norm == 0;
    }

    float weight(long term) {
        if (weights != null) {
            return weights.getOrDefault(term, 0f);
        }
        int at = Arrays.binarySearch(soleTerms, term);
        return at >= 0 ? soleWeights[at] : 0f;
    }

    /** Cosine between a unit vector and this centroid. */
    double cosine(long[] terms, float[] w) {
        if (norm == 0) {
            return 0;
        }
        double dot = 0;
        if (weights != null) {
            for (int i = 0; i < terms.length; i++) {
                dot += w[i] * weights.getOrDefault(terms[i], 0f);
            }
            return dot / norm;
        }
        // Both sorted by key: one merge pass, summed in the same order as the map's loop,
        // advancing without branches as StoryTier.cosine does.
        long[] sole = soleTerms;
        int i = 0;
        int j = 0;
        while (i < terms.length && j < sole.length) {
            long x = terms[i];
            long y = sole[j];
            if (x == y) {
                dot += w[i] * soleWeights[j];
            }
            i += x <= y ? 1 : 0;
            j += x >= y ? 1 : 0;
        }
        return dot / norm;
    }

    /** Cosine between two centroids. */
    double cosine(Centroid other) {
        if (norm == 0 || other.norm == 0) {
            return 0;
        }
        double dot = 0;
        for (long key : sortedKeys()) {
            dot += (double) weight(key) * other.weight(key);
        }
        return dot / (norm * other.norm);
    }

    /** The terms by weight, heaviest first (ties: lower key): for explanations. */
    long[] strongest(int k) {
        long[] keys = sortedKeys();
        Long[] order = new Long[keys.length];
        for (int i = 0; i < keys.length; i++) {
            order[i] = keys[i];
        }
        Arrays.sort(order, (a, b) -> Float.compare(weight(b), weight(a)));
        long[] out = new long[Math.min(k, order.length)];
        for (int i = 0; i < out.length; i++) {
            out[i] = order[i];
        }
        return out;
    }

    /** Turns the sole vector into the summing map. */
    private void materialize() {
        if (weights != null) {
            return;
        }
        weights = new LongFloatHashMap(Math.max(4, soleTerms.length * 2));
        for (int i = 0; i < soleTerms.length; i++) {
            weights.put(soleTerms[i], soleWeights[i]);
        }
        soleTerms = NO_TERMS;
        soleWeights = null;
    }

    private static double sumOfSquaresRoot(long[] terms, float[] w) {
        double squares = 0;
        for (int i = 0; i < terms.length; i++) {
            squares += (double) w[i] * w[i];
        }
        return StrictMath.sqrt(Math.max(0, squares));
    }

    private double computeNorm() {
        double sum = 0;
        for (long key : sortedKeys()) {
            float w = weight(key);
            sum += (double) w * w;
        }
        return StrictMath.sqrt(sum);
    }

    /** Keeps the {@code keep} heaviest terms (ties: lower term key), in a fixed order. */
    private void prune(int keep) {
        long[] kept = strongest(keep);
        LongFloatHashMap map = new LongFloatHashMap(keep * 2);
        for (long key : kept) {
            map.put(key, weights.get(key));
        }
        weights = map;
    }

    private long[] sortedKeys() {
        if (weights == null) {
            return soleTerms.clone();
        }
        long[] keys = weights.keys().toArray();
        Arrays.sort(keys);
        return keys;
    }
}
