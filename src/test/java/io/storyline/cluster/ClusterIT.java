package io.storyline.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.storyline.cli.Main;
import io.storyline.web.Http;
import java.io.BufferedWriter;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledIfSystemProperty;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Storyline on a real three-broker cluster (separate JVMs, replication factor 3,
 * {@code min.insync.replicas=2}) with failures during the run: brokers, the active detector
 * and an ingestor killed with SIGKILL. Afterwards every fixture entry is in
 * {@code storyline.articles}, each (id, revision) is assigned exactly once, the assignments
 * are what {@code storyline cluster} gives over the articles log in offset order, the
 * dashboard API lists the stories of {@code storyline.stories}, and no digest went out twice.
 *
 * <p>{@code mvn verify} runs the short variant (2,000 articles, one broker and one detector
 * killed); {@code mvn -Pcluster verify} runs only the full one (20,000 articles, and also the
 * broker restarted and an ingestor killed).
 */
class ClusterIT {

    static final String FULL = "storyline.cluster.full";
    private static final Path TARGET = Path.of("target", "cluster-it");

    @Test
    @DisabledIfSystemProperty(named = FULL, matches = "true")
    void twoThousandArticlesThroughABrokerAndADetectorKill() throws Exception {
        // 90 s on a quiet machine, 190 s on a loaded one: the deadline only catches a hang.
        check(ClusterRun.run(new ClusterRun.Plan("ci", 100, 10, 20, 50, 2, 0.25, 0.5, -1, -1,
                1, Duration.ofMinutes(5)), TARGET.resolve("ci")));
    }

    @Test
    @EnabledIfSystemProperty(named = FULL, matches = "true")
    void twentyThousandArticlesThroughBrokerDetectorAndIngestorKills() throws Exception {
        check(ClusterRun.run(new ClusterRun.Plan("full", 1000, 10, 20, 50, 10, 0.15, 0.35,
                0.5, 0.65, 2, Duration.ofMinutes(20)), TARGET.resolve("full")));
    }

    private static void check(ClusterRun.Outcome o) throws Exception {
        long start = System.nanoTime();
        List<String> report = new ArrayList<>(o.timeline());
        o.topicSettings().forEach((topic, s) -> assertEquals(
                "replicas 3, min.insync.replicas 2", s, topic));
        assertTrue(o.topicSettings().size() >= 10, "topics: " + o.topicSettings());

        // Every fixture entry at least once; republished ones (an ingestor killed before it
        // saved the feed's state) are allowed and counted.
        Map<String, Integer> copies = new HashMap<>();
        Set<String> published = new HashSet<>();
        for (TopicDump.Rec r : o.articles()) {
            JsonNode a = Http.parse(r.value());
            copies.merge(r.key(), 1, Integer::sum);
            published.add(r.key() + "#" + a.path("revision").asInt());
        }
        List<String> missing = o.expectedIds().stream().filter(id -> !copies.containsKey(id))
                .toList();
        assertEquals(List.of(), missing, "fixture entries missing from storyline.articles");
        assertEquals(o.plan().articles(), copies.size(), "distinct articles");
        long republished = o.articles().size() - copies.size();
        report.add("articles: " + o.articles().size() + " records, " + copies.size()
                + " distinct (every fixture entry), " + republished + " published again");

        // Each (id, revision) assigned exactly once, nothing else assigned.
        Map<String, Integer> assigned = new TreeMap<>();
        for (TopicDump.Rec r : o.assignments()) {
            JsonNode a = Http.parse(r.value());
            assigned.merge(r.key() + "#" + a.path("revision").asInt(), 1, Integer::sum);
        }
        List<String> twice = assigned.entrySet().stream().filter(e -> e.getValue() > 1)
                .map(e -> e.getKey() + " x" + e.getValue()).toList();
        assertEquals(List.of(), twice, "(id, revision) assigned more than once");
        assertEquals(published, assigned.keySet(), "assigned (id, revision) pairs");
        report.add("assignments: " + o.assignments().size() + ", each (id, revision) once");
        assertEquals(List.of(), o.deadLetters(), "dead letters");

        // The detector's output equals the cluster command's over the same log.
        List<JsonNode> batch = clusterCommand(o);
        List<JsonNode> live = liveAssignments(o);
        assertEquals(copies.size(), batch.size(), "cluster command output lines");
        for (int i = 0; i < batch.size(); i++) {
            assertEquals(batch.get(i), live.get(i), "assignment " + i + " in offset order");
        }
        assertEquals(batch.size(), live.size(), "assignments");
        Map<String, Integer> sizes = new TreeMap<>();
        batch.forEach(a -> sizes.merge(a.path("story").asText(), 1, Integer::sum));
        report.add("storyline.assignments equals `cluster` over the articles log: "
                + batch.size() + " assignments, " + sizes.size() + " stories");

        // The dashboard serves the stories of the stories topic, of the sizes cluster gives.
        Map<String, Integer> open = ClusterRun.openStories(o.stories());
        assertEquals(open, o.apiStories(), "/api/stories against storyline.stories");
        assertEquals(sizes, open, "storyline.stories against the cluster command's stories");
        report.add("/api/stories lists the " + open.size() + " open stories of storyline.stories"
                + " with their sizes");

        // No digest twice: at most one `sent` record per (email, date), one email per record.
        Map<String, Integer> sent = new TreeMap<>();
        Map<String, Integer> sentTo = new TreeMap<>();
        for (TopicDump.Rec r : o.digests()) {
            if (ClusterRun.state(r.value()).equals("sent")) {
                sent.merge(r.key(), 1, Integer::sum);
                sentTo.merge(r.key().substring(0, r.key().indexOf('|')), 1, Integer::sum);
            }
        }
        sent.forEach((key, n) -> assertEquals(1, n, "sent records of digest " + key));
        assertEquals(sentTo, o.mails(), "emails received against sent records");
        assertTrue(!sent.isEmpty(), "a digest was sent: " + o.digests());
        report.add("digests: " + o.subscriptions().size() + " due, " + sent.size()
                + " sent once each, emails received " + o.mails());

        for (String s : o.survivors()) {
            assertTrue(s.endsWith(" alive"), s);
        }
        report.add("still running: " + o.survivors());
        report.add(String.format("run took %.1f s, checks %.1f s", o.elapsed().toMillis()
                / 1000.0, (System.nanoTime() - start) / 1e9));
        String text = String.join("\n", report);
        Files.writeString(o.dir().resolve("report.txt"), text + "\n");
        System.out.println("[cluster " + o.plan().name() + "] report:\n" + text);
    }

