package io.storyline.ingest;

import io.storyline.ingest.FixtureServer.Response;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

/**
 * The hostile feed corpus of {@code src/test/resources/ingest/hostile/}: reads its manifest
 * ({@code fixtures.tsv}) and serves every fixture on 127.0.0.1, from its file or from a
 * generator for the ones too large, slow or endless to commit, plus a raw socket server for
 * what an HTTP server cannot do (resets, truncated and non-HTTP answers, a failed TLS
 * handshake).
 */
public final class HostileCorpus implements AutoCloseable {

    /** Fixtures are served at {@code /h/NAME}. */
    public static final String PREFIX = "/h/";
    /** Hit only if a parser resolves an external entity or DTD of the XXE fixtures. */
    public static final String PROBE = PREFIX + "probe";
    /** A host that resolves nowhere (RFC 6761). */
    public static final String INVALID_HOST = "storyline-hostile.invalid";

    private static final String MANIFEST = "hostile/fixtures.tsv";
    private static final int MB = 1024 * 1024;
    private static final DateTimeFormatter HTTP_DATE =
            DateTimeFormatter.RFC_1123_DATE_TIME.withZone(ZoneOffset.UTC);

    /**
     * One line of the manifest.
     *
     * @param kind   {@code valid} (one of the good feeds), {@code hostile}, or {@code fixture}
     *               (served but not a feed of its own: a redirect's target)
     * @param serve  how it is served (see the README's testing section)
     * @param expect the expected outcome, clauses joined by "; " ({@code -} for none)
     * @param line   its line in the manifest, for error messages
     */
    public record Fixture(String name, String kind, String serve, String expect, String note,
            int line) {

        /** Whether the ingestor is given it as a feed. */
        public boolean isFeed() {
            return !kind.equals("fixture");
        }

        public List<String> clauses() {
            return expect.equals("-") ? List.of() : Arrays.stream(expect.split(";\\s*"))
                    .map(String::strip).toList();
        }
    }

    private final FixtureServer server;
    private final List<Fixture> fixtures;
    private final Map<String, String> urls = new ConcurrentHashMap<>();
    private final ServerSocket raw;
    private final ExecutorService rawThreads;
    private final int refusedPort;
    private final long readTimeoutMs;
    private byte[] deepNesting;
    private byte[] hugeTitle;
    private byte[] manyEntries;
    private byte[] gzipBomb;

