package io.storyline.ingest;

import java.time.Duration;
import java.util.Objects;

/**
 * The outcome of fetching one feed or page. Validators ({@code etag}, {@code lastModified},
 * {@code contentHash}) are the ones to send next time: for a 304 the server's new ones or else
 * the previous ones, for a failure the previous ones.
 *
 * @param url          the URL asked for
 * @param status       what happened
 * @param httpStatus   the final HTTP status, or 0 for {@code file:} URLs and network failures
 * @param body         the decoded (gunzipped) body when FETCHED, else empty; not copied
 * @param mediaType    the Content-Type without parameters, lower-cased, or null
 * @param charset      the Content-Type's charset parameter, or null
 * @param contentHash  SHA-256 (hex) of the body, equal to the previous one when unchanged
 * @param retryAfter   how long the server asked us to wait (429, 503), or null
 * @param problem      why it FAILED, else null
 * @param finalUrl     the URL that answered, after redirects
 * @param movedTo      where the leading permanent redirects (301, 308) led when the fetch
 *                     succeeded (fetched or not modified), else null: the feed's new address
 */
public record FetchResult(
        String url,
        Status status,
        int httpStatus,
        byte[] body,
        String mediaType,
        String charset,
        String etag,
        String lastModified,
        String contentHash,
        Duration retryAfter,
        FeedProblem problem,
        String finalUrl,
        String movedTo) {

    private static final byte[] NO_BODY = new byte[0];

    /** What a fetch came to. */
    public enum Status {
        /** A new body to parse. */
        FETCHED,
        /** 304, or a body identical to the previous one (some servers change ETags anyway). */
        NOT_MODIFIED,
        /** See {@link #problem()}. */
        FAILED
    }

    public FetchResult {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(status, "status");
        body = body == null ? NO_BODY : body;
        if ((status == Status.FAILED) != (problem != null)) {
            throw new IllegalArgumentException("a problem is required exactly when FAILED: "
                    + status + " for " + url);
        }
    }

    /** A result without a permanent move. */
    public FetchResult(String url, Status status, int httpStatus, byte[] body, String mediaType,
            String charset, String etag, String lastModified, String contentHash,
            Duration retryAfter, FeedProblem problem, String finalUrl) {
        this(url, status, httpStatus, body, mediaType, charset, etag, lastModified,
                contentHash, retryAfter, problem, finalUrl, null);
    }

    static FetchResult failed(String url, int httpStatus, FeedProblem problem,
            Validators previous, Duration retryAfter, String finalUrl) {
        return new FetchResult(url, Status.FAILED, httpStatus, NO_BODY, null, null,
                previous.etag(), previous.lastModified(), previous.contentHash(), retryAfter,
                problem, finalUrl);
    }

    /** The same result, saying the feed moved permanently to {@code location}. */
    FetchResult movedTo(String location) {
        return new FetchResult(url, status, httpStatus, body, mediaType, charset, etag,
                lastModified, contentHash, retryAfter, problem, finalUrl, location);
    }

    @Override
    public String toString() {
        return "FetchResult[" + status + " " + url + (httpStatus > 0 ? " HTTP " + httpStatus : "")
                + ", " + body.length + " bytes" + (problem == null ? "" : ", " + problem) + "]";
    }

    /** The conditional-GET state carried from one fetch of a feed to the next. */
    record Validators(String etag, String lastModified, String contentHash) {
        static final Validators NONE = new Validators(null, null, null);
    }
}
