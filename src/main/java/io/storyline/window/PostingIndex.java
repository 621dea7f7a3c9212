package io.storyline.window;

import com.carrotsearch.hppc.LongIntHashMap;
import java.util.Arrays;

/**
 * Inverted index from 64-bit keys (sketch hash values, term ids) to the window's articles
 * that hold them, each posting with an optional weight: the copy tier's candidate retrieval,
 * which never scans the window. (The story tier reads only the newest postings of each term
 * and uses {@link RecentPostings}.)
 *
 * <p>Postings are chained newest first in one array of pairs (seq; next posting and weight
 * packed), so following a chain costs one cache miss per posting rather than three. Articles
 * that left the window are skipped on lookup and dropped when the owner rebuilds the index,
 * which {@link #evicted} asks for once dead postings exceed a quarter of the live ones: memory
 * stays within 25 % of what the window needs, each posting is re-added about four times per
 * turnover of the window, and there is no per-article removal and no object per posting.
 */
public final class PostingIndex {

    private LongIntHashMap heads = new LongIntHashMap();
    private long[] postings = new long[2048];
    private int size;
    private int live;

    /** Adds a posting of article {@code seq} (which must be the newest so far) under key. */
    public void add(long key, long seq, float weight) {
        if (2 * size + 1 >= postings.length) {
            postings = Arrays.copyOf(postings, postings.length + postings.length / 2 + 2);
        }
        int slot = heads.indexOf(key);
        int next;
        if (slot >= 0) {
            next = heads.indexGet(slot);
            heads.indexReplace(slot, size);
        } else {
            next = -1;
            heads.indexInsert(slot, key, size);
        }
        postings[2 * size] = seq;
        postings[2 * size + 1] = ((long) next << 32)
                | (Float.floatToRawIntBits(weight) & 0xffff_ffffL);
        size++;
        live++;
    }

    /**
     * Calls {@code visitor} for the postings under {@code key} of articles with seq at least
     * {@code minSeq}, newest first, at most {@code limit} of them; returns how many it visited.
     */
    public int forEach(long key, long minSeq, int limit, Visitor visitor) {
        int p = heads.getOrDefault(key, -1);
        int n = 0;
        while (p >= 0 && n < limit) {
            long seq = postings[2 * p];
            if (seq < minSeq) {
                break; // chains are newest first: the rest left the window too
            }
            long link = postings[2 * p + 1];
            visitor.posting(seq, Float.intBitsToFloat((int) link));
            n++;
            p = (int) (link >> 32);
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
        return size > 4096 && 4 * (size - live) > live;
    }

    /** Postings of articles still in the window. */
    public int live() {
        return live;
    }

    /** Postings held: the live ones and those left until the next rebuild. */
    public int held() {
        return size;
    }

    /** Starts over empty; the owner then re-adds the live articles in seq order. */
    public void clear() {
        heads = new LongIntHashMap(Math.max(16, live));
        size = 0;
        live = 0;
    }
}
