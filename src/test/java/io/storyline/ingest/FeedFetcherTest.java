package io.storyline.ingest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.storyline.config.IngestConfig;
import io.storyline.config.Settings;
import io.storyline.ingest.FeedProblem.Kind;
import io.storyline.ingest.FetchResult.Status;
import io.storyline.ingest.FixtureServer.Response;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FeedFetcherTest {

    static final int MAX_BODY = 256 * 1024;

    private static FixtureServer server;
    private static FeedFetcher fetcher;

    @TempDir
    Path dir;

    static IngestConfig config(String... overrides) {
        Map<String, String> values = new HashMap<>(Map.of(
                "ingest.connect-timeout.ms", "1000",
                "ingest.read-timeout.ms", "3000",
                "ingest.max-body.bytes", Integer.toString(MAX_BODY),
                "ingest.user-agent", "StorylineTest/1 (+https://example.com)",
                "ingest.concurrency", "8",
                "ingest.allow-private-addresses", "true",
                "ingest.allow-file-feeds", "true"));
        for (int i = 0; i < overrides.length; i += 2) {
            values.put(overrides[i], overrides[i + 1]);
        }
        return IngestConfig.from(Settings.of(values, "test", w -> { }));
    }

    @BeforeAll
    static void start() {
        server = FixtureServer.start();
        fetcher = new FeedFetcher(config());
    }

    @AfterAll
    static void stop() {
        fetcher.close();
        server.close();
    }

    private static FeedState after(String url, FetchResult r) {
        return new FeedState(url, r.etag(), r.lastModified(), r.contentHash(),
                Duration.ofMinutes(1), 0, Instant.EPOCH, null, Map.of());
    }

    private static void assertProblem(FetchResult r, Kind kind, String url, String text) {
        assertEquals(Status.FAILED, r.status(), r.toString());
        assertEquals(kind, r.problem().what(), r.problem().message());
        assertEquals(url, r.problem().feedUrl());
        assertTrue(r.problem().message().contains(url), r.problem().message());
        assertTrue(r.problem().message().contains(text), r.problem().message());
        assertEquals(0, r.body().length);
    }

    @Test
    void fetchesAFeedAndSendsItsHeaders() {
        String url = server.url(FixtureServer.FEED);
        FetchResult r = fetcher.fetch(url);
        assertEquals(Status.FETCHED, r.status());
        assertEquals(200, r.httpStatus());
        assertArrayEquals(FixtureServer.resource("feeds/rss2.xml"), r.body());
        assertEquals("application/rss+xml", r.mediaType());
        assertEquals("utf-8", r.charset());
        assertEquals(FeedFetcher.sha256(r.body()), r.contentHash());
        assertEquals(url, r.finalUrl());
        assertNull(r.problem());
        FixtureServer.Request sent = server.lastRequest(FixtureServer.FEED);
        assertEquals("StorylineTest/1 (+https://example.com)", sent.header("User-Agent"));
        assertEquals("gzip", sent.header("Accept-Encoding"));
        assertTrue(sent.header("Accept").startsWith("application/rss+xml"));
        assertNull(sent.header("If-None-Match"));
    }

    @Test
    void honestValidatorsGiveA304AndAreKept() {
        String url = server.url(FixtureServer.ETAG);
        FetchResult first = fetcher.fetch(url);
        assertEquals(Status.FETCHED, first.status());
        assertEquals("\"v1\"", first.etag());
        assertEquals("Sat, 01 Nov 2025 10:00:00 GMT", first.lastModified());

        FetchResult second = fetcher.fetch(after(url, first));
        assertEquals(Status.NOT_MODIFIED, second.status());
        assertEquals(304, second.httpStatus());
        assertEquals(0, second.body().length);
        assertEquals("\"v1\"", server.lastRequest(FixtureServer.ETAG).header("If-None-Match"));
        assertEquals(first.lastModified(),
                server.lastRequest(FixtureServer.ETAG).header("If-Modified-Since"));
        assertEquals(first.etag(), second.etag());
        assertEquals(first.lastModified(), second.lastModified());
        assertEquals(first.contentHash(), second.contentHash());
    }

    @Test
    void lastModifiedAloneAlsoGivesA304() {
        String url = server.url(FixtureServer.ETAG);
        FeedState state = new FeedState(url, null, "Sat, 01 Nov 2025 10:00:00 GMT", null,
                Duration.ofMinutes(1), 0, Instant.EPOCH, null, Map.of());
        assertEquals(Status.NOT_MODIFIED, fetcher.fetch(state).status());
    }

    @Test
    void anIdenticalBodyUnderAFreshEtagIsNotModified() {
        String url = server.url(FixtureServer.FRESH_ETAG);
        FetchResult first = fetcher.fetch(url);
        FetchResult second = fetcher.fetch(after(url, first));
        assertEquals(Status.FETCHED, first.status());
        assertEquals(first.etag(), server.lastRequest(FixtureServer.FRESH_ETAG)
                .header("If-None-Match"));
        assertEquals(200, second.httpStatus());
        assertEquals(Status.NOT_MODIFIED, second.status());
        assertNotEquals(first.etag(), second.etag());
        assertEquals(first.contentHash(), second.contentHash());
        assertEquals(0, second.body().length);
    }

    @Test
    void validatorsAreTheNewResponsesOwn() {
        String url = server.url(FixtureServer.FEED);
        FeedState stale = new FeedState(url, "\"gone\"", "Mon, 01 Jan 2024 00:00:00 GMT", "x",
                Duration.ofMinutes(1), 0, Instant.EPOCH, null, Map.of());
        FetchResult r = fetcher.fetch(stale);
        assertEquals(Status.FETCHED, r.status());
        assertNull(r.etag(), "the server no longer sends one");
        assertNull(r.lastModified());
    }

    @Test
    void aChangedBodyIsFetchedAgain() {
        String url = server.url(FixtureServer.GROWING);
        FetchResult first = fetcher.fetch(url);
        FetchResult second = fetcher.fetch(after(url, first));
        assertEquals(Status.FETCHED, second.status());
        assertNotEquals(first.contentHash(), second.contentHash());
    }

    @Test
    void tooManyRequestsCarriesRetryAfterSeconds() {
        String url = server.url(FixtureServer.TOO_MANY_REQUESTS);
        FetchResult r = fetcher.fetch(url);
        assertProblem(r, Kind.HTTP_STATUS, url, "HTTP 429 from " + url);
        assertEquals(429, r.httpStatus());
        assertEquals(Duration.ofSeconds(120), r.retryAfter());
    }

    @Test
    void unavailableCarriesRetryAfterFromAnHttpDate() {
        String url = server.url(FixtureServer.UNAVAILABLE);
        FetchResult r = fetcher.fetch(url);
        assertProblem(r, Kind.HTTP_STATUS, url, "HTTP 503 from " + url);
        long seconds = r.retryAfter().toSeconds();
        assertTrue(seconds > FixtureServer.RETRY_DATE_SECONDS - 60
                && seconds <= FixtureServer.RETRY_DATE_SECONDS, r.retryAfter().toString());
    }

    @Test
    void parsesBothFormsOfRetryAfter() {
        Instant now = Instant.parse("2025-11-03T10:00:00Z");
        assertEquals(Duration.ofSeconds(120), FeedFetcher.retryAfter(" 120 ", now));
        assertEquals(Duration.ofMinutes(5),
                FeedFetcher.retryAfter("Mon, 03 Nov 2025 10:05:00 GMT", now));
        assertEquals(Duration.ZERO, FeedFetcher.retryAfter("Mon, 03 Nov 2025 09:00:00 GMT", now));
        assertNull(FeedFetcher.retryAfter("soon", now));
        assertNull(FeedFetcher.retryAfter("-5", now));
    }

    @Test
    void serverErrorsAndMissingFeedsAreProblemsThatKeepTheValidators() {
        String url = server.url(FixtureServer.SERVER_ERROR);
        FeedState state = new FeedState(url, "\"e\"", "lm", "hash", Duration.ofMinutes(1), 0,
                Instant.EPOCH, null, Map.of());
        FetchResult r = fetcher.fetch(state);
        assertProblem(r, Kind.HTTP_STATUS, url, "HTTP 500 from " + url);
        assertNull(r.retryAfter());
        assertEquals("\"e\"", r.etag());
        assertEquals("hash", r.contentHash());
        String missing = server.url(FixtureServer.NOT_FOUND);
        assertProblem(fetcher.fetch(missing), Kind.HTTP_STATUS, missing, "HTTP 404");
    }

    @Test
    void aRedirectLoopStopsAfterMaxRedirects() {
        String url = server.url(FixtureServer.LOOP);
        int before = server.hits("/loop/a") + server.hits("/loop/b");
        FetchResult r = fetcher.fetch(url);
        assertProblem(r, Kind.REDIRECTS, url, "too many redirects (6) starting at " + url);
        assertEquals(6, server.hits("/loop/a") + server.hits("/loop/b") - before);
    }

    @Test
    void aChainOfThreeRedirectsEndsInTheFeed() {
        String url = server.url(FixtureServer.CHAIN);
        FetchResult r = fetcher.fetch(url);
        assertEquals(Status.FETCHED, r.status(), r.toString());
        assertEquals(server.url(FixtureServer.FEED), r.finalUrl());
        assertArrayEquals(FixtureServer.resource("feeds/rss2.xml"), r.body());

        try (FeedFetcher strict = new FeedFetcher(config("ingest.max-redirects", "2"))) {
            assertProblem(strict.fetch(url), Kind.REDIRECTS, url,
                    "too many redirects (3) starting at " + url);
        }
    }

    @Test
    void onlyTheLeadingPermanentRedirectsOfASuccessfulFetchTellWhereTheFeedMoved() {
        server.route("/moved/301", r -> Response.redirect(301, "/moved/308"));
        server.route("/moved/308", r -> Response.redirect(308, "/moved/302"));
        server.route("/moved/302", r -> Response.redirect(302, FixtureServer.FEED));
        server.route("/moved/gone", r -> Response.redirect(301, "/moved/410"));
        server.route("/moved/410", r -> Response.status(410));
        String url = server.url("/moved/301");
        FetchResult r = fetcher.fetch(url);
        assertEquals(Status.FETCHED, r.status(), r.toString());
        assertEquals(server.url("/moved/302"), r.movedTo(), "a 302 is no move");
        assertEquals(server.url(FixtureServer.FEED), r.finalUrl());
        assertNull(fetcher.fetch(server.url("/moved/302")).movedTo());
        assertNull(fetcher.fetch(server.url("/moved/gone")).movedTo(), "no move to a failure");

        int hits = server.hits("/moved/301");
        FeedState moved = new FeedState(url, null, null, null, Duration.ofMinutes(1), 0,
                Instant.EPOCH, null, Map.of(), null, null, server.url("/moved/302"), false);
        FetchResult again = fetcher.fetch(moved);
        assertEquals(Status.FETCHED, again.status(), again.toString());
        assertEquals(url, again.url(), "the feed keeps its name");
        assertEquals(hits, server.hits("/moved/301"), "fetched from where it moved");
    }

    @Test
    void aRedirectToAFileIsRefused() {
        server.route("/to-file", r -> Response.redirect(302, "file:///etc/passwd"));
        String url = server.url("/to-file");
        assertProblem(fetcher.fetch(url), Kind.BAD_URL, url, "file:///etc/passwd");
    }

    @Test
    void loopbackAndPrivateHostsAreRefusedBeforeAnyRequest() {
        int before = server.hits(FixtureServer.FEED);
        try (FeedFetcher strict = new FeedFetcher(config("ingest.allow-private-addresses",
                "false"))) {
            String url = server.url(FixtureServer.FEED);
            assertProblem(strict.fetch(url), Kind.FORBIDDEN, url, "not fetching " + url
                    + ": its host 127.0.0.1 resolves to 127.0.0.1, a loopback address"
                    + " (ingest.allow-private-addresses=false)");
            String named = "http://localhost:" + server.port() + FixtureServer.FEED;
            assertProblem(strict.fetch(named), Kind.FORBIDDEN, named, "a loopback address");
            String metadata = "http://169.254.169.254/latest/meta-data/";
            assertProblem(strict.fetch(metadata), Kind.FORBIDDEN, metadata,
                    "169.254.169.254, a link-local address");
            String lan = "http://10.1.2.3/feed.xml";
            assertProblem(strict.fetch(lan), Kind.FORBIDDEN, lan, "10.1.2.3, a private address");
            String v6 = "http://[::1]:" + server.port() + "/feed.xml";
            assertProblem(strict.fetch(v6), Kind.FORBIDDEN, v6, "a loopback address");
            String page = server.url(FixtureServer.ARTICLES + "en-news.html");
            assertProblem(strict.fetchPage(page), Kind.FORBIDDEN, page, "a loopback address");
        }
        assertEquals(before, server.hits(FixtureServer.FEED), "no request reached the server");
    }

    @Test
    void aRedirectIsCheckedBeforeItsOwnRequest() {
        // 127.0.0.1 (the fixture server) passes; any other address is refused, as a private
        // one would be: the redirect's host is resolved and checked before its request.
        AddressPolicy onlyTheServer = new AddressPolicy(
                a -> a.getHostAddress().equals("127.0.0.1"));
        String target = "http://127.0.0.2:" + server.port() + FixtureServer.FEED;
        server.route("/to-private", r -> Response.redirect(302, target));
        String url = server.url("/to-private");
        try (FeedFetcher strict = new FeedFetcher(config(), onlyTheServer)) {
            assertProblem(strict.fetch(url), Kind.FORBIDDEN, url, "not fetching " + target
                    + " (redirected from " + url + "): its host 127.0.0.2 resolves to"
                    + " 127.0.0.2, a loopback address");
            assertEquals(Status.FETCHED, strict.fetch(server.url(FixtureServer.CHAIN)).status());
        }
    }

    @Test
    void fileFeedsAreReadOnlyWhenAllowed() throws IOException {
        Path file = dir.resolve("feed.xml");
        Files.write(file, FixtureServer.resource("feeds/rss2.xml"));
        String url = file.toUri().toString();
        try (FeedFetcher noFiles = new FeedFetcher(config("ingest.allow-file-feeds",
                "false"))) {
            assertProblem(noFiles.fetch(url), Kind.FORBIDDEN, url, "not reading feed " + url
                    + ": file: feeds are off (ingest.allow-file-feeds=false)");
        }
        assertEquals(Status.FETCHED, fetcher.fetch(url).status());
    }

    @Test
    void bodiesHeldAtOnceStayWithinTheInFlightBudget() {
        // The first body fills the whole budget: the second may not read a single buffer.
        byte[] big = new byte[MAX_BODY];
        java.util.Arrays.fill(big, (byte) 'x');
        server.route("/big-a", r -> Response.ok("application/xml", big));
        server.route("/big-b", r -> Response.ok("application/xml", big).withoutLength());
        try (FeedFetcher tight = new FeedFetcher(config("ingest.max-in-flight.bytes",
                Integer.toString(MAX_BODY), "ingest.read-timeout.ms", "1500"))) {
            FetchResult a = tight.fetch(server.url("/big-a"));
            assertEquals(Status.FETCHED, a.status(), a.toString());
            assertEquals(big.length, tight.bytesInFlight(), "held until released");

            // A second body does not fit beside the first: its download asks for nothing and
            // times out, and holds nothing afterwards.
            String b = server.url("/big-b");
            assertProblem(tight.fetch(b), Kind.TIMEOUT, b, "no complete response from " + b);
            assertEquals(big.length, tight.bytesInFlight());

            tight.release(a);
            assertEquals(0, tight.bytesInFlight());
            FetchResult again = tight.fetch(b);
            assertEquals(Status.FETCHED, again.status(), again.toString());
            tight.release(again);
            assertEquals(0, tight.bytesInFlight());
        }
    }

    @Test
    void everyOutcomeButFetchedHoldsNothing() throws IOException {
        try (FeedFetcher counted = new FeedFetcher(config())) {
            FetchResult ok = counted.fetch(server.url(FixtureServer.GZIP));
            assertEquals(ok.body().length, counted.bytesInFlight(), "the inflated body only");
            counted.release(ok);
            for (String path : List.of(FixtureServer.HUGE, FixtureServer.NOT_FOUND,
                    FixtureServer.LOOP, "/empty-body.xml")) {
                assertEquals(Status.FAILED, counted.fetch(server.url(path)).status(), path);
                assertEquals(0, counted.bytesInFlight(), path);
            }
            FetchResult first = counted.fetch(server.url(FixtureServer.ETAG));
            FetchResult unchanged = counted.fetch(after(server.url(FixtureServer.ETAG), first));
            assertEquals(Status.NOT_MODIFIED, unchanged.status());
            assertEquals(first.body().length, counted.bytesInFlight());
            counted.release(first);
            assertEquals(0, counted.bytesInFlight());
        }
    }

    @Test
    void pagesAreCutToTheirLimitNotRefused() {
        byte[] page = ("<html><body><p>" + "Lorem ipsum dolor sit amet. ".repeat(10_000)
                + "</p></body></html>").getBytes(StandardCharsets.UTF_8);
        server.route("/long-page", r -> Response.ok("text/html", page));
        server.route("/long-page-chunked", r -> Response.ok("text/html", page)
                .withoutLength());
        server.route("/long-page-gzip", r -> Response.ok("text/html", FixtureServer.gzip(page))
                .header("Content-Encoding", "gzip"));
        try (FeedFetcher pages = new FeedFetcher(config("ingest.max-page.bytes", "4096"))) {
            for (String path : List.of("/long-page", "/long-page-chunked")) {
                FetchResult r = pages.fetchPage(server.url(path));
                assertEquals(Status.FETCHED, r.status(), r.toString());
                assertArrayEquals(java.util.Arrays.copyOf(page, 4096), r.body(), path);
                pages.release(r);
            }
            FetchResult gz = pages.fetchPage(server.url("/long-page-gzip"));
            assertEquals(Status.FETCHED, gz.status(), gz.toString());
            assertTrue(gz.body().length > 0 && gz.body().length <= 4096, gz.toString());
            pages.release(gz);
            assertEquals(0, pages.bytesInFlight());
        }
    }

    @Test
    void atMostPerHostConcurrencyRequestsToOneHostAtOnce() throws Exception {
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.atomic.AtomicLong thirdArrived =
                new java.util.concurrent.atomic.AtomicLong();
        for (String path : List.of("/polite/1", "/polite/2", "/polite/3")) {
            server.route(path, r -> {
                if (path.endsWith("3")) {
                    thirdArrived.compareAndSet(0, System.nanoTime());
                }
                try {
                    release.await(30, java.util.concurrent.TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return Response.xml(FixtureServer.resourceText("feeds/rss2.xml"));
            });
        }
        Duration timeout = Duration.ofMillis(2000);
        try (FeedFetcher polite = new FeedFetcher(config("ingest.per-host-concurrency", "2",
                "ingest.read-timeout.ms", Long.toString(timeout.toMillis())))) {
            long start = System.nanoTime();
            List<CompletableFuture<FetchResult>> all = new ArrayList<>();
            for (String path : List.of("/polite/1", "/polite/2")) {
                all.add(polite.submit(FeedState.initial(server.url(path),
                        Duration.ofMinutes(1), Instant.EPOCH)));
            }
            assertTrue(server.awaitHits("/polite/1", 1, Duration.ofSeconds(10))
                    && server.awaitHits("/polite/2", 1, Duration.ofSeconds(10)));
            // Both slots of 127.0.0.1:port are held by answers that never come: the third
            // request can go out only once one of them has given up, at its read timeout.
            all.add(polite.submit(FeedState.initial(server.url("/polite/3"),
                    Duration.ofMinutes(1), Instant.EPOCH)));
            all.forEach(CompletableFuture::join);
            assertTrue(server.awaitHits("/polite/3", 1, Duration.ofSeconds(10)));
            long waited = thirdArrived.get() - start;
            assertTrue(waited >= timeout.toNanos(), "the third request went out after "
                    + waited / 1_000_000 + " ms, while both slots were still taken");
            release.countDown();
            FetchResult after = polite.fetch(server.url("/polite/3"));
            assertEquals(Status.FETCHED, after.status(), "slots are handed back: " + after);
        }
    }

    @Test
    void aSlowBodyTimesOutWithoutHoldingUpOtherFeeds() throws Exception {
        String slow = server.url(FixtureServer.SLOW);
        try (FeedFetcher quick = new FeedFetcher(config("ingest.read-timeout.ms", "1500"))) {
            int before = server.hits(FixtureServer.SLOW);
            CompletableFuture<FetchResult> pending = quick.submit(
                    FeedState.initial(slow, Duration.ofMinutes(1), Instant.EPOCH));
            assertTrue(server.awaitHits(FixtureServer.SLOW, before + 1, Duration.ofSeconds(5)));
            List<FetchResult> others = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                others.add(quick.fetch(server.syntheticFeed(900 + i, 5)));
            }
            assertFalse(pending.isDone(), "the slow feed ended while others were fetched");
            others.forEach(r -> assertEquals(Status.FETCHED, r.status(), r.toString()));
            FetchResult r = pending.get();
            assertProblem(r, Kind.TIMEOUT, slow, "no complete response from " + slow
                    + " within 1500 ms");
        }
    }

    @Test
    void anOversizedBodyIsAbortedWhetherOrNotItsLengthIsDeclared() {
        for (String path : List.of(FixtureServer.HUGE, FixtureServer.HUGE_DECLARED)) {
            String url = server.url(path);
            assertProblem(fetcher.fetch(url), Kind.TOO_LARGE, url,
                    "body larger than " + MAX_BODY + " bytes at " + url);
        }
    }

    @Test
    void gzipIsAskedForAndDecoded() {
        FetchResult r = fetcher.fetch(server.url(FixtureServer.GZIP));
        assertEquals(Status.FETCHED, r.status());
        assertArrayEquals(FixtureServer.resource("feeds/rss2.xml"), r.body());
    }

    @Test
    void aGzipBombIsStoppedAtTheLimit() {
        byte[] bomb = FixtureServer.gzip(new byte[MAX_BODY * 8]);
        assertTrue(bomb.length < MAX_BODY);
        server.route("/bomb.xml", r -> Response.ok("text/xml", bomb)
                .header("Content-Encoding", "gzip"));
        String url = server.url("/bomb.xml");
        assertProblem(fetcher.fetch(url), Kind.TOO_LARGE, url, "once decompressed");
    }

    @Test
    void corruptGzipIsAnEncodingProblem() {
        server.route("/bad-gzip.xml", r -> Response.ok("text/xml", "not gzip at all"
                .getBytes(StandardCharsets.UTF_8)).header("Content-Encoding", "gzip"));
        String url = server.url("/bad-gzip.xml");
        assertProblem(fetcher.fetch(url), Kind.ENCODING, url, "corrupt gzip body from " + url);
    }

    @Test
    void anEmptyBodyIsAProblem() {
        server.route("/empty-body.xml", r -> Response.ok("text/xml", new byte[0]));
        String url = server.url("/empty-body.xml");
        assertProblem(fetcher.fetch(url), Kind.EMPTY, url, "empty body from " + url);
    }

    @Test
    void readsFileUrlsAbsoluteAndRelative() throws IOException {
        Path file = dir.resolve("feed.xml");
        Files.write(file, FixtureServer.resource("feeds/rss2.xml"));
        String absolute = file.toUri().toString();
        FetchResult r = fetcher.fetch(absolute);
        assertEquals(Status.FETCHED, r.status(), r.toString());
        assertArrayEquals(FixtureServer.resource("feeds/rss2.xml"), r.body());
        assertEquals(Status.NOT_MODIFIED, fetcher.fetch(after(absolute, r)).status());

        // Surefire runs in the project directory, as the CLI runs in its working directory.
        String relative = "file:src/test/resources/ingest/feeds/atom.xml";
        FetchResult rel = fetcher.fetch(relative);
        assertEquals(Status.FETCHED, rel.status(), rel.toString());
        assertArrayEquals(FixtureServer.resource("feeds/atom.xml"), rel.body());
    }

    @Test
    void fileProblemsNameTheUrl() throws IOException {
        String missing = dir.resolve("missing.xml").toUri().toString();
        assertProblem(fetcher.fetch(missing), Kind.FILE, missing, "no such file ");
        Path big = dir.resolve("big.xml");
        Files.write(big, new byte[MAX_BODY + 1]);
        String url = big.toUri().toString();
        assertProblem(fetcher.fetch(url), Kind.TOO_LARGE, url, "body larger than " + MAX_BODY);
        String remote = "file://fileserver/share/feed.xml";
        assertProblem(fetcher.fetch(remote), Kind.BAD_URL, remote, "another host");
    }

    @Test
    void refusedConnectionsAreNetworkProblems() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1,
                java.net.InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        String url = "http://127.0.0.1:" + port + "/feed.xml";
        assertProblem(fetcher.fetch(url), Kind.NETWORK, url, "connection refused by " + url);
    }

    @Test
    void urlsThatCannotBeFetchedAreProblems() {
        assertProblem(fetcher.fetch("not a url"), Kind.BAD_URL, "not a url", "not a URL");
        assertProblem(fetcher.fetch("ftp://127.0.0.1/feed.xml"), Kind.BAD_URL,
                "ftp://127.0.0.1/feed.xml", "only http(s) and file URLs");
        assertProblem(fetcher.fetchPage("file:///etc/passwd"), Kind.BAD_URL,
                "file:///etc/passwd", "only http(s) URLs");
    }

    @Test
    void pagesAreFetchedAsHtml() {
        String url = server.url(FixtureServer.ARTICLES + "en-news.html");
        FetchResult r = fetcher.fetchPage(url);
        assertEquals(Status.FETCHED, r.status(), r.toString());
        assertEquals("text/html", r.mediaType());
        assertTrue(server.lastRequest(FixtureServer.ARTICLES + "en-news.html").header("Accept")
                .startsWith("text/html"));
    }

    @Test
    void manyFetchesRunConcurrentlyOnOneFetcher() {
        List<CompletableFuture<FetchResult>> pending = new ArrayList<>();
        for (String url : server.syntheticFeeds(64, 10)) {
            pending.add(fetcher.submit(FeedState.initial(url, Duration.ofMinutes(1),
                    Instant.EPOCH)));
        }
        for (CompletableFuture<FetchResult> p : pending) {
            FetchResult r = p.join();
            assertEquals(Status.FETCHED, r.status(), r.toString());
        }
        FetchResult again = fetcher.fetch(after(server.syntheticFeed(3, 10),
                pending.get(3).join()));
        assertEquals(304, again.httpStatus());
    }
}
