package io.storyline.bench;

import io.storyline.article.StoryEvent;
import io.storyline.engine.MergeResolver;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * How many articles the stream's stories hold, by final story id (merges resolved, as
 * {@code cluster} writes them). A story that swallows unrelated articles shows here and in no
 * throughput figure. Percentiles are nearest-rank: the size that the given share of stories
 * does not exceed.
 */
public record StorySizes(int stories, int largest, int p99, int p90, int median) {

    /** The distribution of {@code sizes}, articles per story in any order. */
    static StorySizes of(int[] sizes) {
        int[] sorted = sizes.clone();
        Arrays.sort(sorted);
        return new StorySizes(sorted.length, rank(sorted, 100), rank(sorted, 99),
                rank(sorted, 90), rank(sorted, 50));
    }

    /** Nearest rank: the smallest size that {@code percent} % of the stories do not exceed. */
    private static int rank(int[] sorted, int percent) {
        if (sorted.length == 0) {
            return 0;
        }
        long rank = ((long) percent * sorted.length + 99) / 100;
        return sorted[(int) rank - 1];
    }

    /**
     * Notes each article's story as the engine assigns it, and the merges. Ids resolve only
     * at the end: a story can merge into another long after its articles were assigned.
     */
    static final class Tally {
        private final MergeResolver merges = new MergeResolver();
        private final List<String> stories;

        Tally(int articles) {
            stories = new ArrayList<>(articles);
        }

        /** An article assigned to {@code story}, with the events its assignment caused. */
        void add(String story, List<StoryEvent> events) {
            stories.add(story);
            for (StoryEvent e : events) {
                merges.accept(e);
            }
        }

        StorySizes sizes() {
            Map<String, Integer> sizes = new HashMap<>();
            for (String story : stories) {
                sizes.merge(merges.resolve(story), 1, Integer::sum);
            }
            return of(sizes.values().stream().mapToInt(Integer::intValue).toArray());
        }
    }
}
