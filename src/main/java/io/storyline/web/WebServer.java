package io.storyline.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.storyline.config.ServeConfig;
import io.storyline.digest.BadSubscriber;
import io.storyline.digest.Subscriber;
import io.storyline.digest.SubscriberRegistry;
import io.storyline.digest.Subscribers;
import io.storyline.ingest.FeedSpec;
import io.storyline.pipeline.FeedRegistry;
import io.storyline.view.BadParameter;
import io.storyline.view.ReadModel;
import io.storyline.view.StoryQuery;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dashboard's HTTP server: the page at {@code /}, the JSON API under {@code /api},
 * server-sent events at {@code /api/stream}, Prometheus metrics at {@code /metrics}, and the
 * admin actions under {@code /api/admin} (bearer token {@code serve.admin-token}; off without
 * one). Every answer carries a strict Content-Security-Policy: the page runs only its own
 * script and shows feed content as text.
 */
public final class WebServer implements AutoCloseable {

    static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; "
            + "img-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'none'; "
            + "frame-ancestors 'none'";

    /** Story-list pages kept at most (one second each). */
    static final int PAGE_CACHE = 256;

    private static final Logger LOG = LoggerFactory.getLogger(WebServer.class);

    private record CachedPage(long epoch, long second, byte[] json) {
    }

    private final ServeConfig config;
    private final ReadModel model;
    private final BooleanSupplier ready;
    private final PrometheusMeterRegistry meters;
    private final FeedRegistry registry;
    private final SubscriberRegistry subscribers;
    private final Consumer<Throwable> fatal;
    private final ObjectMapper json = new ObjectMapper().registerModule(new SimpleModule()
            .addSerializer(Instant.class, ToStringSerializer.instance));
    private final SseHub hub;
    private final Map<String, byte[]> assets = new LinkedHashMap<>();
    private final Map<StoryQuery, CachedPage> pages = new ConcurrentHashMap<>();
    private Javalin app;

    /**
     * @param ready    whether the model has caught up with the topics (for /api/health)
     * @param registry the feed registry the admin actions change, or null (no admin actions)
     * @param fatal    told of an error the process cannot go on after (out of memory)
     */
    public WebServer(ServeConfig config, ReadModel model, BooleanSupplier ready,
            PrometheusMeterRegistry meters, FeedRegistry registry, Consumer<Throwable> fatal) {
        this(config, model, ready, meters, registry, null, fatal);
    }

    /**
     * @param subscribers the digest subscribers the admin actions change, or null (no
     *                    subscriber actions)
     */
    public WebServer(ServeConfig config, ReadModel model, BooleanSupplier ready,
            PrometheusMeterRegistry meters, FeedRegistry registry,
            SubscriberRegistry subscribers, Consumer<Throwable> fatal) {
        this.subscribers = subscribers;
        this.config = config;
        this.model = model;
        this.ready = ready;
        this.meters = meters;
        this.registry = registry;
        this.fatal = fatal;
        this.hub = new SseHub(model, json, fatal);
        for (String name : new String[] {"index.html", "app.js", "app.css", "favicon.svg"}) {
            assets.put(name, asset(name));
        }
        model.onChanges(hub::changed);
        bindMetrics();
    }

    /** Starts listening; fails naming {@code serve.port} when the port is taken. */
    public WebServer start() {
        app = Javalin.create(c -> {
            c.startup.showJavalinBanner = false;
            c.jetty.host = config.host();
            c.jetty.port = config.port();
            c.http.maxRequestSize = 64 * 1024;
            c.router.javaLangErrorHandler((res, error) -> {
                if (error instanceof VirtualMachineError) {
                    fatal.accept(error);
                }
                res.setStatus(500);
            });
            routes(c.routes);
        });
        try {
            app.start();
        } catch (RuntimeException e) {
            Throwable cause = e;
            while (cause != null && !(cause instanceof BindException)) {
                cause = cause.getCause();
            }
            if (cause != null) {
                throw new IllegalStateException("cannot listen on " + config.host() + ":"
                        + config.port() + " (setting serve.port, serve.host): "
                        + cause.getMessage(), e);
            }
            throw e;
        }
        LOG.info("dashboard on http://{}:{}/", config.host(), port());
        return this;
    }

    public int port() {
        return app.port();
    }

