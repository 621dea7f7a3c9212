package io.storyline.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.storyline.article.Article;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dashboard on the real pipeline: an embedded broker, an ingestor polling the sample
 * feeds, the detector, and the server over HTTP on 127.0.0.1.
 */
class DashboardIT {

    private static final String FEED = "file:seeds/feeds/horizon-info.atom.xml";

    @TempDir
    java.nio.file.Path dir;

    @Test
    void servesTheSampleFeedsLiveAndRebuildsTheSameStoriesAfterARestart() throws Exception {
        try (DashboardStack stack = DashboardStack.withIngestor(dir)) {
            JsonNode health = stack.await("/api/health",
                    h -> h.get("articles").asInt() == 17 && h.get("stories").asInt() == 5);
            assertEquals("ready", health.get("status").asText());

            JsonNode page = stack.http.json("/api/stories", 200);
            assertEquals(5, page.get("matched").asInt());
            int copies = 0;
            for (JsonNode s : page.get("stories")) {
                assertTrue(s.get("sources").asInt() >= 2, s.toString());
                assertEquals("fr", s.get("languages").get(0).asText());
                assertTrue(s.get("velocity").get("lastHour").asInt() >= 2, s.toString());
                copies += s.get("copies").asInt();
            }
            assertEquals(12, copies);

            storyViewFoldsCopies(stack, page.get("stories").get(0).get("id").asText());
            feedsShowHealth(stack);
            adminActions(stack);
            liveEvents(stack);

            List<String> before = summary(stack.http.json("/api/stories?sort=size", 200));
            stack.stopDashboard();
            stack.startDashboard();
            stack.await("/api/health", h -> h.get("status").asText().equals("ready")
                    && h.get("stories").asInt() == 6);
            assertEquals(before, summary(stack.http.json("/api/stories?sort=size", 200)));
            assertNull(stack.fatal());
        }
    }

    private static void storyViewFoldsCopies(DashboardStack stack, String id) {
        JsonNode d = stack.http.json("/api/stories/" + id, 200);
        int folded = 0;
        for (JsonNode entry : d.get("articles")) {
            String original = entry.get("article").get("id").asText();
            assertTrue(entry.get("article").get("duplicateOf").isNull());
            for (JsonNode copy : entry.get("copies")) {
                assertEquals(original, copy.get("duplicateOf").asText());
                assertTrue(copy.get("lower").asDouble() <= copy.get("similarity").asDouble());
                folded++;
            }
        }
        assertEquals(d.get("story").get("copies").asInt(), folded);
        assertEquals(d.get("story").get("articles").asInt(), folded + d.get("articles").size());
        JsonNode copy = stack.http.json("/api/articles/" + d.get("articles").get(0)
                .get("copies").get(0).get("id").asText(), 200);
        assertEquals(id, copy.get("story").asText());
        assertTrue(copy.get("url").asText().startsWith("https://"));
    }

    private static void feedsShowHealth(DashboardStack stack) throws InterruptedException {
        JsonNode feeds = stack.await("/api/feeds", f -> f.get("feeds").size() == 9
                && f.get("feeds").findValues("health").stream().noneMatch(JsonNode::isNull));
        int perDay = 0;
        for (JsonNode f : feeds.get("feeds")) {
            assertEquals("ok", f.get("health").get("status").asText(), f.toString());
            assertTrue(f.get("health").get("problem").isNull(), f.toString());
            perDay += f.get("articlesPerDay").asInt();
        }
        assertEquals(17, perDay);
        String metrics = stack.http.get("/metrics").body();
        assertTrue(metrics.contains("storyline_ingest_polls_total{outcome=\"fetched\"}"),
                metrics);
        assertTrue(metrics.contains("storyline_fetch_to_assignment_seconds_count"), metrics);
        assertTrue(metrics.contains("kafka_consumer_"), metrics);
    }

