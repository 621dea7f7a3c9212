package io.storyline.story;

import com.carrotsearch.hppc.LongFloatHashMap;
import com.carrotsearch.hppc.cursors.LongFloatCursor;
import java.util.Arrays;

/**
 * One open story: its stable id, its members' summed term vectors (the centroid, pruned to
 * the strongest terms) and its counts. A story absorbed by another points to it.
 */
final class Story {

    final String id;
    final long firstSeq;
    LongFloatHashMap centroid = new LongFloatHashMap();
    double norm;
    long lastTime = Long.MIN_VALUE;
    int size;
    int live;
    Story mergedInto;

    // Scratch of the story tier's scoring of the current article (mark = its epoch).
    int mark;
    float bestMember;
    long bestSeq;
    double centroidScore;
    double score;

    Story(String id, long firstSeq) {
        this.id = id;
        this.firstSeq = firstSeq;
    }

    /** The story this one continues as (itself unless merged), compressing the chain. */
    Story resolve() {
        Story root = this;
        while (root.mergedInto != null) {
            root = root.mergedInto;
        }
        Story s = this;
        while (s.mergedInto != null && s.mergedInto != root) {
            Story next = s.mergedInto;
            s.mergedInto = root;
            s = next;
        }
        return root;
    }

    /** Adds a member's vector; terms are sorted, so the norm update sums in a fixed order. */
    void add(long[] terms, float[] weights, int maxTerms) {
        double squares = norm * norm;
        for (int i = 0; i < terms.length; i++) {
            float before = centroid.addTo(terms[i], weights[i]) - weights[i];
            squares += weights[i] * (2.0 * before + weights[i]);
        }
        norm = Math.sqrt(Math.max(0, squares));
        if (centroid.size() > 2 * maxTerms) {
            prune(maxTerms);
            norm = computeNorm();
        }
    }

    void absorb(Story other, int maxTerms) {
        for (LongFloatCursor c : other.centroid) {
            centroid.addTo(c.key, c.value);
        }
        if (centroid.size() > 2 * maxTerms) {
            prune(maxTerms);
        }
        norm = computeNorm();
        size += other.size;
        lastTime = Math.max(lastTime, other.lastTime);
        live += other.live;
        other.mergedInto = this;
        other.centroid = null;
    }

    /** Cosine between a unit vector and this centroid. */
    double cosine(long[] terms, float[] weights) {
        if (norm == 0) {
            return 0;
        }
        double dot = 0;
        for (int i = 0; i < terms.length; i++) {
            dot += weights[i] * centroid.getOrDefault(terms[i], 0f);
        }
        return dot / norm;
    }

    /** Cosine between two centroids. */
    double cosine(Story other) {
        if (norm == 0 || other.norm == 0) {
            return 0;
        }
        long[] keys = sortedKeys(centroid);
        double dot = 0;
        for (long key : keys) {
            dot += (double) centroid.get(key) * other.centroid.getOrDefault(key, 0f);
        }
        return dot / (norm * other.norm);
    }

    private double computeNorm() {
        double sum = 0;
        for (long key : sortedKeys(centroid)) {
            float w = centroid.get(key);
            sum += (double) w * w;
        }
        return Math.sqrt(sum);
    }

    /** Keeps the {@code keep} heaviest terms (ties: lower term id), in a fixed order. */
    private void prune(int keep) {
        long[] keys = sortedKeys(centroid);
        Integer[] order = new Integer[keys.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Float.compare(centroid.get(keys[b]), centroid.get(keys[a])));
        LongFloatHashMap kept = new LongFloatHashMap(keep * 2);
        for (int i = 0; i < keep; i++) {
            kept.put(keys[order[i]], centroid.get(keys[order[i]]));
        }
        centroid = kept;
    }

    private static long[] sortedKeys(LongFloatHashMap map) {
        long[] keys = map.keys().toArray();
        Arrays.sort(keys);
        return keys;
    }
}