    /**
     * Runs {@code storyline cluster} over the articles log, its records in offset order one
     * per line as they are (the command reads the input format's fields and ignores the
     * others; an id seen before, a republished entry, is skipped as the detector skips it).
     */
    private static List<JsonNode> clusterCommand(ClusterRun.Outcome o) throws Exception {
        Path input = o.dir().resolve("articles.jsonl");
        Path output = o.dir().resolve("cluster-assignments.jsonl");
        try (BufferedWriter w = Files.newBufferedWriter(input, StandardCharsets.UTF_8)) {
            for (TopicDump.Rec r : o.articles()) {
                w.write(r.value());
                w.write('\n');
            }
        }
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = Main.commandLine().setOut(new PrintWriter(out, true))
                .setErr(new PrintWriter(err, true)).execute("cluster", "--input",
                        input.toString(), "--output", output.toString());
        assertEquals(0, status, out + "\n" + err);
        List<JsonNode> lines = new ArrayList<>();
        for (String line : Files.readAllLines(output, StandardCharsets.UTF_8)) {
            lines.add(Http.parse(line));
        }
        return lines;
    }

    /**
     * The committed assignments in the order of their articles' offsets ({@code seq}), with
     * only the output format's fields and the story id the merges since lead to, as
     * {@code cluster} writes them.
     */
    private static List<JsonNode> liveAssignments(ClusterRun.Outcome o) {
        Map<String, String> mergedInto = new HashMap<>();
        for (TopicDump.Rec r : o.stories()) {
            JsonNode s = Http.parse(r.value());
            if (s.path("status").asText().equals("merged")) {
                mergedInto.put(r.key(), s.path("into").asText());
            }
        }
        List<ObjectNode> out = new ArrayList<>();
        for (TopicDump.Rec r : o.assignments()) {
            out.add((ObjectNode) Http.parse(r.value()));
        }
        out.sort(Comparator.comparingLong(a -> a.path("seq").asLong()));
        Set<String> format = Set.of("id", "story", "duplicateOf", "similarity", "lower",
                "upper", "matched", "verdict", "why");
        List<JsonNode> result = new ArrayList<>();
        for (ObjectNode a : out) {
            for (Iterator<String> f = a.fieldNames(); f.hasNext();) {
                if (!format.contains(f.next())) {
                    f.remove();
                }
            }
            String story = a.path("story").asText();
            while (mergedInto.containsKey(story)) {
                story = mergedInto.get(story);
            }
            a.put("story", story);
            result.add(a);
        }
        return result;
    }
}
