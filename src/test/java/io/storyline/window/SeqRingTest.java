package io.storyline.window;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class SeqRingTest {

    private final SeqRing<String> ring = new SeqRing<>();

    @Test
    void emptyRingHasNothing() {
        assertEquals(0, ring.size());
        assertNull(ring.oldest());
        assertNull(ring.get(0));
        IllegalStateException e = assertThrows(IllegalStateException.class, ring::removeOldest);
        assertEquals("window is empty", e.getMessage());
    }

    @Test
    void addedItemsAreFoundBySeq() {
        ring.add(10, "a");
        ring.add(11, "b");
        ring.add(12, "c");
        assertEquals(3, ring.size());
        assertEquals(10, ring.firstSeq());
        assertEquals("a", ring.get(10));
        assertEquals("b", ring.get(11));
        assertEquals("c", ring.get(12));
        assertNull(ring.get(9));
        assertNull(ring.get(13));
        assertNull(ring.get(Long.MIN_VALUE));
        assertEquals("a", ring.oldest());
    }

    @Test
    void removeOldestAdvancesFirstSeq() {
        ring.add(0, "a");
        ring.add(1, "b");
        assertEquals("a", ring.removeOldest());
        assertEquals(1, ring.firstSeq());
        assertEquals(1, ring.size());
        assertNull(ring.get(0));
        assertEquals("b", ring.get(1));
        assertEquals("b", ring.removeOldest());
        assertEquals(0, ring.size());
        // An empty ring reports the next seq as its first.
        assertEquals(2, ring.firstSeq());
        assertNull(ring.oldest());
    }

    @Test
    void emptiedRingStartsOverAtAnySeq() {
        ring.add(0, "a");
        ring.removeOldest();
        ring.add(100, "x");
        assertEquals(100, ring.firstSeq());
        assertEquals("x", ring.get(100));
    }

    @Test
    void outOfOrderAddThrowsNamingBothSeqs() {
        ring.add(3, "a");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ring.add(5, "b"));
        assertEquals("seq 5 does not follow 3", e.getMessage());
        IllegalArgumentException again = assertThrows(IllegalArgumentException.class,
                () -> ring.add(3, "b"));
        assertEquals("seq 3 does not follow 3", again.getMessage());
        assertEquals(1, ring.size());
        assertEquals("a", ring.get(3));
    }

    @Test
    void growsPastInitialCapacityKeepingOrder() {
        for (int seq = 0; seq < 5000; seq++) {
            ring.add(seq, "v" + seq);
        }
        assertEquals(5000, ring.size());
        for (int seq = 0; seq < 5000; seq++) {
            assertEquals("v" + seq, ring.get(seq));
        }
    }

    @Test
    void growsWhileWrappedAroundKeepingOrder() {
        // Advance the head so that the ring wraps before it grows.
        for (int seq = 0; seq < 1000; seq++) {
            ring.add(seq, "v" + seq);
        }
        for (int i = 0; i < 700; i++) {
            assertEquals("v" + i, ring.removeOldest());
        }
        for (int seq = 1000; seq < 3000; seq++) {
            ring.add(seq, "v" + seq);
        }
        assertEquals(700, ring.firstSeq());
        assertEquals(2300, ring.size());
        for (int seq = 700; seq < 3000; seq++) {
            assertEquals("v" + seq, ring.get(seq));
        }
        assertNull(ring.get(699));
        for (int seq = 700; seq < 3000; seq++) {
            assertEquals("v" + seq, ring.removeOldest());
        }
        assertEquals(0, ring.size());
        assertEquals(3000, ring.firstSeq());
    }

    @Test
    void slidingWindowOfFixedSizeNeverLosesItems() {
        for (int seq = 0; seq < 10_000; seq++) {
            ring.add(seq, "v" + seq);
            if (ring.size() > 1024) {
                assertEquals("v" + (seq - 1024), ring.removeOldest());
            }
            assertEquals("v" + ring.firstSeq(), ring.oldest());
        }
        assertEquals(1024, ring.size());
        assertEquals(10_000 - 1024, ring.firstSeq());
        assertEquals("v9999", ring.get(9999));
    }
}
