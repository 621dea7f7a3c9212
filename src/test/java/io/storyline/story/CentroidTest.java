package io.storyline.story;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class CentroidTest {

    private static final long[] QUERY = {1, 2};
    private static final float[] QUERY_WEIGHTS = {0.8f, 0.6f};

    @Test
    void groupAverageTurnsTheCosineWithTheSumIntoTheMeanCosineWithTheMembers() {
        Centroid c = new Centroid();
        c.add(new long[] {1}, new float[] {1f}, 128);
        c.add(new long[] {2}, new float[] {1f}, 128);
        assertEquals(1, c.groupAverage(3), "two members: scored by their sum");
        assertEquals(Math.sqrt(2) / 2, c.groupAverage(2), 1e-6);
        c.add(new long[] {1, 3}, new float[] {0.6f, 0.8f}, 128);
        double mean = (0.8 + 0.6 + 0.8 * 0.6) / 3;
        assertEquals(mean, c.cosine(QUERY, QUERY_WEIGHTS) * c.groupAverage(3), 1e-6);
        assertEquals(1, c.groupAverage(0), "0 turns it off");
    }

    @Test
    void anAbsorbedStoryBringsItsMembers() {
        Centroid a = new Centroid();
        a.add(new long[] {1}, new float[] {1f}, 128);
        a.add(new long[] {2}, new float[] {1f}, 128);
        Centroid b = new Centroid();
        b.add(new long[] {3}, new float[] {1f}, 128);
        a.absorb(b, 128);
        double mean = (0.8 + 0.6 + 0) / 3;
        assertEquals(mean, a.cosine(QUERY, QUERY_WEIGHTS) * a.groupAverage(3), 1e-6);
    }

    @Test
    void identicalMembersScoreAsOne() {
        Centroid c = new Centroid();
        for (int i = 0; i < 5; i++) {
            c.add(QUERY, QUERY_WEIGHTS, 128);
        }
        assertEquals(1, c.groupAverage(3), 1e-6);
        assertEquals(1, c.cosine(QUERY, QUERY_WEIGHTS), 1e-6);
    }
}
