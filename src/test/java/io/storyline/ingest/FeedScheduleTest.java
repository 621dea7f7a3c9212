package io.storyline.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.storyline.config.IngestConfig;
import io.storyline.ingest.FeedProblem.Kind;
import io.storyline.ingest.FetchResult.Status;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

class FeedScheduleTest {

    private static final String URL = "https://example.com/feed.xml";
    private static final Instant NOW = Instant.parse("2025-11-03T12:00:00Z");
    private static final FeedSchedule SCHEDULE = new FeedSchedule(IngestConfig.defaults());

    /** Always draws the same point of any range: 0 = its low end, 1 = its high end. */
    private static RandomGenerator fixed(double at) {
        return new RandomGenerator() {
            @Override
            public long nextLong() {
                throw new UnsupportedOperationException();
            }

            @Override
            public double nextDouble(double origin, double bound) {
                return origin + (bound - origin) * at;
            }
        };
    }

    private static final RandomGenerator MIDDLE = fixed(0.5);

    private static FetchResult fetched(String hash) {
        return new FetchResult(URL, Status.FETCHED, 200, new byte[] {1}, null, null, "\"e\"",
                "lm", hash, null, null, URL);
    }

    private static FetchResult notModified() {
        return new FetchResult(URL, Status.NOT_MODIFIED, 304, null, null, null, "\"e\"", "lm",
                "h", null, null, URL);
    }

    private static FetchResult failure(Duration retryAfter) {
        FeedProblem problem = new FeedProblem(URL, Kind.HTTP_STATUS, "HTTP 503 from " + URL,
                NOW);
        return new FetchResult(URL, Status.FAILED, 503, null, null, null, "\"old\"", null,
                "old", retryAfter, problem, URL);
    }

    private static FeedState withInterval(Duration interval, int failures) {
        return new FeedState(URL, null, null, null, interval, failures, NOW, null, Map.of());
    }

    @Test
    void a410MarksTheFeedGoneAndAPermanentMoveIsKept() {
        FeedProblem problem = new FeedProblem(URL, Kind.HTTP_STATUS, "HTTP 410 from " + URL,
                NOW);
        FetchResult gone = new FetchResult(URL, Status.FAILED, 410, null, null, null, null,
                null, null, null, problem, URL);
        assertTrue(SCHEDULE.failed(SCHEDULE.initial(URL, NOW), gone, NOW, MIDDLE).gone());
        assertFalse(SCHEDULE.failed(SCHEDULE.initial(URL, NOW), failure(null), NOW, MIDDLE)
                .gone());

        String there = "https://new.example.com/feed.xml";
        FeedState moved = SCHEDULE.succeeded(SCHEDULE.initial(URL, NOW),
                fetched("h").movedTo(there), 1, NOW, MIDDLE);
        assertEquals(URL, moved.url());
        assertEquals(there, moved.fetchUrl());
        assertEquals(there, SCHEDULE.succeeded(moved, fetched("h2"), 0, NOW, MIDDLE)
                .location(), "kept while the new address answers");
        FeedState failedThere = SCHEDULE.failed(moved, gone, NOW, MIDDLE);
        assertEquals(there, failedThere.location());
        assertTrue(failedThere.gone());
        FeedState asked = failedThere.dueAt(NOW);
        assertFalse(asked.gone(), "a poll asked for tries once more");
        assertEquals(there, asked.location());
    }

    @Test
    void aNewFeedIsPolledNowAtTheMinimumInterval() {
        FeedState s = SCHEDULE.initial(URL, NOW);
        assertEquals(NOW, s.nextPoll());
        assertEquals(Duration.ofMinutes(1), s.interval());
        assertEquals(0, s.consecutiveFailures());
        assertEquals(Map.of(), s.seen());
    }

    @Test
    void newEntriesHalveTheIntervalDownToTheMinimum() {
        FeedState s = SCHEDULE.succeeded(withInterval(Duration.ofMinutes(20), 3),
                fetched("h1"), 2, NOW, MIDDLE);
        assertEquals(Duration.ofMinutes(10), s.interval());
        assertEquals(NOW.plus(Duration.ofMinutes(10)), s.nextPoll());
        assertEquals(0, s.consecutiveFailures());
        assertEquals(NOW, s.lastNewEntryAt());
        assertEquals("\"e\"", s.etag());
        assertEquals("lm", s.lastModified());
        assertEquals("h1", s.contentHash());
        for (int i = 0; i < 10; i++) {
            s = SCHEDULE.succeeded(s, fetched("h"), 1, NOW, MIDDLE);
        }
        assertEquals(Duration.ofMinutes(1), s.interval());
    }

    @Test
    void nothingNewStretchesTheIntervalUpToTheMaximum() {
        FeedState s = SCHEDULE.succeeded(withInterval(Duration.ofMinutes(10), 0), notModified(),
                0, NOW, MIDDLE);
        assertEquals(Duration.ofMinutes(15), s.interval());
        assertNull(s.lastNewEntryAt());
        assertEquals("h", s.contentHash());
        s = SCHEDULE.succeeded(s, fetched("h2"), 0, NOW, MIDDLE);
        assertEquals(Duration.ofSeconds(1350), s.interval());
        for (int i = 0; i < 10; i++) {
            s = SCHEDULE.succeeded(s, notModified(), 0, NOW, MIDDLE);
        }
        assertEquals(Duration.ofHours(1), s.interval());
    }

