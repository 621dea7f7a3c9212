package io.storyline.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code storyline eval} reads gold and predictions and prints the scores. */
class EvalCommandTest {

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

    private Path file(String name, String content) throws IOException {
        return Files.writeString(dir.resolve(name), content, StandardCharsets.UTF_8);
    }

    private Path gold() throws IOException {
        return file("gold.jsonl", "{\"id\":\"a\",\"cluster\":\"1\"}\n"
                + "{\"id\":\"b\",\"cluster\":\"1\"}\n{\"id\":\"c\",\"cluster\":\"2\"}\n");
    }

    private Path pred() throws IOException {
        return file("pred.jsonl", "{\"id\":\"a\",\"story\":\"x\"}\n"
                + "{\"id\":\"b\",\"story\":\"x\"}\n{\"id\":\"c\",\"story\":\"c\"}\n");
    }

    @Test
    void printsScoresAndWarnsAboutMissingPredictions() throws IOException {
        Path pred = file("pred.jsonl", "{\"id\":\"a\",\"story\":\"x\"}\n"
                + "{\"id\":\"b\",\"story\":\"x\"}\nbroken\n");

        assertEquals(0, run("eval", "--gold", gold().toString(), "--pred", pred.toString()));

        assertTrue(out.toString().contains("BCubed    P 1.0000  R 1.0000  F1 1.0000"),
                out.toString());
        assertTrue(err.toString().contains("pred.jsonl:3: not JSON"), err.toString());
        assertTrue(err.toString().contains("1 gold ids have no prediction"), err.toString());
    }

    @Test
    void aMissingGoldFileIsAOneLineErrorNamingIt() throws IOException {
        Path missing = dir.resolve("nope.jsonl");
        assertEquals(2, run("eval", "--gold", missing.toString(), "--pred", pred().toString()));
        assertEquals(List.of("error: gold file " + missing + " does not exist"),
                err.toString().lines().toList());
        assertEquals("", out.toString());
    }

    @Test
    void aMissingPredictionFileIsAOneLineErrorNamingIt() throws IOException {
        Path missing = dir.resolve("nope.jsonl");
        assertEquals(2, run("eval", "--gold", gold().toString(), "--pred", missing.toString()));
        assertEquals(List.of("error: pred file " + missing + " does not exist"),
                err.toString().lines().toList());
        assertEquals("", out.toString());
    }

    @Test
    void aDirectoryIsAnUnreadableFile() throws IOException {
        Path folder = Files.createDirectory(dir.resolve("labels"));
        assertEquals(2, run("eval", "--gold", gold().toString(), "--pred", folder.toString()));
        assertEquals(List.of("error: pred file " + folder + " is a directory"),
                err.toString().lines().toList());
    }

    @Test
    void namesEachMalformedLineWithFileAndNumberAndScoresTheRest() throws IOException {
        Path gold = file("gold.jsonl", "{\"id\":\"a\",\"cluster\":\"1\"}\n");
        byte[] loneLeadByte = {'{', '"', 'i', 'd', '"', ':', '"', (byte) 0xC3, '"', '}', '\n'};
        Files.write(gold, loneLeadByte, StandardOpenOption.APPEND);
        Files.writeString(gold, String.join("\n",
                "{\"id\":\"b\",\"cluster\":\"1\"} trailing",
                "{\"id\":{\"x\":1},\"cluster\":\"2\"}",
                "[\"c\", \"2\"]",
                "{\"id\":\"a\",\"cluster\":\"3\"}",
                "{\"id\":\"é\",\"cluster\":\"2\"}"), StandardCharsets.UTF_8,
                StandardOpenOption.APPEND);

        assertEquals(0, run("eval", "--gold", gold.toString(), "--pred", pred().toString()));

        assertEquals(List.of(
                "skipped gold.jsonl:2: not UTF-8",
                "skipped gold.jsonl:3: not JSON",
                "skipped gold.jsonl:4: needs \"id\" and \"cluster\"",
                "skipped gold.jsonl:5: needs \"id\" and \"cluster\"",
                "skipped gold.jsonl:6: duplicate id \"a\"",
                "warning: 1 gold ids have no prediction in " + dir.resolve("pred.jsonl")
                        + "; each counts as its own story"),
                err.toString().lines().toList());
        assertTrue(out.toString().startsWith(String.format("%-20s%7d", "items", 2)),
                out.toString());
    }

    @Test
    void aGoldFileWithoutOneUsableLineIsAnError() throws IOException {
        Path gold = file("gold.jsonl", "\nnot json\n{\"id\":\"a\"}\n");
        assertEquals(2, run("eval", "--gold", gold.toString(), "--pred", pred().toString()));
        assertEquals(List.of("skipped gold.jsonl:2: not JSON",
                "skipped gold.jsonl:3: needs \"id\" and \"cluster\"",
                "error: gold file " + gold + " has no usable line"),
                err.toString().lines().toList());
        assertEquals("", out.toString());
    }
}