    private static void adminActions(DashboardStack stack) throws InterruptedException {
        String auth = "Bearer " + DashboardStack.TOKEN;
        String feed = URLEncoder.encode(FEED, StandardCharsets.UTF_8);
        Instant before = lastPoll(stack.http.json("/api/feeds", 200));
        HttpResponse<String> r = stack.http.post("/api/admin/feeds/poll?url=" + feed, "",
                "Authorization", auth);
        assertEquals(202, r.statusCode(), r.body());
        // The owner polls at once, though the feed is not due for a minute.
        stack.await("/api/feeds", f -> lastPoll(f).isAfter(before));

        r = stack.http.post("/api/admin/feeds", "{\"url\":\"https://new.example/rss.xml\","
                + "\"title\":\"New\"}", "Authorization", auth);
        assertEquals(201, r.statusCode(), r.body());
        r = stack.http.delete("/api/admin/feeds?url=https://new.example/rss.xml",
                "Authorization", auth);
        assertEquals(200, r.statusCode(), r.body());
        r = stack.http.delete("/api/admin/feeds?url=https://new.example/rss.xml",
                "Authorization", auth);
        assertEquals(404, r.statusCode(), r.body());
        r = stack.http.post("/api/admin/feeds/poll", "", "Authorization", auth);
        assertEquals(400, r.statusCode());
        assertEquals("url", Http.parse(r.body()).get("parameter").asText());
        r = stack.http.post("/api/admin/feeds", "{\"url\":\"gopher://x\"}", "Authorization",
                auth);
        assertEquals(400, r.statusCode(), r.body());
        assertEquals("url", Http.parse(r.body()).get("parameter").asText());
        r = stack.http.post("/api/admin/feeds", "{nope", "Authorization", auth);
        assertEquals(400, r.statusCode(), r.body());
    }

    private static Instant lastPoll(JsonNode feeds) {
        for (JsonNode f : feeds.get("feeds")) {
            if (f.get("url").asText().equals(FEED)) {
                return Instant.parse(f.get("health").get("lastPoll").asText());
            }
        }
        throw new AssertionError(FEED + " not in " + feeds);
    }

    /** A new article reaches an event-stream client that resumed from the current seq. */
    private static void liveEvents(DashboardStack stack) throws Exception {
        long seq = stack.http.json("/api/stories", 200).get("seq").asLong();
        HttpResponse<Stream<String>> stream = stack.http.stream("/api/stream",
                "Last-Event-ID", Long.toString(seq));
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        Thread reader = new Thread(() -> stream.body().forEach(lines::add), "test-sse");
        reader.setDaemon(true);
        reader.start();
        stack.publish(List.of(Article.of("live-1", "Séisme de magnitude 6,1 au large de Brest",
                "Un séisme de magnitude 6,1 a été ressenti dans tout le Finistère ce matin.",
                Instant.now())));
        long deadline = System.nanoTime() + DashboardStack.PATIENCE.toNanos();
        List<String> seen = new ArrayList<>();
        String id = null;
        while (System.nanoTime() < deadline) {
            String line = lines.poll(1, TimeUnit.SECONDS);
            if (line == null) {
                continue;
            }
            seen.add(line);
            if (line.startsWith("id: ")) {
                id = line;
            }
            if (line.startsWith("data: ") && line.contains("Séisme de magnitude 6,1")) {
                assertEquals("id: " + (seq + 1), id);
                stream.body().close();
                return;
            }
        }
        throw new AssertionError("no event for the new story; saw " + seen);
    }

    private static List<String> summary(JsonNode page) {
        List<String> out = new ArrayList<>();
        for (JsonNode s : page.get("stories")) {
            out.add(s.get("id").asText() + " " + s.get("headline").asText() + " "
                    + s.get("articles").asInt() + "/" + s.get("copies").asInt() + "/"
                    + s.get("sources").asInt() + " " + s.get("firstSeen").asText());
        }
        return out;
    }
}
