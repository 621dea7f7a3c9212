package io.storyline.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.storyline.article.StoryEvent;
import io.storyline.article.StoryEvent.Type;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Story sizes count articles by final story id and read nearest-rank percentiles. */
class StorySizesTest {

    private static StoryEvent merged(String story, String into) {
        return new StoryEvent(Type.MERGED, story, "x", 0, into);
    }

    @Test
    void countsArticlesByFinalStoryOnceMergesAreResolved() {
        StorySizes.Tally tally = new StorySizes.Tally(0);
        for (int i = 0; i < 5; i++) {
            tally.add("a", List.of(new StoryEvent(Type.GREW, "a", "a" + i, i + 1, null)));
        }
        for (int i = 0; i < 4; i++) {
            tally.add("b", List.of());
        }
        tally.add("c", List.of());
        tally.add("c", List.of());
        tally.add("d", List.of());
        // c merges into b after its articles were counted, then b into a: a chain to resolve.
        tally.add("b", List.of(merged("c", "b")));
        tally.add("a", List.of(merged("b", "a"), new StoryEvent(Type.CLOSED, "d", null, 1,
                null)));
        for (int i = 0; i < 16; i++) {
            tally.add("s" + i, List.of());
        }
        tally.add("e", List.of());
        tally.add("e", List.of());
        tally.add("e", List.of());

        // a: 5 + 1 of its own, b: 4 + 1, c: 2, so 13; then e 3, d 1 and 16 singletons.
        assertEquals(new StorySizes(19, 13, 13, 3, 1), tally.sizes());
    }

    @Test
    void percentilesAreNearestRank() {
        int[] sizes = IntStream.rangeClosed(1, 200).map(i -> 201 - i).toArray();
        assertEquals(new StorySizes(200, 200, 198, 180, 100), StorySizes.of(sizes));
        // Ranks round up: the p99 of ten stories is the largest, not the ninth.
        assertEquals(new StorySizes(10, 10, 10, 9, 5),
                StorySizes.of(IntStream.rangeClosed(1, 10).toArray()));
        assertEquals(new StorySizes(1, 7, 7, 7, 7), StorySizes.of(new int[] {7}));
        assertEquals(new StorySizes(0, 0, 0, 0, 0), StorySizes.of(new int[0]));
    }
}
