package io.storyline.ingest;

import io.storyline.config.IngestConfig;
import io.storyline.ingest.FetchResult.Status;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * When to poll each feed next. Busy feeds are polled more often (the interval halves when a
 * poll finds new entries, down to {@code ingest.min-interval}), quiet ones less (x1.5 per poll
 * without news, up to {@code ingest.max-interval}); failures back off exponentially from
 * {@code ingest.backoff.base} to {@code ingest.backoff.max}. Pure: the caller passes the time
 * and the randomness, so tests and replays are deterministic.
 */
public final class FeedSchedule {

    /** Spreads polls of feeds that settle on the same interval. */
    static final double POLL_JITTER = 0.1;
    /** Spreads retries so that feeds failing together (one host down) do not retry together. */
    static final double BACKOFF_JITTER = 0.2;
    private static final int GONE = 410;

    private final IngestConfig config;

    public FeedSchedule(IngestConfig config) {
        this.config = Objects.requireNonNull(config, "config");
    }

    /** A new feed: polled at {@code now}, starting at the minimum interval. */
    public FeedState initial(String url, Instant now) {
        return FeedState.initial(url, config.minInterval(), now);
    }

    /**
     * The state after a poll: {@link #succeeded} for FETCHED and NOT_MODIFIED, else
     * {@link #failed}.
     *
     * @param newEntries entries not seen before (see {@link EntryTracker}); 0 if not modified
     */
    public FeedState next(FeedState state, FetchResult result, int newEntries, Instant now,
            RandomGenerator random) {
        return result.status() == Status.FAILED
                ? failed(state, result, now, random)
                : succeeded(state, result, newEntries, now, random);
    }

    /**
     * Adapts the interval to the news found, keeps the new validators, clears failures; the
     * poll at {@code now} becomes the feed's last. A feed that moved by a permanent redirect
     * is fetched from its new address from now on.
     */
    public FeedState succeeded(FeedState state, FetchResult result, int newEntries,
            Instant now, RandomGenerator random) {
        Duration interval = newEntries > 0
                ? clamp(state.interval().dividedBy(2), config.minInterval(), config.maxInterval())
                : clamp(seconds(state.interval().toMillis() * 1.5 / 1000), config.minInterval(),
                        config.maxInterval());
        Duration delay = clamp(jitter(interval, POLL_JITTER, random), config.minInterval(),
                config.maxInterval());
        return new FeedState(state.url(), result.etag(), result.lastModified(),
                result.contentHash(), interval, 0, now.plus(delay),
                newEntries > 0 ? now : state.lastNewEntryAt(), state.seen(), state.lastProblem(),
                now, result.movedTo() != null ? result.movedTo() : state.location(), false);
    }

    /**
     * Backs off: base x 2^(failures - 1), with ±20 % jitter, at most the backoff maximum. A
     * server's Retry-After wins, but never below the minimum interval (a server cannot make
     * us poll it faster) nor above the backoff maximum (nor stop us polling for good). The
     * poll at {@code now} becomes the feed's last. A 410 Gone marks the feed gone: its
     * publisher says it will not come back, so it is not polled again unless asked.
     */
    public FeedState failed(FeedState state, FetchResult result, Instant now,
            RandomGenerator random) {
        int failures = state.consecutiveFailures() == Integer.MAX_VALUE
                ? Integer.MAX_VALUE : state.consecutiveFailures() + 1;
        Duration delay;
        if (result.retryAfter() != null) {
            delay = clamp(result.retryAfter(), config.minInterval(), config.backoffMax());
        } else {
            delay = min(jitter(backoff(failures), BACKOFF_JITTER, random), config.backoffMax());
        }
        return new FeedState(state.url(), result.etag(), result.lastModified(),
                result.contentHash(), state.interval(), failures, now.plus(delay),
                state.lastNewEntryAt(), state.seen(),
                result.problem() != null ? result.problem() : state.lastProblem(), now,
                state.location(), result.httpStatus() == GONE);
    }

    /** The un-jittered wait after {@code failures} consecutive failures. */
    Duration backoff(int failures) {
        int doublings = Math.min(Math.max(failures - 1, 0), 30);
        return min(config.backoffBase().multipliedBy(1L << doublings), config.backoffMax());
    }

    private static Duration jitter(Duration d, double spread, RandomGenerator random) {
        return seconds(d.toMillis() / 1000.0 * (1 + random.nextDouble(-spread, spread)));
    }

    /** Whole seconds, at least one: sub-second schedules are noise, and the JSON stays short. */
    private static Duration seconds(double s) {
        return Duration.ofSeconds(Math.max(1, Math.round(s)));
    }

    private static Duration clamp(Duration d, Duration low, Duration high) {
        return d.compareTo(low) < 0 ? low : min(d, high);
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
