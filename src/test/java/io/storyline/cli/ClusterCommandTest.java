package io.storyline.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** End to end: {@code storyline cluster} on the shipped sample, and on bad input. */
class ClusterCommandTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cli = Main.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    private static List<JsonNode> lines(Path file) throws IOException {
        List<JsonNode> nodes = new ArrayList<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            nodes.add(JSON.readTree(line));
        }
        return nodes;
    }

    @Test
    void sampleSeedsAreFiveStoriesAndEveryCopyJoinsItsOriginal() throws IOException {
        Path output = dir.resolve("assignments.jsonl");
        assertEquals(0, run("cluster", "--input", "seeds/sample.jsonl", "--output",
                output.toString()));

        Map<String, String> gold = new LinkedHashMap<>();
        for (JsonNode g : lines(Path.of("seeds", "gold.jsonl"))) {
            gold.put(g.get("id").asText(), g.get("cluster").asText());
        }
        List<JsonNode> assignments = lines(output);
        assertEquals(17, assignments.size());
        Set<String> stories = new HashSet<>();
        for (JsonNode a : assignments) {
            String id = a.get("id").asText();
            String original = gold.get(id);
            stories.add(a.get("story").asText());
            assertEquals(original, a.get("story").asText(), "story of " + id);
            if (id.equals(original)) {
                assertTrue(a.get("duplicateOf").isNull(), id + " is an original");
            } else {
                assertEquals(original, a.get("duplicateOf").asText(), "duplicateOf of " + id);
            }
        }
        assertEquals(Set.of("seed-000", "seed-001", "seed-002", "seed-003", "seed-004"),
                stories);
        String summary = out.toString();
        assertTrue(summary.contains("articles   17"), summary);
        assertTrue(summary.contains("duplicates 12"), summary);
        assertTrue(summary.contains("stories    5"), summary);
        assertTrue(summary.contains("skipped    0"), summary);
    }

    @Test
    void outputIsByteIdenticalAcrossRuns() throws IOException {
        Path first = dir.resolve("first.jsonl");
        Path second = dir.resolve("second.jsonl");
        run("cluster", "--input", "seeds/sample.jsonl", "--output", first.toString());
        run("cluster", "--input", "seeds/sample.jsonl", "--output", second.toString());
        assertEquals(Files.readString(first), Files.readString(second));
    }

    @Test
    void badLinesAreNamedSkippedAndCounted() throws IOException {
        Path input = dir.resolve("bad.jsonl");
        Files.writeString(input, String.join("\n",
                "{\"id\": \"a\", \"title\": \"Storm hits the coast\"}",
                "not json at all",
                "{\"title\": \"no id here\"}",
                "{\"id\": \"a\", \"title\": \"same id again\"}",
                "{\"id\": \"b\", \"title\": \"Late train\", \"published\": \"yesterday\"}",
                "{\"id\": \"c\", \"text\": \"Flood warnings across the region\"}"),
                StandardCharsets.UTF_8);
        Path output = dir.resolve("out.jsonl");
        assertEquals(0, run("cluster", "--input", input.toString(), "--output",
                output.toString()));

        List<JsonNode> assignments = lines(output);
        assertEquals(List.of("a", "b", "c"), assignments.stream()
                .map(n -> n.get("id").asText()).toList());
        List<String> errors = err.toString().lines().toList();
        assertEquals(4, errors.size(), err.toString());
        assertTrue(errors.get(0).startsWith("skipped bad.jsonl:2: not JSON"), errors.get(0));
        assertEquals(List.of("skipped bad.jsonl:3: missing \"id\"",
                "skipped bad.jsonl:4: duplicate id \"a\"",
                "warning: bad.jsonl: 1 article kept without a time: \"published\" unreadable,"
                        + " first at line 5: \"yesterday\""), errors.subList(1, 4));
        assertTrue(out.toString().contains("articles   3"), out.toString());
        assertTrue(out.toString().contains("skipped    3"), out.toString());
    }

    private Path writeLines(String name, List<String> lines) throws IOException {
        return Files.write(dir.resolve(name), lines, StandardCharsets.UTF_8);
    }

    private static List<String> articles(int count, String published) {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            lines.add("{\"id\": \"a" + i + "\", \"title\": \"Headline number " + i + "\","
                    + " \"published\": \"" + published + "\"}");
        }
        return lines;
    }

    @Test
    void plainDatesAreReadAsTheStartOfTheDay() throws IOException {
        Path input = writeLines("dates.jsonl", articles(300, "2010-02-20"));
        Path output = dir.resolve("out.jsonl");
        assertEquals(0, run("cluster", "--input", input.toString(), "--output",
                output.toString()));
        assertEquals(300, lines(output).size());
        assertEquals("", err.toString());
        assertTrue(out.toString().contains("articles   300"), out.toString());
        assertTrue(out.toString().contains("skipped    0"), out.toString());
    }

    @Test
    void unreadableTimesKeepTheArticlesWithOneWarningForTheFile() throws IOException {
        Path input = writeLines("vague.jsonl", articles(300, "yesterday"));
        Path output = dir.resolve("out.jsonl");
        assertEquals(0, run("cluster", "--input", input.toString(), "--output",
                output.toString()));
        assertEquals(300, lines(output).size());
        assertEquals("warning: vague.jsonl: 300 articles kept without a time: \"published\""
                + " unreadable, first at line 1: \"yesterday\"", err.toString().strip());
        assertTrue(out.toString().contains("articles   300"), out.toString());
        assertTrue(out.toString().contains("skipped    0"), out.toString());
    }

    @Test
    void skippingEveryLineFailsTheRunNamingTheInput() throws IOException {
        Path input = writeLines("nothing.jsonl", List.of("not json", "",
                "{\"title\": \"no id\"}", "{\"id\": \"x\", \"published\": \"2010-02-20\"}"));
        Path output = dir.resolve("out.jsonl");
        assertEquals(1, run("cluster", "--input", input.toString(), "--output",
                output.toString()));
        List<String> errors = err.toString().lines().toList();
        assertEquals(4, errors.size(), err.toString());
        assertEquals("error: no article read from " + input + ": every line was skipped (3)",
                errors.get(3));
        assertFalse(Files.exists(output));
        assertEquals("", out.toString());
    }

    @Test
    void skippingEveryTextFileFailsTheRunNamingTheDirectory() throws IOException {
        Path texts = Files.createDirectory(dir.resolve("texts"));
        Files.writeString(texts.resolve("empty.txt"), "  \n");
        assertEquals(1, run("cluster", "--input", texts.toString(), "--output",
                dir.resolve("out.jsonl").toString()));
        assertEquals(List.of("skipped empty.txt: article empty has neither title nor text",
                "error: no article read from " + texts + ": every file was skipped (1)"),
                err.toString().lines().toList());
    }

    @Test
    void anInputOfBlankLinesIsAnEmptyRunNotAFailure() throws IOException {
        Path input = writeLines("blank.jsonl", List.of("", "  "));
        Path output = dir.resolve("out.jsonl");
        assertEquals(0, run("cluster", "--input", input.toString(), "--output",
                output.toString()));
        assertEquals("", Files.readString(output));
        assertEquals("", err.toString());
        assertTrue(out.toString().contains("articles   0"), out.toString());
    }

    @Test
    void missingInputIsAnErrorNamingIt() {
        assertEquals(2, run("cluster", "--input", dir.resolve("nope.jsonl").toString(),
                "--output", dir.resolve("out.jsonl").toString()));
        assertTrue(err.toString().contains("nope.jsonl does not exist"), err.toString());
    }

    @Test
    void aMisspeltSettingStopsTheRunNamingTheKey() {
        int code = run("cluster", "--input", "seeds/sample.jsonl", "--output",
                dir.resolve("out.jsonl").toString(), "--set", "story.treshold=0.3");
        assertEquals(2, code);
        assertTrue(err.toString().startsWith("error: unknown setting story.treshold from --set"
                + " (known: "), err.toString());
    }

    @Test
    void aBadValueGivenWithSetIsNamedAsSetNotAsTheSettingsFile() {
        int code = run("cluster", "--input", "seeds/sample.jsonl", "--output",
                dir.resolve("out.jsonl").toString(), "--set", "story.threshold=2");
        assertEquals(2, code);
        assertEquals("error: setting story.threshold=2 from --set must be between 0.01 and 1.0",
                err.toString().strip());
    }

    @Test
    void textDirectoryInput() throws IOException {
        Path output = dir.resolve("txt.jsonl");
        assertEquals(0, run("cluster", "--input", "seeds/articles", "--output",
                output.toString()));
        List<JsonNode> assignments = lines(output);
        assertEquals(5, assignments.size());
        assertEquals("000_c0984281dbc7edb9", assignments.get(0).get("id").asText());
    }

    @Test
    void anUnsupportedDefaultLanguageIsNamed() {
        int code = run("cluster", "--input", "seeds/sample.jsonl", "--output",
                dir.resolve("out.jsonl").toString(), "--set", "text.default-language=xx");
        assertEquals(2, code);
        assertEquals("error: setting text.default-language=xx must be one of en, fr, de, es, it,"
                + " pt, nl", err.toString().strip());
    }
}
