package io.storyline.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code storyline feeds} without a broker: usage, help and input checked before Kafka. */
class FeedsCommandTest {

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cli = Main.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    @Test
    void aUrlOfAnotherSchemeIsRefusedBeforeAnyBrokerStarts() {
        assertEquals(2, run("feeds", "add", "ftp://archive.example/feed.xml",
                "--bootstrap-servers", "127.0.0.1:1"));
        assertEquals("error: feed URL 'ftp://archive.example/feed.xml' is not http, https or"
                + " file", err.toString().strip());
    }

    @Test
    void aBadOpmlFileIsNamedBeforeAnyBrokerStarts() {
        assertEquals(2, run("feeds", "import", "no/such.opml",
                "--bootstrap-servers", "127.0.0.1:1"));
        assertEquals("error: OPML file no/such.opml does not exist", err.toString().strip());
    }

    @Test
    void everySubcommandHasHelp() {
        for (String sub : new String[] {"add", "remove", "list", "import", "export"}) {
            assertEquals(0, run("feeds", sub, "--help"), sub);
            assertTrue(out.toString().contains("--bootstrap-servers"), sub);
        }
        assertEquals(0, run("feeds", "--help"));
        assertTrue(out.toString().contains("export"), out.toString());
    }

    @Test
    void feedsAloneAsksForASubcommand() {
        assertEquals(2, run("feeds"));
        assertTrue(err.toString().startsWith("Missing subcommand"), err.toString());
    }
}
