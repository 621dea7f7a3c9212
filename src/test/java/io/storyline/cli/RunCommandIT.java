package io.storyline.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.storyline.pipeline.EmbeddedKafka;
import io.storyline.pipeline.FeedRegistry;
import io.storyline.pipeline.PipelineTestKit;
import io.storyline.pipeline.Topics;
import io.storyline.web.Http;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The README's main job, as a user runs it: {@code storyline run} in its own JVM on the
 * sample feeds, stopped with SIGTERM (what Ctrl-C does), then restarted on the same data.
 */
class RunCommandIT {

    private static final int SAMPLE_ARTICLES = 17;
    private static final String REMOVED = "file:seeds/feeds/le-veilleur.atom.xml";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void groupsTheSampleFeedsIntoFiveStoriesAndStopsCleanly() throws Exception {
        Path data = dir.resolve("kafka");
        Path log = dir.resolve("run.log");
        Process run = start(data, log);
        try {
            awaitLog(log, "gets a copy of", SAMPLE_ARTICLES - 5);
            dashboardShowsTheSampleStories(log);
            run.destroy(); // SIGTERM
            assertTrue(run.waitFor(60, TimeUnit.SECONDS), "run stops on SIGTERM");
        } finally {
            kill(run);
        }
        String out = Files.readString(log, StandardCharsets.UTF_8);
        assertTrue(out.contains("embedded Kafka broker on"), out);
        assertTrue(out.contains(" stopped"), out);
        assertEquals(5, count(out, "new story "), out);
        assertEquals(9, count(out, "[INFO] feeds - feed file:seeds/feeds/"), out);
        // Story and copy lines say what the article is: headline, (source), link.
        List<String> storyLines = out.lines().filter(l -> l.contains("[INFO] stories - "))
                .toList();
        assertEquals(SAMPLE_ARTICLES, storyLines.size(), out);
        for (String line : storyLines) {
            assertTrue(line.matches(".*\\[INFO\\] stories - (new story \\S+"
                    + "|  story \\S+ gets a copy of \\S+ \\((Jaccard [01]\\.\\d\\d|exact)\\)"
                    + "|  story \\S+ grows \\(score [01]\\.\\d\\d\\)): \\S.* \\(.+\\)"
                    + " https://\\S+$"), line);
        }

        // A feed removed between runs stays removed: the second run does not import the
        // OPML file into the registry again.
        try (EmbeddedKafka kafka = EmbeddedKafka.start(data, 0);
                FeedRegistry registry = new FeedRegistry(Map.of("bootstrap.servers",
                        kafka.bootstrapServers()))) {
            assertTrue(registry.remove(REMOVED));
        }

        // A second run on the same data publishes and assigns nothing twice.
        Process again = start(data, log);
        try {
            awaitLog(log, "storyline running on", 2);
            assertEquals(1, count(Files.readString(log, StandardCharsets.UTF_8),
                    "feeds: the registry already lists 8 feeds; config/feeds.opml is read only"
                    + " on first start"));
            Thread.sleep(3000);
            again.destroy();
            assertTrue(again.waitFor(60, TimeUnit.SECONDS));
        } finally {
            kill(again);
        }

        try (EmbeddedKafka kafka = EmbeddedKafka.start(data, 0)) {
            List<JsonNode> assignments = read(kafka, Topics.ASSIGNMENTS);
            assertEquals(SAMPLE_ARTICLES, assignments.size());
            Set<String> stories = new HashSet<>();
            int copies = 0;
            for (JsonNode a : assignments) {
                if (a.get("duplicateOf").isNull()) {
                    stories.add(a.get("story").asText());
                } else {
                    copies++;
                }
            }
            assertEquals(5, stories.size());
            assertEquals(SAMPLE_ARTICLES - 5, copies);

            // feeds list: the eight feeds left, each polled and healthy.
            StringWriter listed = new StringWriter();
            CommandLine cli = Main.commandLine();
            cli.setOut(new PrintWriter(listed, true));
            assertEquals(0, cli.execute("feeds", "list", "--bootstrap-servers",
                    kafka.bootstrapServers()));
            List<String> lines = listed.toString().lines().toList();
            assertEquals(10, lines.size(), listed.toString());
            assertEquals("8 feeds", lines.get(9));
            for (String line : lines.subList(1, 9)) {
                assertTrue(line.matches("file:seeds/feeds/\\S+\t[^\t]+\t20\\d\\d-\\S+Z\tok\t"
                        + "20\\d\\d-\\S+Z\t-"), line);
                assertFalse(line.startsWith(REMOVED + "\t"), line);
            }
        }
    }

    /** The run's dashboard lists the five sample stories and the feeds' health. */
    private static void dashboardShowsTheSampleStories(Path log) throws Exception {
        awaitLog(log, "dashboard on http://", 1); // it may start after the stories are made
        Matcher m = Pattern.compile("dashboard on http://127\\.0\\.0\\.1:(\\d+)/")
                .matcher(Files.readString(log, StandardCharsets.UTF_8));
        assertTrue(m.find(), "no dashboard line in the log");
        Http http = new Http(Integer.parseInt(m.group(1)));
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        JsonNode page = http.json("/api/stories", 200);
        while (page.get("matched").asInt() < 5 && System.nanoTime() < deadline) {
            Thread.sleep(200);
            page = http.json("/api/stories", 200);
        }
        assertEquals(5, page.get("matched").asInt(), page.toString());
        assertTrue(http.get("/").body().contains("<title>Storyline</title>"));
    }

    /** A failed test must not leave a JVM running (with its broker on a deleted directory). */
    private static void kill(Process p) throws InterruptedException {
        if (p.isAlive()) {
            p.destroyForcibly();
            p.waitFor(30, TimeUnit.SECONDS);
        }
    }

    private Process start(Path data, Path log) throws IOException {
        List<String> command = List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-cp", System.getProperty("java.class.path"),
                "io.storyline.cli.Main", "run", "--data-dir", data.toString(),
                // Any free port: the default 8080 may be taken on a shared machine.
                "--set", "serve.port=0");
        return new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
    }

    private static void awaitLog(Path log, String text, int times) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (!Files.exists(log)
                || count(Files.readString(log, StandardCharsets.UTF_8), text) < times) {
            assertTrue(System.nanoTime() < deadline, "log never showed '" + text + "' "
                    + times + " times:\n" + (Files.exists(log) ? Files.readString(log) : ""));
            Thread.sleep(200);
        }
    }

    private static int count(String haystack, String needle) {
        int n = 0;
        for (int i = haystack.indexOf(needle); i >= 0; i = haystack.indexOf(needle, i + 1)) {
            n++;
        }
        return n;
    }

    private static List<JsonNode> read(EmbeddedKafka kafka, String topic) throws IOException {
        Map<String, Object> c = new HashMap<>();
        c.put("bootstrap.servers", kafka.bootstrapServers());
        c.put("isolation.level", "read_committed");
        List<JsonNode> out = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(c,
                new StringDeserializer(), new StringDeserializer())) {
            List<TopicPartition> parts = PipelineTestKit.partitions(consumer, topic);
            consumer.assign(parts);
            consumer.seekToBeginning(parts);
            Map<TopicPartition, Long> end = consumer.endOffsets(parts);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (parts.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))
                    && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                    out.add(JSON.readTree(r.value()));
                }
            }
        }
        return out;
    }
}
