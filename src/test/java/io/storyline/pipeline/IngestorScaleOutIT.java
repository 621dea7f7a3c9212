package io.storyline.pipeline;

import static io.storyline.pipeline.IngestTestKit.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.storyline.config.PipelineConfig;
import io.storyline.config.Settings;
import io.storyline.ingest.EntryIdentity;
import io.storyline.ingest.FeedSpec;
import io.storyline.ingest.FixtureServer;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two ingestors in one group split the feeds, each feed polled by one of them; when one
 * leaves, the other polls all feeds from the state the first saved.
 */
class IngestorScaleOutIT {

    private static final int FEEDS = 30;
    private static final int ENTRIES = 5;

    @TempDir
    Path dir;

    @Test
    void twoIngestorsSplitTheFeedsAndTheSurvivorTakesOverTheOthers() throws Exception {
        PipelineConfig config = PipelineConfig.from(Settings.of(Map.of(
                "kafka.data-dir", dir.resolve("kafka").toString(),
                "topics.partitions", "6"), "test", w -> { }));
        try (KafkaCluster cluster = KafkaCluster.open(config);
                FixtureServer server = FixtureServer.start()) {
            Map<String, Object> client = cluster.clientProperties();
            List<String> urls = server.syntheticFeeds(FEEDS, ENTRIES);
            try (FeedRegistry registry = new FeedRegistry(client)) {
                registry.importAll(urls.stream().map(u -> new FeedSpec(u, "")).toList());
            }
            Ingestor a = new Ingestor(client, IngestTestKit.ingestConfig(Map.of(
                    "ingest.user-agent", "ingestor-a")), Clock.systemUTC());
            Ingestor b = new Ingestor(client, IngestTestKit.ingestConfig(Map.of(
                    "ingest.user-agent", "ingestor-b")), Clock.systemUTC());
            Thread loopA = IngestTestKit.start(a, "ingestor-a");
            Thread loopB = IngestTestKit.start(b, "ingestor-b");
            try {
                await("both ingestors own feeds, " + FEEDS + " in all", Duration.ofSeconds(30),
                        () -> a.ownedFeeds() > 0 && b.ownedFeeds() > 0
                                && a.ownedFeeds() + b.ownedFeeds() == FEEDS,
                        () -> ": " + a.ownedFeeds() + " and " + b.ownedFeeds());
                await("every entry published", () -> published(client)
                        .keySet().containsAll(ids(urls, 0)));

                Map<String, Set<String>> pollers = pollersFrom(server, urls, marks(server, urls));
                assertEquals(FEEDS, pollers.size());
                pollers.forEach((url, agents) -> assertEquals(1, agents.size(),
                        url + " polled by " + agents));
                assertEquals(a.ownedFeeds(), count(pollers, "ingestor-a"));
                assertEquals(b.ownedFeeds(), count(pollers, "ingestor-b"));

                a.close();
                loopA.join(Duration.ofSeconds(30).toMillis());
                await("the survivor owns every feed", () -> b.ownedFeeds() == FEEDS);
                server.advanceSynthetic();
                await("the new entry of every feed published", () -> published(client)
                        .keySet().containsAll(ids(urls, 1)));
                pollersFrom(server, urls, marks(server, urls)).forEach((url, agents) ->
                        assertEquals(Set.of("ingestor-b"), agents, url));

                Map<String, Integer> copies = published(client);
                Set<String> expected = new HashSet<>(ids(urls, 0));
                expected.addAll(ids(urls, 1));
                assertEquals(expected, copies.keySet());
                int duplicates = copies.values().stream().mapToInt(n -> n - 1).sum();
                System.out.printf("scale-out: %d articles, %d published twice%n",
                        expected.size(), duplicates);
                assertTrue(copies.entrySet().stream().filter(e -> e.getValue() > 1)
                        .noneMatch(e -> ids(urls, 1).contains(e.getKey())),
                        "the survivor went on from the saved state: no new entry twice");
            } finally {
                a.close();
                b.close();
                loopA.join(Duration.ofSeconds(30).toMillis());
                loopB.join(Duration.ofSeconds(30).toMillis());
            }
        }
    }

    /** The ids of every feed's entries as of {@code advances} calls to advanceSynthetic. */
    private static List<String> ids(List<String> urls, int advances) {
        List<String> ids = new ArrayList<>();
        for (int f = 0; f < urls.size(); f++) {
            int first = advances == 0 ? 0 : ENTRIES - 1 + advances;
            for (int e = first; e < ENTRIES + advances; e++) {
                ids.add(EntryIdentity.articleId(urls.get(f), "urn:synthetic:" + f + ":" + e,
                        null, null, null, null));
            }
        }
        return ids;
    }

    /** Copies of each published article id. */
    private static Map<String, Integer> published(Map<String, Object> client) {
        Map<String, Integer> copies = new HashMap<>();
        for (ArticleMessage m : IngestTestKit.articles(client)) {
            copies.merge(m.article().id(), 1, Integer::sum);
        }
        return copies;
    }

    /** How many requests each feed has had so far. */
    private static Map<String, Integer> marks(FixtureServer server, List<String> urls) {
        Map<String, Integer> marks = new HashMap<>();
        urls.forEach(url -> marks.put(url, server.requests(path(url)).size()));
        return marks;
    }

    /**
     * Waits until every feed has been polled twice after {@code marks}, then returns, per
     * feed, the User-Agents (ingestor names) of those later polls.
     */
    private static Map<String, Set<String>> pollersFrom(FixtureServer server, List<String> urls,
            Map<String, Integer> marks) throws InterruptedException {
        await("every feed polled twice more", () -> urls.stream().allMatch(url ->
                server.requests(path(url)).size() >= marks.get(url) + 2));
        Map<String, Set<String>> pollers = new HashMap<>();
        for (String url : urls) {
            List<FixtureServer.Request> all = server.requests(path(url));
            Set<String> agents = new HashSet<>();
            all.subList(marks.get(url), all.size())
                    .forEach(r -> agents.add(r.header("User-Agent")));
            pollers.put(url, agents);
        }
        return pollers;
    }

    private static long count(Map<String, Set<String>> pollers, String agent) {
        return pollers.values().stream().filter(s -> s.contains(agent)).count();
    }

    private static String path(String url) {
        return URI.create(url).getPath();
    }
}
