package io.storyline.pipeline;

import static io.storyline.pipeline.IngestTestKit.articlesOf;
import static io.storyline.pipeline.IngestTestKit.await;
import static io.storyline.pipeline.IngestTestKit.states;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.storyline.config.IngestConfig;
import io.storyline.ingest.EntryIdentity;
import io.storyline.ingest.FeedParser;
import io.storyline.ingest.FeedProblem;
import io.storyline.ingest.FetchResult;
import io.storyline.ingest.ParsedFeed;
import io.storyline.ingest.FeedSpec;
import io.storyline.ingest.FeedState;
import io.storyline.ingest.FixtureServer;
import io.storyline.ingest.FixtureServer.Item;
import io.storyline.ingest.FixtureServer.Response;
import io.storyline.pipeline.IngestTestKit.MovableClock;
import io.storyline.pipeline.IngestTestKit.Saved;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiFunction;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ingestor against a real broker and the fixture feeds: what each kind of feed found in
 * the wild ends up as in storyline.articles and storyline.feed-state. One broker for the
 * class; each test has its own fixture server (so its own feed URLs) and ingestor, and takes
 * its feeds out of the registry when it ends.
 */
class IngestorFixturesIT {

    private static final String REVISING = "/revising.xml";
    private static final String HANGING = "/hanging.xml";
    private static final String LATE_429 = "/late-429.xml";
    private static final String SPACED = "/spaced.xml";
    private static final String LONG = "/long.xml";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;

    private static KafkaCluster cluster;
    private static Map<String, Object> client;

    private FixtureServer server;
    private final List<String> registered = new ArrayList<>();
    private Ingestor ingestor;
    private Thread loop;
    private final AtomicReference<Throwable> runFailure = new AtomicReference<>();

    @BeforeAll
    static void startBroker() {
        cluster = KafkaCluster.open(PipelineTestKit.config(dir.resolve("kafka")));
        client = cluster.clientProperties();
    }

    @AfterAll
    static void stopBroker() {
        cluster.close();
    }

    @BeforeEach
    void startServer() {
        server = FixtureServer.start();
    }

    @AfterEach
    void stopIngestor() throws InterruptedException {
        if (ingestor != null) {
            ingestor.close();
            loop.join(Duration.ofSeconds(30).toMillis());
        }
        unregister();
        server.close();
    }

    @Test
    void aChangingFeedPublishesEachEntryOnceAndAChangedEntryAsRevisionOne() throws Exception {
        server.route(REVISING, r -> Response.xml(FixtureServer.rss("Revising", "en", List.of(
                new Item("strike", "Port strike ends", "https://example.com/strike",
                        r.hit() == 1 ? "Dockers return to work."
                                : "Dockers return to work on Monday after a pay deal.", null),
                new Item("ferry", "Ferry timetable changes", "https://example.com/ferry",
                        "Winter sailings start on Sunday.", null)))));
        String growing = server.url(FixtureServer.GROWING);
        String revising = server.url(REVISING);
        start(ingestConfig(), Clock.systemUTC(), growing, revising);

        // A request k + 1 is sent only after poll k is saved: one feed is never polled twice
        // at once.
        await("four polls of the growing feed and three of the revising one",
                () -> server.hits(FixtureServer.GROWING) >= 4 && server.hits(REVISING) >= 3);

        Map<String, ArticleMessage> grown = new HashMap<>();
        for (ArticleMessage m : articlesOf(client, growing)) {
            assertNull(grown.put(m.article().id(), m), "republished: " + m.article().id());
            assertEquals(0, m.revision());
        }
        ArticleMessage first = grown.get(guidId(growing, "growing-1"));
        ArticleMessage third = grown.get(guidId(growing, "growing-3"));
        assertNotNull(first);
        assertNotNull(grown.get(guidId(growing, "growing-2")));
        assertNotNull(third);
        assertTrue(third.fetched().isAfter(first.fetched()), "published by a later poll");

        List<String> revisions = articlesOf(client, revising).stream()
                .map(m -> m.article().id() + "#" + m.revision()).toList();
        String strike = guidId(revising, "strike");
        assertEquals(List.of(strike + "#0", guidId(revising, "ferry") + "#0", strike + "#1"),
                revisions);
        ArticleMessage revised = articlesOf(client, revising).get(2);
        assertTrue(revised.article().text().contains("pay deal"), revised.article().text());
        FeedState saved = last(states(client, revising));
        assertEquals(1, saved.seen().get(strike).revision());
    }

