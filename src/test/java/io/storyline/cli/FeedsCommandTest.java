package io.storyline.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.storyline.ingest.FeedProblem;
import io.storyline.ingest.FeedSpec;
import io.storyline.ingest.FeedState;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
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
    void aBadKafkaSettingGivenWithSetIsNamedAsSetBeforeAnyBrokerStarts() {
        assertEquals(2, run("feeds", "list", "--set", "kafka.port=70000"));
        assertEquals("error: setting kafka.port=70000 from --set must be between 0 and 65535",
                err.toString().strip());
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

    private static final FeedSpec FEED = new FeedSpec("https://news.example/rss.xml", "News");
    private static final Instant POLLED = Instant.parse("2026-12-02T07:10:03.250Z");
    private static final Instant NEXT = Instant.parse("2026-12-02T07:11:04Z");

    private static FeedState state(int failures, FeedProblem problem, Instant lastPoll) {
        return new FeedState(FEED.url(), null, null, null, Duration.ofMinutes(1), failures, NEXT,
                null, Map.of(), problem, lastPoll);
    }

    @Test
    void listLineOfAHealthyFeed() {
        assertEquals("https://news.example/rss.xml\tNews\t2026-12-02T07:10:03Z\tok\t"
                + "2026-12-02T07:11:04Z\t-", FeedsCommand.ListFeeds.line(FEED,
                        state(0, null, POLLED)));
    }

    @Test
    void listLineOfAFailingFeedNamesItsLastProblemOnOneLine() {
        FeedProblem problem = new FeedProblem(FEED.url(), FeedProblem.Kind.HTTP_STATUS,
                "feed https://news.example/rss.xml answered HTTP 503\tService\nUnavailable",
                POLLED);
        assertEquals("https://news.example/rss.xml\tNews\t2026-12-02T07:10:03Z\t"
                + "failing (3 in a row)\t2026-12-02T07:11:04Z\t2026-12-02T07:10:03Z "
                + "HTTP_STATUS: feed https://news.example/rss.xml answered HTTP 503 Service "
                + "Unavailable", FeedsCommand.ListFeeds.line(FEED, state(3, problem, POLLED)));
    }

    @Test
    void listLineOfARecoveredFeedKeepsItsLastProblem() {
        FeedProblem problem = new FeedProblem(FEED.url(), FeedProblem.Kind.TIMEOUT,
                "feed https://news.example/rss.xml timed out", Instant.parse(
                        "2026-12-01T23:00:00Z"));
        assertEquals("https://news.example/rss.xml\tNews\t2026-12-02T07:10:03Z\tok\t"
                + "2026-12-02T07:11:04Z\t2026-12-01T23:00:00Z TIMEOUT: feed "
                + "https://news.example/rss.xml timed out",
                FeedsCommand.ListFeeds.line(FEED, state(0, problem, POLLED)));
    }

    @Test
    void listLineOfAFeedNeverPolled() {
        assertEquals("https://news.example/rss.xml\tNews\t-\tnot polled yet\t-\t-",
                FeedsCommand.ListFeeds.line(FEED, null));
    }

    @Test
    void listLineOfAStateSavedBeforeLastPollExisted() {
        assertEquals("https://news.example/rss.xml\tNews\t-\tok\t2026-12-02T07:11:04Z\t-",
                FeedsCommand.ListFeeds.line(FEED, state(0, null, null)));
    }
}
