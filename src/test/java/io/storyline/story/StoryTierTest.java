package io.storyline.story;

import static io.storyline.testing.PseudoWords.word;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.storyline.article.Article;
import io.storyline.article.ArticleReader;
import io.storyline.article.Assignment;
import io.storyline.article.Assignment.Verdict;
import io.storyline.article.StoryEvent;
import io.storyline.article.Why;
import io.storyline.article.StoryEvent.Type;
import io.storyline.config.EngineConfig;
import io.storyline.config.Settings;
import io.storyline.engine.Engine;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The story tier, driven through the engine. Engines are first warmed up with 100 AllSides
 * articles from October 2021 (src/test/resources/story), so that the stream IDF knows common
 * English words; the test articles come years later, so the warm-up stories have left the
 * window (their CLOSED events are filtered out) and time decay keeps them from matching.
 */
class StoryTierTest {

    private static final Instant T0 = Instant.parse("2024-03-05T08:00:00Z");

    static final String QUAKE_A_TITLE =
            "Magnitude 7.2 earthquake hits Sumatra, killing at least 14";
    static final String QUAKE_A = "A powerful magnitude 7.2 earthquake struck off the western"
            + " coast of Sumatra early Tuesday, killing at least 14 people and damaging hundreds"
            + " of homes in the city of Padang, Indonesian officials said. The quake was centred"
            + " 80 kilometres southwest of Padang at a depth of 25 kilometres, according to the"
            + " meteorology and geophysics agency BMKG. Agency head Dwikorita Karnawati said no"
            + " tsunami warning was issued. Rescue teams in West Sumatra searched collapsed"
            + " buildings through the night.";
    static final String QUAKE_B_TITLE = "Deadly quake rocks Indonesia's West Sumatra province";
    static final String QUAKE_B = "At least 14 people died after a 7.2-magnitude quake shook"
            + " Indonesia's West Sumatra province on Tuesday, the national disaster agency said."
            + " Buildings collapsed in Padang, the provincial capital, and residents fled to"
            + " higher ground fearing a tsunami. BMKG chief Dwikorita Karnawati told reporters"
            + " the epicentre lay 80 km southwest of Padang, 25 km beneath the seabed, and that"
            + " the tremor did not trigger a tsunami. Search and rescue teams were still digging"
            + " through rubble.";
    static final String FED_TITLE =
            "Federal Reserve holds rates at 5.25% as Powell signals patience";
    static final String FED = "The Federal Reserve left its benchmark interest rate unchanged on"
            + " Wednesday, with chair Jerome Powell telling reporters in Washington that"
            + " policymakers want more evidence inflation is cooling before cutting borrowing"
            + " costs. Markets on Wall Street rose after the decision, and Treasury yields fell.";

    // ---- joining and new stories ----

    @Test
    void twoWriteUpsOfOneEventFormOneStoryAndAnUnrelatedArticleAnother() {
        Engine engine = warmEngine(Map.of());
        Assignment a = engine.process(article("a", QUAKE_A_TITLE, QUAKE_A, T0)).assignment();
        Assignment c = engine.process(article("c", FED_TITLE, FED, T0.plusSeconds(600)))
                .assignment();
        Engine.Result b = engine.process(article("b", QUAKE_B_TITLE, QUAKE_B,
                T0.plusSeconds(1800)));
        assertEquals(new Assignment("a", "a", null, 0, 0, 0, null, Verdict.NEW_STORY), a);
        assertEquals(new Assignment("c", "c", null, 0, 0, 0, null, Verdict.NEW_STORY), c);
        Assignment joined = b.assignment();
        assertEquals("a", joined.story());
        assertEquals("a", joined.matched());
        assertEquals(Verdict.STORY, joined.verdict());
        assertNull(joined.duplicateOf());
        assertTrue(joined.similarity() >= 0.15 && joined.similarity() <= 1, joined.toString());
        assertEquals(joined.similarity(), joined.lower());
        assertEquals(joined.similarity(), joined.upper());
        assertEquals(List.of(new StoryEvent(Type.GREW, "a", "b", 2, null)), b.events());
    }