    @Test
    void honestValidatorsAndAnUnchangedBodyWithAFreshEtagPublishNothingAgain()
            throws Exception {
        String etag = server.url(FixtureServer.ETAG);
        String fresh = server.url(FixtureServer.FRESH_ETAG);
        start(ingestConfig(), Clock.systemUTC(), etag, fresh);

        await("three polls of each", () -> server.hits(FixtureServer.ETAG) >= 3
                && server.hits(FixtureServer.FRESH_ETAG) >= 3);

        List<FixtureServer.Request> requests = server.requests(FixtureServer.ETAG);
        assertNull(requests.get(0).header("If-None-Match"), "the first poll is unconditional");
        assertEquals("\"v1\"", requests.get(1).header("If-None-Match"));
        assertNotNull(requests.get(1).header("If-Modified-Since"));
        assertEquals("\"fresh-1\"",
                server.requests(FixtureServer.FRESH_ETAG).get(1).header("If-None-Match"));

        List<String> expected = ids(etag, FixtureServer.resource("feeds/rss2.xml"));
        assertEquals(3, expected.size());
        assertEquals(expected, ids(articlesOf(client, etag)), "304s publish nothing");
        assertEquals(ids(fresh, FixtureServer.resource("feeds/rss2.xml")),
                ids(articlesOf(client, fresh)), "the same body under a new ETag is no news");
    }

    @Test
    void pollsThatChangeNothingButTheScheduleWriteNoState() throws Exception {
        String etag = server.url(FixtureServer.ETAG);
        String failing = server.url(FixtureServer.SERVER_ERROR);
        start(ingestConfig(Map.of("ingest.backoff.max.seconds", "1")), Clock.systemUTC(),
                etag, failing);

        await("five polls of each", () -> server.hits(FixtureServer.ETAG) >= 5
                && server.hits(FixtureServer.SERVER_ERROR) >= 5);
        // Saved states of a poll are acknowledged before its next request is sent.
        assertEquals(1, states(client, etag).size(), "the first poll only: then 304s");
        assertTrue(states(client, failing).size() >= 4, "each failure counts one more");
    }

    @Test
    void aRemovedFeedsStateIsForgotten() throws Exception {
        String etag = server.url(FixtureServer.ETAG);
        start(ingestConfig(), Clock.systemUTC(), etag);
        await("the feed's first state", () -> !states(client, etag).isEmpty());

        try (FeedRegistry registry = new FeedRegistry(client)) {
            assertTrue(registry.remove(etag));
        }
        // The compacted topic keeps a tombstone, so no ingestor loads the state again.
        await("a tombstone for the removed feed's state", () -> {
            String latest = "";
            for (ConsumerRecord<String, String> r : IngestTestKit.readAll(client,
                    Topics.FEED_STATE)) {
                if (etag.equals(r.key())) {
                    latest = r.value();
                }
            }
            return latest == null;
        });
    }

