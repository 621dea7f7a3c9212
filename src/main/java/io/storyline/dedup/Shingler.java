package io.storyline.dedup;

import io.storyline.text.Tokens;
import org.apache.datasketches.theta.CompactSketch;
import org.apache.datasketches.theta.UpdateSketch;

/**
 * Builds the MinHash sketch of a text: a DataSketches theta sketch (KMV, k nominal entries)
 * over its w-word shingles. Shingle hashes are rolled from token hashes (a polynomial over the
 * window), so no shingle string is ever built. Reuses one update sketch; not thread-safe.
 */
final class Shingler {

    private static final long BASE = 0x100000001b3L;

    private final int words;
    private final int entries;
    private final long basePower;
    private final UpdateSketch sketch;

    Shingler(int words, int entries) {
        this.words = words;
        this.entries = entries;
        long power = 1;
        for (int i = 1; i < words; i++) {
            power *= BASE;
        }
        this.basePower = power;
        this.sketch = UpdateSketch.builder().setNominalEntries(entries).build();
    }

    /** The number of shingles of a text of {@code tokens} words. */
    int shingleCount(int tokens) {
        return tokens == 0 ? 0 : Math.max(1, tokens - words + 1);
    }

    /** The ordered compact sketch of the shingles of {@code tokens}. */
    CompactSketch sketch(Tokens tokens) {
        sketch.reset();
        int n = tokens.size();
        if (n > 0 && n < words) {
            long h = 0;
            for (int i = 0; i < n; i++) {
                h = h * BASE + tokens.hash(i);
            }
            sketch.update(h);
        }
        long rolling = 0;
        for (int i = 0; i < n; i++) {
            if (i >= words) {
                rolling -= tokens.hash(i - words) * basePower;
            }
            rolling = rolling * BASE + tokens.hash(i);
            if (i >= words - 1) {
                sketch.update(rolling);
            }
        }
        if (sketch.getRetainedEntries() > entries) {
            sketch.rebuild(); // down to exactly k entries: bounded memory per article
        }
        return sketch.compact(true, null);
    }
}