    private void routes(io.javalin.config.RoutesConfig r) {
        r.before(this::headers);
        r.before("/api/stream", this::streamAllowed);
        r.get("/", ctx -> asset(ctx, "index.html", "text/html; charset=utf-8"));
        r.get("/app.js", ctx -> asset(ctx, "app.js", "text/javascript; charset=utf-8"));
        r.get("/app.css", ctx -> asset(ctx, "app.css", "text/css; charset=utf-8"));
        r.get("/favicon.svg", ctx -> asset(ctx, "favicon.svg", "image/svg+xml"));
        r.get("/api/stories", this::stories);
        r.get("/api/stories/{id}", ctx -> send(ctx, found(model.story(ctx.pathParam("id")),
                "story", ctx.pathParam("id"))));
        r.get("/api/articles/{id}", ctx -> send(ctx, found(model.article(ctx.pathParam("id")),
                "article", ctx.pathParam("id"))));
        r.get("/api/feeds", ctx -> send(ctx, Map.of("feeds", model.feeds())));
        r.get("/api/health", this::health);
        r.sse("/api/stream", client -> hub.connect(client, lastEventId(client.ctx())));
        r.get("/metrics", ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8")
                .result(meters.scrape()));
        r.post("/api/admin/feeds", this::addFeed);
        r.delete("/api/admin/feeds", this::removeFeed);
        r.post("/api/admin/feeds/poll", this::pollFeed);
        r.post("/api/admin/subscribers", this::addSubscriber);
        r.delete("/api/admin/subscribers", this::removeSubscriber);
        r.exception(HttpError.class, (e, ctx) -> error(ctx, e.status, e.getMessage(),
                e.parameter));
        r.exception(BadParameter.class, (e, ctx) -> error(ctx, 400, e.getMessage(),
                e.parameter()));
        r.exception(Exception.class, (e, ctx) -> {
            LOG.warn("{} {} failed: {}", ctx.method(), ctx.path(), e.toString(), e);
            error(ctx, 500, "internal error: " + e.getClass().getSimpleName(), null);
        });
    }

    /** Security headers on every answer; the token check of reads when configured. */
    private void headers(Context ctx) {
        ctx.header("Content-Security-Policy", CSP);
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.header("Referrer-Policy", "no-referrer");
        ctx.header("X-Frame-Options", "DENY");
        if (ctx.path().startsWith("/api/") || ctx.path().equals("/metrics")) {
            ctx.header("Cache-Control", "no-store");
            if (ctx.path().startsWith("/api/admin/")) {
                admin(ctx);
            } else if (config.tokenForReads()) {
                checkToken(ctx);
            }
        }
    }

    private void admin(Context ctx) {
        if (config.adminToken() == null) {
            throw new HttpError(403, "admin actions are off: serve.admin-token is not set");
        }
        checkToken(ctx);
    }

    private void checkToken(Context ctx) {
        String given = ctx.header("Authorization");
        byte[] expected = ("Bearer " + config.adminToken()).getBytes(StandardCharsets.UTF_8);
        if (given == null || !MessageDigest.isEqual(expected,
                given.strip().getBytes(StandardCharsets.UTF_8))) {
            ctx.header("WWW-Authenticate", "Bearer");
            throw new HttpError(401, "a valid 'Authorization: Bearer <serve.admin-token>'"
                    + " header is needed");
        }
    }

    private void streamAllowed(Context ctx) {
        lastEventId(ctx); // a bad id is a 400, before the stream starts
        if (hub.size() >= config.maxSseClients()) {
            throw new HttpError(503, "too many event-stream clients (serve.max-sse-clients="
                    + config.maxSseClients() + ")");
        }
    }