    @Test
    void feedHealthGoesOutWhenItChangesNotOnEveryPoll() throws Exception {
        String etag = server.url(FixtureServer.ETAG);
        String failing = server.url(FixtureServer.SERVER_ERROR);
        start(ingestConfig(Map.of("ingest.backoff.max.seconds", "1")), Clock.systemUTC(),
                etag, failing);

        await("five polls of each", () -> server.hits(FixtureServer.ETAG) >= 5
                && server.hits(FixtureServer.SERVER_ERROR) >= 5);
        Map<String, List<JsonNode>> health = new HashMap<>();
        for (ConsumerRecord<String, String> r : IngestTestKit.readAll(client,
                Topics.FEED_HEALTH)) {
            if (r.value() != null) { // earlier tests' feeds, removed since: tombstones
                health.computeIfAbsent(r.key(), k -> new ArrayList<>())
                        .add(JSON.readTree(r.value()));
            }
        }
        // The first poll made the feed ok; the 304s after it change nothing within a minute.
        assertEquals(1, health.get(etag).size(), health.toString());
        assertEquals("ok", health.get(etag).get(0).get("status").asText());
        // Each failure counts one more in a row: the status changes every time.
        List<JsonNode> failures = health.get(failing);
        assertTrue(failures.size() >= 4, failures.toString());
        JsonNode last = failures.get(failures.size() - 1);
        assertEquals("failing", last.get("status").asText());
        assertEquals(failures.size(), last.get("consecutiveFailures").asInt());
        assertEquals("HTTP_STATUS", last.get("lastProblem").get("kind").asText());
    }

    @Test
    void retryAfterIsHonouredAndServerErrorsBackOff() throws Exception {
        MovableClock clock = new MovableClock();
        String tooMany = server.url(FixtureServer.TOO_MANY_REQUESTS);
        String unavailable = server.url(FixtureServer.UNAVAILABLE);
        String failing = server.url(FixtureServer.SERVER_ERROR);
        String growing = server.url(FixtureServer.GROWING);
        IngestConfig config = ingestConfig();
        Instant before = clock.instant();
        start(config, clock, tooMany, unavailable, failing, growing);

        await("first states of the 429 and 503 feeds and three of the 500 feed", () -> {
            Map<String, List<Saved>> saved = states(client);
            return saved.containsKey(tooMany) && saved.containsKey(unavailable)
                    && saved.getOrDefault(failing, List.of()).size() >= 3;
        });
        Instant after = clock.instant();
        FeedState throttled = states(client, tooMany).get(0).state();
        assertEquals(1, throttled.consecutiveFailures());
        assertFalse(throttled.nextPoll().isBefore(before.plusSeconds(120)),
                "Retry-After: 120 honoured: " + throttled.nextPoll());
        assertFalse(throttled.nextPoll().isAfter(after.plus(config.backoffMax())));
        FeedState down = states(client, unavailable).get(0).state();
        assertEquals(1, down.consecutiveFailures());
        // The Retry-After date has whole seconds: it may be up to a second short of 300 s.
        assertFalse(down.nextPoll().isBefore(before.plusSeconds(
                FixtureServer.RETRY_DATE_SECONDS - 1)), "Retry-After date honoured: "
                + down.nextPoll());
        assertFalse(down.nextPoll().isAfter(after.plus(config.backoffMax())));

        List<Saved> errors = states(client, failing);
        for (int i = 0; i < 3; i++) {
            assertEquals(i + 1, errors.get(i).state().consecutiveFailures());
            assertTrue(errors.get(i).state().nextPoll().isAfter(errors.get(i).at()),
                    "backing off after failure " + (i + 1));
        }
        assertTrue(Duration.between(errors.get(2).at(), errors.get(2).state().nextPoll())
                .compareTo(Duration.between(errors.get(0).at(),
                        errors.get(0).state().nextPoll())) > 0, "the wait grows: " + errors);

        // A minute later the others are polled again, the throttled feeds are not.
        clock.advance(Duration.ofSeconds(60));
        int growingHits = server.hits(FixtureServer.GROWING);
        await("two more polls of the growing feed",
                () -> server.hits(FixtureServer.GROWING) >= growingHits + 2);
        assertEquals(1, server.hits(FixtureServer.TOO_MANY_REQUESTS));
        assertEquals(1, server.hits(FixtureServer.UNAVAILABLE));

        clock.advance(Duration.ofSeconds(65));
        await("the 429 feed polled once its Retry-After passed",
                () -> server.hits(FixtureServer.TOO_MANY_REQUESTS) >= 2);
        assertEquals(1, server.hits(FixtureServer.UNAVAILABLE));

        clock.advance(Duration.ofSeconds(FixtureServer.RETRY_DATE_SECONDS - 125 + 5));
        await("the 503 feed polled once its Retry-After date passed",
                () -> server.hits(FixtureServer.UNAVAILABLE) >= 2);
        Map<String, List<ArticleMessage>> byFeed = IngestTestKit.articlesByFeed(client);
        assertFalse(byFeed.containsKey(tooMany) || byFeed.containsKey(unavailable)
                || byFeed.containsKey(failing), "failed polls publish nothing");
    }

