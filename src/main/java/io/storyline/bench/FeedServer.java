package io.storyline.bench;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * Serves {@code feeds} synthetic RSS 2.0 feeds on 127.0.0.1 at {@code /feeds/{i}.xml}, each
 * listing its latest {@code entries} entries (see {@link SyntheticFeeds}), with validators
 * that change exactly when the feed does: a conditional GET of an unchanged feed gets a 304
 * and costs neither side a body. {@link #publish} adds entries, so a load run can have a
 * trickle of news while most polls find nothing new.
 */
public final class FeedServer implements AutoCloseable {

    private static final String PREFIX = "/feeds/";
    private static final String SUFFIX = ".xml";

    private final int entries;
    private final SyntheticFeeds feeds = new SyntheticFeeds();
    /** Entries published so far per feed; the feed lists the latest {@link #entries}. */
    private final AtomicIntegerArray published;
    private final HttpServer server;
    private final ExecutorService threads;
    private final LongAdder requests = new LongAdder();
    private final LongAdder ok = new LongAdder();
    private final LongAdder notModified = new LongAdder();
    private final LongAdder added = new LongAdder();
    private int cursor;
    /**
     * With {@link #startTimed}: per feed, a ring of the latest {@link #TIMED} entries added,
     * their numbers and when they were added (epoch µs); null otherwise.
     */
    private final int[] timedNumber;
    private final long[] timedMicros;

    /** Entries per feed whose publish time {@link #startTimed} keeps. */
    static final int TIMED = 1024;

    private FeedServer(int feedCount, int entries, int threadCount, boolean timed)
            throws IOException {
        this.entries = entries;
        this.timedNumber = timed ? new int[feedCount * TIMED] : null;
        this.timedMicros = timed ? new long[feedCount * TIMED] : null;
        if (timed) {
            java.util.Arrays.fill(timedNumber, -1);
        }
        this.published = new AtomicIntegerArray(feedCount);
        for (int f = 0; f < feedCount; f++) {
            published.set(f, entries);
        }
        threads = Executors.newFixedThreadPool(threadCount, r -> {
            Thread t = new Thread(r, "bench-feed-server");
            t.setDaemon(true);
            return t;
        });
        // A backlog as deep as a burst of polls, so connects are not refused under load.
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                1024);
        server.setExecutor(threads);
        server.createContext(PREFIX, this::serve);
        server.start();
    }

    /**
     * Starts serving {@code feeds} feeds of {@code entries} entries on a free port, with
     * {@code threads} threads writing responses.
     */
    public static FeedServer start(int feeds, int entries, int threads) {
        return start(feeds, entries, threads, false);
    }

    /**
     * As {@link #start}, and keeps when each entry was added (the latest {@link #TIMED} per
     * feed), so that a soak can time an entry from its publication ({@link #publishedMicros}).
     */
    static FeedServer startTimed(int feeds, int entries, int threads) {
        return start(feeds, entries, threads, true);
    }

    private static FeedServer start(int feeds, int entries, int threads, boolean timed) {
        if (feeds < 1 || entries < 1 || threads < 1) {
            throw new IllegalArgumentException("feed server needs feeds, entries and threads"
                    + " >= 1 (got " + feeds + ", " + entries + ", " + threads + ")");
        }
        try {
            return new FeedServer(feeds, entries, threads, timed);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the bench feed server", e);
        }
    }

    /** The URL of feed number {@code feed}. */
    public String url(int feed) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + PREFIX + feed + SUFFIX;
    }

    /** The URLs of all feeds, by number. */
    public List<String> urls() {
        List<String> urls = new ArrayList<>(feedCount());
        for (int f = 0; f < feedCount(); f++) {
            urls.add(url(f));
        }
        return urls;
    }

    public int feedCount() {
        return published.length();
    }

    /**
     * Adds one new entry to each of the next {@code feeds} feeds, going round all of them in
     * turn, so news is spread evenly and no feed gains entries faster than it is polled.
     */
    public synchronized void publish(int feeds) {
        long now = timedMicros == null ? 0 : epochMicros();
        for (int i = 0; i < feeds; i++) {
            int number = published.incrementAndGet(cursor) - 1;
            if (timedMicros != null) {
                int slot = cursor * TIMED + number % TIMED;
                timedNumber[slot] = number;
                timedMicros[slot] = now;
            }
            cursor = (cursor + 1) % feedCount();
        }
        added.add(feeds);
    }

    /**
     * When entry {@code number} of {@code feed} was added by {@link #publish} (epoch µs), or
     * -1: an initial entry, one older than the latest {@link #TIMED}, or a server not timed.
     */
    synchronized long publishedMicros(int feed, int number) {
        if (timedMicros == null || feed < 0 || feed >= feedCount() || number < 0) {
            return -1;
        }
        int slot = feed * TIMED + number % TIMED;
        return timedNumber[slot] == number ? timedMicros[slot] : -1;
    }

    private static long epochMicros() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000 + now.getNano() / 1_000;
    }

    /** Entries added by {@link #publish} so far. */
    public long newEntries() {
        return added.sum();
    }

    /** Every entry ever listed: the initial ones and those added since. */
    public long totalEntries() {
        return (long) feedCount() * entries + newEntries();
    }

    /** Requests answered so far (any path, any status). */
    public long requests() {
        return requests.sum();
    }

    /** Feed bodies sent (200). */
    public long fetched() {
        return ok.sum();
    }

    /** Conditional requests answered with 304 Not Modified. */
    public long notModified() {
        return notModified.sum();
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

    private void serve(HttpExchange exchange) throws IOException {
        try (exchange) {
            requests.increment();
            int feed = feedNumber(exchange.getRequestURI().getPath());
            if (feed < 0 || !exchange.getRequestMethod().equals("GET")) {
                exchange.sendResponseHeaders(404, -1);
                return;
            }
            int count = published.get(feed);
            String etag = "\"" + feed + "-" + count + "\"";
            Instant modified = SyntheticFeeds.published(feed, count - 1);
            Headers headers = exchange.getResponseHeaders();
            headers.set("ETag", etag);
            headers.set("Last-Modified", SyntheticFeeds.httpDate(modified));
            if (unchanged(exchange.getRequestHeaders(), etag, modified)) {
                notModified.increment();
                exchange.sendResponseHeaders(304, -1);
                return;
            }
            byte[] body = feeds.rss(feed, count, entries);
            headers.set("Content-Type", "application/rss+xml; charset=utf-8");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
            ok.increment();
        } catch (IOException e) {
            // The client gave up on this response (a closed ingestor): nothing to answer.
        }
    }

    /** {@code /feeds/12.xml} to 12; -1 for any other path or a feed not served. */
    private int feedNumber(String path) {
        if (!path.startsWith(PREFIX) || !path.endsWith(SUFFIX)) {
            return -1;
        }
        try {
            int feed = Integer.parseInt(path.substring(PREFIX.length(),
                    path.length() - SUFFIX.length()));
            return feed >= 0 && feed < feedCount() ? feed : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /**
     * RFC 9110: If-None-Match decides when present (any listed tag, weak or not, or *);
     * If-Modified-Since only without it.
     */
    static boolean unchanged(Headers request, String etag, Instant modified) {
        String noneMatch = request.getFirst("If-None-Match");
        if (noneMatch != null) {
            for (String tag : noneMatch.split(",")) {
                String t = tag.strip();
                if (t.startsWith("W/")) {
                    t = t.substring(2);
                }
                if (t.equals(etag) || t.equals("*")) {
                    return true;
                }
            }
            return false;
        }
        String since = request.getFirst("If-Modified-Since");
        if (since == null) {
            return false;
        }
        try {
            Instant at = ZonedDateTime.parse(since.strip(),
                    DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
            return !modified.isAfter(at);
        } catch (DateTimeParseException e) {
            return false;
        }
    }
}
