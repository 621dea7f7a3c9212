package io.storyline.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.storyline.ingest.FeedEntry;
import io.storyline.ingest.FeedParser;
import io.storyline.ingest.ParsedFeed;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The bench's feeds: deterministic, news-like, with honest validators. */
class FeedServerTest {

    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
    private final HttpClient client = HttpClient.newHttpClient();

    private HttpResponse<byte[]> get(String url, String header, String value) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url));
        if (header != null) {
            request.header(header, value);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    @Test
    void sameNumbersSameBytes() {
        assertArrayEquals(new SyntheticFeeds().rss(7, 20, 20), new SyntheticFeeds().rss(7, 20,
                20));
        assertNotEquals(new SyntheticFeeds().entry(7, 3), new SyntheticFeeds().entry(8, 3));
    }

    @Test
    void feedListsItsLatestEntriesNewestFirstWithNewsSizedText() {
        SyntheticFeeds feeds = new SyntheticFeeds();
        String url = "http://127.0.0.1/feeds/5.xml";
        ParsedFeed parsed = FeedParser.parse(url, feeds.rss(5, 23, 20), null, NOW);
        assertEquals(List.of(), parsed.problems());
        List<FeedEntry> entries = parsed.entries();
        assertEquals(20, entries.size());
        assertEquals(feeds.entry(5, 22).title(), entries.get(0).title());
        assertEquals(feeds.entry(5, 3).title(), entries.get(19).title());
        assertTrue(entries.get(0).published().isAfter(entries.get(1).published()));
        for (FeedEntry e : entries) {
            int words = e.text().split(" ").length;
            // 80 to 150 words, and some copies carry an eight-word credit line.
            assertTrue(words >= SyntheticFeeds.MIN_WORDS && words <= SyntheticFeeds.MAX_WORDS
                    + 8, words + " words in " + e.text());
            assertEquals("en", e.lang());
        }
    }

    @Test
    void wireStoriesRunInSeveralFeedsWordForWordOrWithACreditLine() {
        SyntheticFeeds feeds = new SyntheticFeeds();
        Map<String, Set<Integer>> feedsByText = new HashMap<>();
        int credited = 0;
        int entries = 0;
        for (int f = 0; f < 500; f++) {
            for (int n = 0; n < 20; n++) {
                String text = feeds.entry(f, n).description();
                credited += text.endsWith(" newsroom staff.") ? 1 : 0;
                feedsByText.computeIfAbsent(text, t -> new HashSet<>()).add(f);
                entries++;
            }
        }
        long syndicated = feedsByText.values().stream().filter(s -> s.size() > 1).count();
        assertTrue(syndicated > 50, syndicated + " texts in more than one feed");
        assertTrue(credited > entries / 20, credited + " credited copies of " + entries);
        assertTrue(feedsByText.size() > entries / 2, "mostly the feeds' own write-ups");
    }

    @Test
    void conditionalGetsGet304UntilTheFeedChanges() throws Exception {
        try (FeedServer server = FeedServer.start(3, 4, 2)) {
            String url = server.url(1);
            HttpResponse<byte[]> first = get(url, null, null);
            assertEquals(200, first.statusCode());
            String etag = first.headers().firstValue("ETag").orElseThrow();
            String modified = first.headers().firstValue("Last-Modified").orElseThrow();
            assertEquals(304, get(url, "If-None-Match", etag).statusCode());
            assertEquals(304, get(url, "If-Modified-Since", modified).statusCode());

            server.publish(2); // feeds 0 and 1
            HttpResponse<byte[]> changed = get(url, "If-None-Match", etag);
            assertEquals(200, changed.statusCode());
            assertNotEquals(etag, changed.headers().firstValue("ETag").orElseThrow());
            assertEquals(200, get(url, "If-Modified-Since", modified).statusCode());
            assertEquals(304, get(server.url(2), "If-None-Match", "\"2-4\"").statusCode());
            ParsedFeed parsed = FeedParser.parse(url, changed.body(), null, NOW);
            assertEquals(4, parsed.entries().size());
            assertEquals(new SyntheticFeeds().entry(1, 4).title(),
                    parsed.entries().get(0).title());

            assertEquals(404, get(server.url(3), null, null).statusCode());
            assertEquals(7, server.requests());
            assertEquals(3, server.fetched());
            assertEquals(3, server.notModified());
            assertEquals(14, server.totalEntries());
        }
    }
}
