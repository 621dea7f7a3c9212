package io.storyline.ingest;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.GZIPOutputStream;

/**
 * An HTTP server on 127.0.0.1 that serves feeds behaving like the ones found in the wild (good,
 * changing, slow, huge, broken, hostile) and synthetic feeds for load tests. Routes are exact
 * paths; tests add their own with {@link #route}. A fixed pool of threads serves requests, so
 * one slow body does not hold up the others.
 */
public final class FixtureServer implements AutoCloseable {

    /** RSS 2.0 with three entries. */
    public static final String FEED = "/feed.xml";
    /** Atom 1.0 with two entries. */
    public static final String ATOM = "/atom.xml";
    /** RSS 1.0 (RDF) with two entries. */
    public static final String RSS10 = "/rss10.xml";
    /** One entry more on every request: n entries on the n-th request. */
    public static final String GROWING = "/growing.xml";
    /** A fixed body with an honest ETag and Last-Modified: 304 when either matches. */
    public static final String ETAG = "/etag.xml";
    /** A fixed body with a fresh ETag on every response (and no 304). */
    public static final String FRESH_ETAG = "/fresh-etag.xml";
    /** 429 with {@code Retry-After: 120}. */
    public static final String TOO_MANY_REQUESTS = "/429.xml";
    /** 503 with a Retry-After HTTP-date {@link #RETRY_DATE_SECONDS} after the request. */
    public static final String UNAVAILABLE = "/503.xml";
    public static final int RETRY_DATE_SECONDS = 300;
    /** 500. */
    public static final String SERVER_ERROR = "/500.xml";
    /** 404. */
    public static final String NOT_FOUND = "/missing.xml";
    /** /loop/a redirects to /loop/b, which redirects back. */
    public static final String LOOP = "/loop/a";
    /** Three redirects (301 relative, 302 absolute path, 307 absolute URL), then {@link #FEED}. */
    public static final String CHAIN = "/chain/1";
    /** Sends a few bytes every 250 ms for 10 s. */
    public static final String SLOW = "/slow.xml";
    /** 2 MiB in chunks, no Content-Length. */
    public static final String HUGE = "/huge.xml";
    /** 2 MiB with its Content-Length declared. */
    public static final String HUGE_DECLARED = "/huge-declared.xml";
    public static final int HUGE_BYTES = 2 * 1024 * 1024;
    /** XML that is not well-formed. */
    public static final String MALFORMED = "/malformed.xml";
    /** An HTML page where a feed was expected. */
    public static final String HTML = "/page.html";
    /** Latin-1 bytes, no XML declaration, no charset in Content-Type. */
    public static final String LATIN1 = "/latin1.xml";
    /** RSS 0.91 with the Netscape DOCTYPE. */
    public static final String RSS091 = "/rss091.xml";
    /**
     * External entities pointing at {@link #secretFile} and at {@link #XXE_PROBE}: neither may
     * be read.
     */
    public static final String XXE = "/xxe.xml";
    /** Hit only if a parser resolves the external entity or DTD of {@link #XXE}. */
    public static final String XXE_PROBE = "/xxe-probe";
    /** {@link #FEED} gzip-encoded. */
    public static final String GZIP = "/gzip.xml";
    /** A feed whose entries have short summaries and link to {@link #ARTICLES} pages. */
    public static final String WITH_PAGES = "/with-pages.xml";
    /** Article pages: {@code ARTICLES + name} serves {@code ingest/pages/name}. */
    public static final String ARTICLES = "/articles/";
    /** Synthetic feeds: {@code /synthetic/FEED/ENTRIES.xml}. */
    public static final String SYNTHETIC = "/synthetic/";

    private static final DateTimeFormatter HTTP_DATE =
            DateTimeFormatter.RFC_1123_DATE_TIME.withZone(ZoneOffset.UTC);
    private static final String LAST_MODIFIED = "Sat, 01 Nov 2025 10:00:00 GMT";
    private static final Instant SYNTHETIC_EPOCH = Instant.parse("2025-11-01T00:00:00Z");

