package io.storyline.window;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class RecentPostingsTest {

    private static List<String> visit(RecentPostings index, long key, long minSeq, int limit) {
        List<String> out = new ArrayList<>();
        int n = index.forEach(key, minSeq, limit, (seq, weight) -> out.add(seq + ":" + weight));
        assertEquals(out.size(), n);
        return out;
    }

    private static List<String> visit(PostingIndex index, long key, long minSeq, int limit) {
        List<String> out = new ArrayList<>();
        index.forEach(key, minSeq, limit, (seq, weight) -> out.add(seq + ":" + weight));
        return out;
    }

    @Test
    void heldCountsKeysAndPostingsAndThoseStillInTheWindow() {
        RecentPostings index = new RecentPostings(2);
        index.add(7, 0, 1f);
        index.add(8, 1, 1f);
        index.add(7, 2, 1f);
        index.add(7, 3, 1f); // overwrites seq 0: a ring holds at most two
        assertEquals(new RecentPostings.Held(2, 3, 3), index.held(0));
        assertEquals(new RecentPostings.Held(2, 3, 2), index.held(2));
        assertEquals(new RecentPostings.Held(2, 3, 0), index.held(4));
    }

    @Test
    void keepsTheNewestPostingsOfAKeyNewestFirst() {
        RecentPostings index = new RecentPostings(3);
        index.add(7, 0, 0.5f);
        index.add(8, 1, 1f);
        index.add(7, 2, 0.25f);
        index.add(7, 5, 2f);
        index.add(7, 6, 3f);
        assertEquals(List.of("6:3.0", "5:2.0", "2:0.25"), visit(index, 7, 0, 3));
        assertEquals(List.of("6:3.0", "5:2.0"), visit(index, 7, 0, 2));
        assertEquals(List.of("6:3.0", "5:2.0"), visit(index, 7, 3, 3));
        assertEquals(List.of("1:1.0"), visit(index, 8, 0, 3));
        assertEquals(List.of(), visit(index, 9, 0, 3));
    }

    @Test
    void refusesToAnswerDeeperThanItKeeps() {
        RecentPostings index = new RecentPostings(4);
        assertThrows(IllegalArgumentException.class, () -> visit(index, 1, 0, 5));
        index.add(1, 3, 1f);
        assertThrows(IllegalArgumentException.class, () -> index.add(1, 2, 1f));
    }

    /**
     * What the story tier relies on: for any stream, window and limit up to the depth, the
     * same postings in the same order as the full index.
     */
    @Test
    void answersLikeTheFullIndexForEveryLimitUpToItsDepth() {
        int depth = 8;
        SplittableRandom random = new SplittableRandom(42);
        RecentPostings recent = new RecentPostings(depth);
        PostingIndex full = new PostingIndex();
        long minSeq = 0;
        for (long seq = 0; seq < 20_000; seq++) {
            int terms = 1 + random.nextInt(6);
            for (int t = 0; t < terms; t++) {
                // Zipf-like keys: a few busy terms and a long tail of rare ones.
                long key = (long) Math.floor(Math.pow(random.nextDouble(), 3) * 3000);
                float weight = (float) random.nextDouble();
                recent.add(key, seq, weight);
                full.add(key, seq, weight);
            }
            if (seq % 97 == 0) {
                minSeq = Math.max(0, seq - 500);
                recent.evictBefore(minSeq);
            }
            if (seq % 13 == 0) {
                long key = random.nextInt(3000);
                int limit = 1 + random.nextInt(depth);
                assertEquals(visit(full, key, minSeq, limit), visit(recent, key, minSeq, limit),
                        "key " + key + " at seq " + seq);
            }
        }
    }

    @Test
    void keysThatLeftTheWindowAreDropped() {
        RecentPostings index = new RecentPostings(4);
        for (long seq = 0; seq < 10_000; seq++) {
            index.add(seq, seq, 1f); // every key new: a stream of ever-new words
            index.evictBefore(seq - 100);
        }
        assertTrue(index.keys() <= 100 + RecentPostings.MIN_SWEEP + 1, index.keys() + " keys held");
        assertEquals(List.of("9999:1.0"), visit(index, 9999, 9899, 4));
    }
}