    @Test
    void pollsAreJitteredByTenPercentWithinTheBounds() {
        FeedState s = withInterval(Duration.ofMinutes(20), 0);
        assertEquals(NOW.plusSeconds(1800 - 180),
                SCHEDULE.succeeded(s, notModified(), 0, NOW, fixed(0)).nextPoll());
        assertEquals(NOW.plusSeconds(1800 + 180),
                SCHEDULE.succeeded(s, notModified(), 0, NOW, fixed(1)).nextPoll());
        FeedState atMax = withInterval(Duration.ofHours(1), 0);
        assertEquals(NOW.plusSeconds(3600),
                SCHEDULE.succeeded(atMax, notModified(), 0, NOW, fixed(1)).nextPoll());
        FeedState atMin = withInterval(Duration.ofMinutes(1), 0);
        assertEquals(NOW.plusSeconds(60),
                SCHEDULE.succeeded(atMin, fetched("h"), 1, NOW, fixed(0)).nextPoll());
    }

    @Test
    void failuresBackOffExponentiallyUpToTheMaximum() {
        assertEquals(Duration.ofSeconds(30), SCHEDULE.backoff(1));
        assertEquals(Duration.ofSeconds(60), SCHEDULE.backoff(2));
        assertEquals(Duration.ofSeconds(120), SCHEDULE.backoff(3));
        assertEquals(Duration.ofHours(6), SCHEDULE.backoff(20));
        assertEquals(Duration.ofHours(6), SCHEDULE.backoff(Integer.MAX_VALUE));

        FeedState s = withInterval(Duration.ofMinutes(20), 0);
        s = SCHEDULE.failed(s, failure(null), NOW, MIDDLE);
        assertEquals(1, s.consecutiveFailures());
        assertEquals(NOW.plusSeconds(30), s.nextPoll());
        assertEquals(Duration.ofMinutes(20), s.interval(), "the interval survives failures");
        assertEquals("\"old\"", s.etag(), "validators kept");
        s = SCHEDULE.failed(s, failure(null), NOW, MIDDLE);
        assertEquals(NOW.plusSeconds(60), s.nextPoll());
        s = SCHEDULE.succeeded(s, fetched("h"), 0, NOW, MIDDLE);
        assertEquals(0, s.consecutiveFailures());
    }

    @Test
    void backoffIsJitteredByTwentyPercentAndCapped() {
        FeedState three = withInterval(Duration.ofMinutes(1), 2);
        assertEquals(NOW.plusSeconds(96), SCHEDULE.failed(three, failure(null), NOW, fixed(0))
                .nextPoll());
        assertEquals(NOW.plusSeconds(144), SCHEDULE.failed(three, failure(null), NOW, fixed(1))
                .nextPoll());
        FeedState many = withInterval(Duration.ofMinutes(1), 40);
        assertEquals(NOW.plus(Duration.ofHours(6)),
                SCHEDULE.failed(many, failure(null), NOW, fixed(1)).nextPoll());
        RandomGenerator random = new SplittableRandom(7);
        for (int i = 0; i < 1000; i++) {
            long wait = SCHEDULE.failed(three, failure(null), NOW, random).nextPoll()
                    .getEpochSecond() - NOW.getEpochSecond();
            assertTrue(wait >= 96 && wait <= 144, Long.toString(wait));
        }
    }

    @Test
    void retryAfterWinsWithinTheMinimumIntervalAndTheBackoffMaximum() {
        FeedState s = withInterval(Duration.ofMinutes(5), 0);
        assertEquals(NOW.plusSeconds(120),
                SCHEDULE.failed(s, failure(Duration.ofSeconds(120)), NOW, fixed(1)).nextPoll());
        assertEquals(NOW.plusSeconds(60),
                SCHEDULE.failed(s, failure(Duration.ofSeconds(5)), NOW, MIDDLE).nextPoll());
        assertEquals(NOW.plus(Duration.ofHours(6)),
                SCHEDULE.failed(s, failure(Duration.ofDays(30)), NOW, MIDDLE).nextPoll());
        assertEquals(1, SCHEDULE.failed(s, failure(Duration.ZERO), NOW, MIDDLE)
                .consecutiveFailures());
    }

    @Test
    void nextDispatchesOnTheOutcome() {
        FeedState s = withInterval(Duration.ofMinutes(10), 1);
        assertEquals(2, SCHEDULE.next(s, failure(null), 0, NOW, MIDDLE).consecutiveFailures());
        assertEquals(Duration.ofMinutes(5),
                SCHEDULE.next(s, fetched("h"), 3, NOW, MIDDLE).interval());
        assertEquals(Duration.ofMinutes(15),
                SCHEDULE.next(s, notModified(), 0, NOW, MIDDLE).interval());
    }

    @Test
    void seenEntriesSurviveEveryTransition() {
        FeedState s = new FeedState(URL, null, null, null, Duration.ofMinutes(1), 0, NOW, null,
                Map.of("a1", new FeedState.Seen("0123456789abcdef", 2)));
        assertEquals(s.seen(), SCHEDULE.next(s, failure(null), 0, NOW, MIDDLE).seen());
        assertEquals(s.seen(), SCHEDULE.next(s, fetched("h"), 0, NOW, MIDDLE).seen());
    }

    @Test
    void everyPollBecomesTheFeedsLastWhateverItsOutcome() {
        FeedState never = SCHEDULE.initial(URL, NOW);
        assertEquals(null, never.lastPoll());
        Instant later = NOW.plus(Duration.ofMinutes(7));
        assertEquals(NOW, SCHEDULE.succeeded(never, fetched("h1"), 1, NOW, MIDDLE).lastPoll());
        assertEquals(NOW, SCHEDULE.succeeded(never, notModified(), 0, NOW, MIDDLE).lastPoll());
        assertEquals(later, SCHEDULE.failed(never, failure(null), later, MIDDLE).lastPoll());
    }
}