    @Test
    void laterArticleIsMatchedAgainstAnEarlierMember() {
        Engine engine = warmEngine(Map.of());
        engine.process(article("a", QUAKE_A_TITLE, QUAKE_A, T0));
        engine.process(article("b", QUAKE_B_TITLE, QUAKE_B, T0.plusSeconds(600)));
        Assignment third = engine.process(article("d",
                "Quake toll in Padang rises as BMKG rules out tsunami",
                "Rescue teams in Padang and across West Sumatra pulled more people from"
                        + " collapsed buildings after Tuesday's magnitude 7.2 earthquake. BMKG"
                        + " head Dwikorita Karnawati repeated that no tsunami followed the"
                        + " quake, which struck 80 kilometres southwest of Padang.",
                T0.plusSeconds(3600))).assignment();
        assertEquals("a", third.story());
        assertEquals(Verdict.STORY, third.verdict());
        assertTrue(List.of("a", "b").contains(third.matched()), third.toString());
    }

    @Test
    void newStoryIdIsTheIdOfItsFirstArticle() {
        Engine engine = warmEngine(Map.of());
        Engine.Result fed = engine.process(article("fed-1", FED_TITLE, FED, T0));
        assertEquals("fed-1", fed.assignment().story());
        assertEquals(List.of(new StoryEvent(Type.CREATED, "fed-1", "fed-1", 1, null)),
                testEvents(fed));
    }

    @Test
    void copyJoinsTheStoryOfItsOriginal() {
        Engine engine = warmEngine(Map.of());
        engine.process(article("a", QUAKE_A_TITLE, QUAKE_A, T0));
        engine.process(article("c", FED_TITLE, FED, T0));
        Engine.Result copy = engine.process(article("a-copy", QUAKE_A_TITLE, QUAKE_A,
                T0.plusSeconds(60)));
        assertEquals(new Assignment("a-copy", "a", "a", 1, 1, 1, "a", Verdict.EXACT_DUPLICATE),
                copy.assignment());
        assertEquals(List.of(new StoryEvent(Type.GREW, "a", "a-copy", 2, null)), copy.events());
    }

    @Test
    void twoWriteUpsJoinInAFreshEngine() {
        Engine engine = new Engine(EngineConfig.defaults());
        engine.process(article("a", QUAKE_A_TITLE, QUAKE_A, T0));
        engine.process(article("c", FED_TITLE, FED, T0.plusSeconds(600)));
        Assignment b = engine.process(article("b", QUAKE_B_TITLE, QUAKE_B,
                T0.plusSeconds(1800))).assignment();
        assertEquals("a", b.story());
    }

    // ---- lifecycle events ----

    @Test
    void storyClosesWhenItsLastMemberLeavesTheWindow() {
        Engine engine = warmEngine(Map.of("window.hours", "1"));
        Engine.Result a = engine.process(article("a", QUAKE_A_TITLE, QUAKE_A, T0));
        Engine.Result b = engine.process(article("b", QUAKE_B_TITLE, QUAKE_B,
                T0.plus(Duration.ofMinutes(50))));
        // 70 min: "a" leaves the window but "b" keeps the story open.
        Engine.Result c = engine.process(article("c", FED_TITLE, FED,
                T0.plus(Duration.ofMinutes(70))));
        // 2 h 20 min: "b" and "c" leave.
        Engine.Result d = engine.process(article("d", "Local team wins the cup final",
                "Supporters celebrated in the streets after the club lifted the trophy for"
                        + " the first time in forty years, beating their rivals 3-1.",
                T0.plus(Duration.ofMinutes(140))));
        assertEquals(List.of(new StoryEvent(Type.CREATED, "a", "a", 1, null)), testEvents(a));
        assertEquals(List.of(new StoryEvent(Type.GREW, "a", "b", 2, null)), testEvents(b));
        assertEquals(List.of(new StoryEvent(Type.CREATED, "c", "c", 1, null)), testEvents(c));
        // The window moves before "d" is matched: the closed stories come first.
        assertEquals(List.of(new StoryEvent(Type.CLOSED, "a", null, 2, null),
                new StoryEvent(Type.CLOSED, "c", null, 1, null),
                new StoryEvent(Type.CREATED, "d", "d", 1, null)), testEvents(d));
        assertEquals(1, engine.windowSize());
    }