    @Test
    void retryAfterCountsFromTheAnswerNotFromTheRequest() throws Exception {
        MovableClock clock = new MovableClock();
        // A server that takes a minute to say "come back in two minutes".
        server.route(LATE_429, r -> {
            clock.advance(Duration.ofSeconds(60));
            return Response.status(429).header("Retry-After", "120");
        });
        String late = server.url(LATE_429);
        Instant before = clock.instant();
        start(ingestConfig(), clock, late);

        await("the state of the throttled feed", () -> !states(client, late).isEmpty());
        FeedState throttled = states(client, late).get(0).state();
        assertFalse(throttled.nextPoll().isBefore(before.plusSeconds(60 + 120)),
                "two minutes after the answer: " + throttled.nextPoll() + ", asked at "
                        + before);
    }

    @Test
    void brokenFeedsAreProblemsAndTheGoodFeedsBesideThemAreAllPublished() throws Exception {
        List<String> broken = List.of(FixtureServer.LOOP, FixtureServer.SLOW,
                FixtureServer.HUGE, FixtureServer.HUGE_DECLARED, FixtureServer.MALFORMED,
                FixtureServer.HTML, FixtureServer.NOT_FOUND);
        Map<String, List<String>> expected = goodFeeds(10);
        List<String> brokenUrls = broken.stream().map(server::url).toList();
        List<String> urls = new ArrayList<>(brokenUrls);
        urls.addAll(expected.keySet());
        start(ingestConfig(), Clock.systemUTC(), urls.toArray(String[]::new));

        await("every good feed published and a state saved for every broken one", () ->
                published(expected.keySet()).equals(expected)
                        && states(client).keySet().containsAll(brokenUrls));
        Map<String, List<Saved>> saved = states(client);
        for (String path : List.of(FixtureServer.LOOP, FixtureServer.SLOW, FixtureServer.HUGE,
                FixtureServer.HUGE_DECLARED, FixtureServer.NOT_FOUND)) {
            assertEquals(1, saved.get(server.url(path)).get(0).state().consecutiveFailures(),
                    "a failed fetch: " + path);
        }
        assertTrue(ingestor.problems() >= broken.size(), "problems: " + ingestor.problems());
        Map<String, List<ArticleMessage>> byFeed = IngestTestKit.articlesByFeed(client);
        for (String url : brokenUrls) {
            assertFalse(byFeed.containsKey(url), url);
        }
        assertEquals(expected, published(expected.keySet()), "and nothing twice");
    }

    @Test
    void aFeedThatHangsDoesNotHoldUpTheOthers() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        server.route(HANGING, r -> {
            try {
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return Response.xml(FixtureServer.rss("Late", "en", List.of(new Item("late",
                    "A late story", "https://example.com/late", "It came at last.", null))));
        });
        Map<String, List<String>> expected = goodFeeds(6);
        String hanging = server.url(HANGING);
        List<String> urls = new ArrayList<>(expected.keySet());
        urls.add(0, hanging);
        // Two workers: one is held by the hanging fetch for as long as the test likes.
        start(ingestConfig(Map.of("ingest.concurrency", "2", "ingest.read-timeout.ms",
                "30000")), Clock.systemUTC(), urls.toArray(String[]::new));

        await("every other feed published", () -> published(expected.keySet())
                .equals(expected));
        assertEquals(1, server.hits(HANGING));
        assertTrue(states(client, hanging).isEmpty(), "its fetch is still in flight");

        release.countDown();
        await("the late feed published once it answered",
                () -> articlesOf(client, hanging).size() == 1);
    }

