package io.storyline.pipeline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.storyline.article.Article;
import io.storyline.article.Assignment;
import io.storyline.article.Assignment.Verdict;
import io.storyline.ingest.FeedProblem;
import io.storyline.ingest.FeedState;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MessagesTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant PUBLISHED = Instant.parse("2024-03-01T08:30:00Z");
    private static final Instant FETCHED = Instant.parse("2024-03-01T08:31:02.125Z");

    private static ArticleMessage full() {
        Article a = new Article("a1", "https://example.com/a1", "Example News", "en",
                "Title one", "Some text, with \"quotes\" and é.", PUBLISHED);
        return new ArticleMessage(a, 3, "https://example.com/feed.xml", FETCHED);
    }

    private static byte[] bytes(String json) {
        return json.getBytes(StandardCharsets.UTF_8);
    }

    private static String failure(String json) {
        return assertThrows(IllegalArgumentException.class,
                () -> Messages.parseArticle(bytes(json))).getMessage();
    }

    private static List<String> fieldNames(byte[] value) throws IOException {
        List<String> names = new ArrayList<>();
        JSON.readTree(value).fieldNames().forEachRemaining(names::add);
        return names;
    }

    @Test
    void feedHealthSaysWhatTheDashboardShows() {
        Instant at = Instant.parse("2026-12-02T07:00:00Z");
        FeedState failing = new FeedState("https://f.example/rss", null, null, null,
                Duration.ofMinutes(5), 2, at.plusSeconds(1800), null, Map.of(),
                new FeedProblem("https://f.example/rss", FeedProblem.Kind.HTTP_STATUS,
                        "HTTP 503", at), at);
        assertEquals("{\"schema\":1,\"url\":\"https://f.example/rss\",\"status\":\"failing\","
                + "\"consecutiveFailures\":2,\"lastPoll\":\"2026-12-02T07:00:00Z\","
                + "\"nextPoll\":\"2026-12-02T07:30:00Z\",\"lastNewEntry\":null,"
                + "\"lastProblem\":{\"kind\":\"HTTP_STATUS\",\"message\":\"HTTP 503\","
                + "\"at\":\"2026-12-02T07:00:00Z\"}}",
                Messages.utf8(Messages.feedHealth(failing)));
        FeedState fresh = FeedState.initial("https://g.example/rss",
                Duration.ofMinutes(1), at);
        assertTrue(Messages.utf8(Messages.feedHealth(fresh)).contains("\"status\":\"new\""));
        assertEquals("{\"schema\":1,\"command\":\"poll\",\"url\":\"https://g.example/rss\","
                + "\"at\":\"2026-12-02T07:00:00Z\"}",
                Messages.utf8(Messages.pollCommand("https://g.example/rss", at)));
    }

    @Test
    void articleRoundTripsEveryField() {
        ArticleMessage m = full();
        assertEquals(m, Messages.parseArticle(Messages.article(m)));
    }

    @Test
    void articleRoundTripsNulls() {
        ArticleMessage onlyTitle = new ArticleMessage(
                new Article("a2", null, null, null, "Only a title", null, null), 0, null, null);
        ArticleMessage onlyText = new ArticleMessage(
                new Article("a3", null, null, null, null, "Only a text", null), 1, null, FETCHED);
        assertEquals(onlyTitle, Messages.parseArticle(Messages.article(onlyTitle)));
        assertEquals(onlyText, Messages.parseArticle(Messages.article(onlyText)));
    }

    @Test
    void articleWritesTheDocumentedFieldsInOrder() throws IOException {
        assertEquals(List.of("schema", "id", "revision", "url", "source", "lang", "title",
                "text", "published", "feed", "fetched", "truncated"),
                fieldNames(Messages.article(full())));
        assertEquals("{\"schema\":1,\"id\":\"a2\",\"revision\":0,\"url\":null,\"source\":null,"
                + "\"lang\":null,\"title\":\"T\",\"text\":null,\"published\":null,\"feed\":null,"
                + "\"fetched\":null,\"truncated\":false}", Messages.utf8(Messages.article(
                        new ArticleMessage(Article.of("a2", "T", null, null), 0, null, null))));
    }

    @Test
    void aTruncatedArticleSaysSo() {
        ArticleMessage cut = new ArticleMessage(full().article(), 0, "f", FETCHED, true);
        assertEquals(cut, Messages.parseArticle(Messages.article(cut)));
        assertEquals(true, Messages.parseArticle(Messages.article(cut)).truncated());
        assertEquals(false, Messages.parseArticle(bytes("{\"id\":\"a\",\"title\":\"T\"}"))
                .truncated(), "absent in records written before the flag");
    }

    @Test
    void sameRecordGivesIdenticalBytes() {
        assertArrayEquals(Messages.article(full()), Messages.article(full()));
        ArticleMessage m = full();
        assertArrayEquals(Messages.article(m), Messages.article(m));
    }

    @Test
    void schemaIsTheFirstFieldAndEqualsOne() throws IOException {
        byte[] value = Messages.article(full());
        assertEquals("schema", fieldNames(value).get(0));
        assertEquals(1, JSON.readTree(value).get("schema").intValue());
        assertEquals(1, Messages.SCHEMA);
    }

    @Test
    void aMissingSchemaIsReadAsTheCurrentOne() {
        ArticleMessage m = Messages.parseArticle(bytes("{\"id\":\"a\",\"title\":\"t\"}"));
        assertEquals(new ArticleMessage(Article.of("a", "t", null, null), 0, null, null), m);
    }

    @Test
    void rejectsANewerSchema() {
        assertEquals("schema 2 is newer than this Storyline understands (1)",
                failure("{\"schema\":2,\"id\":\"a\",\"title\":\"t\"}"));
    }

    @Test
    void rejectsWhatIsNotJson() {
        assertEquals("not JSON: Unexpected character ('o' (code 111)): was expecting double-quote"
                + " to start field name", failure("{oops}"));
    }

    @Test
    void rejectsTrailingContentAfterTheObject() {
        assertEquals("not JSON: Trailing token (of type START_OBJECT) found after value "
                + "(bound as `com.fasterxml.jackson.databind.JsonNode`): not allowed as per "
                + "`DeserializationFeature.FAIL_ON_TRAILING_TOKENS`",
                failure("{\"id\":\"a\",\"title\":\"t\"}{\"id\":\"b\",\"title\":\"u\"}"));
    }

    @Test
    void rejectsWhatIsNotAnObject() {
        assertEquals("not a JSON object", failure("[1, 2]"));
        assertEquals("not a JSON object", failure("\"a1\""));
    }

    @Test
    void rejectsAMissingOrEmptyValue() {
        assertEquals("empty value", assertThrows(IllegalArgumentException.class,
                () -> Messages.parseArticle(null)).getMessage());
        assertEquals("not a JSON object", failure(""));
    }

    @Test
    void rejectsAMissingId() {
        assertEquals("missing \"id\"", failure("{\"schema\":1,\"title\":\"t\"}"));
        assertEquals("missing \"id\"", failure("{\"schema\":1,\"id\":\" \",\"title\":\"t\"}"));
    }

    @Test
    void rejectsNeitherTitleNorText() {
        assertEquals("article a has neither title nor text",
                failure("{\"schema\":1,\"id\":\"a\",\"title\":\" \",\"text\":null}"));
    }

    @Test
    void rejectsABadFetchedTime() {
        assertEquals("bad \"fetched\" time: yesterday",
                failure("{\"schema\":1,\"id\":\"a\",\"title\":\"t\",\"fetched\":\"yesterday\"}"));
    }

    @Test
    void rejectsANegativeRevision() {
        assertEquals("article a has a negative revision -1",
                failure("{\"schema\":1,\"id\":\"a\",\"title\":\"t\",\"revision\":-1}"));
    }

    @Test
    void assignmentIsTheOutputFormatPlusRevisionFetchedAndTheReadersFields() {
        Assignment a = new Assignment("a2", "a1", "a1", 0.8125, 0.75, 0.875, "a1",
                Verdict.NEAR_DUPLICATE);
        assertEquals("{\"schema\":3,\"id\":\"a2\",\"story\":\"a1\",\"duplicateOf\":\"a1\","
                + "\"similarity\":0.8125,\"lower\":0.75,\"upper\":0.875,\"matched\":\"a1\","
                + "\"verdict\":\"near_duplicate\",\"revision\":3,"
                + "\"fetched\":\"2024-03-01T08:31:02.125Z\",\"seq\":1234,"
                + "\"title\":\"Plain title\",\"url\":\"https://example.com/a1\","
                + "\"source\":\"Example News\",\"feed\":\"https://example.com/feed.xml\","
                + "\"lang\":\"en\",\"published\":\"2024-03-01T08:30:00Z\","
                + "\"lead\":\"First sentence. Second one.\"}",
                Messages.utf8(Messages.assignment(a, full(), 1234, "Plain title",
                        "First sentence. Second one.")));
    }

    @Test
    void assignmentOfANewStoryWritesNulls() {
        Assignment a = new Assignment("a1", "a1", null, 0, 0, 0, null, Verdict.NEW_STORY);
        ArticleMessage bare = new ArticleMessage(Article.of("a1", null, "Text", null), 0, null,
                null);
        assertEquals("{\"schema\":3,\"id\":\"a1\",\"story\":\"a1\",\"duplicateOf\":null,"
                + "\"similarity\":0,\"lower\":0,\"upper\":0,\"matched\":null,"
                + "\"verdict\":\"new_story\",\"revision\":0,\"fetched\":null,\"seq\":0,"
                + "\"title\":null,\"url\":null,\"source\":null,\"feed\":null,\"lang\":null,"
                + "\"published\":null,\"lead\":null}",
                Messages.utf8(Messages.assignment(a, bare, 0, null, null)));
    }

    @Test
    void eachTopicFormatHasItsOwnSchemaVersion() {
        assertEquals(1, Messages.SCHEMA);
        assertEquals(3, Messages.ASSIGNMENT_SCHEMA);
        assertEquals(3, Messages.STORY_SCHEMA);
    }
}
