package io.storyline.window;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PostingIndexTest {

    private final PostingIndex index = new PostingIndex();

    /** Postings as "seq:weight" strings, in visiting order. */
    private List<String> visit(long key, long minSeq, int limit) {
        List<String> out = new ArrayList<>();
        int n = index.forEach(key, minSeq, limit, (seq, weight) -> out.add(seq + ":" + weight));
        assertEquals(out.size(), n);
        return out;
    }

    @Test
    void unknownKeyVisitsNothing() {
        index.add(1, 0, 1f);
        assertEquals(List.of(), visit(2, 0, 10));
    }

    @Test
    void postingsComeNewestFirst() {
        index.add(7, 0, 0.5f);
        index.add(8, 1, 1f);
        index.add(7, 2, 0.25f);
        index.add(7, 5, 2f);
        assertEquals(List.of("5:2.0", "2:0.25", "0:0.5"), visit(7, 0, 100));
        assertEquals(List.of("1:1.0"), visit(8, 0, 100));
    }

    @Test
    void limitCapsVisitedPostings() {
        for (int seq = 0; seq < 10; seq++) {
            index.add(42, seq, seq);
        }
        assertEquals(List.of("9:9.0", "8:8.0", "7:7.0"), visit(42, 0, 3));
        assertEquals(List.of(), visit(42, 0, 0));
    }

    @Test
    void minSeqCutsOffOlderPostings() {
        for (int seq = 0; seq < 10; seq++) {
            index.add(42, seq, 1f);
        }
        assertEquals(List.of("9:1.0", "8:1.0", "7:1.0"), visit(42, 7, 100));
        assertEquals(List.of(), visit(42, 10, 100));
        assertEquals(List.of("9:1.0", "8:1.0"), visit(42, 5, 2));
    }

    @Test
    void weightsRoundTripExactly() {
        float[] weights = {0f, -0f, 1f, -1.5f, 0.1f, Float.MIN_VALUE, Float.MAX_VALUE,
            -Float.MAX_VALUE, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 3.4028e-30f};
        for (int i = 0; i < weights.length; i++) {
            index.add(i, i, weights[i]);
        }
        for (int i = 0; i < weights.length; i++) {
            float expected = weights[i];
            int key = i;
            long[] seen = new long[1];
            index.forEach(key, 0, 10, (seq, weight) -> {
                assertEquals(Float.floatToRawIntBits(expected), Float.floatToRawIntBits(weight),
                        "weight of key " + key);
                seen[0] = seq + 1;
            });
            assertEquals(i + 1, seen[0]);
        }
    }

    @Test
    void negativeWeightsDoNotBreakTheChain() {
        index.add(3, 0, -2f);
        index.add(3, 1, -0.5f);
        index.add(3, 2, -1f);
        assertEquals(List.of("2:-1.0", "1:-0.5", "0:-2.0"), visit(3, 0, 10));
    }

    @Test
    void extremeKeysAreDistinct() {
        index.add(0L, 0, 1f);
        index.add(Long.MIN_VALUE, 1, 2f);
        index.add(Long.MAX_VALUE, 2, 3f);
        index.add(-1L, 3, 4f);
        assertEquals(List.of("0:1.0"), visit(0L, 0, 10));
        assertEquals(List.of("1:2.0"), visit(Long.MIN_VALUE, 0, 10));
        assertEquals(List.of("2:3.0"), visit(Long.MAX_VALUE, 0, 10));
        assertEquals(List.of("3:4.0"), visit(-1L, 0, 10));
    }

    @Test
    void manyPostingsGrowTheStore() {
        for (int seq = 0; seq < 20_000; seq++) {
            index.add(seq % 100, seq, seq);
        }
        List<String> chain = visit(37, 0, 1000);
        assertEquals(200, chain.size());
        assertEquals("19937:19937.0", chain.get(0));
        assertEquals("37:37.0", chain.get(199));
    }

    @Test
    void evictedAsksForRebuildOnlyWhenDeadExceedAQuarterOfLiveInALargeIndex() {
        for (int seq = 0; seq < 5000; seq++) {
            index.add(seq, seq, 1f);
        }
        assertFalse(index.evicted(999)); // 4 x dead 999 < live 4,001
        assertFalse(index.evicted(1)); // 4 x dead 1,000 = live 4,000
        assertTrue(index.evicted(1)); // 4 x dead 1,001 > live 3,999
    }

    @Test
    void evictedNeverAsksForRebuildOfASmallIndex() {
        for (int seq = 0; seq < 4096; seq++) {
            index.add(seq, seq, 1f);
        }
        assertFalse(index.evicted(4096)); // everything dead, but only 4,096 postings
    }

    @Test
    void evictedCountsFromTheFirstPostingAbove4096() {
        for (int seq = 0; seq < 4097; seq++) {
            index.add(seq, seq, 1f);
        }
        assertFalse(index.evicted(819)); // 4 x dead 819 < live 3,278
        assertTrue(index.evicted(1)); // 4 x dead 820 > live 3,277
    }

    @Test
    void clearEmptiesTheIndexAndRestartsTheCounts() {
        for (int seq = 0; seq < 5000; seq++) {
            index.add(seq % 10, seq, 1f);
        }
        assertTrue(index.evicted(4000));
        index.clear();
        assertEquals(List.of(), visit(3, 0, 100));
        // The owner re-adds its live articles in seq order.
        for (int seq = 4000; seq < 5000; seq++) {
            index.add(seq % 10, seq, 2f);
        }
        assertEquals(List.of("4993:2.0", "4983:2.0"), visit(3, 0, 2));
        assertEquals(100, visit(3, 0, 1000).size());
        assertFalse(index.evicted(1000)); // 1,000 postings only: no rebuild
    }
}