    @Test
    void closingTheIngestorMidFetchRecordsNoFailureAgainstTheFeed() throws Exception {
        CountDownLatch asked = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        server.route(HANGING, r -> {
            asked.countDown();
            try {
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return Response.status(304);
        });
        String hanging = server.url(HANGING);
        start(ingestConfig(Map.of("ingest.read-timeout.ms", "30000")), Clock.systemUTC(),
                hanging);
        assertTrue(asked.await(30, TimeUnit.SECONDS), "the feed was requested");

        ingestor.close();
        loop.join(Duration.ofSeconds(30).toMillis());
        release.countDown();
        assertEquals(0, ingestor.problems(), "our own shutdown is no problem of the feed");
        assertTrue(states(client, hanging).isEmpty(),
                "no failure saved: the next owner polls the feed without backing off");
    }

    @Test
    void rss091WithItsDoctypeAndAnUndeclaredLatin1FeedPublishTheirEntries() throws Exception {
        String old = server.url(FixtureServer.RSS091);
        String latin1 = server.url(FixtureServer.LATIN1);
        start(ingestConfig(), Clock.systemUTC(), old, latin1);

        await("both feeds published", () -> {
            Map<String, List<ArticleMessage>> byFeed = IngestTestKit.articlesByFeed(client);
            return byFeed.getOrDefault(old, List.of()).size() == 2
                    && byFeed.getOrDefault(latin1, List.of()).size() == 1;
        });
        assertEquals(List.of("Web portal launches channels", "Browser wars heat up"),
                articlesOf(client, old).stream().map(m -> m.article().title()).toList());
        ArticleMessage summer = articlesOf(client, latin1).get(0);
        assertEquals("Été record à Montréal", summer.article().title());
        assertEquals("fr", summer.article().lang());
        assertTrue(summer.article().text().contains("températures"), summer.article().text());
    }

    @Test
    void aFeedOpeningWithThousandsOfSpacesIsReadLikeAnyOther() throws Exception {
        String rss = FixtureServer.resourceText("feeds/rss2.xml");
        String spaced = " ".repeat(4_000) + rss.substring(rss.indexOf("<rss"));
        server.route(SPACED, r -> Response.xml(spaced));
        String url = server.url(SPACED);
        start(ingestConfig(), Clock.systemUTC(), url);

        await("its three entries published", () -> articlesOf(client, url).size() == 3);
    }

    @Test
    void aPollThatOverflowsTheStackIsAProblemOfItsFeedAndFreesItsSlot() throws Exception {
        List<String> overflowing = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            overflowing.add(server.syntheticFeed(100 + i, 2));
        }
        String good = server.url(FixtureServer.FEED);
        List<String> urls = new ArrayList<>(overflowing);
        urls.add(good);
        // One worker, two slots: three polls that never hand their slot back stop the rest.
        start(ingestConfig(Map.of("ingest.concurrency", "1")), Clock.systemUTC(), (r, at) -> {
            if (overflowing.contains(r.url())) {
                throw new StackOverflowError("deep recursion in a library");
            }
            return FeedParser.parse(r, at);
        }, urls.toArray(String[]::new));

        await("the good feed published and every overflowing feed failed twice", () ->
                articlesOf(client, good).size() == 3 && overflowing.stream().allMatch(u ->
                        states(client, u).size() >= 2));
        for (String url : overflowing) {
            FeedState saved = states(client, url).get(0).state();
            assertEquals(1, saved.consecutiveFailures(), url);
            assertEquals(FeedProblem.Kind.INTERNAL, saved.lastProblem().what());
            assertTrue(saved.lastProblem().message().contains(url), saved.lastProblem().message());
            assertTrue(saved.lastProblem().message().contains("StackOverflowError"),
                    saved.lastProblem().message());
        }
        assertTrue(loop.isAlive(), "the ingestor goes on");
    }

