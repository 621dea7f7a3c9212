package io.storyline.article;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.storyline.article.InputProblem.Effect;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ArticleReaderTest {

    @TempDir
    Path dir;

    private final List<Article> articles = new ArrayList<>();
    private final List<InputProblem> problems = new ArrayList<>();
    private final ArticleReader reader = new ArticleReader(articles::add, problems::add);

    private Path jsonl(String... lines) throws IOException {
        return Files.writeString(dir.resolve("sample.jsonl"), String.join("\n", lines));
    }

    private List<String> ids() {
        return articles.stream().map(Article::id).toList();
    }

    @Test
    void readsGoodLinesInOrderWithAllFields() throws IOException {
        reader.read(jsonl(
                "{\"id\":\"a1\",\"url\":\"https://x.example/1\",\"source\":\"Planet\","
                        + "\"lang\":\"fr\",\"title\":\"Titre\",\"text\":\"Corps\","
                        + "\"published\":\"2024-03-01T08:00:00Z\"}",
                "{\"id\":\"a2\",\"text\":\"Only text\"}",
                "{\"id\":\"a3\",\"title\":\"Only title\",\"extra\":[1,2]}"));
        assertEquals(List.of(
                new Article("a1", "https://x.example/1", "Planet", "fr", "Titre", "Corps",
                        Instant.parse("2024-03-01T08:00:00Z")),
                new Article("a2", null, null, null, null, "Only text", null),
                new Article("a3", null, null, null, "Only title", null, null)), articles);
        assertEquals(List.of(), problems);
    }

    @Test
    void parsesPublishedTimesWithAnOffset() throws IOException {
        reader.read(jsonl(
                "{\"id\":\"a\",\"title\":\"t\",\"published\":\"2024-03-01T10:00:00+02:00\"}",
                "{\"id\":\"b\",\"title\":\"t\",\"published\":\"2024-03-01T10:00:00.5-05:30\"}",
                "{\"id\":\"c\",\"title\":\"t\",\"published\":\"\"}",
                "{\"id\":\"d\",\"title\":\"t\",\"published\":null}"));
        assertEquals(Instant.parse("2024-03-01T08:00:00Z"), articles.get(0).published());
        assertEquals(Instant.parse("2024-03-01T15:30:00.5Z"), articles.get(1).published());
        assertNull(articles.get(2).published());
        assertNull(articles.get(3).published());
        assertEquals(List.of(), problems);
    }

    @Test
    void reportsEachBadLineWithItsLocationAndGoesOn() throws IOException {
        reader.read(jsonl(
                "{\"id\":\"a1\",\"title\":\"first\"}",
                "not json",
                "{\"id\":\"a2\",\"title\":\"after not json\"}",
                "{\"title\":\"no id\"}",
                "{\"id\":\"a3\",\"title\":\"after missing id\"}",
                "{\"id\":\"a4\"}",
                "{\"id\":\"a5\",\"title\":\"after empty\"}",
                "{\"id\":\"a1\",\"title\":\"again\"}",
                "{\"id\":\"a6\",\"title\":\"after duplicate\"}",
                "{\"id\":\"a7\",\"title\":\"kept without its time\",\"published\":\"soon\"}",
                "{\"id\":\"a8\",\"title\":\"after bad time\"}",
                "[1,2]",
                "\"a string\"",
                "null",
                "{\"id\":\"a9\",\"title\":\"after non-objects\"}"));
        assertEquals(List.of("a1", "a2", "a3", "a5", "a6", "a7", "a8", "a9"), ids());
        assertNull(articles.get(5).published());
        assertEquals(8, problems.size());
        assertEquals("sample.jsonl:2", problems.get(0).location());
        assertTrue(problems.get(0).message().startsWith("not JSON: Unrecognized token 'not'"),
                problems.get(0).message());
        assertEquals(List.of(
                new InputProblem("sample.jsonl:4", "missing \"id\""),
                new InputProblem("sample.jsonl:6", "article a4 has neither title nor text"),
                new InputProblem("sample.jsonl:8", "duplicate id \"a1\""),
                new InputProblem("sample.jsonl:12", "not a JSON object"),
                new InputProblem("sample.jsonl:13", "not a JSON object"),
                new InputProblem("sample.jsonl:14", "not a JSON object"),
                new InputProblem("sample.jsonl", "1 article kept without a time: \"published\""
                        + " unreadable, first at line 10: \"soon\"", Effect.KEPT)),
                problems.subList(1, 8));
    }

    @Test
    void aDuplicateLineDoesNotReplaceTheFirstArticle() throws IOException {
        reader.read(jsonl("{\"id\":\"a\",\"title\":\"first\"}",
                "{\"id\":\"a\",\"title\":\"2nd\"}"));
        assertEquals(List.of(Article.of("a", "first", null, null)), articles);
    }

    @Test
    void reportsOtherInvalidRecords() throws IOException {
        reader.read(jsonl(
                "{\"id\":\"  \",\"title\":\"t\"}",
                "{\"id\":{\"x\":1},\"title\":\"t\"}",
                "{\"id\":\"a\",\"title\":[\"t\"]}",
                "{\"id\":\"b\",\"title\":\"   \",\"text\":\"\"}"));
        assertEquals(List.of(), articles);
        assertEquals(List.of(
                new InputProblem("sample.jsonl:1", "missing \"id\""),
                new InputProblem("sample.jsonl:2", "\"id\" is not a string"),
                new InputProblem("sample.jsonl:3", "\"title\" is not a string"),
                new InputProblem("sample.jsonl:4", "article b has neither title nor text")),
                problems);
    }

    @Test
    void readsScalarIdsAsText() throws IOException {
        reader.read(jsonl("{\"id\":42,\"title\":\"t\"}"));
        assertEquals(List.of("42"), ids());
    }

    @Test
    void skipsBlankLinesButCountsThemInLocations() throws IOException {
        reader.read(jsonl("", "{\"id\":\"a\",\"title\":\"t\"}", "   ", "{oops"));
        assertEquals(List.of("a"), ids());
        assertEquals(1, problems.size());
        assertEquals("sample.jsonl:4", problems.get(0).location());
    }

    @Test
    void rejectsDuplicateIdsAcrossInputsOfOneReader() throws IOException {
        Path first = Files.writeString(dir.resolve("one.jsonl"), "{\"id\":\"a\",\"title\":\"t\"}");
        Path second = Files.writeString(dir.resolve("two.jsonl"),
                "{\"id\":\"b\",\"title\":\"t\"}\n{\"id\":\"a\",\"title\":\"t\"}\n");
        reader.read(first);
        reader.read(second);
        assertEquals(List.of("a", "b"), ids());
        assertEquals(List.of(new InputProblem("two.jsonl:2", "duplicate id \"a\"")), problems);
    }

    @Test
    void aMissingFileIsAnError() {
        Path missing = dir.resolve("missing.jsonl");
        UncheckedIOException e = assertThrows(UncheckedIOException.class,
                () -> reader.read(missing));
        assertEquals("cannot read " + missing, e.getMessage());
    }

    @Test
    void readsADirectoryOfTextFilesInSortedOrder() throws IOException {
        Path texts = Files.createDirectory(dir.resolve("texts"));
        Files.writeString(texts.resolve("b.txt"), "Title B\r\nline1\nline2\n\n");
        Files.writeString(texts.resolve("a10.txt"), "  Only a title  \n");
        Files.writeString(texts.resolve("a2.txt"), "Title A2\n\nBody of A2");
        Files.writeString(texts.resolve("notes.md"), "not an article");
        reader.read(texts);
        assertEquals(List.of(
                Article.of("a10", "Only a title", "", null),
                Article.of("a2", "Title A2", "Body of A2", null),
                Article.of("b", "Title B", "line1\nline2", null)), articles);
        assertEquals(List.of(), problems);
    }

    @Test
    void reportsAnEmptyTextFileByName() throws IOException {
        Path texts = Files.createDirectory(dir.resolve("texts"));
        Files.writeString(texts.resolve("empty.txt"), " \n  ");
        Files.writeString(texts.resolve("full.txt"), "Title");
        reader.read(texts);
        assertEquals(List.of("full"), ids());
        assertEquals(List.of(new InputProblem("empty.txt",
                "article empty has neither title nor text")), problems);
    }

    @Test
    void inputProblemPrintsLocationThenMessage() {
        assertEquals("sample.jsonl:3: missing \"id\"",
                new InputProblem("sample.jsonl:3", "missing \"id\"").toString());
        assertEquals(Effect.SKIPPED, new InputProblem("sample.jsonl:3", "missing id").effect());
    }

    @Test
    void reportsTrailingContentAfterTheRecord() throws IOException {
        reader.read(jsonl(
                "{\"id\":\"a\",\"title\":\"t\"}{\"id\":\"b\",\"title\":\"lost\"}",
                "{\"id\":\"c\",\"title\":\"t\"} trailing"));
        // Observed: articles a and c accepted, no problem reported.
        assertEquals(List.of("sample.jsonl:1", "sample.jsonl:2"),
                problems.stream().map(InputProblem::location).toList());
    }

    @Test
    void keepsArticlesWithTimesOutsideNewsYearsAndSkipsAByteOrderMark() throws IOException {
        reader.read(jsonl("\uFEFF{\"id\":\"a\",\"title\":\"t\"}",
                "{\"id\":\"b\",\"title\":\"t\",\"published\":\"+999999999-01-01T00:00:00Z\"}",
                "{\"id\":\"c\",\"title\":\"t\",\"published\":\"2999-01-01T00:00:00Z\"}"));
        assertEquals(List.of(Article.of("a", "t", null, null), Article.of("b", "t", null, null),
                Article.of("c", "t", null, null)), articles);
        assertEquals(List.of(new InputProblem("sample.jsonl", "2 articles kept without a time:"
                + " \"published\" unreadable, first at line 2: \"+999999999-01-01T00:00:00Z\""
                + " is outside the years 1800-2200", Effect.KEPT)), problems);
    }

    /** The time read from {@code published}, written as JSON; fails on any input problem. */
    private Instant published(String json) throws IOException {
        reader.read(jsonl("{\"id\":\"a\",\"title\":\"t\",\"published\":" + json + "}"));
        assertEquals(List.of(), problems);
        return articles.get(0).published();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "'\"2024-03-21T08:00:00Z\"'                  | 2024-03-21T08:00:00Z",
        "'\"2024-03-21T08:00:00+02:00\"'             | 2024-03-21T06:00:00Z",
        "'\"2024-03-21T08:00:00.123456789-05:30\"'   | 2024-03-21T13:30:00.123456789Z",
        "'\"2024-03-21T08:00:00.5Z\"'                | 2024-03-21T08:00:00.500Z",
        "'\"2024-03-21T08:00Z\"'                     | 2024-03-21T08:00:00Z",
        "'\"2024-03-21T08:00:00+0200\"'              | 2024-03-21T06:00:00Z",
        "'\"2024-03-21t08:00:00z\"'                  | 2024-03-21T08:00:00Z",
        "'\" 2024-03-21T08:00:00Z \"'                | 2024-03-21T08:00:00Z",
        "'\"2200-12-31T23:59:59Z\"'                  | 2200-12-31T23:59:59Z",
        "'\"1800-01-01T00:00:00Z\"'                  | 1800-01-01T00:00:00Z",
    })
    void readsIsoTimesWithAnOffset(String json, Instant expected) throws IOException {
        assertEquals(expected, published(json));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "'\"2010-02-20\"'                 | 2010-02-20T00:00:00Z",
        "'\"2024-02-29\"'                 | 2024-02-29T00:00:00Z",
        "'\"2024-03-21T08:00:00\"'        | 2024-03-21T08:00:00Z",
        "'\"2024-03-21T08:00\"'           | 2024-03-21T08:00:00Z",
        "'\"2024-03-21T08:00:00.250\"'    | 2024-03-21T08:00:00.250Z",
        "'\"2024-03-21 08:00:00\"'        | 2024-03-21T08:00:00Z",
        "'\"2024-03-21 08:00\"'           | 2024-03-21T08:00:00Z",
    })
    void readsDatesAndTimesWithoutAnOffsetAsUtc(String json, Instant expected)
            throws IOException {
        assertEquals(expected, published(json));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "'\"Tue, 15 Nov 2022 08:00:00 GMT\"'   | 2022-11-15T08:00:00Z",
        "'\"15 Nov 2022 08:00:00 GMT\"'        | 2022-11-15T08:00:00Z",
        "'\"Tue, 15 Nov 2022 08:00 GMT\"'      | 2022-11-15T08:00:00Z",
        "'\"Sat, 5 Nov 2022 08:00:00 GMT\"'    | 2022-11-05T08:00:00Z",
        "'\"tue, 15 nov 2022 08:00:00 gmt\"'   | 2022-11-15T08:00:00Z",
        "'\"Tue, 15 Nov 22 08:00:00 GMT\"'     | 2022-11-15T08:00:00Z",
        "'\"1 Jan 49 00:00 GMT\"'              | 2049-01-01T00:00:00Z",
        "'\"1 Jan 50 00:00 GMT\"'              | 1950-01-01T00:00:00Z",
        "'\"15 Nov 99 08:00 GMT\"'             | 1999-11-15T08:00:00Z",
        "'\"15 Nov 2022 08:00:00 UT\"'         | 2022-11-15T08:00:00Z",
        "'\"15 Nov 2022 08:00:00 UTC\"'        | 2022-11-15T08:00:00Z",
        "'\"15 Nov 2022 08:00:00 Z\"'          | 2022-11-15T08:00:00Z",
        "'\"15 Nov 2022 08:00:00 EST\"'        | 2022-11-15T13:00:00Z",
        "'\"15 Nov 2022 08:00:00 EDT\"'        | 2022-11-15T12:00:00Z",
        "'\"15 Nov 2022 08:00:00 CST\"'        | 2022-11-15T14:00:00Z",
        "'\"15 Nov 2022 08:00:00 CDT\"'        | 2022-11-15T13:00:00Z",
        "'\"15 Nov 2022 08:00:00 MST\"'        | 2022-11-15T15:00:00Z",
        "'\"15 Nov 2022 08:00:00 MDT\"'        | 2022-11-15T14:00:00Z",
        "'\"15 Nov 2022 08:00:00 PST\"'        | 2022-11-15T16:00:00Z",
        "'\"15 Nov 2022 08:00:00 PDT\"'        | 2022-11-15T15:00:00Z",
        "'\"Tue, 15 Nov 2022 08:00:00 +0200\"' | 2022-11-15T06:00:00Z",
        "'\"Tue, 15 Nov 2022 08:00:00 -0500\"' | 2022-11-15T13:00:00Z",
        "'\"Tue, 15 Nov 2022 08:00:00 +0000\"' | 2022-11-15T08:00:00Z",
    })
    void readsRfc822TimesAsFeedsWriteThem(String json, Instant expected) throws IOException {
        assertEquals(expected, published(json));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "1668499200               | 2022-11-15T08:00:00Z",
        "'\"1668499200\"'         | 2022-11-15T08:00:00Z",
        "1668499200.25            | 2022-11-15T08:00:00.250Z",
        "1.6684992E9              | 2022-11-15T08:00:00Z",
        "1668499200123            | 2022-11-15T08:00:00.123Z",
        "'\"1668499200123\"'      | 2022-11-15T08:00:00.123Z",
        "0                        | 1970-01-01T00:00:00Z",
        "100000000000             | 1973-03-03T09:46:40Z",
    })
    void readsEpochSecondsBelowTenToTheElevenAndMillisecondsFromThere(String json,
            Instant expected) throws IOException {
        assertEquals(expected, published(json));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "'\"yesterday\"' | '\"yesterday\"'",
        "'\"2024-02-30\"' | '\"2024-02-30\"'",
        "'\"2024-03-21T24:00:00Z\"' | '\"2024-03-21T24:00:00Z\"'",
        "'\"Mon, 15 Nov 2022 08:00:00 GMT\"' | '\"Mon, 15 Nov 2022 08:00:00 GMT\"'",
        "'\"15 Nov 2022 08:00:00\"' | '\"15 Nov 2022 08:00:00\"'",
        "'\"15 Nov 2022 08:00:00 CET\"' | '\"15 Nov 2022 08:00:00 CET\"'",
        "'\"-1668499200\"' | '\"-1668499200\"'",
        "'\"say \\\"when\\\"\"' | '\"say \\\"when\\\"\"'",
        "'\"1799-12-31T23:59:59Z\"' | '\"1799-12-31T23:59:59Z\" is outside the years 1800-2200'",
        "'\"2201-01-01T00:00:00Z\"' | '\"2201-01-01T00:00:00Z\" is outside the years 1800-2200'",
        "99999999999 | '99999999999 is outside the years 1800-2200'",
        "1e300 | '1.0E300 is outside the years 1800-2200'",
        "true | 'true is not a string or a number'",
        "'{\"at\":1}' | '{\"at\":1} is not a string or a number'",
    })
    void keepsTheArticleWithoutAnUnreadableTimeAndNamesTheValue(String json, String why)
            throws IOException {
        reader.read(jsonl("{\"id\":\"a\",\"title\":\"t\",\"published\":" + json + "}"));
        assertEquals(List.of(Article.of("a", "t", null, null)), articles);
        assertEquals(List.of(new InputProblem("sample.jsonl", "1 article kept without a time:"
                + " \"published\" unreadable, first at line 1: " + why, Effect.KEPT)), problems);
    }

    @Test
    void warnsOncePerFileWithTheCountAndTheFirstUnreadableTime() throws IOException {
        Path first = Files.writeString(dir.resolve("one.jsonl"), String.join("\n",
                "{\"id\":\"a\",\"title\":\"t\",\"published\":\"2024-03-21T08:00:00Z\"}",
                "{\"id\":\"b\",\"title\":\"t\",\"published\":\"yesterday\"}",
                "{\"id\":\"a\",\"title\":\"t\",\"published\":\"duplicate, not counted\"}",
                "{\"id\":\"c\",\"published\":\"no title, not counted\"}",
                "{\"id\":\"d\",\"title\":\"t\",\"published\":\"today\"}",
                "",
                "{\"id\":\"e\",\"title\":\"t\",\"published\":\"2010-02-20\"}",
                "{\"id\":\"f\",\"title\":\"t\",\"published\":\"now\"}"));
        Path second = Files.writeString(dir.resolve("two.jsonl"),
                "{\"id\":\"g\",\"title\":\"t\",\"published\":\"later\"}\n");
        reader.read(first);
        reader.read(second);
        assertEquals(List.of("a", "b", "d", "e", "f", "g"), ids());
        assertEquals(Arrays.asList(Instant.parse("2024-03-21T08:00:00Z"), null, null,
                Instant.parse("2010-02-20T00:00:00Z"), null, null),
                articles.stream().map(Article::published).toList());
        assertEquals(List.of(
                new InputProblem("one.jsonl:3", "duplicate id \"a\""),
                new InputProblem("one.jsonl:4", "article c has neither title nor text"),
                new InputProblem("one.jsonl", "3 articles kept without a time: \"published\""
                        + " unreadable, first at line 2: \"yesterday\"", Effect.KEPT),
                new InputProblem("two.jsonl", "1 article kept without a time: \"published\""
                        + " unreadable, first at line 1: \"later\"", Effect.KEPT)), problems);
    }

    @Test
    void aSingleRecordWithAnUnreadableTimeIsAnError() throws IOException {
        ObjectMapper json = new ObjectMapper();
        assertEquals(Article.of("a", "t", null, Instant.parse("2010-02-20T00:00:00Z")),
                ArticleReader.parse(json.readTree(
                        "{\"id\":\"a\",\"title\":\"t\",\"published\":\"2010-02-20\"}")));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ArticleReader.parse(json.readTree(
                        "{\"id\":\"a\",\"title\":\"t\",\"published\":\"yesterday\"}")));
        assertEquals("\"published\" unreadable: \"yesterday\"", e.getMessage());
    }
}
