package io.storyline.ingest;

import io.storyline.config.IngestConfig;
import io.storyline.ingest.FeedProblem.Kind;
import io.storyline.ingest.FetchResult.Status;
import io.storyline.ingest.FetchResult.Validators;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodySubscriber;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.UnresolvedAddressException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Flow;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;
import javax.net.ssl.SSLException;

/**
 * Fetches one feed or article page over HTTP(S), or a feed from a {@code file:} URL, within the
 * configured time, size and redirect limits, and reports every failure as a {@link FeedProblem}
 * naming the URL instead of throwing. Thread-safe: one shared HTTP client serves all callers;
 * {@link #submit} runs fetches on a pool of {@code ingest.concurrency} threads.
 */
public final class FeedFetcher implements AutoCloseable {

    private static final String FEED_ACCEPT = "application/rss+xml, application/atom+xml,"
            + " application/rdf+xml;q=0.9, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5";
    private static final String PAGE_ACCEPT = "text/html, application/xhtml+xml;q=0.9,"
            + " */*;q=0.5";

    private final IngestConfig config;
    private final AddressPolicy addresses;
    private final ByteBudget budget;
    private final HostSlots hosts;
    private final ExecutorService clientThreads;
    private final ExecutorService fetchThreads;
    private final HttpClient client;

    public FeedFetcher(IngestConfig config) {
        this(config, AddressPolicy.of(config.allowPrivateAddresses()));
    }

    /** With another address policy: tests on 127.0.0.1 refuse some loopback addresses. */
    FeedFetcher(IngestConfig config, AddressPolicy addresses) {
        this.config = Objects.requireNonNull(config, "config");
        this.addresses = Objects.requireNonNull(addresses, "addresses");
        this.budget = new ByteBudget(config.maxInFlightBytes());
        this.hosts = new HostSlots(config.perHostConcurrency());
        this.clientThreads = Executors.newCachedThreadPool(daemons("storyline-http-"));
        this.fetchThreads = Executors.newFixedThreadPool(config.concurrency(),
                daemons("storyline-fetch-"));
        // Redirects are followed by hand: to count them, to refuse ones to file: URLs, and to
        // keep one deadline across them. HTTP/1.1 because some feed servers mishandle the h2c
        // upgrade that the client sends over plain http by default.
        this.client = HttpClient.newBuilder()
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(config.connectTimeout())
                .version(HttpClient.Version.HTTP_1_1)
                .executor(clientThreads)
                .build();
    }

    /** First fetch of a feed: unconditional. */
    public FetchResult fetch(String url) {
        return fetch(url, url, Validators.NONE, FEED_ACCEPT, true);
    }

    /**
     * Conditional fetch with the validators kept in {@code state}, from where the feed moved
     * to if it did ({@link FeedState#fetchUrl}).
     */
    public FetchResult fetch(FeedState state) {
        return fetch(state.url(), state.fetchUrl(), new Validators(state.etag(),
                state.lastModified(), state.contentHash()), FEED_ACCEPT, true);
    }

    /** {@link #fetch(FeedState)} on the fetcher's own pool of {@code ingest.concurrency}. */
    public CompletableFuture<FetchResult> submit(FeedState state) {
        return CompletableFuture.supplyAsync(() -> fetch(state), fetchThreads);
    }

    /**
     * Fetches an article page (HTML), over http(s) only: a feed's link must never make us read
     * a local file. The body is cut at {@code ingest.max-page.bytes} (the article is near the
     * top of a page), so jsoup never parses more than that.
     */
    public FetchResult fetchPage(String url) {
        return fetch(url, url, Validators.NONE, PAGE_ACCEPT, false);
    }

    /**
     * Hands back the body bytes of a FETCHED result to {@code ingest.max-in-flight.bytes}:
     * call it once done with the body (parsed, published), else other fetches wait for room.
     * Other results hold nothing.
     */
    public void release(FetchResult result) {
        if (result != null && result.status() == Status.FETCHED) {
            budget.release(result.body().length);
        }
    }

    /** Body bytes held now by fetches under way and by FETCHED results not yet released. */
    public long bytesInFlight() {
        return budget.used();
    }

    /** Stops the fetch pool and the HTTP client's threads; fetches in flight are abandoned. */
    @Override
    public void close() {
        fetchThreads.shutdownNow();
        clientThreads.shutdownNow();
    }

