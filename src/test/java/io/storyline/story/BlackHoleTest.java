package io.storyline.story;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.storyline.article.ArticleReader;
import io.storyline.eval.ClusteringMetrics;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import io.storyline.article.Article;
import io.storyline.bench.SyntheticCorpus;
import io.storyline.config.EngineConfig;
import io.storyline.config.Settings;
import io.storyline.engine.Engine;
import io.storyline.engine.MergeResolver;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
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

    /**
     * One topic's successive events side by side (AllSides, squeezed into 48 hours: an
     * infrastructure bill's votes and deals, a vaccine booster's approvals; 107 articles, 36
     * events): each new article of the topic resembles the sum of a grown story's members
     * more than any member, so the story took in event after event (24 articles of 12 events,
     * BCubed precision 0.64). Scored by the mean similarity to its members, a story must
     * resemble the article as a whole (7 articles of 3 events at most, precision 0.83).
     */
    @Test
    void aTopicsSuccessiveEventsDoNotChainIntoOneStory() throws IOException {
        Map<String, String> gold = new HashMap<>();
        ObjectMapper json = new ObjectMapper();
        for (String line : Files.readAllLines(Path.of(SAGA + "gold.jsonl"))) {
            var node = json.readTree(line);
            gold.put(node.get("id").asText(), node.get("cluster").asText());
        }
        Map<String, String> grouped = sagaStories(Map.of(), false);
        Map<String, String> summed = sagaStories(Map.of("story.group-average-from", "0"),
                false);
        double precision = ClusteringMetrics.score(gold, grouped).bcubedPrecision();
        double summedPrecision = ClusteringMetrics.score(gold, summed).bcubedPrecision();
        int largest = largest(grouped);
        int largestSummed = largest(summed);
        assertTrue(precision >= 0.8 && largest <= 10, "precision " + precision
                + ", largest story " + largest);
        assertTrue(summedPrecision < precision - 0.1 && largestSummed > 2 * largest,
                "scored by the members' sum: precision " + summedPrecision + ", largest "
                        + largestSummed + "; the fixture no longer shows the chaining");
    }

    /**
     * Without names or figures (lower-cased, no digits: as MStream's stemmed headlines come)
     * the mean is not used: headlines of one event share few words, so a low mean there is
     * word choice, not drift.
     */
    @Test
    void storiesWithoutNamesAreScoredByTheSumOfTheirMembers() {
        Map<String, String> settings = Map.of("story.group-average-from", "0");
        assertEquals(sagaStories(Map.of(), true), sagaStories(settings, true));
    }

    private static final String SAGA = "src/test/resources/story/topic-saga.";

    /** Final story of each article of the saga fixture, by id; plain: no names or figures. */
    private static Map<String, String> sagaStories(Map<String, String> settings,
            boolean plain) {
        Engine engine = new Engine(EngineConfig.from(Settings.of(settings, "test", w -> { })));
        MergeResolver merges = new MergeResolver();
        Map<String, String> story = new HashMap<>();
        new ArticleReader((Article read) -> {
            Article article = plain ? new Article(read.id(), read.url(), read.source(),
                    read.lang(), plain(read.title()), plain(read.text()), read.published())
                    : read;
            Engine.Result result = engine.process(article);
            result.events().forEach(merges::accept);
            story.put(article.id(), result.assignment().story());
        }, problem -> {
            throw new AssertionError(problem.toString());
        }).read(Path.of(SAGA + "articles.jsonl"));
        story.replaceAll((id, s) -> merges.resolve(s));
        return story;
    }

    private static String plain(String text) {
        return text.toLowerCase(Locale.ROOT).replaceAll("[0-9]", "");
    }

    private static int largest(Map<String, String> storyOf) {
        Map<String, Integer> sizes = new HashMap<>();
        storyOf.values().forEach(s -> sizes.merge(s, 1, Integer::sum));
        return sizes.values().stream().mapToInt(Integer::intValue).max().orElse(0);
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