    @Test
    void articlesTwoHoursApartInAOneHourWindowCloseEachOther() {
        Engine engine = new Engine(config(Map.of("window.hours", "1")));
        List<List<StoryEvent>> events = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            events.add(engine.process(article("s" + i, "Title " + word(i),
                    pseudoText(i * 1000, 40), T0.plus(Duration.ofHours(2L * i)))).events());
        }
        assertEquals(List.of(new StoryEvent(Type.CREATED, "s0", "s0", 1, null)), events.get(0));
        for (int i = 1; i < 4; i++) {
            String id = "s" + i;
            assertEquals(List.of(new StoryEvent(Type.CLOSED, "s" + (i - 1), null, 1, null),
                    new StoryEvent(Type.CREATED, id, id, 1, null)), events.get(i));
            assertEquals(1, engine.windowSize());
        }
    }

    @Test
    void windowIsBoundedByMaxArticles() {
        Engine engine = new Engine(config(Map.of("window.max-articles", "100")));
        int closed = 0;
        for (int i = 0; i < 300; i++) {
            Engine.Result r = engine.process(article("m" + i, "Item " + word(i),
                    pseudoText(i * 50, 30), T0));
            closed += (int) r.events().stream().filter(e -> e.type() == Type.CLOSED).count();
            assertEquals(Math.min(i + 1, 100), engine.windowSize(), "after article " + i);
        }
        assertTrue(closed > 0 && closed <= 200, closed + " stories closed");
    }

    // ---- time ----

    @Test
    void writeUpsTenDaysApartAreNotJoined() {
        Engine engine = warmEngine(Map.of("window.hours", "720"));
        engine.process(article("a", QUAKE_A_TITLE, QUAKE_A, T0));
        engine.process(article("c", FED_TITLE, FED, T0));
        Assignment b = engine.process(article("b", QUAKE_B_TITLE, QUAKE_B,
                T0.plus(Duration.ofDays(10)))).assignment();
        assertEquals(new Assignment("b", "b", null, 0, 0, 0, null, Verdict.NEW_STORY), b);
        assertEquals(3, engine.windowSize()); // "a" is still in the window: decay decided
    }

    @Test
    void writeUpsOneHourApartAreJoined() {
        Engine engine = warmEngine(Map.of("window.hours", "720"));
        engine.process(article("a", QUAKE_A_TITLE, QUAKE_A, T0));
        engine.process(article("c", FED_TITLE, FED, T0));
        Assignment b = engine.process(article("b", QUAKE_B_TITLE, QUAKE_B,
                T0.plus(Duration.ofHours(1)))).assignment();
        assertEquals("a", b.story());
        assertEquals(Verdict.STORY, b.verdict());
    }

    @Test
    void similarityHalvesWithEachHalfLife() {
        double[] similarity = new double[3];
        for (int days = 0; days < 3; days++) {
            Engine engine = warmEngine(Map.of("window.hours", "720",
                    "story.threshold", "0.01", "story.threshold-short", "0.01",
                    "story.time-half-life.hours", "24"));
            engine.process(article("a", QUAKE_A_TITLE, QUAKE_A, T0));
            similarity[days] = engine.process(article("b", QUAKE_B_TITLE, QUAKE_B,
                    T0.plus(Duration.ofDays(days)))).assignment().similarity();
        }
        assertEquals(similarity[0] / 2, similarity[1], 1e-6);
        assertEquals(similarity[0] / 4, similarity[2], 1e-6);
    }

    // ---- explanations ----

    @Test
    void aJoinExplainsItselfWithTheSharedNamesFiguresAndWords() {
        Engine engine = warmEngine(Map.of());
        engine.process(article("a", QUAKE_A_TITLE, QUAKE_A, T0));
        Assignment b = engine.process(article("b", QUAKE_B_TITLE, QUAKE_B,
                T0.plusSeconds(1800))).assignment();
        Why why = b.why();
        assertEquals(Verdict.STORY, b.verdict());
        assertEquals(b.similarity(), why.score(), 1e-12);
        assertEquals(0.25, why.threshold(), 1e-12);
        assertTrue(why.score() >= why.threshold());
        assertTrue(why.names().containsAll(List.of("Sumatra", "Padang", "BMKG")), why::toString);
        assertTrue(why.numbers().contains("7.2"), why::toString);
        assertTrue(why.terms().contains("tsunami"), why::toString);
        assertTrue(why.time() < 1 && why.time() > 0.99, why::toString);
        assertEquals(why.score(), why.words() * why.agreement() * why.time(), 1e-9);
    }

    @Test
    void aNewStoryAndACopyCarryNoExplanation() {
        Engine engine = warmEngine(Map.of());
        Assignment a = engine.process(article("a", QUAKE_A_TITLE, QUAKE_A, T0)).assignment();
        Assignment copy = engine.process(article("copy", QUAKE_A_TITLE, QUAKE_A,
                T0.plusSeconds(60))).assignment();
        assertNull(a.why());
        assertNull(copy.why());
    }

    @Test
    void differentNamesCountAgainstAJoinAndAreListed() {
        Map<String, String> lowThreshold = Map.of("story.threshold", "0.01",
                "story.threshold-short", "0.01");
        Engine engine = warmEngine(lowThreshold);
        engine.process(article("a", QUAKE_A_TITLE, QUAKE_A, T0));
        Assignment chile = engine.process(article("chile",
                "Strong quake shakes northern Chile, several dead in Antofagasta",
                "Several people died when a strong earthquake shook Chile's northern coast on"
                        + " Tuesday, toppling walls in Antofagasta, according to the Senapred"
                        + " disaster service. Rescuers dug through rubble and officials said a"
                        + " tsunami was not expected.",
                T0.plusSeconds(1800))).assignment();
        Why why = chile.why();
        assertTrue(why.agreement() < 1, why::toString);
        assertTrue(why.conflicts().contains("Antofagasta"), why::toString);
        assertTrue(why.conflicts().contains("Padang"), why::toString);
    }

    /** The second quake write-up with its day of the week replaced by {@code day}. */
    private static Why quakeWriteUpOn(String day, Map<String, String> values) {
        Engine engine = warmEngine(values);
        engine.process(article("a", QUAKE_A_TITLE, QUAKE_A, T0));
        Assignment b = engine.process(article("b", QUAKE_B_TITLE,
                QUAKE_B.replace("on Tuesday", "on " + day), T0.plusSeconds(1800))).assignment();
        assertEquals("a", b.story(), "joins at any score above the low threshold");
        return b.why();
    }

    private static final Map<String, String> LOW_THRESHOLD = Map.of("story.threshold", "0.01",
            "story.threshold-short", "0.01");

    @Test
    void daysOfTheWeekMoreThanADayApartCountAgainstAJoinAndAreListed() {
        Why sameDay = quakeWriteUpOn("Tuesday", LOW_THRESHOLD);
        Why nextDay = quakeWriteUpOn("Wednesday", LOW_THRESHOLD);
        Why dayBefore = quakeWriteUpOn("Monday", LOW_THRESHOLD);
        Why daysApart = quakeWriteUpOn("Friday", LOW_THRESHOLD);
        assertFalse(sameDay.conflicts().contains("Tuesday"), sameDay::toString);
        // A day's difference is the next day's news of one event: no penalty.
        assertEquals(sameDay.agreement(), nextDay.agreement(), 1e-4, nextDay::toString);
        assertEquals(sameDay.agreement(), dayBefore.agreement(), 1e-4, dayBefore::toString);
        assertEquals(List.of(), nextDay.conflicts().stream()
                .filter(c -> c.endsWith("day")).toList(), nextDay::toString);
        // Friday against Tuesday: the score keeps 1 - story.day-conflict (0.4) of itself.
        assertEquals(0.6 * sameDay.agreement(), daysApart.agreement(), 1e-4,
                daysApart::toString);
        assertEquals(List.of("Friday", "Tuesday"), daysApart.conflicts().subList(0, 2),
                daysApart::toString);
        Map<String, String> noDays = new HashMap<>(LOW_THRESHOLD);
        noDays.put("story.day-conflict", "0");
        Why ignored = quakeWriteUpOn("Friday", noDays);
        assertEquals(sameDay.agreement(), ignored.agreement(), 1e-4, ignored::toString);
        assertFalse(ignored.conflicts().contains("Friday"), ignored::toString);
    }

    @Test
    void daysApartSplitWriteUpsThatWordsAloneWouldJoin() {
        // A threshold just under the same-day score: the write-up joins on the same day and
        // on the next, and starts a story of its own when it names Friday against Tuesday.
        double sameDay = quakeWriteUpOn("Tuesday", LOW_THRESHOLD).score();
        String threshold = Double.toString(0.8 * sameDay);
        Map<String, String> values = Map.of("story.threshold", threshold,
                "story.threshold-short", threshold);
        for (String day : new String[] {"Tuesday", "Wednesday", "Friday"}) {
            Engine engine = warmEngine(values);
            engine.process(article("a", QUAKE_A_TITLE, QUAKE_A, T0));
            Assignment b = engine.process(article("b", QUAKE_B_TITLE,
                    QUAKE_B.replace("on Tuesday", "on " + day), T0.plusSeconds(1800)))
                    .assignment();
            assertEquals(day.equals("Friday") ? "b" : "a", b.story(), day + ": " + b.why());
        }
    }

    @Test
    void daysCountOnlyWhereNamesDo() {
        // Lower-cased, stemmed headlines (MStream) name nobody: a topic followed for weeks
        // names every day of the week, and days there would split it.
        Why why = null;
        for (String day : new String[] {"tuesday", "friday"}) {
            Engine engine = warmEngine(LOW_THRESHOLD);
            engine.process(article("a", "", "packer aaron rodger practic thursday injur"
                    + " collarbon", T0));
            Assignment b = engine.process(article("b", "", "packer aaron rodger collarbon"
                    + " injur " + day, T0.plusSeconds(1800))).assignment();
            assertEquals("a", b.story(), day);
            why = b.why();
            assertEquals(1.0, why.agreement(), 1e-9, why::toString);
        }
    }

    // ---- merges ----

    @Test
    void articleBridgingTwoStoriesMergesTheNewerIntoTheOlder() {
        Engine engine = new Engine(EngineConfig.defaults());
        String[] left = words(100, 12);
        String[] right = words(200, 12);
        Assignment a = engine.process(article("left", null, String.join(" ", left), T0))
                .assignment();
        Assignment b = engine.process(article("right", null, String.join(" ", right),
                T0.plusSeconds(60))).assignment();
        StringBuilder bridge = new StringBuilder();
        for (int i = 0; i < 12; i++) {
            bridge.append(left[i]).append(' ').append(right[i]).append(' ');
        }
        Engine.Result merged = engine.process(article("bridge", null, bridge.toString(),
                T0.plusSeconds(120)));
        Engine.Result after = engine.process(article("more-right", null,
                String.join(" ", right) + " " + word(999), T0.plusSeconds(180)));
        assertEquals(Verdict.NEW_STORY, a.verdict());
        assertEquals("right", b.story());
        assertEquals(Verdict.NEW_STORY, b.verdict());
        assertEquals("left", merged.assignment().story());
        assertEquals(Verdict.STORY, merged.assignment().verdict());
        List<StoryEvent> events = merged.events();
        assertEquals(2, events.size(), events.toString());
        assertEquals(Type.GREW, events.get(0).type());
        assertEquals(new StoryEvent(Type.MERGED, "right", "bridge", 3, "left"), events.get(1));
        assertEquals("left", after.assignment().story());
        assertEquals(List.of(new StoryEvent(Type.GREW, "left", "more-right", 4, null)),
                after.events());
    }

    /**
     * Two stories that have grown and name their events are not joined whole by one article
     * that resembles both; without names (lower-cased headlines) the same stories merge.
     */
    @Test
    void grownStoriesThatNameTheirEventsDoNotMergeOnOneBridgingArticle() {
        List<StoryEvent> named = bridgeTwoStories(2, true);
        assertEquals(List.of(Type.GREW), named.stream().map(StoryEvent::type).toList(),
                named.toString());
        List<StoryEvent> unnamed = bridgeTwoStories(2, false);
        assertEquals(List.of(Type.GREW, Type.MERGED),
                unnamed.stream().map(StoryEvent::type).toList(), unnamed.toString());
        assertEquals(new StoryEvent(Type.MERGED, "right", "bridge", 5, "left"), unnamed.get(1));
    }

    /** A story that names its event still takes in a lone article that the bridge joins. */
    @Test
    void aStoryThatNamesItsEventAbsorbsALoneArticleTheBridgeAlsoJoins() {
        List<StoryEvent> events = bridgeTwoStories(1, true);
        assertEquals(List.of(Type.GREW, Type.MERGED),
                events.stream().map(StoryEvent::type).toList(), events.toString());
        assertEquals("right", events.get(1).story());
        assertEquals("left", events.get(1).into());
    }

    /** Stories without names merge at story.merge-unnamed, stories with names at story.merge. */
    @Test
    void eachKindOfStoryMergesAtItsOwnCosine() {
        Map<String, String> namedOff = Map.of("story.merge", "1.01");
        Map<String, String> unnamedOff = Map.of("story.merge-unnamed", "1.01");
        assertEquals(List.of(Type.GREW), types(bridgeTwoStories(1, true, namedOff)));
        assertEquals(List.of(Type.GREW, Type.MERGED), types(bridgeTwoStories(1, true, unnamedOff)));
        assertEquals(List.of(Type.GREW), types(bridgeTwoStories(2, false, unnamedOff)));
        assertEquals(List.of(Type.GREW, Type.MERGED), types(bridgeTwoStories(2, false, namedOff)));
    }

    private static List<Type> types(List<StoryEvent> events) {
        return events.stream().map(StoryEvent::type).toList();
    }

    /**
     * Builds a story "left" of two articles and a story "right" of {@code rightSize}, then
     * processes an article half of each: its events. With {@code names}, every text also
     * writes three capitalised pseudo-words inside its sentences (names of its event).
     */
    private static List<StoryEvent> bridgeTwoStories(int rightSize, boolean names) {
        return bridgeTwoStories(rightSize, names, Map.of());
    }

    private static List<StoryEvent> bridgeTwoStories(int rightSize, boolean names,
            Map<String, String> settings) {
        Engine engine = new Engine(config(settings));
        String[] left = words(100, 12);
        String[] right = words(200, 12);
        String leftNames = names ? " met " + capitalised(300, 3) : "";
        String rightNames = names ? " met " + capitalised(400, 3) : "";
        Instant t = T0;
        for (int i = 0; i < 2; i++) {
            Assignment a = engine.process(article(i == 0 ? "left" : "left-" + i, null,
                    String.join(" ", left) + leftNames, t = t.plusSeconds(60))).assignment();
            assertEquals("left", a.story());
        }
        for (int i = 0; i < rightSize; i++) {
            Assignment a = engine.process(article(i == 0 ? "right" : "right-" + i, null,
                    String.join(" ", right) + rightNames, t = t.plusSeconds(60))).assignment();
            assertEquals("right", a.story());
        }
        StringBuilder bridge = new StringBuilder();
        for (int i = 0; i < 12; i++) {
            bridge.append(left[i]).append(' ').append(right[i]).append(' ');
        }
        Engine.Result result = engine.process(article("bridge", null,
                bridge + leftNames + " and" + rightNames, t.plusSeconds(60)));
        assertTrue(List.of("left", "right").contains(result.assignment().story()),
                result.assignment()::toString);
        return result.events();
    }

    /** {@code count} pseudo-words from index {@code from}, each with a capital. */
    private static String capitalised(int from, int count) {
        StringBuilder out = new StringBuilder();
        for (String w : words(from, count)) {
            out.append(out.length() == 0 ? "" : " and ")
                    .append(Character.toUpperCase(w.charAt(0))).append(w.substring(1));
        }
        return out.toString();
    }

    // ---- package-private pieces ----

    @Test
    void thresholdRisesLinearlyForShortTexts() {
        StoryTier tier = new StoryTier(config(Map.of("story.threshold", "0.15")));
        assertEquals(0.25, tier.threshold(1), 1e-12);
        assertEquals(0.25, tier.threshold(8), 1e-12);
        assertEquals(0.2, tier.threshold(20), 1e-12);
        assertEquals(0.15, tier.threshold(32), 1e-12);
        assertEquals(0.15, tier.threshold(500), 1e-12);
    }

    @Test
    void cosineMergesSortedVectors() {
        long[] a = {1, 3, 5, 9};
        float[] wa = {0.5f, 0.5f, 0.5f, 0.5f};
        long[] b = {2, 3, 9, 10};
        float[] wb = {0.1f, 0.2f, 0.4f, 0.8f};
        assertEquals(0.5 * 0.2f + 0.5 * 0.4f, StoryTier.cosine(a, wa, b, wb), 1e-7);
        assertEquals(1.0, StoryTier.cosine(a, wa, a, wa), 1e-7);
        assertEquals(0.0, StoryTier.cosine(a, wa, new long[0], new float[0]));
    }

    // ---- helpers ----

    static Article article(String id, String title, String text, Instant published) {
        return Article.of(id, title, text, published);
    }

    private static EngineConfig config(Map<String, String> values) {
        return EngineConfig.from(Settings.of(values, "test", w -> { }));
    }

    /** An engine that has seen the 100 background articles. */
    private static Engine warmEngine(Map<String, String> values) {
        Engine engine = new Engine(config(values));
        for (Article article : background()) {
            engine.process(article);
        }
        return engine;
    }

    private static List<Article> background() {
        List<Article> articles = new ArrayList<>();
        List<Object> problems = new ArrayList<>();
        try {
            Path file = Path.of(StoryTierTest.class
                    .getResource("/story/allsides-background.jsonl").toURI());
            new ArticleReader(articles::add, problems::add).read(file);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        assertEquals(List.of(), problems);
        assertEquals(100, articles.size());
        return articles;
    }

    /** Events of the test articles' stories (the background's stories all start "as-"). */
    private static List<StoryEvent> testEvents(Engine.Result result) {
        return result.events().stream().filter(e -> !e.story().startsWith("as-")).toList();
    }

    /** {@code count} consecutive distinct pseudo-words from index {@code from}. */
    private static String[] words(int from, int count) {
        String[] out = new String[count];
        for (int i = 0; i < count; i++) {
            out[i] = word(from + i);
        }
        return out;
    }

    private static String pseudoText(int from, int count) {
        return String.join(" ", words(from, count));
    }
}