    @Test
    void runningOutOfMemoryInAPollStopsTheIngestorWithTheError() throws Exception {
        String doomed = server.url(FixtureServer.FEED);
        start(ingestConfig(), Clock.systemUTC(), (r, at) -> {
            throw new OutOfMemoryError("Java heap space");
        }, doomed);

        loop.join(IngestTestKit.PATIENCE.toMillis());
        assertFalse(loop.isAlive(), "the ingestor stopped by itself");
        Throwable failure = ingestor.failure().orElseThrow();
        assertTrue(failure.getMessage().contains(doomed), failure.getMessage());
        assertTrue(failure.getMessage().contains("OutOfMemoryError"), failure.getMessage());
        assertTrue(failure.getCause() instanceof OutOfMemoryError, failure.toString());
        assertTrue(runFailure.get() == failure, "run() throws it: " + runFailure.get());
    }

    @Test
    void anEntryOverTheRecordLimitIsCutPublishedAndMarkedTruncated() throws Exception {
        // 1.5 million characters: over Kafka's default 1 MiB record, so without the cap the
        // whole feed failed after its small entry was published, and again on every retry.
        String huge = "word ".repeat(300_000);
        server.route(LONG, r -> Response.xml(FixtureServer.rss("Long", "en", List.of(
                new Item("small", "A small entry", "https://example.com/small", "Short.", null),
                new Item("huge", "A huge entry", "https://example.com/huge", huge, null)))));
        String url = server.url(LONG);
        start(ingestConfig(Map.of("ingest.max-body.bytes", Integer.toString(4 << 20))),
                Clock.systemUTC(), url);

        await("both entries published and the state saved", () ->
                articlesOf(client, url).size() == 2 && !states(client, url).isEmpty());
        ArticleMessage cut = articlesOf(client, url).get(1);
        assertEquals(guidId(url, "huge"), cut.article().id());
        assertEquals(IngestConfig.MAX_ARTICLE_CHARS, cut.article().text().length());
        assertTrue(cut.truncated());
        assertFalse(articlesOf(client, url).get(0).truncated());
    }

    @Test
    void anEntryKafkaRefusesIsAProblemOfThatEntryAndTheOthersGoOn() throws Exception {
        server.route(LONG, r -> Response.xml(FixtureServer.rss("Long", "en", List.of(
                new Item("first", "First", "https://example.com/1", "Short one.", null),
                new Item("big", "Big", "https://example.com/2", "word ".repeat(20_000), null),
                new Item("last", "Last", "https://example.com/3", "Short two.", null)))));
        String url = server.url(LONG);
        // This ingestor's producer refuses records over 20,000 bytes; the cap lets 100,000
        // characters through: the middle entry fails, and only it.
        Map<String, Object> strict = new HashMap<>(client);
        strict.put("max.request.size", 20_000);
        startWith(strict, ingestConfig(), url);

        await("three polls", () -> server.hits(LONG) >= 3 && !states(client, url).isEmpty());
        assertEquals(List.of(guidId(url, "first"), guidId(url, "last")),
                ids(articlesOf(client, url)), "each published once, the big one never");
        FeedState saved = last(states(client, url));
        assertEquals(0, saved.consecutiveFailures());
        assertTrue(saved.seen().containsKey(guidId(url, "big")), "the poll went on");
        FeedProblem problem = saved.lastProblem();
        assertEquals(FeedProblem.Kind.BAD_ENTRY, problem.what());
        assertTrue(problem.message().startsWith("feed " + url + ": entry "
                + guidId(url, "big") + " (https://example.com/2) not published: "),
                problem.message());
        assertTrue(ingestor.problems() >= 1);
        await("every body handed back to the in-flight budget",
                () -> ingestor.bodyBytesInFlight() == 0);
    }