    /**
     * One fetch; the body bytes it holds are counted in the budget until it returns, and a
     * FETCHED body's stay counted until {@link #release}.
     */
    private FetchResult fetch(String url, String start, Validators previous, String accept,
            boolean allowFiles) {
        ByteBudget.Reservation reservation = budget.open();
        FetchResult result = null;
        try {
            result = fetch(url, start, previous, accept, allowFiles, reservation);
            return result;
        } finally {
            if (result != null && result.status() == Status.FETCHED) {
                reservation.keep(result.body().length);
            } else {
                reservation.releaseAll();
            }
        }
    }

    /** Fetches {@code start}, the feed or page {@code url} or where that moved to. */
    private FetchResult fetch(String url, String start, Validators previous, String accept,
            boolean allowFiles, ByteBudget.Reservation reservation) {
        Objects.requireNonNull(url, "url");
        URI uri;
        try {
            uri = new URI(start.strip());
        } catch (URISyntaxException e) {
            return fail(url, Kind.BAD_URL, "not a URL: " + url + " (" + e.getReason() + ")",
                    previous);
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (scheme.equals("file") && allowFiles) {
            if (!config.allowFileFeeds()) {
                return fail(url, Kind.FORBIDDEN, "not reading feed " + url + ": file: feeds are"
                        + " off (ingest.allow-file-feeds=false)", previous);
            }
            return readFile(url, uri, previous, reservation);
        }
        if (!isHttp(scheme) || uri.getHost() == null) {
            return fail(url, Kind.BAD_URL, "cannot fetch " + url + ": only http(s)"
                    + (allowFiles ? " and file" : "") + " URLs with a host are fetched", previous);
        }
        long deadline = System.nanoTime() + config.readTimeout().toNanos();
        Limit limit = allowFiles ? new Limit(config.maxBodyBytes(), false)
                : new Limit(config.maxPageBytes(), true);
        try {
            return followRedirects(url, uri, previous, accept, deadline, limit, reservation);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return fail(url, Kind.NETWORK, "fetch of " + url + " was interrupted", previous);
        }
    }

    /** How many body bytes are kept, and whether more is an error or cut off. */
    private record Limit(int bytes, boolean truncate) {
    }

    private FetchResult followRedirects(String url, URI uri, Validators previous, String accept,
            long deadline, Limit limit, ByteBudget.Reservation reservation)
            throws InterruptedException {
        URI current = uri;
        // Where the permanent redirects that open the chain lead: a later temporary one
        // says nothing about where the feed lives.
        URI moved = null;
        boolean permanent = true;
        for (int redirects = 0; ; ) {
            Exchange exchange = exchange(url, current, previous, accept, deadline, limit,
                    reservation);
            if (exchange.failure != null) {
                return exchange.failure;
            }
            HttpResponse<byte[]> response = exchange.response;
            if (!isRedirect(response.statusCode())) {
                FetchResult result = interpret(url, current, response, previous, limit,
                        reservation);
                return moved == null || result.status() == Status.FAILED ? result
                        : result.movedTo(moved.toString());
            }
            String location = response.headers().firstValue("Location").orElse(null);
            if (location == null) {
                return fail(url, Kind.HTTP_STATUS, "HTTP " + response.statusCode()
                        + " without a Location from " + where(url, current), previous);
            }
            redirects++;
            if (redirects > config.maxRedirects()) {
                return fail(url, Kind.REDIRECTS, "too many redirects (" + redirects
                        + ") starting at " + url, previous);
            }
            URI next;
            try {
                next = current.resolve(new URI(location.strip()));
            } catch (URISyntaxException | IllegalArgumentException e) {
                return fail(url, Kind.BAD_URL, "redirect from " + where(url, current)
                        + " to a malformed Location: " + location, previous);
            }
            if (!isHttp(next.getScheme()) || next.getHost() == null) {
                return fail(url, Kind.BAD_URL, "redirect from " + where(url, current)
                        + " to a URL that is not http(s): " + next, previous);
            }
            permanent &= response.statusCode() == 301 || response.statusCode() == 308;
            if (permanent) {
                moved = next;
            }
            current = next;
        }
    }

    /** One request and response, or the problem that stopped it. */
    private record Exchange(HttpResponse<byte[]> response, FetchResult failure) {
    }

    private Exchange exchange(String url, URI uri, Validators previous, String accept,
            long deadline, Limit limit, ByteBudget.Reservation reservation)
            throws InterruptedException {
        FetchResult refused = checkAddress(url, uri, previous);
        if (refused != null) {
            return new Exchange(null, refused);
        }
        String host = hostKey(uri);
        // Waiting politely for the host is queueing, not the server being slow: it may last
        // until a request ahead has run out its own read timeout, and it is not charged to
        // this request's read timeout.
        long waitStart = System.nanoTime();
        long maxWait = 2 * config.readTimeout().toNanos();
        if (!hosts.acquire(host, waitStart + maxWait)) {
            return new Exchange(null, fail(url, Kind.TIMEOUT, "no free connection to " + host
                    + " (ingest.per-host-concurrency=" + config.perHostConcurrency()
                    + ") for " + where(url, uri) + " within " + maxWait / 1_000_000
                    + " ms", previous));
        }
        long waited = System.nanoTime() - waitStart;
        try {
            return exchangeWithSlot(url, uri, previous, accept, deadline + waited, limit,
                    reservation);
        } finally {
            hosts.release(host);
        }
    }

    /**
     * The host and port a URL's requests go to, for {@code ingest.per-host-concurrency}
     * ({@code example.com:443}); null when it has none (file: URLs, bad URLs).
     */
    public static String hostKey(String url) {
        try {
            URI uri = new URI(url.strip());
            return isHttp(uri.getScheme()) && uri.getHost() != null ? hostKey(uri) : null;
        } catch (URISyntaxException e) {
            return null;
        }
    }

    private static String hostKey(URI uri) {
        int port = uri.getPort() >= 0 ? uri.getPort()
                : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
        return uri.getHost().toLowerCase(Locale.ROOT) + ":" + port;
    }

    private Exchange exchangeWithSlot(String url, URI uri, Validators previous, String accept,
            long deadline, Limit limit, ByteBudget.Reservation reservation)
            throws InterruptedException {
        long remaining = deadline - System.nanoTime();
        if (remaining <= 0) {
            return new Exchange(null, timeout(url, uri, previous));
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                .timeout(Duration.ofNanos(remaining))
                .header("User-Agent", config.userAgent())
                .header("Accept", accept)
                .header("Accept-Encoding", "gzip");
        if (previous.etag() != null) {
            request.header("If-None-Match", previous.etag());
        }
        if (previous.lastModified() != null) {
            request.header("If-Modified-Since", previous.lastModified());
        }
        AtomicReference<BoundedBody> body = new AtomicReference<>();
        CompletableFuture<HttpResponse<byte[]>> pending;
        try {
            pending = client.sendAsync(request.build(), info -> {
                BoundedBody b = new BoundedBody(limit.bytes(), limit.truncate(), budget,
                        reservation, info.statusCode() / 100 == 2,
                        info.headers().firstValueAsLong("Content-Length").orElse(-1));
                body.set(b);
                return b;
            });
        } catch (IllegalArgumentException e) {
            return new Exchange(null, fail(url, Kind.BAD_URL, "cannot fetch " + where(url, uri)
                    + ": " + e.getMessage(), previous));
        }
        try {
            return new Exchange(pending.get(remaining, TimeUnit.NANOSECONDS), null);
        } catch (TimeoutException e) {
            // The client's own timeout covers only the headers: a body that trickles in
            // must be cut here, or it holds a thread and a socket for as long as it likes.
            BoundedBody b = body.get();
            if (b != null) {
                b.abort();
            }
            pending.cancel(true);
            return new Exchange(null, timeout(url, uri, previous));
        } catch (InterruptedException e) {
            pending.cancel(true);
            throw e;
        } catch (ExecutionException e) {
            return new Exchange(null, networkFailure(url, uri, e.getCause(), previous));
        }
    }

    /**
     * Resolves the host of {@code uri} (the feed's own, or a redirect's) just before its
     * request and refuses it when any address it resolves to is not allowed.
     */
    private FetchResult checkAddress(String url, URI uri, Validators previous) {
        if (!addresses.checks()) {
            return null;
        }
        String refusal;
        try {
            refusal = addresses.refusal(uri.getHost());
        } catch (UnknownHostException e) {
            return fail(url, Kind.NETWORK, "cannot resolve the host of " + where(url, uri),
                    previous);
        }
        if (refusal == null) {
            return null;
        }
        return fail(url, Kind.FORBIDDEN, "not fetching " + where(url, uri) + ": its host "
                + uri.getHost() + " resolves to " + refusal
                + " (ingest.allow-private-addresses=false)", previous);
    }

    private FetchResult timeout(String url, URI uri, Validators previous) {
        return fail(url, Kind.TIMEOUT, "no complete response from " + where(url, uri)
                + " within " + config.readTimeout().toMillis() + " ms", previous);
    }

    private FetchResult networkFailure(String url, URI uri, Throwable cause,
            Validators previous) {
        String at = where(url, uri);
        if (cause instanceof TooLarge) {
            return fail(url, Kind.TOO_LARGE, "body larger than " + config.maxBodyBytes()
                    + " bytes at " + at, previous);
        }
        if (cause instanceof HttpConnectTimeoutException) {
            return fail(url, Kind.TIMEOUT, "connecting to " + at + " took longer than "
                    + config.connectTimeout().toMillis() + " ms", previous);
        }
        if (cause instanceof HttpTimeoutException) {
            return timeout(url, uri, previous);
        }
        if (cause instanceof UnknownHostException
                || (cause instanceof ConnectException
                        && causedBy(cause, UnresolvedAddressException.class))) {
            return fail(url, Kind.NETWORK, "cannot resolve the host of " + at, previous);
        }
        if (cause instanceof ConnectException) {
            return fail(url, Kind.NETWORK, "connection refused by " + at, previous);
        }
        if (cause instanceof SSLException) {
            return fail(url, Kind.NETWORK, "TLS failed with " + at + ": " + cause.getMessage(),
                    previous);
        }
        String detail = cause == null || cause.getMessage() == null
                ? String.valueOf(cause) : cause.getMessage();
        return fail(url, Kind.NETWORK, "cannot fetch " + at + ": " + detail, previous);
    }

    private static boolean causedBy(Throwable t, Class<? extends Throwable> type) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (type.isInstance(c)) {
                return true;
            }
        }
        return false;
    }