    /** Answers one request. */
    @FunctionalInterface
    public interface Route {
        Response handle(Request request) throws IOException;
    }

    /**
     * A request as a route sees it.
     *
     * @param headers case-insensitive
     * @param hit     1 for the first request to this path, 2 for the second...
     */
    public record Request(String method, String path, String query,
            Map<String, List<String>> headers, int hit) {
        public String header(String name) {
            List<String> values = headers.get(name);
            return values == null || values.isEmpty() ? null : values.get(0);
        }
    }

    /** Writes a body as it is sent, for bodies too large or too slow to hold. */
    @FunctionalInterface
    public interface BodyStream {
        void write(OutputStream out) throws IOException, InterruptedException;
    }

    /**
     * A response. A positive {@code trickle} sends the body {@link #TRICKLE_BYTES} at a time
     * with that pause between; {@code chunked} leaves out the Content-Length
     * ({@link #withoutLength}). A {@code stream} writes the body instead of {@code body}:
     * {@code streamLength} bytes, or chunked when it is negative.
     */
    public record Response(int status, Map<String, String> headers, byte[] body,
            Duration trickle, boolean chunked, BodyStream stream, long streamLength) {
        public static final int TRICKLE_BYTES = 8;

        public Response {
            headers = Collections.unmodifiableMap(new LinkedHashMap<>(headers));
            body = body == null ? new byte[0] : body;
            trickle = trickle == null ? Duration.ZERO : trickle;
        }

        public Response(int status, Map<String, String> headers, byte[] body, Duration trickle,
                boolean chunked) {
            this(status, headers, body, trickle, chunked, null, -1);
        }

        /** A 200 whose body {@code stream} writes: {@code length} bytes, or chunked if < 0. */
        public static Response streamed(String contentType, long length, BodyStream stream) {
            return new Response(200, Map.of("Content-Type", contentType), null, null,
                    length < 0, stream, length);
        }

        public static Response ok(String contentType, byte[] body) {
            return new Response(200, Map.of("Content-Type", contentType), body, null, false);
        }

        public static Response xml(String body) {
            return ok("application/rss+xml; charset=utf-8", body.getBytes(StandardCharsets.UTF_8));
        }

        public static Response status(int status) {
            return new Response(status, Map.of(), null, null, false);
        }

        public static Response redirect(int status, String location) {
            return status(status).header("Location", location);
        }

        public Response header(String name, String value) {
            Map<String, String> h = new LinkedHashMap<>(headers);
            h.put(name, value);
            return new Response(status, h, body, trickle, chunked, stream, streamLength);
        }

        public Response trickled(Duration pause) {
            return new Response(status, headers, body, pause, true, stream, streamLength);
        }

        public Response withoutLength() {
            return new Response(status, headers, body, trickle, true, stream, streamLength);
        }
    }

    /**
     * An RSS 2.0 item for {@link #rss}; null fields are left out.
     *
     * @param pubDate an RFC 822 date as feeds write it
     */
    public record Item(String guid, String title, String link, String description,
            String pubDate) {
    }

    private final HttpServer server;
    private final ExecutorService threads;
    private final Map<String, Route> routes = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> hits = new ConcurrentHashMap<>();
    private final Map<String, Request> lastRequests = new ConcurrentHashMap<>();
    private final Map<String, List<Request>> requests = new ConcurrentHashMap<>();
    private final AtomicInteger freshTags = new AtomicInteger();
    private volatile int syntheticEpoch;

    private FixtureServer(int threadCount) throws IOException {
        threads = Executors.newFixedThreadPool(threadCount, r -> {
            Thread t = new Thread(r, "fixture-server");
            t.setDaemon(true);
            return t;
        });
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(threads);
        server.createContext("/", this::serve);
        addFixtures();
        server.start();
    }

    /** A server with the built-in fixtures and 16 threads. */
    public static FixtureServer start() {
        return start(16);
    }

