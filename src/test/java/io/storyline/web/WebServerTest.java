package io.storyline.web;

import static io.storyline.view.Records.assignment;
import static io.storyline.view.Records.bytes;
import static io.storyline.view.Records.story;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.storyline.config.ServeConfig;
import io.storyline.config.Settings;
import io.storyline.view.MutableClock;
import io.storyline.view.ReadModel;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The API over a read model fed by hand, through real HTTP on 127.0.0.1. */
class WebServerTest {

    private static final Instant T = Instant.parse("2026-12-02T12:00:00Z");
    private static final String TOKEN = "0123456789abcdef-token";

    private final MutableClock clock = new MutableClock(T);
    private final AtomicBoolean ready = new AtomicBoolean(true);
    private final AtomicReference<Throwable> fatal = new AtomicReference<>();
    private ReadModel model;
    private WebServer server;
    private Http http;

    private void start(Map<String, String> settings) {
        ServeConfig config = ServeConfig.from(Settings.of(
                new java.util.HashMap<>(Map.of("serve.port", "0")) {
                    {
                        putAll(settings);
                    }
                }, "test", w -> { }));
        model = new ReadModel(config, clock);
        Instant t = T.minus(Duration.ofMinutes(20));
        model.applyAssignment(bytes(assignment("a1", "s1", null, 1, t, "Wire",
                "Quake hits Kyïv")), t);
        model.applyAssignment(bytes(assignment("a2", "s1", "a1", 2, t, "Daily",
                "<img src=x onerror=alert(1)>")), t);
        model.applyStory(bytes(story("s1", "open", 2, 1, "Quake hits Kyïv", 2, t,
                List.of("Wire", "Daily"), List.of(), null)));
        model.publishChanges();
        server = new WebServer(config, model, ready::get,
                new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), null, fatal::set).start();
        http = new Http(server.port());
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
        if (model != null) {
            model.close();
        }
        assertEquals(null, fatal.get());
    }

    @Test
    void aPageKeptForItsSecondGivesWayToAChangeOrANewlySearchableArticle() {
        start(Map.of());
        assertEquals(1, http.json("/api/stories", 200).get("matched").asInt());
        assertEquals(0, http.json("/api/stories?q=flood", 200).get("matched").asInt());
        Instant t = T.minus(Duration.ofMinutes(5));
        model.applyAssignment(bytes(assignment("b1", "s2", null, 3, t, "Herald",
                "Flood in Lyon")), t);
        model.applyStory(bytes(story("s2", "open", 1, 0, "Flood in Lyon", 3, t,
                List.of("Herald"), List.of(), null)));
        // The clock has not moved: the kept pages must not be served after a change.
        JsonNode page = http.json("/api/stories?sort=new", 200);
        assertEquals(2, page.get("matched").asInt());
        assertEquals("s2", page.get("stories").get(0).get("id").asText());
        assertEquals(2, http.json("/api/stories", 200).get("matched").asInt());
        // Searchable once the batch is published, at the same clock too.
        assertEquals(0, http.json("/api/stories?q=flood", 200).get("matched").asInt());
        model.publishChanges();
        assertEquals(1, http.json("/api/stories?q=flood", 200).get("matched").asInt());
    }

    @Test
    void servesTheStoryListStoryArticleFeedsAndHealth() {
        start(Map.of());
        JsonNode page = http.json("/api/stories", 200);
        assertEquals(1, page.get("matched").asInt());
        JsonNode s = page.get("stories").get(0);
        assertEquals("s1", s.get("id").asText());
        assertEquals(2, s.get("articles").asInt());
        assertEquals(2, s.get("sources").asInt());
        assertEquals(1, s.get("copies").asInt());
        assertEquals(2, s.get("velocity").get("lastHour").asInt());
        assertEquals(24, s.get("arrivals").size());
        assertEquals(T.minus(Duration.ofMinutes(20)).toString(), s.get("firstSeen").asText());
        assertTrue(page.get("next").isNull());
        assertEquals(2, page.get("seq").asLong());

        JsonNode d = http.json("/api/stories/s1", 200);
        assertEquals("a1", d.get("articles").get(0).get("article").get("id").asText());
        assertEquals("a2", d.get("articles").get(0).get("copies").get(0).get("id").asText());
        assertEquals(1, d.get("articles").size());
        assertEquals("2026-12-02T11:00:00Z", d.get("arrivals").get("start").asText());

        JsonNode a = http.json("/api/articles/a2", 200);
        assertEquals("a1", a.get("duplicateOf").asText());
        assertEquals("<img src=x onerror=alert(1)>", a.get("title").asText());

        assertEquals(1, http.json("/api/stories?q=kyiv", 200).get("matched").asInt());
        assertEquals(0, http.json("/api/stories?q=paris", 200).get("matched").asInt());
        JsonNode feeds = http.json("/api/feeds", 200).get("feeds");
        assertEquals(2, feeds.size());
        assertEquals(1, feeds.get(0).get("articlesPerDay").asInt());

        JsonNode health = http.json("/api/health", 200);
        assertEquals("ready", health.get("status").asText());
        assertEquals(1, health.get("stories").asInt());
        ready.set(false);
        assertEquals("rebuilding", http.json("/api/health", 503).get("status").asText());
    }

    @Test
    void aTakenPortStopsTheServerNamingTheSetting() {
        start(Map.of());
        ServeConfig same = ServeConfig.from(Settings.of(Map.of("serve.port",
                Integer.toString(server.port())), "test", w -> { }));
        WebServer second = new WebServer(same, model, ready::get,
                new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), null, fatal::set);
        IllegalStateException e = org.junit.jupiter.api.Assertions.assertThrows(
                IllegalStateException.class, second::start);
        assertTrue(e.getMessage().startsWith("cannot listen on 127.0.0.1:" + server.port()
                + " (setting serve.port, serve.host)"), e.getMessage());
        second.close();
    }

    @Test
    void unknownStoriesAndArticlesAre404() {
        start(Map.of());
        assertEquals("no story nope in the read model",
                http.json("/api/stories/nope", 404).get("error").asText());
        assertEquals("no article nope in the read model",
                http.json("/api/articles/nope", 404).get("error").asText());
    }

    @Test
    void everyBadParameterIsA400NamingIt() {
        start(Map.of());
        for (String[] c : new String[][] {
            {"limit=0", "limit"}, {"limit=501", "limit"}, {"limit=x", "limit"},
            {"since=yesterday", "since"}, {"until=soon", "until"}, {"sort=hot", "sort"},
            {"minSources=-2", "minSources"}, {"lang=%3Cb%3E", "lang"},
            {"cursor=nonsense", "cursor"}, {"bogus=1", "bogus"}, {"q=a&q=b", "q"}}) {
            JsonNode e = http.json("/api/stories?" + c[0], 400);
            assertEquals(c[1], e.get("parameter").asText(), c[0]);
            assertTrue(e.get("error").asText().startsWith("parameter " + c[1] + " "), c[0]);
        }
        HttpResponse<String> r = http.get("/api/stream?lastEventId=abc");
        assertEquals(400, r.statusCode());
        assertEquals("lastEventId", Http.parse(r.body()).get("parameter").asText());
        r = http.get("/api/stream", "Last-Event-ID", "x1");
        assertEquals(400, r.statusCode());
        assertEquals("Last-Event-ID", Http.parse(r.body()).get("parameter").asText());
    }

    @Test
    void thePageAndItsAssetsComeWithAStrictContentSecurityPolicy() {
        start(Map.of());
        HttpResponse<String> page = http.get("/");
        assertEquals(200, page.statusCode());
        assertTrue(page.body().contains("<script src=\"/app.js\" defer></script>"));
        assertEquals(WebServer.CSP, page.headers().firstValue("Content-Security-Policy")
                .orElseThrow());
        assertTrue(WebServer.CSP.contains("script-src 'self'"));
        assertFalse(WebServer.CSP.contains("unsafe"));
        assertEquals("nosniff", page.headers().firstValue("X-Content-Type-Options")
                .orElseThrow());
        for (String asset : List.of("/app.js", "/app.css", "/favicon.svg")) {
            HttpResponse<String> r = http.get(asset);
            assertEquals(200, r.statusCode(), asset);
            assertTrue(r.headers().firstValue("Content-Security-Policy").isPresent(), asset);
        }
        assertFalse(http.get("/app.js").body().contains("innerHTML"));
    }

    @Test
    void metricsAreInPrometheusTextWithoutATagPerStory() {
        start(Map.of());
        HttpResponse<String> r = http.get("/metrics");
        assertEquals(200, r.statusCode());
        assertTrue(r.body().contains("storyline_stories_open 1.0"), r.body());
        assertTrue(r.body().contains("storyline_articles_in_total 2.0"), r.body());
        assertTrue(r.body().contains("storyline_copies_total 1.0"), r.body());
        assertTrue(r.body().contains("storyline_sse_clients 0.0"), r.body());
        assertFalse(r.body().contains("s1"), r.body());
    }

    @Test
    void adminActionsAreOffWithoutATokenAndNeedItWithOne() {
        start(Map.of());
        HttpResponse<String> r = http.post("/api/admin/feeds", "{\"url\":\"https://x.example/\"}");
        assertEquals(403, r.statusCode());
        assertEquals("admin actions are off: serve.admin-token is not set",
                Http.parse(r.body()).get("error").asText());
        server.close();
        model.close();

        start(Map.of("serve.admin-token", TOKEN));
        assertEquals(401, http.post("/api/admin/feeds/poll?url=x", "").statusCode());
        r = http.delete("/api/admin/feeds?url=x", "Authorization", "Bearer wrong");
        assertEquals(401, r.statusCode());
        assertEquals("Bearer", r.headers().firstValue("WWW-Authenticate").orElseThrow());
        // With the token, this server (no registry) says so rather than pretend.
        r = http.post("/api/admin/feeds/poll?url=x", "", "Authorization", "Bearer " + TOKEN);
        assertEquals(503, r.statusCode());
        assertEquals(200, http.get("/api/stories").statusCode()); // reads stay open
    }

    @Test
    void withTokenForReadsTheApiNeedsTheToken() {
        start(Map.of("serve.admin-token", TOKEN, "serve.token-for-reads", "true"));
        assertEquals(401, http.get("/api/stories").statusCode());
        assertEquals(401, http.get("/metrics").statusCode());
        assertEquals(200, http.get("/api/stories", "Authorization", "Bearer " + TOKEN)
                .statusCode());
    }

    @Test
    void theStreamSendsChangesWithTheirSeqAndResumesAfterLastEventId() throws Exception {
        start(Map.of());
        HttpResponse<Stream<String>> r = http.stream("/api/stream", "Last-Event-ID", "0");
        assertEquals(200, r.statusCode());
        Iterator<String> lines = r.body().iterator();
        assertEquals("id: 2", next(lines, "id: "));
        assertEquals("event: story", next(lines, "event: "));
        assertTrue(next(lines, "data: ").contains("\"id\":\"s1\""));

        Instant t = T.minus(Duration.ofMinutes(1));
        model.applyAssignment(bytes(assignment("b1", "s2", null, 3, t, "Post", "Floods")), t);
        model.applyStory(bytes(story("s2", "open", 1, 0, "Floods", 3, t, List.of("Post"),
                List.of(), null)));
        model.publishChanges();
        assertEquals("id: 3", next(lines, "id: "));
        assertEquals("event: story", next(lines, "event: "));
        assertTrue(next(lines, "data: ").contains("\"headline\":\"Floods\""));
        r.body().close();

        // A client that saw event 2 gets story s2 only.
        HttpResponse<Stream<String>> again = http.stream("/api/stream?lastEventId=2");
        Iterator<String> more = again.body().iterator();
        assertEquals("id: 3", next(more, "id: "));
        again.body().close();
    }

    /** The next line starting with {@code prefix} (the stream blocks until one comes). */
    private static String next(Iterator<String> lines, String prefix) {
        while (lines.hasNext()) {
            String line = lines.next();
            if (line.startsWith(prefix)) {
                return line;
            }
        }
        throw new AssertionError("stream ended before a line starting with " + prefix);
    }
}
