package io.storyline.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.storyline.digest.DigestRecord;
import io.storyline.digest.Subscribers;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code storyline digest --list}: next send times, and errors that name the file. */
class DigestCommandTest {

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cli = Main.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    @Test
    void listsTheNextSendOfEachSubscriber() {
        StringWriter text = new StringWriter();
        DigestCommand.print(Subscribers.load(Path.of("config", "digests.yaml")),
                Instant.parse("2026-11-20T06:30:00Z"), new PrintWriter(text));
        assertEquals("""
                EMAIL\tNAME\tZONE\tDIGEST OF\tNEXT SEND (LOCAL)\tNEXT SEND (UTC)
                redaction@example.org\tRédaction Monde\tEurope/Paris\t2026-11-21\t\
                2026-11-21 07:00 +01:00\t2026-11-21T06:00:00Z
                nightdesk@example.org\tNight desk\tAmerica/New_York\t2026-11-20\t\
                2026-11-20 06:30 -05:00\t2026-11-20T11:30:00Z
                2 subscribers
                """, text.toString().replace(System.lineSeparator(), "\n"));
    }

    @Test
    void theCommandChecksTheShippedFile() {
        assertEquals(0, run("digest", "--list", "--subscribers", "config/digests.yaml"));
        assertEquals(4, out.toString().strip().split("\\R").length, out.toString());
    }

    @Test
    void aBadFileIsOneLineNamingTheSubscriberAndKey(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("d.yaml");
        Files.writeString(file, "subscribers:\n  - email: a@b.org\n    send-at: \"07:00\"\n"
                + "    zone: Mars/Olympus\n    dashboard-url: https://x.org/\n");
        assertEquals(2, run("digest", "--list", "--subscribers", file.toString()));
        assertEquals("error: " + file + ": subscriber 1 (a@b.org): \"zone\" must be an IANA "
                + "time zone such as Europe/Paris, not 'Mars/Olympus'", err.toString().strip());
    }

    @Test
    void unresolvedAndFailedDigestsAreListedWithTheWayToResend() {
        StringWriter text = new StringWriter();
        DigestCommand.printUnresolved(List.of(
                record("a@x.org", DigestRecord.State.SENT, null),
                record("b@x.org", DigestRecord.State.CLAIMED, null),
                record("c@x.org", DigestRecord.State.FAILED, "554 refused")),
                new PrintWriter(text));
        assertEquals("""
                SUBSCRIBER\tDIGEST OF\tSTATE\tSINCE\tBY\tERROR
                b@x.org\t2026-11-20\tunresolved claim\t2026-11-20T06:00:01Z\t1@h\t-
                c@x.org\t2026-11-20\tfailed\t2026-11-20T06:00:01Z\t1@h\t554 refused
                2 digests unresolved or failed, never sent again by itself: storyline digest \
                --resend --subscriber EMAIL --date DATE sends one on purpose
                """, text.toString().replace(System.lineSeparator(), "\n"));
    }

    private static DigestRecord record(String email, DigestRecord.State state, String error) {
        return new DigestRecord(email, LocalDate.parse("2026-11-20"), state,
                Instant.parse("2026-11-20T06:00:00Z"), Instant.parse("2026-11-20T06:00:01Z"),
                "1@h", false, List.of(), error);
    }

    @Test
    void aMissingFileIsNamed() {
        assertEquals(2, run("digest", "--list", "--subscribers", "no/such.yaml"));
        assertEquals("error: subscribers file no/such.yaml does not exist",
                err.toString().strip());
    }

    @Test
    void withoutAnActionItSaysWhatIsMissing() {
        assertEquals(2, run("digest"));
        assertEquals("Missing option: --list, --import FILE, or --subscriber with --date",
                err.toString().strip().split("\\R")[0]);
    }
}