    public static FixtureServer start(int threadCount) {
        try {
            return new FixtureServer(threadCount);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the fixture server", e);
        }
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** {@code http://127.0.0.1:PORT} + path. */
    public String url(String path) {
        return "http://127.0.0.1:" + port() + path;
    }

    /** Adds or replaces the route for an exact path. */
    public void route(String path, Route route) {
        routes.put(path, Objects.requireNonNull(route, "route"));
    }

    /** Requests received for {@code path} so far. */
    public int hits(String path) {
        AtomicInteger n = hits.get(path);
        return n == null ? 0 : n.get();
    }

    /** The latest request for {@code path}, or null. */
    public Request lastRequest(String path) {
        return lastRequests.get(path);
    }

    /** Every request for {@code path} so far, oldest first (a copy). */
    public List<Request> requests(String path) {
        List<Request> list = requests.get(path);
        if (list == null) {
            return List.of();
        }
        synchronized (list) {
            return List.copyOf(list);
        }
    }

    /** Waits until {@code path} has had {@code n} requests; false if it has not in time. */
    public boolean awaitHits(String path, int n, Duration timeout) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (hits(path) < n) {
            if (System.nanoTime() > end) {
                return false;
            }
            Thread.sleep(5);
        }
        return true;
    }

    /** The file the {@link #XXE} feed tries to include; its content must never show up. */
    public static Path secretFile() {
        try {
            return Path.of(FixtureServer.class.getResource("/ingest/feeds/secret.txt").toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The URL of synthetic feed number {@code feed} with {@code entries} entries. */
    public String syntheticFeed(int feed, int entries) {
        return url(SYNTHETIC + feed + "/" + entries + ".xml");
    }

    /** URLs of {@code feeds} synthetic feeds with {@code entries} entries each. */
    public List<String> syntheticFeeds(int feeds, int entries) {
        List<String> urls = new ArrayList<>(feeds);
        for (int f = 0; f < feeds; f++) {
            urls.add(syntheticFeed(f, entries));
        }
        return urls;
    }

    /** Every synthetic feed gains one newer entry (its oldest drops out) and a new ETag. */
    public void advanceSynthetic() {
        syntheticEpoch++;
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
        try {
            threads.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Reads a fixture from {@code src/test/resources/ingest/}. */
    public static byte[] resource(String name) {
        try (InputStream in = FixtureServer.class.getResourceAsStream("/ingest/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no fixture ingest/" + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read fixture ingest/" + name, e);
        }
    }

    public static String resourceText(String name) {
        return new String(resource(name), StandardCharsets.UTF_8);
    }

    /** An RSS 2.0 document with the given items, newest first as feeds list them. */
    public static String rss(String title, String language, List<Item> items) {
        StringBuilder out = new StringBuilder(256 + items.size() * 256);
        out.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<rss version=\"2.0\"><channel>")
                .append("<title>").append(escape(title)).append("</title>")
                .append("<link>https://example.com/</link><description>fixture</description>");
        if (language != null) {
            out.append("<language>").append(language).append("</language>");
        }
        for (Item item : items) {
            out.append("\n<item>");
            element(out, "guid", item.guid());
            element(out, "title", item.title());
            element(out, "link", item.link());
            element(out, "description", item.description());
            element(out, "pubDate", item.pubDate());
            out.append("</item>");
        }
        return out.append("\n</channel></rss>\n").toString();
    }

    private static void element(StringBuilder out, String name, String value) {
        if (value != null) {
            out.append('<').append(name).append('>').append(escape(value))
                    .append("</").append(name).append('>');
        }
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    private void addFixtures() {
        route(FEED, r -> Response.xml(resourceText("feeds/rss2.xml")));
        route(ATOM, r -> Response.ok("application/atom+xml", resource("feeds/atom.xml")));
        route(RSS10, r -> Response.ok("application/rdf+xml", resource("feeds/rss10.xml")));
        route(GROWING, r -> Response.xml(growing(r.hit())));
        route(ETAG, this::honestValidators);
        route(FRESH_ETAG, r -> Response.xml(resourceText("feeds/rss2.xml"))
                .header("ETag", "\"fresh-" + freshTags.incrementAndGet() + "\""));
        route(TOO_MANY_REQUESTS, r -> Response.status(429).header("Retry-After", "120"));
        route(UNAVAILABLE, r -> Response.status(503).header("Retry-After",
                HTTP_DATE.format(Instant.now().plusSeconds(RETRY_DATE_SECONDS))));
        route(SERVER_ERROR, r -> Response.status(500));
        route(NOT_FOUND, r -> Response.status(404));
        route("/loop/a", r -> Response.redirect(302, "/loop/b"));
        route("/loop/b", r -> Response.redirect(302, url("/loop/a")));
        route("/chain/1", r -> Response.redirect(301, "2"));
        route("/chain/2", r -> Response.redirect(302, "/chain/3"));
        route("/chain/3", r -> Response.redirect(307, url(FEED)));
        route(SLOW, r -> Response.xml(resourceText("feeds/rss2.xml").substring(0, 320))
                .trickled(Duration.ofMillis(250)));
        route(HUGE, r -> Response.xml(padding(HUGE_BYTES)).withoutLength());
        route(HUGE_DECLARED, r -> Response.xml(padding(HUGE_BYTES)));
        route(MALFORMED, r -> Response.ok("text/xml", resource("feeds/malformed.xml")));
        route(HTML, r -> Response.ok("text/html; charset=utf-8", resource("feeds/page.html")));
        route(LATIN1, r -> Response.ok("text/xml", resource("feeds/latin1.xml")));
        route(RSS091, r -> Response.ok("text/xml", resource("feeds/rss091.xml")));
        route(XXE, r -> Response.ok("text/xml", xxe(url(XXE_PROBE))
                .getBytes(StandardCharsets.UTF_8)));
        route(XXE_PROBE, r -> Response.ok("text/plain", "PROBE-REACHED".getBytes(
                StandardCharsets.UTF_8)));
        route(GZIP, r -> Response.ok("application/rss+xml", gzip(resource("feeds/rss2.xml")))
                .header("Content-Encoding", "gzip"));
        route(WITH_PAGES, r -> Response.xml(withPages()));
    }

    /** The {@link #XXE} document, its external entities aimed at the secret file and a URL. */
    public static String xxe(String probeUrl) {
        return resourceText("feeds/xxe.xml")
                .replace("@SECRET_URL@", secretFile().toUri().toString())
                .replace("@PROBE_URL@", probeUrl);
    }

    private Response honestValidators(Request r) {
        String etag = "\"v1\"";
        String inm = r.header("If-None-Match");
        String ims = r.header("If-Modified-Since");
        if (etag.equals(inm) || (inm == null && LAST_MODIFIED.equals(ims))) {
            return Response.status(304).header("ETag", etag);
        }
        return Response.xml(resourceText("feeds/rss2.xml")).header("ETag", etag)
                .header("Last-Modified", LAST_MODIFIED);
    }

    private static String growing(int entries) {
        List<Item> items = new ArrayList<>();
        for (int i = entries; i >= 1; i--) {
            items.add(new Item("growing-" + i, "Growing story " + i,
                    "https://example.com/growing/" + i, "Entry number " + i + " of the feed.",
                    rfc822(SYNTHETIC_EPOCH.plusSeconds(3600L * i))));
        }
        return rss("Growing", "en", items);
    }

    private String withPages() {
        List<Item> items = List.of(
                new Item(null, "Harbour bridge reopens after two years of repairs",
                        url(ARTICLES + "en-news.html"), "The bridge reopened on Monday.",
                        "Mon, 03 Nov 2025 08:00:00 GMT"),
                new Item(null, "La réforme des retraites devant le Conseil",
                        url(ARTICLES + "fr-news.html"), "Le texte arrive au Conseil.",
                        "Mon, 03 Nov 2025 09:00:00 GMT"));
        return rss("With pages", "en", items);
    }

    private Response synthetic(Request request) {
        String path = request.path();
        String[] parts = path.substring(SYNTHETIC.length()).replace(".xml", "").split("/");
        if (parts.length != 2) {
            return Response.status(404);
        }
        int feed;
        int entries;
        try {
            feed = Integer.parseInt(parts[0]);
            entries = Integer.parseInt(parts[1]);
        } catch (NumberFormatException e) {
            return Response.status(404);
        }
        int epoch = syntheticEpoch;
        String etag = "\"s" + feed + "-" + entries + "-" + epoch + "\"";
        if (etag.equals(request.header("If-None-Match"))) {
            return Response.status(304).header("ETag", etag);
        }
        return new Response(200, Map.of("Content-Type", "application/rss+xml", "ETag", etag),
                syntheticBody(feed, entries, epoch), null, false);
    }

    private static byte[] syntheticBody(int feed, int entries, int epoch) {
        List<Item> items = new ArrayList<>(entries);
        for (int e = epoch + entries - 1; e >= epoch; e--) {
            items.add(new Item("urn:synthetic:" + feed + ":" + e,
                    "Synthetic story " + e + " of feed " + feed,
                    "https://feed" + feed + ".example.com/story/" + e,
                    "Story " + e + " reports on event " + (e * 31 + feed) % 997
                            + ", with details, quotes, and figures.",
                    rfc822(SYNTHETIC_EPOCH.plusSeconds(600L * e))));
        }
        return rss("Synthetic feed " + feed, "en", items).getBytes(StandardCharsets.UTF_8);
    }

    private static String rfc822(Instant t) {
        return HTTP_DATE.format(t);
    }

    private static String padding(int bytes) {
        StringBuilder out = new StringBuilder(bytes);
        out.append("<?xml version=\"1.0\"?><rss version=\"2.0\"><channel>");
        while (out.length() < bytes) {
            out.append("<!-- padding padding padding padding padding padding -->\n");
        }
        return out.toString();
    }

    static byte[] gzip(byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private void serve(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            int hit = hits.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
            Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            headers.putAll(exchange.getRequestHeaders());
            Request request = new Request(exchange.getRequestMethod(), path,
                    exchange.getRequestURI().getRawQuery(), headers, hit);
            lastRequests.put(path, request);
            List<Request> all = requests.computeIfAbsent(path, p -> new ArrayList<>());
            synchronized (all) {
                all.add(request);
            }
            Route route = routes.get(path);
            Response response = route != null ? route.handle(request)
                    : path.startsWith(SYNTHETIC) ? synthetic(request)
                    : path.startsWith(ARTICLES) ? article(path)
                    : Response.status(404);
            send(exchange, response);
        } catch (IOException e) {
            // The client went away (timeout, size limit): expected in these tests.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static Response article(String path) {
        String name = path.substring(ARTICLES.length());
        if (name.contains("/") || name.contains("..")
                || FixtureServer.class.getResource("/ingest/pages/" + name) == null) {
            return Response.status(404);
        }
        return Response.ok("text/html; charset=utf-8", resource("pages/" + name));
    }

    private static void send(HttpExchange exchange, Response response)
            throws IOException, InterruptedException {
        response.headers().forEach((k, v) -> exchange.getResponseHeaders().set(k, v));
        byte[] body = response.body();
        boolean noBody = response.status() == 304 || response.status() == 204
                || exchange.getRequestMethod().equals("HEAD");
        if (noBody) {
            exchange.sendResponseHeaders(response.status(), -1);
            return;
        }
        if (response.stream() != null) {
            exchange.sendResponseHeaders(response.status(), Math.max(0,
                    response.streamLength()));
            try (OutputStream out = exchange.getResponseBody()) {
                response.stream().write(out);
            }
            return;
        }
        exchange.sendResponseHeaders(response.status(), response.chunked() ? 0
                : body.length == 0 ? -1 : body.length);
        OutputStream out = exchange.getResponseBody();
        if (response.trickle().isZero()) {
            for (int at = 0; at < body.length; at += 65_536) {
                out.write(body, at, Math.min(65_536, body.length - at));
            }
        } else {
            for (int at = 0; at < body.length; at += Response.TRICKLE_BYTES) {
                out.write(body, at, Math.min(Response.TRICKLE_BYTES, body.length - at));
                out.flush();
                Thread.sleep(response.trickle().toMillis());
            }
        }
        out.close();
    }
}
