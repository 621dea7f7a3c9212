package io.storyline.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.storyline.article.Article;
import io.storyline.article.Assignment;
import io.storyline.article.Assignment.Verdict;
import io.storyline.article.StoryEvent;
import io.storyline.article.StoryEvent.Type;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class StoryBookTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant T0 = Instant.parse("2024-03-01T08:00:00Z");

    /** Arrival of the article at input offset 0; each later offset arrives a second later. */
    private static final Instant ARRIVAL = Instant.parse("2024-03-01T09:00:00Z");

    private final StoryBook book = new StoryBook();
    /** The input offset of the next change. */
    private long seq;

    /** The next change: {@code a} at the next input offset, arriving a second after the last. */
    private StoryBook.Change change(Article a) {
        long at = seq++;
        return new StoryBook.Change(at, ARRIVAL.plusSeconds(at), a, PlainText.title(a.title()));
    }

    private static Instant at(int minutes) {
        return T0.plusSeconds(60L * minutes);
    }

    private static Article article(String id, String source, String title, Instant published) {
        return new Article(id, null, source, "en", title, "Text of " + id + ".", published);
    }

    private static Assignment joins(String id, String story) {
        return new Assignment(id, story, null, 0.5, 0.5, 0.5, story, Verdict.STORY);
    }

    private static Assignment copies(String id, String story, String original) {
        return new Assignment(id, story, original, 0.9, 0.85, 0.95, original,
                Verdict.NEAR_DUPLICATE);
    }

    private static StoryEvent event(Type type, String story, String article, int size,
            String into) {
        return new StoryEvent(type, story, article, size, into);
    }

    /** Applies {@code events} for {@code a}; returns the story records as parsed JSON. */
    private List<JsonNode> apply(Article a, Assignment assignment, StoryEvent... events) {
        List<JsonNode> out = new ArrayList<>();
        for (StoryBook.Update u : book.apply(change(a), assignment, List.of(events))) {
            JsonNode node = parse(u.value());
            assertEquals(u.story(), node.get("story").asText(), "key = story id");
            out.add(node);
        }
        return out;
    }

    private List<JsonNode> create(Article a) {
        return apply(a, new Assignment(a.id(), a.id(), null, 0, 0, 0, null, Verdict.NEW_STORY),
                event(Type.CREATED, a.id(), a.id(), 1, null));
    }

    private List<JsonNode> grow(Article a, Assignment assignment, int size) {
        return apply(a, assignment, event(Type.GREW, assignment.story(), a.id(), size, null));
    }

    private static JsonNode parse(byte[] value) {
        try {
            return JSON.readTree(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    private static JsonNode only(List<JsonNode> records) {
        assertEquals(1, records.size(), "records: " + records);
        return records.get(0);
    }

    @Test
    void createdWritesTheWholeSnapshotInTheDocumentedOrder() {
        List<StoryBook.Update> updates = book.apply(change(article("a1", "Src", "First", at(0))),
                new Assignment("a1", "a1", null, 0, 0, 0, null, Verdict.NEW_STORY),
                List.of(event(Type.CREATED, "a1", "a1", 1, null)));
        assertEquals(1, updates.size());
        assertEquals("a1", updates.get(0).story());
        assertEquals("{\"schema\":3,\"story\":\"a1\",\"status\":\"open\",\"size\":1,"
                + "\"copies\":0,\"headline\":\"First\",\"firstArticle\":\"a1\","
                + "\"lastArticle\":\"a1\",\"firstPublished\":\"2024-03-01T08:00:00Z\","
                + "\"lastPublished\":\"2024-03-01T08:00:00Z\",\"sources\":[\"Src\"],"
                + "\"into\":null,\"event\":{\"type\":\"created\",\"story\":\"a1\","
                + "\"article\":\"a1\",\"into\":null},\"seq\":0,\"sourceCount\":1,"
                + "\"absorbed\":[],\"absorbedCount\":0,\"updated\":\"2024-03-01T09:00:00Z\"}",
                Messages.utf8(updates.get(0).value()));
        assertEquals(1, book.openStories());
    }

    @Test
    void grewCountsArticlesCopiesTimesAndSources() {
        create(article("a1", "Src A", "First title", at(10)));
        grow(article("a2", "Src B", "Copy title", at(20)), copies("a2", "a1", "a1"), 2);
        grow(article("a3", "Src A", "Third title", at(5)), joins("a3", "a1"), 3);
        JsonNode s = only(grow(article("a4", null, "Fourth", null), joins("a4", "a1"), 4));

        assertEquals("open", s.get("status").asText());
        assertEquals(4, s.get("size").asInt());
        assertEquals(1, s.get("copies").asInt());
        assertEquals("First title", s.get("headline").asText());
        assertEquals("a1", s.get("firstArticle").asText());
        assertEquals("a4", s.get("lastArticle").asText());
        assertEquals(at(5).toString(), s.get("firstPublished").asText());
        assertEquals(at(20).toString(), s.get("lastPublished").asText());
        assertEquals(List.of("Src A", "Src B"), texts(s.get("sources")));
        assertTrue(s.get("into").isNull());
        JsonNode e = s.get("event");
        assertEquals("grew", e.get("type").asText());
        assertEquals("a1", e.get("story").asText());
        assertEquals("a4", e.get("article").asText());
        assertTrue(e.get("into").isNull());
        assertEquals(1, book.openStories());
    }

    @Test
    void aStoryWithoutTimesHasNullPublished() {
        JsonNode s = only(create(article("a1", null, "Untimed", null)));
        assertTrue(s.get("firstPublished").isNull());
        assertTrue(s.get("lastPublished").isNull());
        assertEquals(List.of(), texts(s.get("sources")));
    }

    @Test
    void headlineIsTheFirstArticlesTitleEvenWhenLaterOnesHaveOne() {
        create(article("a1", null, "The first", at(0)));
        JsonNode s = only(grow(article("a2", null, "The second", at(1)), joins("a2", "a1"), 2));
        assertEquals("The first", s.get("headline").asText());
    }

    @Test
    void headlineWithoutATitleIsTheTextWithSpacesFolded() {
        Article a = new Article("a1", null, null, null, " ", "  Quake\n hits\tthe  coast. ",
                at(0));
        assertEquals("Quake hits the coast.", only(create(a)).get("headline").asText());
    }

    @Test
    void headlineFromALongTextIsCutAt120CharactersWithAnEllipsis() {
        String words = "word ".repeat(40);
        Article a = new Article("a1", null, null, null, null, words, at(0));
        String headline = only(create(a)).get("headline").asText();
        assertEquals(words.substring(0, 120) + "…", headline);
    }

    @Test
    void headlineIsNotCutInsideASurrogatePair() {
        String text = "a".repeat(119) + "\uD83D\uDCF0 and more words after the cut";
        Article a = new Article("a1", null, null, null, null, text, at(0));
        assertEquals("a".repeat(119) + "…", only(create(a)).get("headline").asText());
    }

    @Test
    void headlineFromAnHtmlTextIsWhatAReaderSees() {
        Article a = new Article("a1", null, null, null, null,
                "<p>Storm <b>closes</b> the port &amp; the\n<a href=\"/x\">airport</a></p>",
                at(0));
        assertEquals("Storm closes the port & the airport",
                only(create(a)).get("headline").asText());
    }

    @Test
    void sourcesAreDistinctInFirstSeenOrderAndCappedAt20() {
        create(article("a0", "S00", "Title", at(0)));
        for (int i = 1; i < 30; i++) {
            String source = String.format("S%02d", 29 - i);
            grow(article("a" + i, source, "Title", at(i)), joins("a" + i, "a0"), i + 1);
        }
        JsonNode s = only(grow(article("a30", "S00", "Title", at(30)), joins("a30", "a0"), 31));
        List<String> expected = new ArrayList<>(List.of("S00"));
        for (int i = 1; i < StoryBook.MAX_SOURCES; i++) {
            expected.add(String.format("S%02d", 29 - i));
        }
        assertEquals(expected, texts(s.get("sources")));
        assertEquals(31, s.get("size").asInt());
        assertEquals(29, s.get("sourceCount").asInt(), "every distinct source, not the listed");
    }

    @Test
    void mergedWritesTheGoneStoryThenTheAbsorberAndForgetsTheGoneOne() {
        create(article("y1", "Src A", "Older story", at(0)));
        grow(article("y2", "Src B", "Older again", at(30)), copies("y2", "y1", "y1"), 2);
        create(article("x1", "Src C", "Newer story", at(10)));
        assertEquals(2, book.openStories());

        Article x2 = article("x2", "Src D", "Bridge", at(40));
        List<JsonNode> records = apply(x2, joins("x2", "x1"),
                event(Type.GREW, "x1", "x2", 2, null),
                event(Type.MERGED, "x1", "x2", 4, "y1"));

        assertEquals(3, records.size());
        assertEquals("open", records.get(0).get("status").asText());
        assertEquals(2, records.get(0).get("size").asInt());

        JsonNode gone = records.get(1);
        assertEquals("x1", gone.get("story").asText());
        assertEquals("merged", gone.get("status").asText());
        assertEquals("y1", gone.get("into").asText());
        assertEquals(2, gone.get("size").asInt());
        assertEquals("merged", gone.get("event").get("type").asText());
        assertEquals("x1", gone.get("event").get("story").asText());
        assertEquals("x2", gone.get("event").get("article").asText());
        assertEquals("y1", gone.get("event").get("into").asText());

        JsonNode into = records.get(2);
        assertEquals("y1", into.get("story").asText());
        assertEquals("open", into.get("status").asText());
        assertTrue(into.get("into").isNull());
        assertEquals(4, into.get("size").asInt());
        assertEquals(1, into.get("copies").asInt());
        assertEquals("Older story", into.get("headline").asText());
        assertEquals("y1", into.get("firstArticle").asText());
        assertEquals("x2", into.get("lastArticle").asText());
        assertEquals(at(0).toString(), into.get("firstPublished").asText());
        assertEquals(at(40).toString(), into.get("lastPublished").asText());
        assertEquals(List.of("Src A", "Src B", "Src C", "Src D"), texts(into.get("sources")));
        assertEquals("merged", into.get("event").get("type").asText());

        assertEquals(1, book.openStories());
    }

    @Test
    void anArticleJoiningTheAbsorberKeepsGrowingItAfterAMerge() {
        create(article("y1", "Src A", "Older story", at(0)));
        create(article("x1", "Src B", "Newer story", at(10)));
        apply(article("y2", "Src C", "Joins the older", at(20)), joins("y2", "y1"),
                event(Type.GREW, "y1", "y2", 2, null),
                event(Type.MERGED, "x1", "y2", 3, "y1"));
        JsonNode s = only(grow(article("y3", "Src A", "Later", at(30)), joins("y3", "y1"), 4));
        assertEquals(4, s.get("size").asInt());
        assertEquals("y3", s.get("lastArticle").asText());
        assertEquals(List.of("Src A", "Src B", "Src C"), texts(s.get("sources")));
        assertEquals(1, book.openStories());
    }

    @Test
    void mergedIntoAStoryNeverSeenTakesTheGoneStorysArticles() {
        create(article("x1", "Src A", "Newer story", at(10)));
        List<JsonNode> records = apply(article("x2", "Src B", "Bridge", at(20)),
                joins("x2", "x1"),
                event(Type.GREW, "x1", "x2", 2, null),
                event(Type.MERGED, "x1", "x2", 2, "unseen"));
        JsonNode into = records.get(2);
        assertEquals("unseen", into.get("story").asText());
        assertEquals(2, into.get("size").asInt());
        assertEquals("Newer story", into.get("headline").asText());
        assertEquals("x1", into.get("firstArticle").asText());
        assertEquals("x2", into.get("lastArticle").asText());
        assertEquals(1, book.openStories());
    }

    @Test
    void mergedSourcesKeepTheEarliest20OfBothSides() {
        create(article("y0", "Y00", "Older story", at(0)));
        create(article("x0", "X00", "Newer story", at(1)));
        for (int i = 1; i < 25; i++) {
            grow(article("y" + i, String.format("Y%02d", i), "T", at(2 * i)),
                    joins("y" + i, "y0"), i + 1);
            grow(article("x" + i, String.format("X%02d", i), "T", at(2 * i + 1)),
                    joins("x" + i, "x0"), i + 1);
        }
        List<JsonNode> records = apply(article("x25", "X00", "T", at(60)),
                joins("x25", "x0"),
                event(Type.GREW, "x0", "x25", 26, null),
                event(Type.MERGED, "x0", "x25", 51, "y0"));
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < StoryBook.MAX_SOURCES / 2; i++) {
            expected.add(String.format("Y%02d", i));
            expected.add(String.format("X%02d", i));
        }
        assertEquals(expected, texts(records.get(2).get("sources")));
        assertEquals(51, records.get(2).get("size").asInt());
        assertEquals(50, records.get(2).get("sourceCount").asInt(), "the union of both sides");
    }

    @Test
    void closedWritesTheStoryOnceMoreAndForgetsIt() {
        create(article("a1", "Src A", "Old story", at(0)));
        grow(article("a2", "Src B", "Old again", at(5)), joins("a2", "a1"), 2);
        List<JsonNode> records = apply(article("b1", "Src C", "New story", at(5000)),
                new Assignment("b1", "b1", null, 0, 0, 0, null, Verdict.NEW_STORY),
                event(Type.CLOSED, "a1", null, 2, null),
                event(Type.CREATED, "b1", "b1", 1, null));

        assertEquals(2, records.size());
        JsonNode closed = records.get(0);
        assertEquals("a1", closed.get("story").asText());
        assertEquals("closed", closed.get("status").asText());
        assertEquals(2, closed.get("size").asInt());
        assertEquals("a2", closed.get("lastArticle").asText());
        assertEquals("closed", closed.get("event").get("type").asText());
        assertEquals("a1", closed.get("event").get("story").asText());
        assertTrue(closed.get("event").get("article").isNull());
        assertEquals("b1", records.get(1).get("story").asText());
        assertEquals("created", records.get(1).get("event").get("type").asText());
        assertEquals(1, book.openStories());
    }

    @Test
    void closedForAnUnknownStoryWritesNothing() {
        assertEquals(List.of(), apply(article("a1", null, "T", at(0)), joins("a1", "a0"),
                event(Type.CLOSED, "gone", null, 3, null)));
        assertEquals(0, book.openStories());
    }

    @Test
    void mergedForAnUnknownStoryStillWritesTheAbsorber() {
        create(article("y1", "Src A", "Older story", at(0)));
        List<JsonNode> records = apply(article("y2", "Src B", "Joins", at(10)),
                joins("y2", "y1"),
                event(Type.GREW, "y1", "y2", 2, null),
                event(Type.MERGED, "closed-long-ago", "y2", 2, "y1"));
        assertEquals(2, records.size());
        JsonNode into = records.get(1);
        assertEquals("y1", into.get("story").asText());
        assertEquals("open", into.get("status").asText());
        assertEquals(2, into.get("size").asInt());
        assertEquals("y2", into.get("lastArticle").asText());
        assertEquals("merged", into.get("event").get("type").asText());
        assertEquals("closed-long-ago", into.get("event").get("story").asText());
        assertEquals(1, book.openStories());
    }

    private List<JsonNode> revise(Article a, Assignment assignment) {
        List<JsonNode> out = new ArrayList<>();
        for (StoryBook.Update u : book.revise(change(a), assignment)) {
            out.add(parse(u.value()));
        }
        return out;
    }

    @Test
    void everyRecordCarriesTheOffsetAndArrivalOfTheChangeThatMadeIt() {
        create(article("a1", "Src A", "First", at(0)));
        grow(article("a2", "Src B", "Second", at(1)), joins("a2", "a1"), 2);
        JsonNode s = only(grow(article("a3", "Src B", "Third", at(2)), joins("a3", "a1"), 3));
        assertEquals(2, s.get("seq").asLong());
        assertEquals(ARRIVAL.plusSeconds(2).toString(), s.get("updated").asText());
        assertEquals(2, s.get("sourceCount").asInt());
    }

    @Test
    void aChangeWithoutAnArrivalKeepsTheLastUpdateTime() {
        create(article("a1", "Src A", "First", at(0)));
        Article a2 = article("a2", "Src B", "Second", null);
        List<StoryBook.Update> updates = book.apply(new StoryBook.Change(7, null, a2, "Second"),
                joins("a2", "a1"), List.of(event(Type.GREW, "a1", "a2", 2, null)));
        JsonNode s = parse(updates.get(0).value());
        assertEquals(7, s.get("seq").asLong());
        assertEquals(ARRIVAL.toString(), s.get("updated").asText());
    }

    @Test
    void aClosingCarriesTheOffsetOfTheArticleThatClosedIt() {
        create(article("a1", "Src A", "Old story", at(0)));
        List<JsonNode> records = apply(article("b1", "Src C", "New story", at(5000)),
                new Assignment("b1", "b1", null, 0, 0, 0, null, Verdict.NEW_STORY),
                event(Type.CLOSED, "a1", null, 1, null),
                event(Type.CREATED, "b1", "b1", 1, null));
        assertEquals(1, records.get(0).get("seq").asLong());
        assertEquals(ARRIVAL.plusSeconds(1).toString(), records.get(0).get("updated").asText());
    }

    @Test
    void theHeadlineIsPlainText() {
        JsonNode s = only(create(article("a1", null, "Storm <b>closes</b> the port &amp; more",
                at(0))));
        assertEquals("Storm closes the port & more", s.get("headline").asText());
    }

    @Test
    void anAbsorberListsTheStoriesItAbsorbedTransitively() {
        create(article("z1", "Src A", "Oldest", at(0)));
        create(article("y1", "Src B", "Older", at(1)));
        create(article("x1", "Src C", "Newer", at(2)));
        apply(article("x2", "Src D", "Bridge", at(3)), joins("x2", "x1"),
                event(Type.GREW, "x1", "x2", 2, null),
                event(Type.MERGED, "x1", "x2", 3, "y1"));
        List<JsonNode> records = apply(article("y2", "Src E", "Bridge", at(4)),
                joins("y2", "y1"),
                event(Type.GREW, "y1", "y2", 4, null),
                event(Type.MERGED, "y1", "y2", 5, "z1"),
                event(Type.MERGED, "gone-long-ago", "y2", 5, "z1"));
        JsonNode gone = records.get(1);
        assertEquals("merged", gone.get("status").asText());
        assertEquals(List.of("x1"), texts(gone.get("absorbed")));
        JsonNode into = records.get(records.size() - 1);
        assertEquals("z1", into.get("story").asText());
        assertEquals(List.of("y1", "x1", "gone-long-ago"), texts(into.get("absorbed")));
        assertEquals(3, into.get("absorbedCount").asLong());
        assertEquals(5, into.get("sourceCount").asInt());
        assertEquals(4, into.get("seq").asLong());
    }

    @Test
    void aStoryThatNeverEndsKeepsOnlyItsLatestAbsorbedIds() {
        create(article("root", "Src A", "Root", at(0)));
        int merges = StoryBook.MAX_ABSORBED + 5;
        List<JsonNode> last = List.of();
        for (int k = 0; k < merges; k++) {
            String id = "s" + k;
            create(article(id, "Src " + k, "Story " + k, at(k + 1)));
            last = apply(article(id + "b", "Src B", "Bridge", at(k + 1)), joins(id + "b", id),
                    event(Type.GREW, id, id + "b", 2, null),
                    event(Type.MERGED, id, id + "b", k + 3, "root"));
        }
        JsonNode root = last.get(last.size() - 1);
        assertEquals("root", root.get("story").asText());
        List<String> absorbed = texts(root.get("absorbed"));
        assertEquals(StoryBook.MAX_ABSORBED, absorbed.size());
        assertEquals("s5", absorbed.get(0));
        assertEquals("s" + (merges - 1), absorbed.get(absorbed.size() - 1));
        assertEquals(merges, root.get("absorbedCount").asLong());
        assertEquals(merges + 2, root.get("sourceCount").asInt()); // Src A, Src B, Src 0..
        // A revision finds the story through an id it still lists, not through a dropped one.
        Article late = article("s" + (merges - 1), "Src x", "Story, revised", at(1));
        assertEquals(1, revise(late, joins(late.id(), late.id())).size());
        Article early = article("s0", "Src x", "Story, revised", at(1));
        assertEquals(0, revise(early, joins("s0", "s0")).size());
    }

    @Test
    void aRevisedFirstArticleRefreshesTheHeadline() {
        Article first = article("a1", "Src A", "Quake hits coast", at(0));
        create(first);
        grow(article("a2", "Src B", "Second", at(1)), joins("a2", "a1"), 2);
        Article revised = new Article("a1", null, "Src A", "en", "Quake hits coast, 12 dead",
                "Updated text.", at(0));

        JsonNode s = only(revise(revised, new Assignment("a1", "a1", null, 0, 0, 0, null,
                Verdict.NEW_STORY)));

        assertEquals("Quake hits coast, 12 dead", s.get("headline").asText());
        assertEquals("open", s.get("status").asText());
        assertEquals(2, s.get("size").asInt(), "a revision is not a new article");
        assertEquals("a2", s.get("lastArticle").asText());
        assertEquals("revised", s.get("event").get("type").asText());
        assertEquals("a1", s.get("event").get("story").asText());
        assertEquals("a1", s.get("event").get("article").asText());
        assertTrue(s.get("event").get("into").isNull());
        assertEquals(2, s.get("seq").asLong());
        assertEquals(ARRIVAL.plusSeconds(2).toString(), s.get("updated").asText());
    }

    @Test
    void aRevisedLaterArticleKeepsTheHeadlineButUpdatesTheStory() {
        create(article("a1", "Src A", "Quake hits coast", at(0)));
        grow(article("a2", "Src B", "Second", at(1)), joins("a2", "a1"), 2);
        JsonNode s = only(revise(article("a2", "Src B", "Second, revised", at(1)),
                joins("a2", "a1")));
        assertEquals("Quake hits coast", s.get("headline").asText());
        assertEquals("revised", s.get("event").get("type").asText());
        assertEquals("a2", s.get("event").get("article").asText());
        assertEquals(2, s.get("seq").asLong());
    }

    @Test
    void aRevisionOfAnArticleOfAMergedStoryReachesTheAbsorber() {
        create(article("y1", "Src A", "Older story", at(0)));
        create(article("x1", "Src B", "Newer story", at(10)));
        apply(article("y2", "Src C", "Joins", at(20)), joins("y2", "y1"),
                event(Type.GREW, "y1", "y2", 2, null),
                event(Type.MERGED, "x1", "y2", 3, "y1"));
        JsonNode s = only(revise(article("x1", "Src B", "Newer, revised", at(10)),
                new Assignment("x1", "x1", null, 0, 0, 0, null, Verdict.NEW_STORY)));
        assertEquals("y1", s.get("story").asText());
        assertEquals("Older story", s.get("headline").asText(), "x1 is not y1's first");
        assertEquals("x1", s.get("event").get("article").asText());
    }

    @Test
    void aRevisionInAClosedStoryWritesNothing() {
        create(article("a1", "Src A", "Old story", at(0)));
        apply(article("b1", "Src C", "New story", at(5000)),
                new Assignment("b1", "b1", null, 0, 0, 0, null, Verdict.NEW_STORY),
                event(Type.CLOSED, "a1", null, 1, null),
                event(Type.CREATED, "b1", "b1", 1, null));
        assertEquals(List.of(), revise(article("a1", "Src A", "Old, revised", at(0)),
                new Assignment("a1", "a1", null, 0, 0, 0, null, Verdict.NEW_STORY)));
    }
}
