package io.storyline.story;

import com.carrotsearch.hppc.LongFloatHashMap;
import com.carrotsearch.hppc.cursors.LongFloatCursor;
import java.util.Arrays;

/**
 * The summed vectors of a story's members for one kind of evidence, pruned to the strongest
 * terms so that a long-running story stays as specific as its core coverage (a centroid that
 * kept every term of every member would come to resemble everything: a black hole).
 */
final class Centroid {

    /** Null until the first term: most stories stay one article, most have no names. */
    private LongFloatHashMap weights;
    private double norm;

    /** Adds a member's vector; terms are sorted, so the norm update sums in a fixed order. */
    void add(long[] terms, float[] w, int maxTerms) {
        if (terms.length == 0) {
            return;
        }
        if (weights == null) {
            weights = new LongFloatHashMap(terms.length);
        }
        double squares = norm * norm;
        for (int i = 0; i < terms.length; i++) {
            float before = weights.addTo(terms[i], w[i]) - w[i];
            squares += w[i] * (2.0 * before + w[i]);
        }
        norm = Math.sqrt(Math.max(0, squares));
        if (weights.size() > 2 * maxTerms) {
            prune(maxTerms);
            norm = computeNorm();
        }
    }

    void absorb(Centroid other, int maxTerms) {
        if (other.weights == null) {
            return;
        }
        if (weights == null) {
            weights = new LongFloatHashMap(other.weights.size());
        }
        for (LongFloatCursor c : other.weights) {
            weights.addTo(c.key, c.value);
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
        return weights == null ? 0f : weights.getOrDefault(term, 0f);
    }

    double norm() {
        return norm;
    }

    /** Cosine between a unit vector and this centroid. */
    double cosine(long[] terms, float[] w) {
        if (norm == 0) {
            return 0;
        }
        double dot = 0;
        for (int i = 0; i < terms.length; i++) {
            dot += w[i] * weights.getOrDefault(terms[i], 0f);
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
            dot += (double) weights.get(key) * other.weights.getOrDefault(key, 0f);
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
        Arrays.sort(order, (a, b) -> Float.compare(weights.get(b), weights.get(a)));
        long[] out = new long[Math.min(k, order.length)];
        for (int i = 0; i < out.length; i++) {
            out[i] = order[i];
        }
        return out;
    }

    private double computeNorm() {
        double sum = 0;
        for (long key : sortedKeys()) {
            float w = weights.get(key);
            sum += (double) w * w;
        }
        return Math.sqrt(sum);
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
            return new long[0];
        }
        long[] keys = weights.keys().toArray();
        Arrays.sort(keys);
        return keys;
    }
}
