package io.storyline.story;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.storyline.article.Article;
import io.storyline.bench.SyntheticCorpus;
import io.storyline.config.EngineConfig;
import io.storyline.config.Settings;
import io.storyline.engine.Engine;
import io.storyline.engine.MergeResolver;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Unrelated articles without times or language (the bench's synthetic stream: random Zipf
 * text and planted copies, no events) must not pile into one story. Without the centroid
 * backing a story's centroid drifts to the stream's average and takes in 929 of the first
 * 10,000 articles; the commit issue 7 started from took 1,413. With it the largest holds 283:
 * still a chain of chance resemblances. Language detection splits these pseudo-words across
 * German, French and Italian stop lists, so a word in every document can count in a few of
 * them only and pass {@code story.max-df-share}; with the language declared (as the bench
 * streams it) the largest story holds 34.
 */
class BlackHoleTest {

    @Test
    void aDriftingCentroidDoesNotSwallowTheStream() {
        int largest = largestStory(Map.of());
        assertTrue(largest <= 300, "largest story " + largest);
        int unguarded = largestStory(Map.of("story.centroid-backing", "1000"));
        assertTrue(unguarded > 2 * largest, "without backing " + unguarded + ", with "
                + largest + ": the stream no longer shows the drift this test is about");
    }

    private static int largestStory(Map<String, String> settings) {
        Engine engine = new Engine(EngineConfig.from(Settings.of(settings, "test", w -> { })));
        MergeResolver merges = new MergeResolver();
        List<String> stories = new ArrayList<>();
        SyntheticCorpus corpus = new SyntheticCorpus(10_000, 0.3, 42);
        while (corpus.hasNext()) {
            Article a = corpus.next();
            // No language either: detection on its pseudo-words picks a stemmer and stop list
            // that leave the stream's most frequent words in, as a stream in a language
            // without a stop list would.
            Article untimed = new Article(a.id(), a.url(), a.source(), null, a.title(),
                    a.text(), null);
            Engine.Result result = engine.process(untimed);
            result.events().forEach(merges::accept);
            stories.add(result.assignment().story());
        }
        Map<String, Integer> sizes = new HashMap<>();
        for (String story : stories) {
            sizes.merge(merges.resolve(story), 1, Integer::sum);
        }
        return sizes.values().stream().mapToInt(Integer::intValue).max().orElse(0);
    }
}