    private HostileCorpus(FixtureServer server, long readTimeoutMs) throws IOException {
        this.server = server;
        this.readTimeoutMs = readTimeoutMs;
        this.fixtures = load();
        this.raw = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.rawThreads = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "hostile-raw");
            t.setDaemon(true);
            return t;
        });
        try (ServerSocket closed = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            this.refusedPort = closed.getLocalPort(); // nothing listens there once closed
        }
        rawThreads.execute(this::acceptRaw);
        server.route(PROBE, r -> Response.ok("text/plain", bytes("PROBE-REACHED")));
        for (Fixture f : fixtures) {
            serve(f);
        }
    }

    /**
     * Serves every fixture of the manifest on {@code server}; a fixture that hangs holds its
     * request about twice {@code readTimeoutMs}.
     */
    public static HostileCorpus serve(FixtureServer server, long readTimeoutMs) {
        try {
            return new HostileCorpus(server, readTimeoutMs);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot serve the hostile corpus", e);
        }
    }

    public List<Fixture> fixtures() {
        return fixtures;
    }

    /** The URL a fixture is fetched at. */
    public String url(Fixture f) {
        return urls.get(f.name());
    }

    /** The fixture server's URL of a path under {@link #PREFIX} ({@code /name}). */
    public String url(String path) {
        return server.url(PREFIX + path.substring(1));
    }

    /** Requests the fixture server had for a path under {@link #PREFIX} ({@code /name}). */
    public int hits(String path) {
        return server.hits(PREFIX + path.substring(1));
    }

    /** The text the XXE fixtures try to read from a local file. */
    public static String secret() {
        try {
            return Files.readString(FixtureServer.secretFile()).strip();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        try {
            raw.close();
        } catch (IOException e) {
            // closing anyway
        }
        rawThreads.shutdownNow();
    }

    /** Reads the manifest; a malformed line fails naming the file and the line. */
    static List<Fixture> load() {
        String text = new String(FixtureServer.resource(MANIFEST), StandardCharsets.UTF_8);
        List<Fixture> out = new ArrayList<>();
        String[] lines = text.split("\n");
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            if (line.isBlank() || line.startsWith("#") || line.startsWith("name\t")) {
                continue;
            }
            String[] c = line.split("\t", -1);
            if (c.length != 5 || !List.of("valid", "hostile", "fixture").contains(c[1])) {
                throw new IllegalArgumentException(MANIFEST + " line " + (i + 1)
                        + ": expected name, valid|hostile|fixture, serve, expect, note: "
                        + line);
            }
            out.add(new Fixture(c[0], c[1], c[2], c[3], c[4], i + 1));
        }
        return List.copyOf(out);
    }

    private void serve(Fixture f) {
        String path = PREFIX + f.name();
        String[] t = f.serve().split(" ");
        urls.put(f.name(), server.url(path));
        switch (t[0]) {
            case "file" -> {
                Response r = file(f, t[1], options(t, 2));
                server.route(path, q -> r);
            }
            case "status" -> {
                Response r = headers(Response.status(Integer.parseInt(t[1])), options(t, 2));
                server.route(path, q -> r);
            }
            case "redirect" -> {
                Response r = Response.status(Integer.parseInt(t[1]));
                server.route(path, q -> t[2].equals("-") ? r : r.header("Location",
                        t[2].startsWith("/") ? url(t[2]) : t[2]));
            }
            case "flaky" -> {
                Response ok = file(f, t[3], List.of("ct=application/rss+xml"));
                int failures = Integer.parseInt(t[2]);
                server.route(path, q -> q.hit() <= failures
                        ? Response.status(Integer.parseInt(t[1])) : ok);
            }
            case "gen" -> server.route(path, generator(f, t[1]));
            case "raw" -> urls.put(f.name(), "http://127.0.0.1:" + raw.getLocalPort() + "/"
                    + t[1]);
            case "tls" -> urls.put(f.name(), "https://127.0.0.1:" + raw.getLocalPort()
                    + "/feed.xml");
            case "dns" -> urls.put(f.name(), "http://" + INVALID_HOST + "/feed.xml");
            case "refused" -> urls.put(f.name(), "http://127.0.0.1:" + refusedPort
                    + "/feed.xml");
            default -> throw bad(f, "unknown way to serve: " + t[0]);
        }
    }

    private static List<String> options(String[] tokens, int from) {
        return List.of(tokens).subList(from, tokens.length);
    }

    /** A file of the corpus (or of {@code ingest/}), with {@code ct=}, {@code h=} options. */
    private Response file(Fixture f, String name, List<String> options) {
        String resource = Path.of("hostile", name).normalize().toString().replace('\\', '/');
        byte[] body = FixtureServer.resource(resource);
        String text = new String(body, StandardCharsets.ISO_8859_1);
        if (text.contains("@SECRET_URL@") || text.contains("@PROBE_URL@")) {
            body = text.replace("@SECRET_URL@", FixtureServer.secretFile().toUri().toString())
                    .replace("@PROBE_URL@", server.url(PROBE))
                    .getBytes(StandardCharsets.ISO_8859_1);
        }
        String type = "text/xml";
        for (String o : options) {
            if (o.startsWith("ct=")) {
                type = o.substring(3);
            } else if (o.equals("gzip")) {
                body = FixtureServer.gzip(body);
            } else if (!o.startsWith("h=")) {
                throw bad(f, "unknown option " + o);
            }
        }
        Response r = Response.ok(type, body);
        if (options.contains("gzip")) {
            r = r.header("Content-Encoding", "gzip");
        }
        return headers(r, options);
    }

    private static Response headers(Response r, List<String> options) {
        for (String o : options) {
            if (o.startsWith("h=")) {
                int colon = o.indexOf(':');
                r = r.header(o.substring(2, colon), o.substring(colon + 1));
            }
        }
        return r;
    }

    private FixtureServer.Route generator(Fixture f, String name) {
        String xml = "application/rss+xml";
        return switch (name) {
            case "empty" -> r -> Response.ok(xml, new byte[0]);
            case "deep-nesting" -> r -> Response.ok(xml, deepNesting());
            case "title-1mb" -> r -> Response.ok(xml, hugeTitle());
            case "entries-100000" -> r -> Response.ok(xml, manyEntries());
            case "gzip-bomb" -> r -> Response.ok(xml, gzipBomb())
                    .header("Content-Encoding", "gzip");
            case "body-50mb-declared" -> r -> Response.streamed(xml, 50L * MB,
                    out -> padding(out, 50L * MB));
            case "body-50mb-chunked" -> r -> Response.streamed(xml, -1,
                    out -> padding(out, 50L * MB));
            case "endless" -> r -> Response.streamed(xml, -1,
                    out -> padding(out, Long.MAX_VALUE));
            case "slowloris" -> r -> Response.streamed(xml, -1, HostileCorpus::slowloris);
            case "hang" -> r -> {
                try {
                    Thread.sleep(2 * readTimeoutMs);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return Response.status(200);
            };
            case "retry-date" -> r -> Response.status(503).header("Retry-After",
                    HTTP_DATE.format(Instant.now().plusSeconds(300)));
            default -> throw bad(f, "unknown generator " + name);
        };
    }

    private static IllegalArgumentException bad(Fixture f, String why) {
        return new IllegalArgumentException(MANIFEST + " line " + f.line() + " (" + f.name()
                + "): " + why);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String rss(String items) {
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<rss version=\"2.0\"><channel>"
                + "<title>Generated</title><link>https://hostile.example.com/</link>"
                + "<description>generated</description>\n" + items + "</channel></rss>\n";
    }

    private synchronized byte[] deepNesting() {
        if (deepNesting == null) {
            deepNesting = bytes(rss("<item><guid>deep</guid><title>Deep</title><description>"
                    + "<b>".repeat(100_000) + "</b>".repeat(100_000)
                    + "</description></item>\n"));
        }
        return deepNesting;
    }

    private synchronized byte[] hugeTitle() {
        if (hugeTitle == null) {
            hugeTitle = bytes(rss("<item><guid>huge-title</guid><title>"
                    + "headline ".repeat(MB / 9 + 1) + "</title>"
                    + "<link>https://hostile.example.com/huge-title</link></item>\n"));
        }
        return hugeTitle;
    }

    private synchronized byte[] manyEntries() {
        if (manyEntries == null) {
            // About 6.5 MB: under the default ingest.max-body.bytes, so it reaches the parser.
            StringBuilder items = new StringBuilder(100_000 * 70);
            for (int i = 0; i < 100_000; i++) {
                items.append("<item><guid>many-").append(i).append("</guid><title>Entry ")
                        .append(i).append("</title></item>\n");
            }
            manyEntries = bytes(rss(items.toString()));
        }
        return manyEntries;
    }

    /** 512 MiB of zeros, gzipped: about 500 KB. */
    private synchronized byte[] gzipBomb() {
        if (gzipBomb == null) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] zeros = new byte[MB];
            try (GZIPOutputStream gz = new GZIPOutputStream(out, 65_536) {
                {
                    def.setLevel(Deflater.BEST_COMPRESSION);
                }
            }) {
                for (int i = 0; i < 512; i++) {
                    gz.write(zeros);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            gzipBomb = out.toByteArray();
        }
        return gzipBomb;
    }

    private static void padding(OutputStream out, long total) throws IOException {
        byte[] chunk = bytes("<!-- padding padding padding padding padding padding -->\n"
                .repeat(1200));
        out.write(bytes("<?xml version=\"1.0\"?><rss version=\"2.0\"><channel>"));
        for (long sent = 0; sent < total && !Thread.currentThread().isInterrupted(); ) {
            int n = (int) Math.min(chunk.length, total - sent);
            out.write(chunk, 0, n);
            sent += n;
        }
    }

    /** One byte a second, for ten minutes at most (the client leaves long before). */
    private static void slowloris(OutputStream out) throws IOException, InterruptedException {
        byte[] doc = bytes(rss("<item><guid>slow</guid><title>Slow</title></item>"));
        for (int i = 0; i < 600; i++) {
            out.write(doc[i % doc.length]);
            out.flush();
            Thread.sleep(1000);
        }
    }

    private void acceptRaw() {
        while (!raw.isClosed()) {
            try {
                Socket s = raw.accept();
                rawThreads.execute(() -> answerRaw(s));
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    /** Reads the request head, then misbehaves as its path says. */
    private static void answerRaw(Socket s) {
        try (s) {
            s.setSoTimeout(5000);
            InputStream in = s.getInputStream();
            OutputStream out = s.getOutputStream();
            int first = in.read();
            if (first == 0x16) {
                // A TLS ClientHello on a plain port: answer in plain HTTP.
                out.write(bytes("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n"));
                return;
            }
            String head = (char) first + readHead(in);
            String path = head.split(" ", 3).length > 1 ? head.split(" ", 3)[1] : "";
            switch (path) {
                case "/reset" -> s.setSoLinger(true, 0); // close() now sends a RST
                case "/eof" -> out.write(bytes("HTTP/1.1 200 OK\r\nContent-Type: text/xml\r\n"
                        + "Content-Length: 5000\r\n\r\n" + "<?xml version=\"1.0\"?><rss "
                        + "version=\"2.0\"><channel><title>Cut short</title><item><title>"));
                default -> out.write(bytes("SSH-2.0-OpenSSH_9.2\r\n\u0000\u0001\u0002 this is "
                        + "not HTTP\r\n\r\n"));
            }
            out.flush();
        } catch (SocketTimeoutException e) {
            // a client that sent no request: nothing to answer
        } catch (IOException e) {
            // the client left
        }
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int b;
        while (head.size() < 8192 && (b = in.read()) >= 0) {
            head.write(b);
            String h = head.toString(StandardCharsets.ISO_8859_1);
            if (h.endsWith("\r\n\r\n")) {
                break;
            }
        }
        return head.toString(StandardCharsets.ISO_8859_1);
    }
}
