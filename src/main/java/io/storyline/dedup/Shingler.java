package io.storyline.dedup;

import io.storyline.text.Tokens;
import java.util.Arrays;
import org.apache.datasketches.common.ResizeFactor;
import org.apache.datasketches.hash.MurmurHash3;
import org.apache.datasketches.theta.CompactSketch;
import org.apache.datasketches.theta.UpdateSketch;
import org.apache.datasketches.thetacommon.ThetaUtil;

/**
 * Builds the MinHash sketch of a text: a DataSketches theta sketch (KMV, k nominal entries)
 * over its w-word shingles. Shingle values are rolled from token hashes (a polynomial over the
 * window), so no shingle string is ever built; the sketch hashes each value once more with its
 * own seeded MurmurHash3. Reuses its buffers; not thread-safe.
 */
final class Shingler {

    private static final long BASE = 0x100000001b3L;

    private final int words;
    private final int entries;
    private final long basePower;
    private final UpdateSketch sketch;
    private long[] values = new long[1024];
    private long[] hashes = new long[1024];
    private long[] below = new long[1024];

    Shingler(int words, int entries) {
        this.words = words;
        this.entries = entries;
        long power = 1;
        for (int i = 1; i < words; i++) {
            power *= BASE;
        }
        this.basePower = power;
        // Full-size table from the start: reset() then clears it instead of reallocating.
        this.sketch = UpdateSketch.builder().setNominalEntries(entries)
                .setResizeFactor(ResizeFactor.X1).build();
    }

    /**
     * The ordered compact sketch of the shingles of {@code tokens}.
     *
     * <p>The sketch keeps the k smallest hashes, and each update costs it tens of
     * nanoseconds, most of them spent on values it then rejects. We hash every shingle the
     * way the sketch does (about 5 ns each), find the k+1 smallest distinct hashes, and
     * update the sketch with those shingles only: the same k entries and theta for a fraction
     * of the cost.
     */
    CompactSketch sketch(Tokens tokens) {
        int n = shingleValues(tokens);
        sketch.reset();
        if (n <= 2 * entries) {
            for (int i = 0; i < n; i++) {
                sketch.update(values[i]);
            }
        } else {
            long limit = smallestHashLimit(n);
            for (int i = 0; i < n; i++) {
                if (hashes[i] <= limit) {
                    sketch.update(values[i]);
                }
            }
        }
        if (sketch.getRetainedEntries() > entries) {
            sketch.rebuild(); // down to exactly k entries, theta = the (k+1)-th hash
        }
        return sketch.compact(true, null);
    }

    /** The (k+1)-th smallest distinct hash of the n shingle values (hashes them first). */
    private long smallestHashLimit(int n) {
        if (hashes.length < n) {
            hashes = new long[values.length];
            below = new long[values.length];
        }
        for (int i = 0; i < n; i++) {
            hashes[i] = MurmurHash3.hash(values[i], ThetaUtil.DEFAULT_UPDATE_SEED)[0] >>> 1;
        }
        // Hashes are uniform on [0, 2^63): about 1.5 (k+1) of them fall under this cut.
        double share = 1.5 * (entries + 1) / n;
        while (true) {
            long cut = share >= 1 ? Long.MAX_VALUE : (long) (share * Long.MAX_VALUE);
            int m = 0;
            for (int i = 0; i < n; i++) {
                if (hashes[i] <= cut) {
                    below[m++] = hashes[i];
                }
            }
            Arrays.sort(below, 0, m);
            int distinct = 0;
            for (int i = 0; i < m; i++) {
                if (i == 0 || below[i] != below[i - 1]) {
                    below[distinct++] = below[i];
                }
            }
            if (distinct > entries) {
                return below[entries];
            }
            if (share >= 1) {
                return Long.MAX_VALUE; // fewer than k+1 distinct shingles in all
            }
            share *= 2;
        }
    }

    /** Every distinct shingle value of {@code tokens}, sorted (exact sets for measurement). */
    long[] shingles(Tokens tokens) {
        int n = shingleValues(tokens);
        return Arrays.stream(values, 0, n).sorted().distinct().toArray();
    }

    /** Fills {@code values} with the shingles of {@code tokens}; a short text is one shingle. */
    private int shingleValues(Tokens tokens) {
        int n = tokens.size();
        if (values.length < n + 1) {
            values = new long[n * 2 + 1];
        }
        if (n > 0 && n < words) {
            long h = 0;
            for (int i = 0; i < n; i++) {
                h = h * BASE + tokens.hash(i);
            }
            values[0] = h;
            return 1;
        }
        int k = 0;
        long rolling = 0;
        for (int i = 0; i < n; i++) {
            if (i >= words) {
                rolling -= tokens.hash(i - words) * basePower;
            }
            rolling = rolling * BASE + tokens.hash(i);
            if (i >= words - 1) {
                values[k++] = rolling;
            }
        }
        return k;
    }
}
