package io.storyline.window;

import com.carrotsearch.hppc.LongObjectHashMap;

/**
 * Inverted index that keeps, per key, only the newest {@code depth} postings, each key's in
 * one small array: for a reader that never asks for more than the newest {@code depth} of a
 * key (the story tier's candidate retrieval reads the newest {@code story.max-postings} per
 * term), it answers exactly as a full index does.
 *
 * <p>Why not {@link PostingIndex}: its chains thread through one shared array, so reading 32
 * postings of a term costs 32 cache misses, which made the chain walk the largest single cost
 * of the story tier. Here they are one contiguous run (a ring that grows 1, 4, 16 ... up to
 * {@code depth}: each growth is an allocation and a copy), read in a few cache lines. Older postings are overwritten, never chained, so
 * there is no rebuild; a key whose newest posting left the window is dropped by
 * {@link #evictBefore} once enough keys could have died (amortised over the additions), which
 * bounds memory by the window's keys times at most {@code depth} postings each.
 */
public final class RecentPostings {

    // One key's ring is one long[]: [0] packs the next write position (high half) and the
    // count (low half); posting k is seq at 1 + 2k and the weight's bits at 2 + 2k. One array
    // per key keeps a rare term (most terms) at 40 bytes and a read in contiguous lines.
    private final int depth;
    private LongObjectHashMap<long[]> rings = new LongObjectHashMap<>();
    private long addedSinceSweep;
    /** Keys left by the last sweep: a sweep is due once as many postings were added since. */
    private int keysAfterSweep;
    private long lastSeq = Long.MIN_VALUE;

    /** An index answering up to {@code depth} newest postings per key. */
    public RecentPostings(int depth) {
        if (depth < 1) {
            throw new IllegalArgumentException("depth must be at least 1: " + depth);
        }
        this.depth = depth;
    }

    private static int capacity(long[] ring) {
        return (ring.length - 1) / 2;
    }

    private static int next(long[] ring) {
        return (int) (ring[0] >>> 32);
    }

    private static int count(long[] ring) {
        return (int) ring[0];
    }

    /** Adds a posting of article {@code seq} (at least every earlier one) under {@code key}. */
    public void add(long key, long seq, float weight) {
        if (seq < lastSeq) {
            throw new IllegalArgumentException("seq " + seq + " is older than " + lastSeq);
        }
        lastSeq = seq;
        int slot = rings.indexOf(key);
        long[] ring;
        if (slot >= 0) {
            ring = rings.indexGet(slot);
        } else {
            ring = new long[3];
            rings.indexInsert(slot, key, ring);
            slot = rings.indexOf(key);
        }
        int capacity = capacity(ring);
        int count = count(ring);
        if (count == capacity && capacity < depth) {
            ring = grown(ring, Math.min(depth, capacity * 4));
            rings.indexReplace(slot, ring);
            capacity = capacity(ring);
        }
        int next = next(ring);
        ring[1 + 2 * next] = seq;
        ring[2 + 2 * next] = Float.floatToRawIntBits(weight);
        next = next + 1 == capacity ? 0 : next + 1;
        count = Math.min(capacity, count + 1);
        ring[0] = ((long) next << 32) | count;
        addedSinceSweep++;
    }

    /** A full ring re-laid oldest first into one of {@code capacity} postings. */
    private static long[] grown(long[] ring, int capacity) {
        long[] out = new long[1 + 2 * capacity];
        int count = count(ring);
        int old = capacity(ring);
        int next = next(ring);
        for (int k = 0; k < count; k++) {
            int from = Math.floorMod(next - count + k, old);
            out[1 + 2 * k] = ring[1 + 2 * from];
            out[2 + 2 * k] = ring[2 + 2 * from];
        }
        out[0] = ((long) (count == capacity ? 0 : count) << 32) | count;
        return out;
    }

    /**
     * Calls {@code visitor} for the postings under {@code key} of articles with seq at least
     * {@code minSeq}, newest first, at most {@code limit} (at most the depth) of them; returns
     * how many it visited.
     */
    public int forEach(long key, long minSeq, int limit, PostingIndex.Visitor visitor) {
        if (limit > depth) {
            throw new IllegalArgumentException("limit " + limit + " exceeds depth " + depth);
        }
        long[] ring = rings.get(key);
        if (ring == null) {
            return 0;
        }
        int capacity = capacity(ring);
        int at = next(ring);
        int n = Math.min(limit, count(ring));
        int visited = 0;
        while (visited < n) {
            at = at == 0 ? capacity - 1 : at - 1;
            long seq = ring[1 + 2 * at];
            if (seq < minSeq) {
                break; // newest first: the rest left the window too
            }
            visitor.posting(seq, Float.intBitsToFloat((int) ring[2 + 2 * at]));
            visited++;
        }
        return visited;
    }

    /**
     * Drops the keys none of whose postings is at least {@code minSeq}, when enough postings
     * were added since the last sweep for that to be worth a pass over the keys: as many as
     * that sweep left, so the pass costs O(1) per posting and dead keys stay below the live
     * ones plus that many (at least {@link #MIN_SWEEP}).
     */
    public void evictBefore(long minSeq) {
        if (addedSinceSweep < Math.max(MIN_SWEEP, keysAfterSweep)) {
            return;
        }
        addedSinceSweep = 0;
        rings.removeAll((long key, long[] ring) -> {
            int next = next(ring);
            int newest = next == 0 ? capacity(ring) - 1 : next - 1;
            return ring[1 + 2 * newest] < minSeq;
        });
        keysAfterSweep = rings.size();
    }

    static final int MIN_SWEEP = 4096;

    /** Keys held (for tests of the memory bound). */
    public int keys() {
        return rings.size();
    }

    /**
     * What the index holds, in one pass over its keys: keys and postings held (those of
     * articles that left the window included, until a sweep or a newer posting drops them),
     * and postings of articles with seq at least {@code minSeq}.
     */
    public Held held(long minSeq) {
        long postings = 0;
        long live = 0;
        for (var cursor : rings) {
            long[] ring = cursor.value;
            int count = count(ring);
            postings += count;
            for (int k = 0; k < count; k++) {
                if (ring[1 + 2 * k] >= minSeq) {
                    live++;
                }
            }
        }
        return new Held(rings.size(), postings, live);
    }

    /** See {@link #held}. */
    public record Held(int keys, long postings, long livePostings) {
    }
}
