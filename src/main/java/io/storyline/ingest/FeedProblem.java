package io.storyline.ingest;

import java.time.Instant;
import java.util.Objects;

/**
 * Something that went wrong with one feed, kept as data so that a fetch or parse reports it
 * instead of throwing, and one bad feed never stops the others.
 *
 * @param feedUrl the feed as configured (not the URL it redirected to)
 * @param what    the kind of problem, for metrics and for deciding whether to back off
 * @param message a sentence that names the URL
 * @param at      when it was seen
 */
public record FeedProblem(String feedUrl, Kind what, String message, Instant at) {

    /** Kinds of feed problem. */
    public enum Kind {
        /** The server answered with an error status (4xx, 5xx, a redirect without Location). */
        HTTP_STATUS,
        /** Connecting or receiving the whole response took longer than allowed. */
        TIMEOUT,
        /** The body was larger than {@code ingest.max-body.bytes}, compressed or not. */
        TOO_LARGE,
        /** Too many redirects, or a redirect loop. */
        REDIRECTS,
        /** Connection refused or reset, unknown host, TLS failure. */
        NETWORK,
        /** The URL is not a URL, or uses a scheme that is not fetched. */
        BAD_URL,
        /** A {@code file:} feed that cannot be read. */
        FILE,
        /** The body is not well-formed XML. */
        MALFORMED,
        /** Well-formed, but not RSS or Atom (an HTML page, say). */
        NOT_A_FEED,
        /** An empty body, or a feed without entries. */
        EMPTY,
        /** The declared character set was wrong or unknown; the bytes were decoded otherwise. */
        ENCODING,
        /**
         * One entry had nothing usable, or could not be published (Kafka refused its record for
         * good); it was skipped with this problem and the other entries were kept.
         */
        BAD_ENTRY,
        /** Kafka did not acknowledge the feed's articles; the feed is fetched again later. */
        PUBLISH,
        /**
         * Not fetched by policy: a host that resolves to a loopback, link-local, private or
         * multicast address, or a {@code file:} feed while those are off.
         */
        FORBIDDEN,
        /** A failure of Storyline itself on this feed (a bug, a stack overflow in a library). */
        INTERNAL
    }

    public FeedProblem {
        Objects.requireNonNull(feedUrl, "feedUrl");
        Objects.requireNonNull(what, "what");
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(at, "at");
    }

    static FeedProblem of(String feedUrl, Kind what, String message) {
        return new FeedProblem(feedUrl, what, message, Instant.now());
    }

    @Override
    public String toString() {
        return what + ": " + message;
    }
}
