package io.storyline.view;

import static io.storyline.view.Records.assignment;
import static io.storyline.view.Records.bytes;
import static io.storyline.view.Records.story;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.storyline.pipeline.Messages;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ReadModelTest {

    private static final Instant T = Instant.parse("2026-12-02T12:00:00Z");

    private final MutableClock clock = new MutableClock(T);
    private ReadModel model = new ReadModel(Duration.ofDays(7), 1000, 10_000, clock);

    @AfterEach
    void close() {
        model.close();
    }

    private void article(String id, String story, String dup, long seq, Instant fetched,
            String source, String title) {
        model.applyAssignment(bytes(assignment(id, story, dup, seq, fetched, source, title)),
                fetched);
    }

    private void snapshot(String id, int size, int copies, String headline, long seq,
            Instant updated, List<String> sources) {
        model.applyStory(bytes(story(id, "open", size, copies, headline, seq, updated, sources,
                List.of(), null)));
    }

    /** s1: a1 (original), a2 (copy of a1), a3 (joins), all in the last hour. */
    private void storyOne() {
        Instant t = T.minus(Duration.ofMinutes(30));
        article("a1", "s1", null, 1, t, "Wire", "Quake hits Kyïv");
        article("a2", "s1", "a1", 2, t.plusSeconds(60), "Daily", "Quake hits Kyïv (copy)");
        article("a3", "s1", null, 3, t.plusSeconds(120), "Herald", "Aftershocks in Kyiv");
        snapshot("s1", 3, 1, "Quake hits Kyïv", 3, t.plusSeconds(120),
                List.of("Wire", "Daily", "Herald"));
        model.publishChanges();
    }

    @Test
    void foldsCopiesUnderTheArticleTheyCopyAndSaysWhyOthersJoined() {
        storyOne();
        ReadModel.StoryDetail d = model.story("s1");
        assertEquals(List.of("a1", "a3"), d.articles().stream()
                .map(e -> e.article().id()).toList());
        assertEquals(List.of("a2"), d.articles().get(0).copies().stream()
                .map(ArticleView::id).toList());
        assertEquals(0.94, d.articles().get(0).copies().get(0).similarity());
        assertEquals(0.31, d.articles().get(1).article().why().path("score").asDouble());
        assertEquals(3, d.story().articles());
        assertEquals(3, d.story().sources());
        assertEquals(1, d.story().copies());
        assertEquals(List.of("en"), d.story().languages());
        assertEquals("s1", model.article("a2").story());
        assertNull(model.story("nope"));
        assertNull(model.article("nope"));
    }

    @Test
    void velocityAndTrendingCountArrivalsByFetchTimeAgainstTheClock() {
        article("a1", "s1", null, 1, T.minus(Duration.ofMinutes(70)), "Wire", "One");
        article("a2", "s1", null, 2, T.minus(Duration.ofMinutes(20)), "Daily", "Two");
        article("a3", "s1", null, 3, T.minus(Duration.ofMinutes(10)), "Herald", "Three");
        snapshot("s1", 3, 0, "One", 3, T.minus(Duration.ofMinutes(10)),
                List.of("Wire", "Daily", "Herald"));
        model.publishChanges();

        ReadModel.StorySummary s = model.summary("s1");
        assertEquals(new ReadModel.Velocity(2, 1), s.velocity());
        double expected = Trending.score(2, 1, 3, 10 / 60.0);
        assertEquals(Math.round(expected * 1000) / 1000.0, s.trending());
        int[] chart = new int[ReadModel.CHART_HOURS];
        chart[22] = 1;
        chart[23] = 2;
        assertArrayEquals(chart, s.arrivals());

        clock.advance(Duration.ofHours(2));
        ReadModel.StorySummary later = model.summary("s1");
        assertEquals(new ReadModel.Velocity(0, 0), later.velocity());
        assertTrue(later.trending() < s.trending());
    }

    @Test
    void aMergedStorysArticlesAndIdMoveToTheStoryThatAbsorbedIt() {
        storyOne();
        Instant t = T.minus(Duration.ofMinutes(5));
        article("b1", "s2", null, 4, t, "Gazette", "Second write-up");
        snapshot("s2", 1, 0, "Second write-up", 4, t, List.of("Gazette"));
        model.applyStory(bytes(story("s2", "merged", 1, 0, "Second write-up", 5, t,
                List.of("Gazette"), List.of(), "s1")));
        model.applyStory(bytes(story("s1", "open", 4, 1, "Quake hits Kyïv", 5, t,
                List.of("Wire", "Daily", "Herald", "Gazette"), List.of("s2"), null)));
        // An assignment to the absorbed id that arrives after the merge lands in s1 too.
        article("b2", "s2", null, 6, t.plusSeconds(1), "Post", "Third");
        model.publishChanges();

        ReadModel.StoryDetail d = model.story("s2");
        assertEquals("s1", d.story().id());
        assertEquals(List.of("s2"), d.absorbed());
        assertEquals(List.of("a1", "a3", "b1", "b2"), d.articles().stream()
                .map(e -> e.article().id()).toList());
        assertEquals("s1", model.article("b1").story());
        List<String> listed = model.stories(StoryQuery.defaults()).stories().stream()
                .map(ReadModel.StorySummary::id).toList();
        assertEquals(List.of("s1"), listed);
    }

    @Test
    void anAbsorbersSnapshotBeforeTheMergedRecordStillMovesTheArticles() {
        Instant t = T.minus(Duration.ofMinutes(5));
        article("b1", "s2", null, 1, t, "Gazette", "Second");
        article("a1", "s1", null, 2, t, "Wire", "First");
        model.applyStory(bytes(story("s1", "open", 2, 0, "First", 3, t,
                List.of("Wire", "Gazette"), List.of("s2"), null)));
        model.publishChanges();
        assertEquals(List.of("b1", "a1"), model.story("s1").articles().stream()
                .map(e -> e.article().id()).toList());
    }

    @Test
    void aRevisionReplacesItsArticleInPlaceAndARedeliveryChangesNothing() {
        storyOne();
        var revised = assignment("a1", "s1", null, 9, T, "Wire", "Quake hits Kyiv, 12 dead");
        revised.put("revision", 1);
        model.applyAssignment(bytes(revised), T);
        model.applyAssignment(bytes(assignment("a3", "s1", null, 3, T, "Herald", "Old")), T);
        model.publishChanges();
        ReadModel.StoryDetail d = model.story("s1");
        ArticleView first = d.articles().get(0).article();
        assertEquals("Quake hits Kyiv, 12 dead", first.title());
        assertEquals(1, first.revision());
        assertEquals(1, first.seq());
        assertEquals("Aftershocks in Kyiv", d.articles().get(1).article().title());
        assertEquals(3, model.stats().articles());
    }

    @Test
    void storiesOlderThanTheHistoryLeaveAndOlderRecordsAreNotTaken() {
        storyOne();
        clock.advance(Duration.ofDays(7));
        model.publishChanges();
        assertNull(model.story("s1"));
        assertNull(model.article("a1"));
        assertEquals(0, model.stats().articles());
        assertEquals(0, model.stories(StoryQuery.parse(Map.of("q", List.of("quake"))))
                .matched());

        article("old", "s9", null, 10, clock.instant().minus(Duration.ofDays(8)), "Wire",
                "Old news");
        snapshot("s9", 1, 0, "Old news", 10, clock.instant().minus(Duration.ofDays(8)),
                List.of("Wire"));
        model.publishChanges();
        assertNull(model.story("s9"));
        assertEquals(0, model.stats().articles());
    }

    @Test
    void overTheStoryCapTheLeastRecentlyActiveStoryLeavesFirst() {
        model = new ReadModel(Duration.ofDays(7), 2, 10_000, clock);
        for (int i = 0; i < 3; i++) {
            Instant t = T.minus(Duration.ofMinutes(30 - i));
            article("a" + i, "s" + i, null, i, t, "Wire", "Story " + i);
            snapshot("s" + i, 1, 0, "Story " + i, i, t, List.of("Wire"));
        }
        model.publishChanges();
        assertNull(model.story("s0"));
        assertNotNull(model.story("s1"));
        assertNotNull(model.story("s2"));
        assertEquals(2, model.stats().articles());
    }

    @Test
    void overTheArticleCapWholeStoriesLeaveOldestFirst() {
        model = new ReadModel(Duration.ofDays(7), 100, 3, clock);
        storyOne();
        Instant t = T.minus(Duration.ofMinutes(1));
        article("b1", "s2", null, 4, t, "Gazette", "Newer");
        snapshot("s2", 1, 0, "Newer", 4, t, List.of("Gazette"));
        model.publishChanges();
        assertNull(model.story("s1"));
        assertNotNull(model.story("s2"));
        assertEquals(1, model.stats().articles());
    }

    @Test
    void filtersSortsAndPagesWithACursor() {
        for (int i = 0; i < 7; i++) {
            Instant t = T.minus(Duration.ofMinutes(60 - i));
            for (int k = 0; k <= i % 3; k++) {
                article("a" + i + "-" + k, "s" + i, null, i * 10 + k, t, "Source " + k,
                        k == 0 ? "Story number " + i + (i == 4 ? " about Kyïv" : "") : "More");
            }
            List<String> sources = new ArrayList<>();
            for (int k = 0; k <= i % 3; k++) {
                sources.add("Source " + k);
            }
            snapshot("s" + i, i % 3 + 1, 0, "Story number " + i, i * 10 + 2, t, sources);
        }
        model.publishChanges();

        assertEquals(List.of("s4"), ids(query("q", "kyiv")));
        assertEquals(List.of("s4"), ids(query("q", "KYÏV number")));
        assertEquals(List.of(), ids(query("q", "kyiv -number")));
        assertEquals(Set.of("s2", "s5"), Set.copyOf(ids(query("minSources", "3"))));
        assertEquals(Set.of("s1", "s2", "s4", "s5"), Set.copyOf(ids(query("source",
                "source 1"))));
        assertEquals(7, query("lang", "EN").matched());
        assertEquals(0, query("lang", "fr").matched());
        assertEquals(List.of("s6", "s5", "s4"), ids(query("sort", "new", "limit", "3")));
        assertEquals(List.of("s2", "s5", "s1"), ids(query("sort", "size", "limit", "3")));
        assertEquals(Set.of("s4", "s5", "s6"), Set.copyOf(ids(query("since",
                T.minus(Duration.ofMinutes(56)).toString()))));
        assertEquals(Set.of("s0"), Set.copyOf(ids(query("until",
                T.minus(Duration.ofMinutes(59)).toString()))));

        for (String sort : List.of("trending", "new", "size")) {
            List<String> all = new ArrayList<>();
            String cursor = null;
            do {
                ReadModel.StoryPage page = cursor == null ? query("sort", sort, "limit", "2")
                        : query("sort", sort, "limit", "2", "cursor", cursor);
                all.addAll(ids(page));
                cursor = page.next();
            } while (cursor != null);
            assertEquals(7, all.size(), sort + ": " + all);
            assertEquals(7, new HashSet<>(all).size(), sort + ": " + all);
            assertEquals(ids(query("sort", sort, "limit", "500")), all, sort);
        }

        // A change within the same second is in the next list: the order that the list
        // queries share follows the model's version, not only the clock.
        article("a7-0", "s7", null, 100, T, "Source 0", "Story number 7");
        snapshot("s7", 1, 0, "Story number 7", 100, T, List.of("Source 0"));
        model.publishChanges();
        assertEquals(List.of("s7"), ids(query("sort", "new", "limit", "1")));
        assertEquals(8, query("lang", "EN").matched());
    }

    @Test
    void aSearchListsWhatItFoundInTheSortsOrderWithACursorAndFilters() {
        for (int i = 0; i < 40; i++) {
            Instant t = T.minus(Duration.ofMinutes(60 - i));
            String title = i % 10 == 3 ? "Harbour strike, day " + i : "Council budget " + i;
            article("a" + i, "s" + i, null, i, t, "Source " + i % 4, title);
            snapshot("s" + i, 1, 0, title, i, t, List.of("Source " + i % 4));
        }
        model.publishChanges();

        // Four of forty stories match, in the sort's order, paged and filtered.
        assertEquals(List.of("s33", "s23", "s13", "s3"), ids(query("q", "harbour",
                "sort", "new")));
        ReadModel.StoryPage first = query("q", "harbour", "sort", "new", "limit", "3");
        assertEquals(List.of("s33", "s23", "s13"), ids(first));
        assertEquals(4, first.matched());
        assertEquals(List.of("s3"), ids(query("q", "harbour", "sort", "new", "limit", "3",
                "cursor", first.next())));
        assertEquals(List.of("s33", "s13"), ids(query("q", "harbour", "sort", "new",
                "source", "source 1")));
    }

    @Test
    void aResumingClientGetsTheStoriesChangedAfterItsLastEventOrAReset() {
        storyOne();
        Instant t = T.minus(Duration.ofMinutes(1));
        article("b1", "s2", null, 4, t, "Gazette", "Newer");
        snapshot("s2", 1, 0, "Newer", 4, t, List.of("Gazette"));
        model.publishChanges();
        assertEquals(List.of(new ReadModel.Change(3, "s1"), new ReadModel.Change(4, "s2")),
                model.changesAfter(0));
        assertEquals(List.of(new ReadModel.Change(4, "s2")), model.changesAfter(3));
        assertEquals(List.of(), model.changesAfter(4));

        for (int i = 0; i <= ReadModel.CHANGE_LOG; i++) {
            snapshot("s2", 1, 0, "Newer", 5 + i, t, List.of("Gazette"));
        }
        assertNull(model.changesAfter(3));
        assertEquals(1, model.changesAfter(5 + ReadModel.CHANGE_LOG - 1).size());
    }

    @Test
    void theListenerHearsTheChangedStoriesOfABatch() {
        List<ReadModel.Change> heard = new ArrayList<>();
        model.onChanges(heard::addAll);
        storyOne();
        assertEquals(List.of(new ReadModel.Change(3, "s1")), heard);
    }

    @Test
    void badRecordsNameTheirProblemAndANewerSchemaStops() {
        var noId = assignment("x", "s", null, 1, T, "Wire", "t");
        noId.remove("id");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> model.applyAssignment(bytes(noId), T));
        assertEquals("\"id\" is missing", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> model.applyStory(
                "not json".getBytes(StandardCharsets.UTF_8)));
        assertTrue(e.getMessage().startsWith("story is not JSON"), e.getMessage());
        var newer = story("s", "open", 1, 0, "h", 1, T, List.of(), List.of(), null);
        newer.put("schema", Messages.STORY_SCHEMA + 1);
        IllegalStateException stop = assertThrows(IllegalStateException.class,
                () -> model.applyStory(bytes(newer)));
        assertEquals("story schema " + (Messages.STORY_SCHEMA + 1) + " is newer than this "
                + "Storyline reads (" + Messages.STORY_SCHEMA + "): upgrade the server",
                stop.getMessage());
    }

    @Test
    void feedHealthIsKeptPerFeedAndATombstoneRemovesIt() {
        String value = "{\"schema\":1,\"url\":\"https://f.example/rss\",\"status\":\"failing\","
                + "\"consecutiveFailures\":2,\"lastPoll\":\"2026-12-02T11:00:00Z\","
                + "\"nextPoll\":\"2026-12-02T11:30:00Z\",\"lastNewEntry\":null,"
                + "\"lastProblem\":{\"kind\":\"HTTP_STATUS\",\"message\":\"HTTP 503\","
                + "\"at\":\"2026-12-02T11:00:00Z\"}}";
        model.applyFeedHealth("https://f.example/rss", value.getBytes(StandardCharsets.UTF_8),
                T);
        List<ReadModel.FeedRow> rows = model.feeds();
        assertEquals(1, rows.size());
        FeedHealth h = rows.get(0).health();
        assertEquals("failing", h.status());
        assertEquals(2, h.consecutiveFailures());
        assertEquals("HTTP 503", h.problem());
        assertEquals(Instant.parse("2026-12-02T11:30:00Z"), h.nextPoll());
        model.applyFeedHealth("https://f.example/rss", null, T);
        assertEquals(List.of(), model.feeds());
    }

    @Test
    void readersAndTheWriterNeverWaitForEachOtherInACircle() throws Exception {
        // Found by bench --serve: readers holding the page cache waited for the model's lock
        // while a queued writer waited for a reader that waited for the cache.
        storyOne();
        List<Thread> threads = new ArrayList<>();
        java.util.concurrent.atomic.AtomicReference<Throwable> failed =
                new java.util.concurrent.atomic.AtomicReference<>();
        for (int r = 0; r < 8; r++) {
            String sort = List.of("trending", "new", "size").get(r % 3);
            threads.add(new Thread(() -> {
                try {
                    for (int i = 0; i < 300; i++) {
                        query("sort", sort);
                        query("q", "quake", "sort", sort);
                    }
                } catch (Throwable e) {
                    failed.set(e);
                }
            }));
        }
        threads.add(new Thread(() -> {
            for (int i = 0; i < 300; i++) {
                Instant t = T.minusSeconds(i);
                article("w" + i, "s1", null, 100 + i, t, "Wire", "Quake " + i);
                model.publishChanges();
            }
        }));
        threads.forEach(Thread::start);
        for (Thread t : threads) {
            t.join(120_000);
            assertTrue(!t.isAlive(), "a thread is stuck: a lock cycle");
        }
        assertNull(failed.get());
        assertEquals(303, model.stats().articles());
    }

    private ReadModel.StoryPage query(String... pairs) {
        Map<String, List<String>> params = new java.util.LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            params.put(pairs[i], List.of(pairs[i + 1]));
        }
        return model.stories(StoryQuery.parse(params));
    }

    private static List<String> ids(ReadModel.StoryPage page) {
        return page.stories().stream().map(ReadModel.StorySummary::id).toList();
    }
}
