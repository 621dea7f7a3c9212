package io.storyline.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.storyline.article.Article;
import io.storyline.article.ArticleReader;
import io.storyline.config.EngineConfig;
import io.storyline.engine.Engine;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class DetectionTest {

    /** Enough of the sample for copies, joined stories and merges, and still fast. */
    private static final int ARTICLES = 300;
    private static final Instant FETCHED = Instant.parse("2021-04-22T14:00:00Z");
    private static final ObjectMapper JSON = new ObjectMapper();

    private static List<ArticleMessage> messages;

    @BeforeAll
    static void readSample() throws URISyntaxException {
        List<Article> articles = new ArrayList<>();
        List<Object> problems = new ArrayList<>();
        Path file = Path.of(DetectionTest.class.getResource("/engine/allsides-sample.jsonl")
                .toURI());
        new ArticleReader(articles::add, problems::add).read(file);
        assertEquals(List.of(), problems);
        messages = new ArrayList<>();
        for (int i = 0; i < ARTICLES; i++) {
            messages.add(new ArticleMessage(articles.get(i), 0, "https://example.com/feed",
                    FETCHED.plus(Duration.ofSeconds(i))));
        }
        Article original = articles.get(3);
        messages.add(new ArticleMessage(new Article("copy-of-3", null, "Syndicator", "en",
                original.title(), original.text(), original.published()), 0, null,
                FETCHED.plus(Duration.ofSeconds(ARTICLES))));
        // Fetched after the window has passed: every story so far closes.
        messages.add(new ArticleMessage(articles.get(ARTICLES), 0, null,
                FETCHED.plus(Duration.ofDays(4))));
    }

    private static Detection detection() {
        return new Detection(EngineConfig.defaults());
    }

    private static JsonNode parse(byte[] value) {
        try {
            return JSON.readTree(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every output as text, in order: topic, key and value. */
    private static List<String> run(Detection d) {
        List<String> out = new ArrayList<>();
        for (ArticleMessage m : messages) {
            for (Detection.Output o : d.apply(m, messages.indexOf(m)).outputs()) {
                out.add(o.topic() + " " + o.key() + " " + Messages.utf8(o.value()));
            }
        }
        return out;
    }

    @Test
    void everyNewArticleYieldsOneAssignmentThenItsStoryRecords() {
        Detection d = detection();
        int storyRecords = 0;
        for (ArticleMessage m : messages) {
            Detection.Step step = d.apply(m, messages.indexOf(m));
            String id = m.article().id();
            assertEquals(Engine.Kind.NEW, step.kind(), id);
            assertEquals(m.article(), step.article());
            assertNotNull(step.assignment(), id);
            List<Detection.Output> outputs = step.outputs();
            Detection.Output first = outputs.get(0);
            assertEquals(Topics.ASSIGNMENTS, first.topic(), id);
            assertEquals(id, first.key());
            JsonNode assignment = parse(first.value());
            assertEquals(id, assignment.get("id").asText());
            assertEquals(step.assignment().story(), assignment.get("story").asText());
            assertEquals(0, assignment.get("revision").asInt());
            assertEquals(m.fetched().toString(), assignment.get("fetched").asText());
            assertTrue(outputs.size() >= 2, id + " opens or joins a story");
            for (Detection.Output o : outputs.subList(1, outputs.size())) {
                assertEquals(Topics.STORIES, o.topic(), id);
                assertEquals(o.key(), parse(o.value()).get("story").asText(), id);
                storyRecords++;
            }
            assertTrue(outputs.stream().skip(1)
                    .anyMatch(o -> o.key().equals(step.assignment().story())),
                    id + " updates its own story");
        }
        assertTrue(storyRecords >= messages.size(), "story records: " + storyRecords);
    }

    @Test
    void aCopyGrowsTheStoryOfItsOriginal() {
        Detection d = detection();
        Detection.Step step = null;
        for (ArticleMessage m : messages.subList(0, ARTICLES + 1)) {
            step = d.apply(m, messages.indexOf(m));
        }
        String originalId = messages.get(3).article().id();
        assertEquals("copy-of-3", step.assignment().id());
        assertEquals(originalId, step.assignment().duplicateOf());
        JsonNode assignment = parse(step.outputs().get(0).value());
        assertEquals("exact_duplicate", assignment.get("verdict").asText());
        assertEquals(originalId, assignment.get("duplicateOf").asText());
        assertEquals(2, step.outputs().size());
        JsonNode story = parse(step.outputs().get(1).value());
        assertEquals(step.assignment().story(), story.get("story").asText());
        assertEquals(1, story.get("copies").asInt());
        assertEquals("grew", story.get("event").get("type").asText());
        assertEquals("copy-of-3", story.get("event").get("article").asText());
        assertEquals("copy-of-3", story.get("lastArticle").asText());
        assertEquals(ARTICLES + 1, d.windowSize());
    }

    @Test
    void anArticleAfterTheWindowClosesEveryOpenStoryBeforeItsOwn() {
        Detection d = detection();
        for (ArticleMessage m : messages.subList(0, messages.size() - 1)) {
            d.apply(m, messages.indexOf(m));
        }
        int open = d.openStories();
        assertTrue(open > 10 && open < ARTICLES, "open stories: " + open);
        ArticleMessage late = messages.get(messages.size() - 1);

        List<Detection.Output> outputs = d.apply(late, messages.size() - 1).outputs();

        assertEquals(open + 2, outputs.size());
        assertEquals(Topics.ASSIGNMENTS, outputs.get(0).topic());
        for (Detection.Output o : outputs.subList(1, open + 1)) {
            JsonNode story = parse(o.value());
            assertEquals(Topics.STORIES, o.topic());
            assertEquals("closed", story.get("status").asText(), o.key());
            assertEquals("closed", story.get("event").get("type").asText(), o.key());
        }
        JsonNode own = parse(outputs.get(open + 1).value());
        assertEquals(late.article().id(), own.get("story").asText());
        assertEquals("created", own.get("event").get("type").asText());
        assertEquals(1, d.openStories());
        assertEquals(1, d.windowSize());
    }

    @Test
    void aRedeliveredRevisionIsARepeatWithNoOutputs() {
        Detection d = detection();
        ArticleMessage m = messages.get(0);
        d.apply(m, 0);
        Detection.Step again = d.apply(m, 1);
        assertEquals(Engine.Kind.REPEAT, again.kind());
        assertEquals(m.article(), again.article());
        assertNull(again.assignment());
        assertEquals(List.of(), again.outputs());
        assertEquals(1, d.windowSize());
    }

    @Test
    void aHigherRevisionYieldsOnlyItsAssignmentInTheSameStory() {
        Detection d = detection();
        ArticleMessage original = messages.get(5);
        String story = null;
        for (ArticleMessage m : messages.subList(0, 20)) {
            Detection.Step step = d.apply(m, messages.indexOf(m));
            if (m == original) {
                story = parse(step.outputs().get(0).value()).get("story").asText();
            }
        }
        Instant refetched = FETCHED.plus(Duration.ofHours(1));
        ArticleMessage revised = new ArticleMessage(original.article(), 1, original.feed(),
                refetched);
        int open = d.openStories();

        Detection.Step step = d.apply(revised, 20);

        assertEquals(Engine.Kind.REVISION, step.kind());
        assertEquals(2, step.outputs().size(), "its assignment and its story's record");
        Detection.Output out = step.outputs().get(0);
        assertEquals(Topics.ASSIGNMENTS, out.topic());
        assertEquals(original.article().id(), out.key());
        JsonNode assignment = parse(out.value());
        assertEquals(1, assignment.get("revision").asInt());
        assertEquals(refetched.toString(), assignment.get("fetched").asText());
        assertEquals(story, assignment.get("story").asText());
        assertEquals(story, step.assignment().story());
        assertEquals(20, assignment.get("seq").asLong());
        JsonNode record = parse(step.outputs().get(1).value());
        assertEquals(Topics.STORIES, step.outputs().get(1).topic());
        assertEquals(story, record.get("story").asText());
        assertEquals("revised", record.get("event").get("type").asText());
        assertEquals(20, record.get("seq").asLong());
        assertEquals(refetched.toString(), record.get("updated").asText());
        assertEquals(open, d.openStories());
        assertEquals(Engine.Kind.REPEAT, d.apply(revised, 21).kind());
    }

    @Test
    void twoDetectionsOverTheSameInputGiveIdenticalOutputs() {
        List<String> first = run(detection());
        List<String> second = run(detection());
        assertTrue(first.size() > 2 * messages.size(), "outputs: " + first.size());
        assertEquals(first, second);
    }

    private static ArticleMessage htmlArticle(String title, int revision, Instant fetched) {
        return new ArticleMessage(new Article("n1", "https://news.example/port", "Harbour News",
                "en", title, "<p>Home » World</p><p>Share on Facebook</p>"
                        + "<p>The port of <b>Brest</b> closed on Monday. Ships waited &amp; "
                        + "traders lost money. Nobody knows when it reopens.</p>",
                Instant.parse("2024-03-01T08:00:00Z")), revision, "https://news.example/feed",
                fetched);
    }

    @Test
    void anAssignmentCarriesWhatAReaderNeedsOfItsArticleAsPlainText() {
        Detection d = detection();
        Detection.Step step = d.apply(htmlArticle("Port <i>closes</i> &amp; ships wait", 0,
                FETCHED), 41);
        assertEquals("{\"schema\":3,\"id\":\"n1\",\"story\":\"n1\",\"duplicateOf\":null,"
                + "\"similarity\":0,\"lower\":0,\"upper\":0,\"matched\":null,"
                + "\"verdict\":\"new_story\",\"revision\":0,"
                + "\"fetched\":\"2021-04-22T14:00:00Z\",\"seq\":41,"
                + "\"title\":\"Port closes & ships wait\",\"url\":\"https://news.example/port\","
                + "\"source\":\"Harbour News\",\"feed\":\"https://news.example/feed\","
                + "\"lang\":\"en\",\"published\":\"2024-03-01T08:00:00Z\","
                + "\"lead\":\"The port of Brest closed on Monday. Ships waited & traders lost"
                + " money.\"}", Messages.utf8(step.outputs().get(0).value()));
        JsonNode story = parse(step.outputs().get(1).value());
        assertEquals("Port closes & ships wait", story.get("headline").asText());
        assertEquals(41, story.get("seq").asLong());
        assertEquals(FETCHED.toString(), story.get("updated").asText());
        assertEquals(1, story.get("sourceCount").asInt());
    }

    @Test
    void aRevisedFirstArticleRefreshesItsStorysHeadline() {
        Detection d = detection();
        d.apply(htmlArticle("Port closes", 0, FETCHED), 0);
        Instant later = FETCHED.plus(Duration.ofMinutes(5));

        Detection.Step step = d.apply(htmlArticle("Port closes, <b>ships</b> turned away", 1,
                later), 1);

        assertEquals(Engine.Kind.REVISION, step.kind());
        JsonNode assignment = parse(step.outputs().get(0).value());
        assertEquals("Port closes, ships turned away", assignment.get("title").asText());
        assertEquals(1, assignment.get("seq").asLong());
        JsonNode story = parse(step.outputs().get(1).value());
        assertEquals("n1", story.get("story").asText());
        assertEquals("Port closes, ships turned away", story.get("headline").asText());
        assertEquals("revised", story.get("event").get("type").asText());
        assertEquals(1, story.get("size").asInt());
        assertEquals(1, story.get("seq").asLong());
        assertEquals(later.toString(), story.get("updated").asText());
    }

    @Test
    void anArticleWithoutAFetchTimeDatesItsChangesByItsPublishedTime() {
        Detection d = detection();
        Detection.Step step = d.apply(htmlArticle("Port closes", 0, null), 3);
        JsonNode story = parse(step.outputs().get(1).value());
        assertEquals("2024-03-01T08:00:00Z", story.get("updated").asText());
    }
}
