package io.storyline.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.storyline.ingest.EntryTracker.Change;
import io.storyline.ingest.EntryTracker.Decision;
import io.storyline.ingest.EntryTracker.Tracked;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class EntryTrackerTest {

    private static final String URL = "https://example.com/feed.xml";
    private static final FeedState EMPTY = FeedState.initial(URL, Duration.ofMinutes(1),
            Instant.EPOCH);

    private static FeedEntry entry(String guid, String text) {
        String id = EntryIdentity.articleId(URL, guid, null, null, null, null);
        return new FeedEntry(id, URL, null, "Title " + guid, text, "S", "en", null,
                EntryIdentity.contentHash("Title " + guid, text));
    }

    private static List<Change> changes(Tracked t) {
        return t.decisions().stream().map(Decision::change).toList();
    }

    private static List<Integer> revisions(Tracked t) {
        return t.decisions().stream().map(Decision::revision).toList();
    }

    @Test
    void newThenSeenThenRevisedInFeedOrder() {
        Tracked first = EntryTracker.track(EMPTY, List.of(entry("1", "a"), entry("2", "b")));
        assertEquals(List.of(Change.NEW, Change.NEW), changes(first));
        assertEquals(List.of(0, 0), revisions(first));
        assertEquals(2, first.newEntries());
        assertEquals(2, first.changed().size());

        Tracked second = EntryTracker.track(first.state(), List.of(entry("3", "c"),
                entry("1", "a"), entry("2", "b, corrected")));
        assertEquals(List.of(Change.NEW, Change.SEEN, Change.REVISION), changes(second));
        assertEquals(List.of(0, 0, 1), revisions(second));
        assertEquals(1, second.newEntries());
        assertEquals(List.of("3", "2"), second.changed().stream()
                .map(d -> d.entry().title().substring(6)).toList());

        Tracked third = EntryTracker.track(second.state(), List.of(entry("2", "b, again")));
        assertEquals(List.of(Change.REVISION), changes(third));
        assertEquals(List.of(2), revisions(third));
        Tracked fourth = EntryTracker.track(third.state(), List.of(entry("2", "b, again")));
        assertEquals(List.of(Change.SEEN), changes(fourth));
        assertEquals(List.of(2), revisions(fourth));
    }

    @Test
    void theStateKeepsShortHashesAndRevisions() {
        FeedEntry e = entry("1", "a");
        Tracked t = EntryTracker.track(EMPTY, List.of(e));
        FeedState.Seen seen = t.state().seen().get(e.articleId());
        assertEquals(e.contentHash().substring(0, 16), seen.hash());
        assertEquals(0, seen.revision());
        assertEquals(Instant.EPOCH, t.state().nextPoll(), "only the seen map changes");
    }

    @Test
    void theSameIdTwiceInOneFetchCountsOnce() {
        Tracked t = EntryTracker.track(EMPTY, List.of(entry("1", "a"), entry("1", "other")));
        assertEquals(List.of(Change.NEW, Change.SEEN), changes(t));
        assertEquals(1, t.state().seen().size());
    }

    @Test
    void theOldestEntriesNoLongerListedAreForgottenFirst() {
        List<FeedEntry> old = new ArrayList<>();
        for (int i = 0; i < EntryTracker.SEEN_LIMIT; i++) {
            old.add(entry("old-" + i, "x"));
        }
        FeedState state = EntryTracker.track(EMPTY, old).state();
        FeedEntry kept = old.get(0);
        Tracked t = EntryTracker.track(state, List.of(kept, entry("new-1", "y"),
                entry("new-2", "z")));
        assertEquals(List.of(Change.SEEN, Change.NEW, Change.NEW), changes(t));
        assertEquals(EntryTracker.SEEN_LIMIT, t.state().seen().size());
        assertTrue(t.state().seen().containsKey(kept.articleId()), "still listed: kept");
        assertFalse(t.state().seen().containsKey(old.get(1).articleId()));
        assertFalse(t.state().seen().containsKey(old.get(2).articleId()));
        assertTrue(t.state().seen().containsKey(old.get(3).articleId()));
    }

    @Test
    void aFeedLongerThanTheLimitIsRememberedWhole() {
        List<FeedEntry> many = new ArrayList<>();
        for (int i = 0; i < EntryTracker.SEEN_LIMIT + 200; i++) {
            many.add(entry("e-" + i, "x"));
        }
        FeedState state = EntryTracker.track(EMPTY, many).state();
        assertEquals(EntryTracker.SEEN_LIMIT + 200, state.seen().size());
        assertEquals(0, EntryTracker.track(state, many).newEntries());
    }

    @Test
    void tracksTheGrowingFixtureFeedEndToEnd() {
        Instant now = Instant.parse("2025-11-04T00:00:00Z");
        try (FixtureServer server = FixtureServer.start(2);
                FeedFetcher fetcher = new FeedFetcher(FeedFetcherTest.config())) {
            FeedSchedule schedule = new FeedSchedule(FeedFetcherTest.config());
            FeedState state = schedule.initial(server.url(FixtureServer.GROWING), now);
            List<Integer> newPerPoll = new ArrayList<>();
            for (int poll = 0; poll < 3; poll++) {
                FetchResult r = fetcher.fetch(state);
                Tracked t = EntryTracker.track(state,
                        FeedParser.parse(r, now).entries());
                newPerPoll.add(t.newEntries());
                state = schedule.next(t.state(), r, t.newEntries(), now,
                        new java.util.SplittableRandom(1));
            }
            assertEquals(List.of(1, 1, 1), newPerPoll);
            assertEquals(3, state.seen().size());
            assertEquals(now, state.lastNewEntryAt());
        }
    }
}