    /** The seq to resume after: the Last-Event-ID header, else {@code ?lastEventId=}. */
    private static Long lastEventId(Context ctx) {
        String name = "Last-Event-ID";
        String value = ctx.header(name);
        if (value == null || value.isBlank()) {
            name = "lastEventId";
            value = ctx.queryParam(name);
        }
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Long.parseLong(value.strip());
        } catch (NumberFormatException e) {
            throw new HttpError(400, "parameter " + name + " must be an event id (a whole "
                    + "number), not '" + value + "'", name);
        }
    }

    /**
     * A story-list page, as JSON kept for the same query within one second of the model's
     * clock and one {@link ReadModel#epoch}: clients polling the same list (the page's default
     * query above all) cost one serialization a second, not one each. Its numbers (velocity,
     * trending) are then up to a second old, as the trending order may be anyway.
     */
    private void stories(Context ctx) {
        StoryQuery q = StoryQuery.parse(ctx.queryParamMap());
        long epoch = model.epoch();
        long second = Math.floorDiv(model.clock().millis(), 1000);
        CachedPage page = pages.get(q);
        if (page == null || page.epoch() != epoch || page.second() != second) {
            page = new CachedPage(epoch, second, json(model.stories(q)));
            if (pages.size() >= PAGE_CACHE) {
                pages.clear(); // many distinct queries (searches): start again
            }
            pages.put(q, page);
        }
        ctx.contentType("application/json; charset=utf-8").result(page.json());
    }

    private void health(Context ctx) {
        ReadModel.Stats s = model.stats();
        Map<String, Object> out = new LinkedHashMap<>();
        boolean up = ready.getAsBoolean();
        out.put("status", up ? "ready" : "rebuilding");
        out.put("stories", s.stories());
        out.put("openStories", s.openStories());
        out.put("articles", s.articles());
        out.put("feeds", s.feeds());
        out.put("lastSeq", s.lastSeq());
        out.put("skippedRecords", s.skipped());
        out.put("streamClients", hub.size());
        out.put("historyDays", model.history().toDays());
        ctx.status(up ? 200 : 503);
        send(ctx, out);
    }

    private void addFeed(Context ctx) {
        FeedRegistry feeds = registry();
        String url = ctx.queryParam("url");
        String title = ctx.queryParam("title");
        if (url == null && ctx.body() != null && !ctx.body().isBlank()) {
            JsonNode body;
            try {
                body = json.readTree(ctx.body());
            } catch (JsonProcessingException e) {
                throw new HttpError(400, "the body is not JSON: " + e.getOriginalMessage(),
                        "body");
            }
            url = body.path("url").asText(null);
            title = body.path("title").asText(null);
        }
        FeedSpec feed;
        try {
            feed = new FeedSpec(required(url, "url"), title);
        } catch (IllegalArgumentException e) {
            throw new HttpError(400, "parameter url: " + e.getMessage(), "url");
        }
        boolean changed = feeds.add(feed);
        ctx.status(changed ? 201 : 200);
        send(ctx, Map.of("url", feed.url(), "added", changed));
    }

    private void removeFeed(Context ctx) {
        String url = required(ctx.queryParam("url"), "url");
        if (!registry().remove(url)) {
            throw new HttpError(404, "feed " + url + " is not listed", "url");
        }
        send(ctx, Map.of("url", url, "removed", true));
    }

    private void pollFeed(Context ctx) {
        String url = required(ctx.queryParam("url"), "url");
        if (!registry().pollNow(url)) {
            throw new HttpError(404, "feed " + url + " is not listed", "url");
        }
        ctx.status(202);
        send(ctx, Map.of("url", url, "pollRequested", true));
    }

    /**
     * Adds or replaces a digest subscriber: the body is one subscriber as JSON with the
     * subscribers file's keys, validated as the file is (400 naming the subscriber and key).
     */
    private void addSubscriber(Context ctx) {
        SubscriberRegistry registry = subscriberRegistry();
        JsonNode body;
        try {
            body = json.readTree(ctx.body());
        } catch (JsonProcessingException e) {
            throw new HttpError(400, "the body is not JSON: " + e.getOriginalMessage(), "body");
        }
        if (body == null || !body.isObject()) {
            throw new HttpError(400, "the body must be one subscriber as a JSON object",
                    "body");
        }
        Subscriber s;
        try {
            s = Subscribers.one(body, "request");
        } catch (BadSubscriber e) {
            throw new HttpError(400, e.getMessage(), e.key());
        } catch (IllegalArgumentException e) {
            throw new HttpError(400, e.getMessage(), "body");
        }
        boolean changed = registry.add(s);
        ctx.status(changed ? 201 : 200);
        send(ctx, Map.of("email", s.email(), "added", changed));
    }

    private void removeSubscriber(Context ctx) {
        String email = required(ctx.queryParam("email"), "email");
        if (!subscriberRegistry().remove(email)) {
            throw new HttpError(404, "subscriber " + email + " is not listed", "email");
        }
        send(ctx, Map.of("email", email, "removed", true));
    }

    private SubscriberRegistry subscriberRegistry() {
        if (subscribers == null) {
            throw new HttpError(503, "this server has no subscriber registry");
        }
        return subscribers;
    }

    private FeedRegistry registry() {
        if (registry == null) {
            throw new HttpError(503, "this server has no feed registry");
        }
        return registry;
    }

    private static String required(String value, String name) {
        if (value == null || value.isBlank()) {
            throw new HttpError(400, "parameter " + name + " is missing", name);
        }
        return value.strip();
    }

    private static <T> T found(T value, String what, String id) {
        if (value == null) {
            throw new HttpError(404, "no " + what + " " + id + " in the read model");
        }
        return value;
    }

    private void send(Context ctx, Object body) {
        ctx.contentType("application/json; charset=utf-8").result(json(body));
    }

    private byte[] json(Object body) {
        try {
            return json.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON", e);
        }
    }

    private void error(Context ctx, int status, String message, String parameter) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", message);
        if (parameter != null) {
            body.put("parameter", parameter);
        }
        ctx.status(status);
        send(ctx, body);
    }

    private void asset(Context ctx, String name, String type) {
        ctx.contentType(type).result(assets.get(name));
    }

    private static byte[] asset(String name) {
        try (InputStream in = WebServer.class.getResourceAsStream("/web/" + name)) {
            if (in == null) {
                throw new IllegalStateException("the jar lacks web/" + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read web/" + name, e);
        }
    }

    private void bindMetrics() {
        Gauge.builder("storyline.sse.clients", hub, SseHub::size)
                .description("Clients of /api/stream").register(meters);
        Gauge.builder("storyline.stories.open", model, m -> m.stats().openStories())
                .description("Open stories in the read model").register(meters);
        Gauge.builder("storyline.view.articles", model, m -> m.stats().articles())
                .description("Articles in the read model").register(meters);
        FunctionCounter.builder("storyline.articles.in", model, m -> m.stats().assignments())
                .description("Assignments applied to the read model").register(meters);
        FunctionCounter.builder("storyline.copies", model, m -> m.stats().copies())
                .description("Copies among them").register(meters);
    }

    @Override
    public void close() {
        hub.close();
        if (app != null) {
            app.stop();
        }
    }
}
