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
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two ingestors in one group split the feeds, each feed polled by one of them; when one
 * leaves, the other polls all feeds from the state the first saved. One broker for the class;
 * each test has its own fixture server (so its own feed URLs) and takes its feeds out of the
 * registry when it ends.
 */
class IngestorScaleOutIT {

    private static final int FEEDS = 30;
    private static final int ENTRIES = 5;
    private static final int PARTITIONS = 6;

    private static final String HANDOVER = "/handover/";

    @TempDir
    static Path dir;

    private static KafkaCluster cluster;
    private static Map<String, Object> client;

    @BeforeAll
    static void startBroker() {
        cluster = KafkaCluster.open(PipelineConfig.from(Settings.of(Map.of(
                "kafka.data-dir", dir.resolve("kafka").toString(),
                "topics.partitions", Integer.toString(PARTITIONS)), "test", w -> { })));
        client = cluster.clientProperties();
    }

    @AfterAll
    static void stopBroker() {
        cluster.close();
    }

    @Test
    void twoIngestorsSplitTheFeedsAndTheSurvivorTakesOverTheOthers() throws Exception {
        try (FixtureServer server = FixtureServer.start()) {
            List<String> urls = server.syntheticFeeds(FEEDS, ENTRIES);
            register(urls);
            Ingestor a = ingestor("ingestor-a");
            Ingestor b = ingestor("ingestor-b");
            Thread loopA = IngestTestKit.start(a, "ingestor-a");
            Thread loopB = IngestTestKit.start(b, "ingestor-b");
            try {
                await("both ingestors own feeds, " + FEEDS + " in all", Duration.ofSeconds(30),
                        () -> a.ownedFeeds() > 0 && b.ownedFeeds() > 0
                                && a.ownedFeeds() + b.ownedFeeds() == FEEDS,
                        () -> ": " + a.ownedFeeds() + " and " + b.ownedFeeds());
                await("every entry published", () -> published(urls)
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
                await("the new entry of every feed published", () -> published(urls)
                        .keySet().containsAll(ids(urls, 1)));
                pollersFrom(server, urls, marks(server, urls)).forEach((url, agents) ->
                        assertEquals(Set.of("ingestor-b"), agents, url));

                Map<String, Integer> copies = published(urls);
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
                stop(a, loopA);
                stop(b, loopB);
                unregister(urls);
            }
        }
    }

    @Test
    void aPollInFlightWhenItsFeedMovesIsPublishedOnce() throws Exception {
        try (FixtureServer server = FixtureServer.start()) {
            // One feed in each partition, so whichever partitions the newcomer gets, it gets a
            // feed whose first fetch is still hanging at its old owner.
            CountDownLatch release = new CountDownLatch(1);
            Map<Integer, String> byPartition = new TreeMap<>();
            for (int n = 0; byPartition.size() < PARTITIONS; n++) {
                String url = server.url(HANDOVER + n + ".xml");
                byPartition.putIfAbsent(partition(url), url);
            }
            List<String> urls = new ArrayList<>(byPartition.values());
            for (String url : urls) {
                server.route(path(url), r -> {
                    if (r.hit() == 1) {
                        try {
                            release.await(30, TimeUnit.SECONDS);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    }
                    return FixtureServer.Response.xml(FixtureServer.rss("Handover", "en",
                            List.of(new FixtureServer.Item(url + "#1", "Story one of " + url,
                                    null, "The first story.", null),
                                    new FixtureServer.Item(url + "#2", "Story two of " + url,
                                            null, "The second story.", null))));
                });
            }
            register(urls);
            Ingestor a = ingestor("ingestor-a");
            Thread loopA = IngestTestKit.start(a, "ingestor-a");
            Ingestor b = ingestor("ingestor-b");
            Thread loopB = null;
            try {
                await("every feed's first fetch hanging at the first ingestor", () ->
                        urls.stream().allMatch(u -> server.hits(path(u)) == 1));
                loopB = IngestTestKit.start(b, "ingestor-b");
                // Let the newcomer take its share, if it can while the polls are unfinished.
                waitUntil(() -> b.ownedFeeds() > 0, Duration.ofSeconds(4));
                release.countDown();

                await("both ingestors own feeds", () -> a.ownedFeeds() > 0
                        && b.ownedFeeds() > 0 && a.ownedFeeds() + b.ownedFeeds() == PARTITIONS);
                await("every entry published", () -> published(urls).size() == 2 * PARTITIONS);
                // Two more polls of every feed: a second publication would be in by now.
                pollersFrom(server, urls, marks(server, urls));
                Map<String, Integer> copies = published(urls);
                assertEquals(2 * PARTITIONS, copies.size());
                assertEquals(Set.of(1), new HashSet<>(copies.values()),
                        "no entry published twice: " + copies);
            } finally {
                release.countDown();
                stop(a, loopA);
                stop(b, loopB);
                unregister(urls);
            }
        }
    }

    private static Ingestor ingestor(String name) {
        return new Ingestor(client, IngestTestKit.ingestConfig(Map.of("ingest.user-agent",
                name)), Clock.systemUTC());
    }

    private static void stop(Ingestor ingestor, Thread loop) throws InterruptedException {
        ingestor.close();
        if (loop != null) {
            loop.join(Duration.ofSeconds(30).toMillis());
        }
    }

    private static void register(List<String> urls) {
        try (FeedRegistry registry = new FeedRegistry(client)) {
            registry.importAll(urls.stream().map(u -> new FeedSpec(u, "")).toList());
        }
    }

    /** Tombstones for a test's feeds, so the next test's ingestors leave them alone. */
    private static void unregister(List<String> urls) {
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(client,
                new StringSerializer(), new StringSerializer())) {
            urls.forEach(url -> producer.send(new ProducerRecord<>(Topics.FEEDS, url, null)));
            producer.flush();
        }
    }

    /** The registry partition of a feed: Kafka's default partitioner on the URL key. */
    private static int partition(String url) {
        return Utils.toPositive(Utils.murmur2(url.getBytes(StandardCharsets.UTF_8)))
                % PARTITIONS;
    }

    /** Waits up to {@code limit} for {@code condition}, without failing when it never holds. */
    private static void waitUntil(BooleanSupplier condition, Duration limit)
            throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
            Thread.sleep(50);
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

    /** Copies of each article id published from {@code feeds}. */
    private static Map<String, Integer> published(List<String> feeds) {
        Map<String, Integer> copies = new HashMap<>();
        for (ArticleMessage m : IngestTestKit.articles(client)) {
            if (feeds.contains(m.feed())) {
                copies.merge(m.article().id(), 1, Integer::sum);
            }
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
