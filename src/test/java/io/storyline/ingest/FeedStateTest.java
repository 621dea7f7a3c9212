package io.storyline.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.storyline.ingest.FeedState.Seen;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FeedStateTest {

    private static final String URL = "https://example.com/feed.xml";

    private static FeedState full() {
        Map<String, Seen> seen = new LinkedHashMap<>();
        seen.put("a00000000000000b", new Seen("0123456789abcdef", 0));
        seen.put("a00000000000000a", new Seen("fedcba9876543210", 3));
        return new FeedState(URL, "\"v1\"", "Sat, 01 Nov 2025 10:00:00 GMT", "ab12",
                Duration.ofSeconds(90), 2, Instant.parse("2025-11-03T12:01:30Z"),
                Instant.parse("2025-11-03T11:00:00Z"), seen);
    }

    private static String failure(String json) {
        return assertThrows(IllegalArgumentException.class, () -> FeedState.fromJson(json))
                .getMessage();
    }

    @Test
    void roundTripsThroughJsonKeepingTheSeenOrder() {
        FeedState state = full();
        FeedState back = FeedState.fromJson(state.toJson());
        assertEquals(state, back);
        assertEquals(List.of("a00000000000000b", "a00000000000000a"),
                List.copyOf(back.seen().keySet()));
        FeedState bare = FeedState.initial(URL, Duration.ofMinutes(1), Instant.EPOCH);
        assertEquals(bare, FeedState.fromJson(bare.toJson()));
    }

    @Test
    void keepsTheLatestProblemForTheHealthView() {
        FeedProblem problem = new FeedProblem(URL, FeedProblem.Kind.HTTP_STATUS,
                "feed " + URL + " answered HTTP 500", Instant.parse("2025-11-03T12:00:00Z"));
        FeedState state = full().withProblem(problem);
        FeedState back = FeedState.fromJson(state.toJson());
        assertEquals(problem, back.lastProblem());
        assertEquals(state, back);
    }

    @Test
    void onlyTheScheduleChangingIsNoChangeWorthWriting() {
        FeedState s = full();
        FeedState rescheduled = new FeedState(URL, s.etag(), s.lastModified(), s.contentHash(),
                Duration.ofSeconds(135), s.consecutiveFailures(), s.nextPoll().plusSeconds(135),
                s.lastNewEntryAt(), s.seen());
        assertTrue(rescheduled.sameBesidesSchedule(s));
        FeedState newEtag = new FeedState(URL, "\"v2\"", s.lastModified(), s.contentHash(),
                s.interval(), s.consecutiveFailures(), s.nextPoll(), s.lastNewEntryAt(),
                s.seen());
        assertFalse(newEtag.sameBesidesSchedule(s));
        FeedState failing = new FeedState(URL, s.etag(), s.lastModified(), s.contentHash(),
                s.interval(), 3, s.nextPoll(), s.lastNewEntryAt(), s.seen());
        assertFalse(failing.sameBesidesSchedule(s));
        assertFalse(s.withProblem(new FeedProblem(URL, FeedProblem.Kind.TIMEOUT, "slow",
                Instant.EPOCH)).sameBesidesSchedule(s));
        Map<String, Seen> reordered = new LinkedHashMap<>();
        reordered.put("a00000000000000a", s.seen().get("a00000000000000a"));
        reordered.put("a00000000000000b", s.seen().get("a00000000000000b"));
        assertFalse(s.withSeen(reordered).sameBesidesSchedule(s),
                "the order says which entries are forgotten first");
        assertFalse(s.sameBesidesSchedule(null));
    }

    @Test
    void theJsonFormIsVersionedAndCompact() {
        String json = full().toJson();
        assertTrue(json.startsWith("{\"schema\":1,\"url\":\"" + URL + "\","), json);
        assertTrue(json.contains("\"intervalMs\":90000"), json);
        assertTrue(json.contains("\"seen\":{\"a00000000000000b\":[\"0123456789abcdef\",0],"),
                json);
    }

    @Test
    void badJsonNamesTheFeedAndTheField() {
        assertTrue(failure("not json").startsWith("feed state is not JSON: "));
        assertEquals("feed state has no url", failure("{\"schema\":1}"));
        assertEquals("feed state of " + URL + " has schema 2; this version reads schema 1",
                failure(full().toJson().replace("\"schema\":1", "\"schema\":2")));
        assertEquals("feed state of " + URL + " is invalid: intervalMs is missing or not a"
                + " number", failure(full().toJson().replace("\"intervalMs\":90000,", "")));
        assertEquals("feed state of " + URL + " is invalid: seen entry a00000000000000a is not"
                + " [hash, revision]", failure(full().toJson()
                        .replace("[\"fedcba9876543210\",3]", "\"x\"")));
    }

    @Test
    void theSeenMapIsACopy() {
        Map<String, Seen> seen = new LinkedHashMap<>();
        FeedState state = new FeedState(URL, null, null, null, Duration.ofMinutes(1), 0,
                Instant.EPOCH, null, seen);
        seen.put("a", new Seen("h", 0));
        assertEquals(Map.of(), state.seen());
        assertThrows(UnsupportedOperationException.class,
                () -> state.seen().put("b", new Seen("h", 0)));
    }

    @Test
    void keepsTheLastPollForTheHealthView() {
        FeedState polled = new FeedState(URL, null, null, null, Duration.ofMinutes(1), 0,
                Instant.parse("2025-11-03T12:01:00Z"), null, Map.of(), null,
                Instant.parse("2025-11-03T12:00:00Z"));
        assertTrue(polled.toJson().contains(
                "\"nextPoll\":\"2025-11-03T12:01:00Z\",\"lastPoll\":\"2025-11-03T12:00:00Z\","),
                polled.toJson());
        assertEquals(polled, FeedState.fromJson(polled.toJson()));
        assertEquals(polled.lastPoll(), polled.withProblem(null).withSeen(Map.of()).lastPoll());
    }

    @Test
    void aStateSavedBeforeLastPollExistedReadsWithoutOne() {
        String old = full().toJson().replace("\"lastPoll\":null,", "");
        assertTrue(!old.contains("lastPoll"), old);
        assertEquals(full(), FeedState.fromJson(old));
    }

    @Test
    void keepsWhereTheFeedMovedAndWhetherItIsGone() {
        FeedState moved = new FeedState(URL, null, null, null, Duration.ofMinutes(1), 0,
                Instant.EPOCH, null, Map.of(), null, null, "https://new.example.com/rss", true);
        assertEquals(moved, FeedState.fromJson(moved.toJson()));
        assertEquals("https://new.example.com/rss", moved.fetchUrl());
        assertEquals(URL, full().fetchUrl());
        assertFalse(moved.sameBesidesSchedule(moved.dueAt(Instant.EPOCH)), "gone changed");
        String old = full().toJson().replace("\"location\":null,\"gone\":false,", "");
        assertFalse(old.contains("gone"), old);
        assertEquals(full(), FeedState.fromJson(old));
    }
}
