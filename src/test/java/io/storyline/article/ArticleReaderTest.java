package io.storyline.article;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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
                "{\"id\":\"a7\",\"title\":\"t\",\"published\":\"yesterday\"}",
                "{\"id\":\"a8\",\"title\":\"after bad time\"}",
                "[1,2]",
                "\"a string\"",
                "null",
                "{\"id\":\"a9\",\"title\":\"after non-objects\"}"));
        assertEquals(List.of("a1", "a2", "a3", "a5", "a6", "a8", "a9"), ids());
        assertEquals(8, problems.size());
        assertEquals("sample.jsonl:2", problems.get(0).location());
        assertTrue(problems.get(0).message().startsWith("not JSON: Unrecognized token 'not'"),
                problems.get(0).message());
        assertEquals(List.of(
                new InputProblem("sample.jsonl:4", "missing \"id\""),
                new InputProblem("sample.jsonl:6", "article a4 has neither title nor text"),
                new InputProblem("sample.jsonl:8", "duplicate id \"a1\""),
                new InputProblem("sample.jsonl:10",
                        "\"published\" is not an ISO-8601 time with offset: \"yesterday\""),
                new InputProblem("sample.jsonl:12", "not a JSON object"),
                new InputProblem("sample.jsonl:13", "not a JSON object"),
                new InputProblem("sample.jsonl:14", "not a JSON object")),
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
                "{\"id\":\"b\",\"title\":\"   \",\"text\":\"\"}",
                "{\"id\":\"c\",\"title\":\"t\",\"published\":\"2024-03-01T10:00:00\"}"));
        assertEquals(List.of(), articles);
        assertEquals(List.of(
                new InputProblem("sample.jsonl:1", "missing \"id\""),
                new InputProblem("sample.jsonl:2", "\"id\" is not a string"),
                new InputProblem("sample.jsonl:3", "\"title\" is not a string"),
                new InputProblem("sample.jsonl:4", "article b has neither title nor text"),
                new InputProblem("sample.jsonl:5", "\"published\" is not an ISO-8601 time"
                        + " with offset: \"2024-03-01T10:00:00\"")), problems);
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
    void rejectsTimesOutsideNewsYearsAndSkipsAByteOrderMark() throws IOException {
        reader.read(jsonl("\uFEFF{\"id\":\"a\",\"title\":\"t\"}",
                "{\"id\":\"b\",\"title\":\"t\",\"published\":\"+999999999-01-01T00:00:00Z\"}",
                "{\"id\":\"c\",\"title\":\"t\",\"published\":\"2999-01-01T00:00:00Z\"}"));
        assertEquals(List.of("a"), articles.stream().map(Article::id).toList());
        assertEquals(List.of("sample.jsonl:2", "sample.jsonl:3"),
                problems.stream().map(InputProblem::location).toList());
        assertTrue(problems.get(1).message().contains("outside the years 1800-2200"),
                problems.get(1).message());
    }
}
