package io.storyline.window;

import com.carrotsearch.hppc.LongIntHashMap;
import java.util.Arrays;

/**
 * Inverted index from 64-bit keys (sketch hash values, term ids) to the window's articles
 * that hold them, each posting with an optional weight. Shared by both tiers' candidate
 * retrieval so neither ever scans the window.
 *
 * <p>Postings live in parallel arrays chained newest first. Articles that left the window are
 * skipped on lookup and dropped when the owner rebuilds the index, which {@link #evicted}
 * asks for once dead postings outnumber live ones: amortized constant cost, no per-article
 * removal, no object per posting.
 */
public final class PostingIndex {

    private LongIntHashMap heads = new LongIntHashMap();
    private long[] seqs = new long[1024];
    private float[] weights = new float[1024];
    private int[] next = new int[1024];
    private int size;
    private int live;

    /** Adds a posting of article {@code seq} (which must be the newest so far) under key. */
    public void add(long key, long seq, float weight) {
        if (size == seqs.length) {
            int n = size * 2;
            seqs = Arrays.copyOf(seqs, n);
            weights = Arrays.copyOf(weights, n);
            next = Arrays.copyOf(next, n);
        }
        int slot = heads.indexOf(key);
        if (slot >= 0) {
            next[size] = heads.indexGet(slot);
            heads.indexReplace(slot, size);
        } else {
            next[size] = -1;
            heads.indexInsert(slot, key, size);
        }
        seqs[size] = seq;
        weights[size++] = weight;
        live++;
    }

    /**
     * Calls {@code visitor} for the postings under {@code key} of articles with seq at least
     * {@code minSeq}, newest first, at most {@code limit} of them; returns how many it visited.
     */
    public int forEach(long key, long minSeq, int limit, Visitor visitor) {
        int p = heads.getOrDefault(key, -1);
        int n = 0;
        while (p >= 0 && n < limit && seqs[p] >= minSeq) {
            visitor.posting(seqs[p], weights[p]);
            n++;
            p = next[p];
        }
        return n;
    }

    /** Receives postings. */
    @FunctionalInterface
    public interface Visitor {
        void posting(long seq, float weight);
    }

    /** Records that {@code count} postings left the window; true when a rebuild is due. */
    public boolean evicted(int count) {
        live -= count;
        return size > 4096 && size - live > live;
    }

    /** Starts over empty; the owner then re-adds the live articles in seq order. */
    public void clear() {
        heads = new LongIntHashMap(Math.max(16, live));
        size = 0;
        live = 0;
    }

    /** Heap held by the index, for the bench's memory figures. */
    public long ramBytes() {
        return heads.ramBytesAllocated() + 16L * seqs.length + 64;
    }
}
