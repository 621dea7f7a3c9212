package io.storyline.engine;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.storyline.article.Article;
import io.storyline.article.ArticleReader;
import io.storyline.article.Assignment;
import io.storyline.article.Assignment.Verdict;
import io.storyline.article.StoryEvent;
import io.storyline.config.EngineConfig;
import io.storyline.config.Settings;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The engine as a whole on the first 1,000 articles of the AllSides set (public NeuS data,
 * src/test/resources/engine/allsides-sample.jsonl) with planted exact and near copies.
 */
class EngineTest {

    private static final Instant T0 = Instant.parse("2024-03-05T08:00:00Z");

    /** A planted copy: its id, the id of the article it copies, and whether it is exact. */
    private record Planted(String id, String original, boolean exact) {
    }

    private final List<Planted> planted = new ArrayList<>();

    @Test
    void sameInputGivesSameAssignmentsAndEventsInFreshEngines() {
        List<Article> input = inputWithCopies();
        assertTrue(input.size() > 1000);
        List<Engine.Result> first = run(new Engine(EngineConfig.defaults()), input);
        List<Engine.Result> second = run(new Engine(EngineConfig.defaults()), input);
        assertEquals(input.size(), first.size());
        assertEquals(first.size(), second.size());
        for (int i = 0; i < first.size(); i++) {
            assertNotSame(first.get(i), second.get(i));
            assertEquals(first.get(i).assignment(), second.get(i).assignment(), "assignment " + i);
            assertEquals(first.get(i).events(), second.get(i).events(), "events of " + i);
        }
        // The compared output covers every kind of decision and event.
        Set<Object> kinds = new HashSet<>();
        for (Engine.Result r : first) {
            kinds.add(r.assignment().verdict());
            r.events().forEach(e -> kinds.add(e.type()));
        }
        Set<Object> all = new HashSet<>(List.of(Verdict.values()));
        all.addAll(List.of(StoryEvent.Type.values()));
        assertEquals(all, kinds);
    }

    @Test
    void plantedCopiesPointToTheirOriginalAndJoinItsStory() {
        List<Article> input = inputWithCopies();
        List<Engine.Result> results = run(new Engine(EngineConfig.defaults()), input);
        Map<String, Assignment> byId = new HashMap<>();
        MergeResolver stories = new MergeResolver();
        for (Engine.Result r : results) {
            byId.put(r.assignment().id(), r.assignment());
            r.events().forEach(stories::accept);
        }
        assertEquals(input.size(), byId.size());
        assertTrue(planted.size() >= 30, planted.size() + " copies planted");
        int exact = 0;
        for (Planted p : planted) {
            Assignment copy = byId.get(p.id());
            Assignment original = byId.get(p.original());
            // The original may itself copy an earlier article: copies point to the first.
            String first = original.duplicateOf() != null ? original.duplicateOf() : p.original();
            assertEquals(first, copy.duplicateOf(), copy.toString());
            assertEquals(stories.resolve(original.story()), stories.resolve(copy.story()),
                    copy.toString());
            if (p.exact()) {
                exact++;
                assertEquals(Verdict.EXACT_DUPLICATE, copy.verdict(), copy.toString());
                assertEquals(1.0, copy.similarity());
            } else {
                assertEquals(Verdict.NEAR_DUPLICATE, copy.verdict(), copy.toString());
                assertTrue(copy.lower() <= copy.similarity()
                        && copy.similarity() <= copy.upper(), copy.toString());
                assertTrue(copy.similarity() > 0.2, copy.toString());
            }
        }
        assertTrue(exact > 0 && exact < planted.size());
    }

