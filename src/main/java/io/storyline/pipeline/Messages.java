package io.storyline.pipeline;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.storyline.article.Article;
import io.storyline.article.ArticleReader;
import io.storyline.article.Assignment;
import io.storyline.article.AssignmentWriter;
import io.storyline.ingest.FeedProblem;
import io.storyline.ingest.FeedState;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * JSON values of Storyline's topics. Each carries a {@code schema} version so that consumers
 * built later (dashboard, digests, Kafka Connect sinks) can tell formats apart. Fields are
 * written in a fixed order, so the same record always has the same bytes.
 */
public final class Messages {

    /** The version of every value format written here but the assignments' and stories'. */
    public static final int SCHEMA = 1;
    /**
     * The assignments' format: 2 added the story tier's explanation ({@code why}); 3 added
     * the input offset ({@code seq}) and what a reader needs of the article (title, url,
     * source, feed, lang, published, lead).
     */
    public static final int ASSIGNMENT_SCHEMA = 3;
    /**
     * The stories' format: 2 added the change's input offset ({@code seq}), the distinct
     * source count, the absorbed story ids, the update time and the {@code revised} event;
     * 3 keeps only the latest 1,000 absorbed ids, adds their total ({@code absorbedCount}),
     * and counts sources up to 10,000.
     */
    public static final int STORY_SCHEMA = 3;

    private static final JsonFactory FACTORY = new JsonFactory();
    // Trailing content means a corrupt or concatenated value, as in the JSON-lines reader.
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private Messages() {
    }

    @FunctionalInterface
    interface Fields {
        void write(JsonGenerator g) throws IOException;
    }

    /** One JSON object: the schema field, then {@code fields}. */
    static byte[] object(Fields fields) {
        return object(SCHEMA, fields);
    }

    /** One JSON object of format version {@code schema}: the schema field, then fields. */
    static byte[] object(int schema, Fields fields) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
        try (JsonGenerator g = FACTORY.createGenerator(bytes)) {
            g.writeStartObject();
            g.writeNumberField("schema", schema);
            fields.write(g);
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write JSON", e);
        }
        return bytes.toByteArray();
    }

    public static byte[] article(ArticleMessage m) {
        Article a = m.article();
        return object(g -> {
            g.writeStringField("id", a.id());
            g.writeNumberField("revision", m.revision());
            g.writeStringField("url", a.url());
            g.writeStringField("source", a.source());
            g.writeStringField("lang", a.lang());
            g.writeStringField("title", a.title());
            g.writeStringField("text", a.text());
            g.writeStringField("published", instant(a.published()));
            g.writeStringField("feed", m.feed());
            g.writeStringField("fetched", instant(m.fetched()));
            g.writeBooleanField("truncated", m.truncated());
        });
    }

    /**
     * Reads an articles-topic value; throws IllegalArgumentException naming what is wrong
     * (the caller adds the topic, partition and offset).
     */
    public static ArticleMessage parseArticle(byte[] value) {
        if (value == null) {
            throw new IllegalArgumentException("empty value");
        }
        JsonNode node;
        try {
            node = MAPPER.readTree(value);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException("not JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException("not a JSON object");
        }
        int schema = node.path("schema").asInt(SCHEMA);
        if (schema > SCHEMA) {
            throw new NewerSchema(schema, SCHEMA);
        }
        Article article = ArticleReader.parse(node);
        int revision = node.path("revision").asInt(0);
        String feed = node.path("feed").isTextual() ? node.get("feed").asText() : null;
        Instant fetched = null;
        if (node.path("fetched").isTextual()) {
            try {
                fetched = Instant.parse(node.get("fetched").asText());
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("bad \"fetched\" time: "
                        + node.get("fetched").asText());
            }
        }
        return new ArticleMessage(article, revision, feed, fetched,
                node.path("truncated").asBoolean(false));
    }

    /**
     * An assignments-topic value: the output format, the revision and fetch time, then what a
     * reader needs of the article, so that no consumer joins the articles topic.
     *
     * @param seq   the article's offset in {@code storyline.articles}: a total order
     * @param title the article's title as plain text, or null
     * @param lead  its first sentences as plain text (see {@link PlainText#lead}), or null
     */
    static byte[] assignment(Assignment a, ArticleMessage m, long seq, String title,
            String lead) {
        Article article = m.article();
        return object(ASSIGNMENT_SCHEMA, g -> {
            AssignmentWriter.writeFields(g, a);
            g.writeNumberField("revision", m.revision());
            g.writeStringField("fetched", instant(m.fetched()));
            g.writeNumberField("seq", seq);
            g.writeStringField("title", title);
            g.writeStringField("url", article.url());
            g.writeStringField("source", article.source());
            g.writeStringField("feed", m.feed());
            g.writeStringField("lang", article.lang());
            g.writeStringField("published", instant(article.published()));
            g.writeStringField("lead", lead);
        });
    }

    /**
     * A value in a format newer than this Storyline knows: not a bad record but a reader too
     * old for it, which must stop rather than skip or misread it.
     */
    static final class NewerSchema extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        NewerSchema(int schema, int known) {
            super("schema " + schema + " is newer than this Storyline understands (" + known
                    + ")");
        }
    }

    /**
     * A feed-health value: what a dashboard shows of a feed. {@code status} is {@code ok},
     * {@code failing} (the last poll failed; {@code consecutiveFailures} in a row) or
     * {@code new} (not polled yet).
     */
    static byte[] feedHealth(FeedState s) {
        return object(g -> {
            g.writeStringField("url", s.url());
            g.writeStringField("status", s.gone() ? "gone" : s.consecutiveFailures() > 0
                    ? "failing" : s.lastPoll() == null ? "new" : "ok");
            g.writeNumberField("consecutiveFailures", s.consecutiveFailures());
            g.writeStringField("lastPoll", instant(s.lastPoll()));
            g.writeStringField("nextPoll", instant(s.nextPoll()));
            g.writeStringField("lastNewEntry", instant(s.lastNewEntryAt()));
            FeedProblem p = s.lastProblem();
            if (p == null) {
                g.writeNullField("lastProblem");
            } else {
                g.writeObjectFieldStart("lastProblem");
                g.writeStringField("kind", p.what().name());
                g.writeStringField("message", p.message());
                g.writeStringField("at", instant(p.at()));
                g.writeEndObject();
            }
        });
    }

    /** A feed-commands value asking the feed's owner to poll it now. */
    static byte[] pollCommand(String url, Instant at) {
        return object(g -> {
            g.writeStringField("command", "poll");
            g.writeStringField("url", url);
            g.writeStringField("at", instant(at));
        });
    }

    static String instant(Instant t) {
        return t == null ? null : t.toString();
    }

    static String utf8(byte[] value) {
        return new String(value, StandardCharsets.UTF_8);
    }
}
