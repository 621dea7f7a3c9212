package io.storyline.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.storyline.ingest.FeedProblem;
import io.storyline.ingest.FeedSpec;
import io.storyline.ingest.FeedState;
import io.storyline.ingest.Opml;
import io.storyline.pipeline.EmbeddedKafka;
import io.storyline.pipeline.FeedRegistry;
import io.storyline.pipeline.Topics;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code storyline feeds} through picocli against a real broker. */
class FeedsCommandIT {

    private static final Path SHIPPED = Path.of("config", "feeds.opml");
    /** The health columns of a feed without a saved state. */
    private static final String NOT_POLLED = "\t-\tnot polled yet\t-\t-";

    @TempDir
    static Path brokerDir;

    private static EmbeddedKafka kafka;

    @TempDir
    Path dir;

    private StringWriter out = new StringWriter();
    private StringWriter err = new StringWriter();

    @BeforeAll
    static void startBroker() throws Exception {
        kafka = EmbeddedKafka.start(brokerDir, 0);
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(Topics.FEEDS, 1, (short) 1)
                    .configs(Map.of("cleanup.policy", "compact")))).all().get();
        }
    }

    @AfterAll
    static void stopBroker() {
        kafka.close();
    }

    @BeforeEach
    void emptyTheList() {
        try (FeedRegistry registry = new FeedRegistry(
                Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
            registry.list().forEach(feed -> registry.remove(feed.url()));
        }
    }

    /** Runs a {@code feeds} subcommand on the test broker; output replaces the last run's. */
    private int feeds(String... args) {
        List<String> all = new ArrayList<>(List.of("feeds"));
        all.addAll(List.of(args));
        all.addAll(List.of("--bootstrap-servers", kafka.bootstrapServers()));
        return run(all.toArray(String[]::new));
    }

    private int run(String... args) {
        out = new StringWriter();
        err = new StringWriter();
        CommandLine cli = Main.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    private List<String> outLines() {
        return out.toString().lines().toList();
    }

    @Test
    void importTheShippedListThenListAndExportIt() throws IOException {
        assertEquals(0, feeds("import", SHIPPED.toString()), err.toString());
        assertEquals("imported 9 feeds from " + SHIPPED + " (0 already listed)",
                out.toString().strip());

        assertEquals(0, feeds("list"), err.toString());
        List<FeedSpec> shipped = new ArrayList<>(Opml.read(SHIPPED, w -> { }));
        shipped.sort(Comparator.comparing(FeedSpec::url));
        List<String> expected = new ArrayList<>(List.of(FeedsCommand.ListFeeds.HEADER));
        shipped.forEach(f -> expected.add(f.url() + "\t" + f.title() + NOT_POLLED));
        expected.add("9 feeds");
        assertEquals(expected, outLines());

        Path exported = dir.resolve("exported.opml");
        assertEquals(0, feeds("export", exported.toString()), err.toString());
        assertEquals("exported 9 feeds to " + exported, out.toString().strip());
        assertEquals(shipped, Opml.read(exported, w -> { }));

        assertEquals(0, feeds("export", "-"), err.toString());
        Path stdout = Files.writeString(dir.resolve("stdout.opml"), out.toString(),
                StandardCharsets.UTF_8);
        assertEquals(shipped, Opml.read(stdout, w -> { }));

        assertEquals(0, feeds("import", SHIPPED.toString()), err.toString());
        assertEquals("imported 0 feeds from " + SHIPPED + " (9 already listed)",
                out.toString().strip());
    }

    @Test
    void addRetitleAndRemove() {
        String url = "https://www.lemonde.example/rss/une.xml";
        assertEquals(0, feeds("add", url, "--title", "Le Monde"), err.toString());
        assertEquals("added " + url, out.toString().strip());
        assertEquals(0, feeds("add", url, "--title", "Le Monde"), err.toString());
        assertEquals(url + " is already listed", out.toString().strip());
        assertEquals(0, feeds("add", url, "--title", "Le Monde - À la une"), err.toString());
        assertEquals(0, feeds("list"));
        assertEquals(List.of(FeedsCommand.ListFeeds.HEADER, url + "\tLe Monde - À la une"
                + NOT_POLLED, "1 feed"), outLines());

        assertEquals(0, feeds("remove", url), err.toString());
        assertEquals("removed " + url, out.toString().strip());
        assertEquals(1, feeds("remove", url));
        assertEquals("error: feed URL '" + url + "' is not listed", err.toString().strip());
        assertEquals(0, feeds("list"));
        assertEquals(List.of(FeedsCommand.ListFeeds.HEADER, "0 feeds"), outLines());
    }

    @Test
    void theClusterCanComeFromTheSettingsFile() throws IOException {
        Path settings = Files.writeString(dir.resolve("kafka.properties"),
                "kafka.bootstrap.servers=" + kafka.bootstrapServers() + "\n");
        assertEquals(0, run("feeds", "add", "file:seeds/feeds/le-veilleur.atom.xml",
                "--config", settings.toString()), err.toString());
        assertEquals(0, run("feeds", "list", "--config", settings.toString()));
        assertEquals(List.of(FeedsCommand.ListFeeds.HEADER,
                "file:seeds/feeds/le-veilleur.atom.xml\t" + NOT_POLLED, "1 feed"), outLines());
    }

    @Test
    void withoutAClusterAnEmbeddedBrokerKeepsTheListInTheDataDir() {
        Path data = dir.resolve("kafka");
        assertEquals(0, run("feeds", "add", "file:seeds/feeds/horizon-info.atom.xml",
                "--title", "Horizon Info", "--data-dir", data.toString()), err.toString());
        assertEquals(0, run("feeds", "list", "--data-dir", data.toString()), err.toString());
        assertEquals(List.of(FeedsCommand.ListFeeds.HEADER,
                "file:seeds/feeds/horizon-info.atom.xml\tHorizon Info" + NOT_POLLED, "1 feed"),
                outLines());
        assertTrue(Files.exists(data.resolve("meta.properties")), "broker data in " + data);
    }

    @Test
    void listShowsEachFeedsHealthFromTheSavedStates() throws Exception {
        String ok = "https://ok.example/rss.xml";
        String failing = "https://failing.example/rss.xml";
        String fresh = "https://fresh.example/rss.xml";
        for (String url : List.of(ok, failing, fresh)) {
            assertEquals(0, feeds("add", url), err.toString());
        }
        FeedProblem problem = new FeedProblem(failing, FeedProblem.Kind.HTTP_STATUS,
                "feed " + failing + " answered HTTP 503", Instant.parse("2026-12-02T07:00:00Z"));
        Instant next = Instant.parse("2026-12-02T07:30:00Z");
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                "bootstrap.servers", kafka.bootstrapServers()), new StringSerializer(),
                new StringSerializer())) {
            // An older state of the failing feed first: the latest one counts.
            producer.send(new ProducerRecord<>(Topics.FEED_STATE, failing, new FeedState(failing,
                    null, null, null, Duration.ofMinutes(1), 0, next, null, Map.of(), null,
                    Instant.parse("2026-12-02T06:59:00Z")).toJson()));
            producer.send(new ProducerRecord<>(Topics.FEED_STATE, failing, new FeedState(failing,
                    null, null, null, Duration.ofMinutes(1), 2, next, null, Map.of(), problem,
                    Instant.parse("2026-12-02T07:00:00Z")).toJson()));
            producer.send(new ProducerRecord<>(Topics.FEED_STATE, ok, new FeedState(ok, null,
                    null, null, Duration.ofMinutes(1), 0, next, null, Map.of(), null,
                    Instant.parse("2026-12-02T07:01:02Z")).toJson()));
            producer.flush();
        }

        assertEquals(0, feeds("list"), err.toString());

        assertEquals(List.of(FeedsCommand.ListFeeds.HEADER,
                failing + "\t\t2026-12-02T07:00:00Z\tfailing (2 in a row)\t2026-12-02T07:30:00Z"
                        + "\t2026-12-02T07:00:00Z HTTP_STATUS: feed " + failing
                        + " answered HTTP 503",
                fresh + "\t" + NOT_POLLED,
                ok + "\t\t2026-12-02T07:01:02Z\tok\t2026-12-02T07:30:00Z\t-",
                "3 feeds"), outLines());
    }
}
