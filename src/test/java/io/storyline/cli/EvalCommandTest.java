package io.storyline.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code storyline eval} reads gold and predictions and prints the scores. */
class EvalCommandTest {

    @TempDir
    Path dir;

    @Test
    void printsScoresAndWarnsAboutMissingPredictions() throws IOException {
        Path gold = dir.resolve("gold.jsonl");
        Path pred = dir.resolve("pred.jsonl");
        Files.writeString(gold, "{\"id\":\"a\",\"cluster\":\"1\"}\n"
                + "{\"id\":\"b\",\"cluster\":\"1\"}\n{\"id\":\"c\",\"cluster\":\"2\"}\n");
        Files.writeString(pred, "{\"id\":\"a\",\"story\":\"x\"}\n{\"id\":\"b\",\"story\":\"x\"}\n"
                + "broken\n");
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = Main.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));

        assertEquals(0, cli.execute("eval", "--gold", gold.toString(), "--pred",
                pred.toString()));

        assertTrue(out.toString().contains("BCubed    P 1.0000  R 1.0000  F1 1.0000"),
                out.toString());
        assertTrue(err.toString().contains("pred.jsonl:3: not JSON"), err.toString());
        assertTrue(err.toString().contains("1 gold ids have no prediction"), err.toString());
    }
}