    @Test
    void everyArticleGetsExactlyOneAssignmentWithAConsistentVerdict() {
        List<Article> input = inputWithCopies();
        List<Engine.Result> results = run(new Engine(EngineConfig.defaults()), input);
        for (int i = 0; i < input.size(); i++) {
            Assignment a = results.get(i).assignment();
            assertEquals(input.get(i).id(), a.id());
            switch (a.verdict()) {
                case NEW_STORY -> {
                    assertEquals(a.id(), a.story());
                    assertNull(a.matched());
                    assertNull(a.duplicateOf());
                    assertTrue(results.get(i).events().contains(new StoryEvent(
                            StoryEvent.Type.CREATED, a.id(), a.id(), 1, null)));
                }
                case STORY -> {
                    assertNull(a.duplicateOf());
                    assertTrue(a.matched() != null && !a.matched().equals(a.id()));
                }
                case EXACT_DUPLICATE, NEAR_DUPLICATE -> {
                    assertTrue(a.duplicateOf() != null && a.matched() != null);
                    assertTrue(results.get(i).events().stream().anyMatch(e -> e.type()
                            == StoryEvent.Type.GREW && a.id().equals(e.article())));
                }
                default -> throw new AssertionError(a.verdict());
            }
        }
    }

    @Test
    void articleWithoutTimeTakesTheLatestEventTime() {
        Engine engine = new Engine(config(Map.of("window.hours", "1")));
        engine.process(Article.of("a", "Storm", "Storm hits the northern coast tonight", T0));
        Engine.Result late = engine.process(Article.of("b", "Vote",
                "Parliament votes on the new budget", T0.plus(Duration.ofHours(3))));
        Engine.Result untimed = engine.process(Article.of("c", "Match",
                "The home side won the derby in extra time", null));
        // The window moves before "b" is matched: "a" has left it.
        assertEquals(List.of(new StoryEvent(StoryEvent.Type.CLOSED, "a", null, 1, null),
                new StoryEvent(StoryEvent.Type.CREATED, "b", "b", 1, null)), late.events());
        // Placed at the watermark (T0 + 3 h): nothing is old enough to leave.
        assertEquals(List.of(new StoryEvent(StoryEvent.Type.CREATED, "c", "c", 1, null)),
                untimed.events());
        assertEquals(2, engine.windowSize());
    }

    @Test
    void aRevisionKeepsItsAssignmentAndARedeliveryIsARepeat() {
        Engine engine = new Engine(EngineConfig.defaults());
        Engine.Result first = engine.process(Article.of("a", "Storm",
                "Storm hits the northern coast tonight", T0), 0, null);
        engine.process(Article.of("b", "Vote", "Parliament votes on the new budget", T0));
        Engine.Result revised = engine.process(Article.of("a", "Storm, updated",
                "Vote on the budget: parliament votes tonight on the new budget", T0), 1, null);
        Engine.Result again = engine.process(Article.of("a", "Storm", "Anything", T0), 1, null);

        assertEquals(Engine.Kind.NEW, first.kind());
        assertEquals(Engine.Kind.REVISION, revised.kind());
        assertEquals(first.assignment(), revised.assignment());
        assertEquals(List.of(), revised.events());
        assertEquals(Engine.Kind.REPEAT, again.kind());
        assertEquals(List.of(), again.events());
        assertEquals(2, engine.windowSize());
    }

    @Test
    void withArrivalTimesTheWindowFollowsArrivalNotFeedDates() {
        List<Article> sample = sample();
        Article old = sample.get(0);
        Article copy = new Article("copy-of-old", null, "Copying Source", old.lang(),
                old.title(), old.text(), old.published());
        Instant fetched = Instant.parse("2026-11-22T08:00:00Z");
        List<Article> input = new ArrayList<>();
        input.add(old);
        // Two articles dated years later (a first poll of other feeds) come in between.
        for (int i = 1; i <= 2; i++) {
            Article a = sample.get(i);
            input.add(new Article(a.id(), a.url(), a.source(), a.lang(), a.title(), a.text(),
                    old.published().plus(Duration.ofDays(800 + i))));
        }
        input.add(copy);

        Engine byArrival = new Engine(EngineConfig.defaults());
        Engine byDate = new Engine(EngineConfig.defaults());
        Engine.Result viaArrival = null;
        Engine.Result viaDate = null;
        for (int i = 0; i < input.size(); i++) {
            viaArrival = byArrival.process(input.get(i), 0, fetched.plusSeconds(i));
            viaDate = byDate.process(input.get(i));
        }
        assertEquals(old.id(), viaArrival.assignment().duplicateOf());
        assertEquals(null, viaDate.assignment().duplicateOf(), "by dates, the original left");
    }