    private FetchResult interpret(String url, URI uri, HttpResponse<byte[]> response,
            Validators previous, Limit limit, ByteBudget.Reservation reservation) {
        int status = response.statusCode();
        HttpHeaders headers = response.headers();
        String etag = headers.firstValue("ETag").orElse(null);
        String lastModified = headers.firstValue("Last-Modified").orElse(null);
        if (status == 304) {
            // A 304 need not repeat the validators: the ones we sent still hold.
            return new FetchResult(url, Status.NOT_MODIFIED, status, null, null, null,
                    etag == null ? previous.etag() : etag,
                    lastModified == null ? previous.lastModified() : lastModified,
                    previous.contentHash(), null, null, uri.toString());
        }
        if (status / 100 != 2) {
            Duration retryAfter = status == 429 || status == 503
                    ? headers.firstValue("Retry-After").map(v -> retryAfter(v, Instant.now()))
                            .orElse(null)
                    : null;
            FeedProblem problem = FeedProblem.of(url, Kind.HTTP_STATUS, "HTTP " + status
                    + " from " + where(url, uri)
                    + (retryAfter == null ? "" : ", retry after " + retryAfter.toSeconds()
                            + " s"));
            return FetchResult.failed(url, status, problem, previous, retryAfter, uri.toString());
        }
        byte[] body;
        try {
            body = decode(url, uri, headers, response.body(), limit);
            if (body != response.body()) {
                reservation.take(body.length); // the raw bytes go when the fetch ends
            }
        } catch (Undecodable e) {
            return FetchResult.failed(url, status, e.problem, previous, null, uri.toString());
        }
        String contentType = headers.firstValue("Content-Type").orElse(null);
        return success(url, status, body, mediaType(contentType), charset(contentType), etag,
                lastModified, previous, uri.toString());
    }

