package io.storyline.story;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.storyline.article.Article;
import io.storyline.article.ArticleReader;
import io.storyline.article.Assignment;
import io.storyline.config.EngineConfig;
import io.storyline.engine.Engine;
import io.storyline.engine.MergeResolver;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Events of one kind on one day (two earthquakes, two rate decisions, two elections, two
 * crashes, two strikes in one war, two trials, in English and French) and long articles by
 * three outlets each (src/test/resources/story/README.md), and the sample with its real times
 * and squeezed into two hours, through the engine with the default configuration.
 *
 * <p>What must hold without exception: no story ever holds two events, and every copy is
 * linked to its original. How many independent rewrites join their event is held at what the
 * engine reaches today (the goal is all of them; see the issue notes), so a change that loses
 * one fails here.
 */
class SameKindEventsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static final String FIXTURES = "src/test/resources/story/";

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "same-day-en.articles.jsonl, same-day-en.gold.jsonl, 10",
        "same-day-fr.articles.jsonl, same-day-fr.gold.jsonl, 11",
        // 18, not 19: the third cave write-up joined on a shared "000" (every French figure
        // written 29 000 had it) until figures with thousands separators became one token.
        "long-events.articles.jsonl, long-events.gold.jsonl, 18",
        // One event by ten outlets that share few words (shingle Jaccard at most 0.08): 12
        // of 36 write-ups join today. Scoring a grown story by its members' mean similarity
        // instead of their sum made it 8 (see the revert of ff9adca).
        "big-events.articles.jsonl, big-events.gold.jsonl, 12",
        "../../../../seeds/sample.jsonl, ../../../../seeds/gold.jsonl, 12",
        "../../../../seeds/sample-same-day.jsonl, ../../../../seeds/gold.jsonl, 12"
    })
    void eventsStayApartAndRewritesJoinTheirEvent(String articleFile, String goldFile,
            int minJoined) throws IOException {
        Path articles = Path.of(FIXTURES, articleFile).normalize();
        Path gold = Path.of(FIXTURES, goldFile).normalize();
        Map<String, String> event = gold(gold);
        Map<String, Assignment> out = cluster(articles);
        Map<String, String> eventOfStory = new HashMap<>();
        int joined = 0;
        for (Assignment a : out.values()) {
            String previous = eventOfStory.putIfAbsent(a.story(), event.get(a.id()));
            assertTrue(previous == null || previous.equals(event.get(a.id())),
                    a.id() + " (" + event.get(a.id()) + ") joined story " + a.story()
                            + " of event " + previous + ": " + a.why());
            if (!a.id().equals(event.get(a.id())) && a.story().equals(
                    out.get(event.get(a.id())).story())) {
                joined++;
            }
            if (a.duplicateOf() != null) {
                assertEquals(event.get(a.id()), a.duplicateOf(), a.id() + " copies its original");
            }
        }
        assertTrue(joined >= minJoined, joined + " articles joined their event's first, "
                + "fewer than the " + minJoined + " reached so far");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"seeds/sample.jsonl", "seeds/sample-same-day.jsonl"})
    void theSampleHasFiveStoriesWhetherDaysOrMinutesApart(Path articles) throws IOException {
        Map<String, String> event = gold(Path.of("seeds/gold.jsonl"));
        Map<String, Assignment> out = cluster(articles);
        assertEquals(5, out.values().stream().map(Assignment::story).distinct().count());
        for (Assignment a : out.values()) {
            assertEquals(event.get(a.id()), a.story(), a.id());
            if (a.id().startsWith("copy-")) {
                assertEquals(event.get(a.id()), a.duplicateOf(), a.id() + " is a copy");
            }
        }
        assertNotEquals(out.get("seed-000").story(), out.get("seed-002").story());
    }

    /** Final assignments (merges resolved) by article id, in input order. */
    private static Map<String, Assignment> cluster(Path file) {
        Engine engine = new Engine(EngineConfig.defaults());
        MergeResolver merges = new MergeResolver();
        List<Assignment> assignments = new ArrayList<>();
        new ArticleReader((Article article) -> {
            Engine.Result result = engine.process(article);
            result.events().forEach(merges::accept);
            assignments.add(result.assignment());
        }, problem -> {
            throw new AssertionError(problem.toString());
        }).read(file);
        Map<String, Assignment> out = new LinkedHashMap<>();
        for (Assignment a : assignments) {
            out.put(a.id(), a.withStory(merges.resolve(a.story())));
        }
        return out;
    }

    private static Map<String, String> gold(Path file) throws IOException {
        Map<String, String> out = new HashMap<>();
        for (String line : Files.readAllLines(file)) {
            var node = JSON.readTree(line);
            out.put(node.get("id").asText(), node.get("cluster").asText());
        }
        return out;
    }
}