    @Test
    void anIdThatLeftTheWindowIsNewAgain() {
        Engine engine = new Engine(config(Map.of("window.hours", "1")));
        engine.process(Article.of("a", "Storm", "Storm hits the northern coast tonight", T0));
        engine.process(Article.of("b", "Vote", "Parliament votes on the new budget",
                T0.plus(Duration.ofHours(3))));
        Engine.Result back = engine.process(Article.of("a", "Storm", "Storm hits the coast",
                T0.plus(Duration.ofHours(3))), 1, null);
        assertEquals(Engine.Kind.NEW, back.kind());
    }

    @Test
    void streamWithoutTimesNeverEvictsByTime() {
        Engine engine = new Engine(config(Map.of("window.hours", "1")));
        for (int i = 0; i < 50; i++) {
            engine.process(Article.of("n" + i, "Headline " + i, "Body number " + i, null));
        }
        assertEquals(50, engine.windowSize());
    }

    @Test
    void probeHearsEveryStageInOrder() {
        List<Engine.Stage> stages = new ArrayList<>();
        Engine engine = new Engine(EngineConfig.defaults(), stages::add);
        engine.process(Article.of("a", "Storm", "Storm hits the northern coast tonight", T0));
        engine.process(Article.of("b", "Storm", "Storm hits the northern coast tonight", T0));
        List<Engine.Stage> once = List.of(Engine.Stage.TEXT, Engine.Stage.SKETCH,
                Engine.Stage.COPY, Engine.Stage.STORY);
        List<Engine.Stage> twice = new ArrayList<>(once);
        twice.addAll(once);
        assertEquals(twice, stages);
    }

    @Test
    void copyOfACopyWhoseOriginalLeftTheWindowDoesNotFail() {
        Engine engine = new Engine(config(Map.of("window.hours", "1")));
        String title = "Storm closes schools";
        String text = String.join(" ", List.of("Schools across the northern region stayed",
                "closed on Monday after an overnight storm brought down power lines, flooded",
                "roads and left thousands of homes without electricity, officials said, adding",
                "that crews expected to restore supply by the end of the week."));
        engine.process(Article.of("a", title, text, T0));
        Assignment b = engine.process(Article.of("b", title, text,
                T0.plus(Duration.ofMinutes(50)))).assignment();
        // "c" arrives at 70 min: it is assigned while "a" is in the window, then "a" leaves.
        Assignment c = engine.process(Article.of("c", title, text,
                T0.plus(Duration.ofMinutes(70)))).assignment();
        assertEquals("a", b.duplicateOf());
        assertEquals("a", c.duplicateOf());
        // "d" copies "b" and "c", whose group began with "a", no longer in the window.
        Assignment d = assertDoesNotThrow(() -> engine.process(Article.of("d", title, text,
                T0.plus(Duration.ofMinutes(80)))).assignment());
        assertEquals("a", d.story());
        assertEquals("a", d.duplicateOf());
    }

    @Test
    void copiesOfAnUntimedFirstArticleDoNotFail() {
        Engine engine = new Engine(EngineConfig.defaults());
        String text = "Schools across the northern region stayed closed on Monday after an"
                + " overnight storm brought down power lines and flooded roads.";
        engine.process(Article.of("a", "Storm closes schools", text, null));
        Assignment b = engine.process(Article.of("b", "Storm closes schools", text, T0))
                .assignment();
        assertEquals("a", b.duplicateOf());
        Assignment c = assertDoesNotThrow(() -> engine.process(Article.of("c",
                "Storm closes schools", text, T0.plusSeconds(60))).assignment());
        assertEquals("a", c.duplicateOf());
    }

    // ---- helpers ----