    /**
     * Well-behaved feeds of every format and {@code synthetic} synthetic ones, with the ids
     * the parser finds in their bodies: what the ingestor must publish from them, in order.
     */
    private Map<String, List<String>> goodFeeds(int synthetic) {
        Map<String, List<String>> expected = new TreeMap<>();
        byte[] rss2 = FixtureServer.resource("feeds/rss2.xml");
        for (String path : List.of(FixtureServer.FEED, FixtureServer.GZIP,
                FixtureServer.CHAIN)) {
            expected.put(server.url(path), ids(server.url(path), rss2));
        }
        expected.put(server.url(FixtureServer.ATOM), ids(server.url(FixtureServer.ATOM),
                FixtureServer.resource("feeds/atom.xml")));
        expected.put(server.url(FixtureServer.RSS10), ids(server.url(FixtureServer.RSS10),
                FixtureServer.resource("feeds/rss10.xml")));
        for (int f = 0; f < synthetic; f++) {
            String url = server.syntheticFeed(f, 5);
            List<String> ids = new ArrayList<>();
            for (int e = 4; e >= 0; e--) {
                ids.add(guidId(url, "urn:synthetic:" + f + ":" + e));
            }
            expected.put(url, ids);
        }
        return expected;
    }

    private void start(IngestConfig config, Clock clock, String... urls) {
        start(client, config, clock, null, urls);
    }

    private void startWith(Map<String, Object> clientProperties, IngestConfig config,
            String... urls) {
        start(clientProperties, config, Clock.systemUTC(), null, urls);
    }

    private void start(IngestConfig config, Clock clock,
            BiFunction<FetchResult, Instant, ParsedFeed> parser, String... urls) {
        start(client, config, clock, parser, urls);
    }

    /** Registers {@code urls} and starts an ingestor on them (its own parser when null). */
    private void start(Map<String, Object> clientProperties, IngestConfig config, Clock clock,
            BiFunction<FetchResult, Instant, ParsedFeed> parser, String... urls) {
        List<FeedSpec> feeds = new ArrayList<>();
        for (String url : urls) {
            feeds.add(new FeedSpec(url, ""));
            registered.add(url);
        }
        try (FeedRegistry registry = new FeedRegistry(client)) {
            registry.importAll(feeds);
        }
        ingestor = parser == null ? new Ingestor(clientProperties, config, clock)
                : new Ingestor(clientProperties, config, clock, parser);
        Ingestor started = ingestor;
        loop = new Thread(() -> {
            try {
                started.run();
            } catch (RuntimeException e) {
                runFailure.set(e);
            }
        }, "ingestor");
        loop.setDaemon(true);
        loop.start();
    }

    /** Tombstones for this test's feeds, so the next test's ingestor leaves them alone. */
    private void unregister() {
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(client,
                new StringSerializer(), new StringSerializer())) {
            for (String url : registered) {
                producer.send(new ProducerRecord<>(Topics.FEEDS, url, null));
            }
            producer.flush();
        }
    }

    private static IngestConfig ingestConfig() {
        return IngestTestKit.ingestConfig(Map.of());
    }

    private static IngestConfig ingestConfig(Map<String, String> overrides) {
        return IngestTestKit.ingestConfig(overrides);
    }

    /** Article ids per feed, in topic order, of the given feeds. */
    private static Map<String, List<String>> published(Set<String> feeds) {
        Map<String, List<String>> out = new TreeMap<>();
        for (ArticleMessage m : IngestTestKit.articles(client)) {
            if (feeds.contains(m.feed())) {
                out.computeIfAbsent(m.feed(), f -> new ArrayList<>()).add(m.article().id());
            }
        }
        return out;
    }

    /** What the parser makes of {@code body}: the ids the ingestor should publish, in order. */
    private static List<String> ids(String feedUrl, byte[] body) {
        return FeedParser.parse(feedUrl, body, null, Instant.now()).entries().stream()
                .map(e -> e.articleId()).toList();
    }

    private static List<String> ids(List<ArticleMessage> messages) {
        return messages.stream().map(m -> m.article().id()).toList();
    }

    private static String guidId(String feedUrl, String guid) {
        return EntryIdentity.articleId(feedUrl, guid, null, null, null, null);
    }

    private static FeedState last(List<Saved> saved) {
        return saved.get(saved.size() - 1).state();
    }
}