    private FetchResult success(String url, int status, byte[] body, String mediaType,
            String charset, String etag, String lastModified, Validators previous,
            String finalUrl) {
        if (body.length == 0) {
            return FetchResult.failed(url, status, FeedProblem.of(url, Kind.EMPTY,
                    "empty body from " + where(url, finalUrl)), previous, null, finalUrl);
        }
        String hash = sha256(body);
        // Some servers send a new ETag or date with every response: an identical body is
        // what "not modified" really means.
        Status outcome = hash.equals(previous.contentHash())
                ? Status.NOT_MODIFIED : Status.FETCHED;
        return new FetchResult(url, outcome, status, outcome == Status.FETCHED ? body : null,
                mediaType, charset, etag, lastModified, hash, null, null, finalUrl);
    }

    /** Signals a body that cannot be decoded, carrying the problem to report. */
    private static final class Undecodable extends Exception {
        final transient FeedProblem problem;

        Undecodable(FeedProblem problem) {
            super(problem.message(), null, false, false);
            this.problem = problem;
        }
    }

    private byte[] decode(String url, URI uri, HttpHeaders headers, byte[] raw, Limit limit)
            throws Undecodable {
        String encoding = headers.firstValue("Content-Encoding").orElse("identity")
                .strip().toLowerCase(Locale.ROOT);
        if (encoding.isEmpty() || encoding.equals("identity")) {
            return raw;
        }
        if (!encoding.equals("gzip") && !encoding.equals("x-gzip")) {
            throw new Undecodable(FeedProblem.of(url, Kind.ENCODING, "unsupported"
                    + " Content-Encoding " + encoding + " from " + where(url, uri)));
        }
        if (limit.truncate()) {
            return gunzipHead(raw, limit.bytes());
        }
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(raw))) {
            // A small gzip can inflate to gigabytes: the limit holds after decompression too.
            byte[] body = in.readNBytes(config.maxBodyBytes() + 1);
            if (body.length > config.maxBodyBytes()) {
                throw new Undecodable(FeedProblem.of(url, Kind.TOO_LARGE, "body larger than "
                        + config.maxBodyBytes() + " bytes at " + where(url, uri)
                        + " once decompressed"));
            }
            return body;
        } catch (ZipException | EOFException e) {
            throw new Undecodable(FeedProblem.of(url, Kind.ENCODING, "corrupt gzip body from "
                    + where(url, uri) + ": " + e.getMessage()));
        } catch (IOException e) {
            throw new Undecodable(FeedProblem.of(url, Kind.ENCODING, "cannot gunzip the body"
                    + " from " + where(url, uri) + ": " + e.getMessage()));
        }
    }

    /**
     * Up to {@code max} bytes of a gzip body that may itself have been cut: what inflates
     * before the cut is kept.
     */
    private static byte[] gunzipHead(byte[] raw, int max) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(raw))) {
            int n;
            while (out.size() < max && (n = in.read(buffer, 0,
                    Math.min(buffer.length, max - out.size()))) > 0) {
                out.write(buffer, 0, n);
            }
        } catch (IOException e) {
            // a cut or corrupt stream: keep what came before
        }
        return out.toByteArray();
    }

    private FetchResult readFile(String url, URI uri, Validators previous,
            ByteBudget.Reservation reservation) {
        Path path;
        try {
            path = filePath(uri);
        } catch (IllegalArgumentException e) {
            return fail(url, Kind.BAD_URL, "cannot read " + url + ": " + e.getMessage(), previous);
        }
        byte[] body;
        try (InputStream in = Files.newInputStream(path)) {
            body = in.readNBytes(config.maxBodyBytes() + 1);
        } catch (NoSuchFileException e) {
            return fail(url, Kind.FILE, "no such file " + path.toAbsolutePath() + " for feed "
                    + url, previous);
        } catch (IOException e) {
            return fail(url, Kind.FILE, "cannot read " + path.toAbsolutePath() + " for feed "
                    + url + ": " + e.getMessage(), previous);
        }
        reservation.take(body.length);
        if (body.length > config.maxBodyBytes()) {
            return fail(url, Kind.TOO_LARGE, "body larger than " + config.maxBodyBytes()
                    + " bytes at " + url, previous);
        }
        return success(url, 0, body, null, null, null, null, previous, url);
    }

    /**
     * {@code file:/abs}, {@code file:///abs} and {@code file://localhost/abs} are absolute;
     * an opaque {@code file:seeds/x.xml} is relative to the working directory.
     */
    static Path filePath(URI uri) {
        if (uri.isOpaque()) {
            return Path.of(uri.getSchemeSpecificPart());
        }
        String host = uri.getAuthority();
        if (host != null && !host.isEmpty() && !host.equalsIgnoreCase("localhost")) {
            throw new IllegalArgumentException("file URLs on another host are not read");
        }
        if (uri.getPath() == null || uri.getPath().isEmpty()) {
            throw new IllegalArgumentException("no path");
        }
        return Path.of(uri.getPath());
    }

    /**
     * A Retry-After value: delay-seconds or an HTTP-date, as a non-negative duration from
     * {@code now}; null when it is neither.
     */
    static Duration retryAfter(String value, Instant now) {
        String v = value.strip();
        if (!v.isEmpty() && v.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return v.length() > 9 ? Duration.ofSeconds(999_999_999) : Duration.ofSeconds(
                    Long.parseLong(v));
        }
        try {
            Instant at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
            return at.isAfter(now) ? Duration.between(now, at) : Duration.ZERO;
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    static String mediaType(String contentType) {
        if (contentType == null) {
            return null;
        }
        int semicolon = contentType.indexOf(';');
        String type = (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).strip();
        return type.isEmpty() ? null : type.toLowerCase(Locale.ROOT);
    }

    static String charset(String contentType) {
        if (contentType == null) {
            return null;
        }
        for (String param : contentType.split(";")) {
            String p = param.strip();
            if (p.regionMatches(true, 0, "charset=", 0, 8)) {
                String value = p.substring(8).strip().replace("\"", "").replace("'", "");
                return value.isEmpty() ? null : value;
            }
        }
        return null;
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    /** Whether pages may be fetched from this URL (http or https, not file:). */
    static boolean isHttp(String scheme) {
        return "http".equalsIgnoreCase(scheme) || "https".equalsIgnoreCase(scheme);
    }

    private static boolean isRedirect(int status) {
        return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
    }

    private static String where(String url, Object current) {
        String now = current.toString();
        return now.equals(url) ? url : now + " (redirected from " + url + ")";
    }

    private static FetchResult fail(String url, Kind kind, String message, Validators previous) {
        return FetchResult.failed(url, 0, FeedProblem.of(url, kind, message), previous, null,
                url);
    }

    private static ThreadFactory daemons(String prefix) {
        AtomicInteger count = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + count.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /** Thrown into a body's future when it grows past the limit. */
    private static final class TooLarge extends IOException {
        TooLarge() {
            super("body too large", null);
        }
    }

    /**
     * Collects a 2xx body up to a size limit, cancelling the stream as soon as it is exceeded
     * so a huge body is never read to its end (or, for pages, keeping its head); other
     * statuses' bodies are not read at all. Asks for one buffer at a time, and for the next
     * only when the byte budget has room.
     */
    private static final class BoundedBody implements BodySubscriber<byte[]> {
        private final CompletableFuture<byte[]> result = new CompletableFuture<>();
        private final int max;
        private final boolean truncate;
        private final ByteBudget budget;
        private final ByteBudget.Reservation reservation;
        private final boolean wanted;
        private final long declaredLength;
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();
        private volatile Flow.Subscription subscription;

        BoundedBody(int max, boolean truncate, ByteBudget budget,
                ByteBudget.Reservation reservation, boolean wanted, long declaredLength) {
            this.max = max;
            this.truncate = truncate;
            this.budget = budget;
            this.reservation = reservation;
            this.wanted = wanted;
            this.declaredLength = declaredLength;
        }

        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscription = s;
            if (!wanted) {
                s.cancel();
                result.complete(new byte[0]);
            } else if (declaredLength > max && !truncate) {
                s.cancel();
                result.completeExceptionally(new TooLarge());
            } else {
                budget.whenRoom(() -> s.request(1));
            }
        }

        @Override
        public void onNext(List<ByteBuffer> buffers) {
            if (result.isDone()) {
                return;
            }
            synchronized (out) {
                for (ByteBuffer b : buffers) {
                    if (out.size() + b.remaining() > max) {
                        subscription.cancel();
                        if (truncate) {
                            byte[] head = new byte[max - out.size()];
                            b.get(head);
                            reservation.take(head.length);
                            out.write(head, 0, head.length);
                            result.complete(out.toByteArray());
                        } else {
                            result.completeExceptionally(new TooLarge());
                        }
                        return;
                    }
                    byte[] chunk = new byte[b.remaining()];
                    b.get(chunk);
                    reservation.take(chunk.length);
                    out.write(chunk, 0, chunk.length);
                }
            }
            budget.whenRoom(() -> subscription.request(1));
        }

        @Override
        public void onError(Throwable error) {
            result.completeExceptionally(error);
        }

        @Override
        public void onComplete() {
            synchronized (out) {
                result.complete(out.toByteArray());
            }
        }

        @Override
        public CompletionStage<byte[]> getBody() {
            return result;
        }

        void abort() {
            Flow.Subscription s = subscription;
            if (s != null) {
                s.cancel();
            }
            result.completeExceptionally(new HttpTimeoutException("body not complete in time"));
        }
    }
}