    @Test
    void anArticleDatedYearsAheadNeitherEmptiesNorHoldsTheWindow() {
        Engine engine = new Engine(EngineConfig.defaults());
        String text = "Schools across the northern region stayed closed on Monday after an"
                + " overnight storm brought down power lines and flooded roads.";
        engine.process(Article.of("a", "Storm closes schools", text, T0));
        engine.process(Article.of("typo", "Council budget vote", "The council voted on the"
                + " budget for next year.", Instant.parse("2999-01-01T00:00:00Z")));
        Assignment b = engine.process(Article.of("b", "Storm closes schools", text,
                T0.plus(Duration.ofHours(1)))).assignment();
        assertEquals(3, engine.windowSize());
        assertEquals("a", b.duplicateOf());
        // Four days on, "a" and "b" have left; the typo, still years ahead, went with them.
        engine.process(Article.of("c", "Later news", "Something else entirely happened.",
                T0.plus(Duration.ofDays(4))));
        assertEquals(1, engine.windowSize());
    }

    @Test
    void untimedArticlesThenAnEpochDatedOneDoNotFail() {
        Engine engine = new Engine(EngineConfig.defaults());
        engine.process(Article.of("a", "Storm", "Storm hits the northern coast tonight", null));
        Assignment b = assertDoesNotThrow(() -> engine.process(Article.of("b", "Storm",
                "Storm hits the northern coast tonight and tomorrow",
                Instant.EPOCH)).assignment());
        assertEquals("b", b.id());
        assertEquals(2, engine.windowSize());
    }

    private static List<Engine.Result> run(Engine engine, List<Article> input) {
        List<Engine.Result> results = new ArrayList<>();
        for (Article article : input) {
            results.add(engine.process(article));
        }
        return results;
    }

    private static EngineConfig config(Map<String, String> values) {
        return EngineConfig.from(Settings.of(values, "test", w -> { }));
    }

    /**
     * The sample with copies planted a few articles after their originals: an exact copy of
     * every 40th article and a near copy (about 8 % of words replaced) of every 40th + 20.
     */
    private List<Article> inputWithCopies() {
        planted.clear();
        List<Article> sample = sample();
        List<Article> input = new ArrayList<>();
        Map<Integer, List<Article>> due = new HashMap<>();
        SplittableRandom random = new SplittableRandom(31);
        for (int i = 0; i < sample.size(); i++) {
            Article a = sample.get(i);
            input.add(a);
            if (i % 40 == 5) {
                Article copy = new Article("exact-" + a.id(), null, "Copying Source", a.lang(),
                        a.title(), a.text(), a.published());
                due.computeIfAbsent(i + 3, k -> new ArrayList<>()).add(copy);
                planted.add(new Planted(copy.id(), a.id(), true));
            } else if (i % 40 == 25) {
                Article copy = new Article("near-" + a.id(), null, "Rewriting Source", a.lang(),
                        a.title(), substitute(random, a.text(), 0.08), a.published());
                due.computeIfAbsent(i + 4, k -> new ArrayList<>()).add(copy);
                planted.add(new Planted(copy.id(), a.id(), false));
            }
            input.addAll(due.getOrDefault(i, List.of()));
        }
        return input;
    }

    private static List<Article> sample() {
        List<Article> articles = new ArrayList<>();
        List<Object> problems = new ArrayList<>();
        try {
            Path file = Path.of(EngineTest.class.getResource("/engine/allsides-sample.jsonl")
                    .toURI());
            new ArticleReader(articles::add, problems::add).read(file);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        assertEquals(List.of(), problems);
        assertEquals(1000, articles.size());
        return articles;
    }

    /** The text with {@code share} of its words replaced by made-up words. */
    private static String substitute(SplittableRandom random, String text, double share) {
        String[] words = text.split(" ");
        int n = Math.max(1, (int) Math.round(share * words.length));
        for (int k = 0; k < n; k++) {
            words[random.nextInt(words.length)] = "zq" + Integer.toString(random.nextInt(1 << 20),
                    36);
        }
        return String.join(" ", words);
    }
}
