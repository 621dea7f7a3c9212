package io.storyline.digest;

import static io.storyline.view.Records.assignment;
import static io.storyline.view.Records.bytes;
import static io.storyline.view.Records.story;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.storyline.config.ServeConfig;
import io.storyline.digest.Digest.Item;
import io.storyline.digest.Digest.Marker;
import io.storyline.view.MutableClock;
import io.storyline.view.ReadModel;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Picking a digest's stories from a read model, with the clock fixed at the send time. */
class SelectionTest {

    /** 07:00 in Paris on 20 November. */
    private static final Instant DAY1 = Instant.parse("2026-11-20T06:00:00Z");
    private static final Instant DAY2 = DAY1.plus(Duration.ofDays(1));

    private final MutableClock clock = new MutableClock(DAY1);
    private final ReadModel model = new ReadModel(ServeConfig.defaults(), clock);
    private long seq;

    @AfterEach
    void close() {
        model.close();
    }

    private static Subscriber subscriber(DigestFilter filter, int stories) {
        return new Subscriber("ed@example.org", "Ed", LocalTime.of(7, 0),
                ZoneId.of("Europe/Paris"), filter, stories,
                URI.create("https://news.example.org/"));
    }

    private static SendTime on(Instant at) {
        return new SendTime(LocalDate.ofInstant(at, ZoneId.of("Europe/Paris")), at);
    }

    /** An article of {@code story} fetched at {@code fetched}, with the story's snapshot. */
    private void article(String id, String story, String copyOf, Instant fetched,
            String source, String title, String lang) {
        ObjectNode a = assignment(id, story, copyOf, ++seq, fetched, source, title);
        a.put("lang", lang);
        model.applyAssignment(bytes(a), fetched);
        model.applyStory(bytes(story(story, "open", 1, 0, "Headline of " + story, seq,
                fetched, List.of(source), List.of(), null)));
        model.publishChanges();
    }

    private void article(String id, String story, Instant fetched, String source) {
        article(id, story, null, fetched, source, "Title " + id, "en");
    }

    /** Day one: s1 hot with a copy, s2 quieter, s3 too old, s4 after the send time. */
    private void dayOne() {
        article("a1", "s1", null, DAY1.minusSeconds(1800), "Wire", "Quake hits Kyiv", "en");
        article("a2", "s1", "a1", DAY1.minusSeconds(1740), "Daily", "Quake hits Kyiv!", "en");
        article("a3", "s1", DAY1.minusSeconds(1680), "Herald");
        article("b1", "s2", DAY1.minus(Duration.ofHours(10)), "Wire");
        article("c1", "s3", DAY1.minus(Duration.ofHours(30)), "Wire");
        article("d1", "s4", DAY1.plusSeconds(600), "Wire");
    }

    private Digest select(Subscriber s, Instant at, List<Recorded> previous) {
        clock.set(at);
        return Selection.select(model, s, on(at), previous);
    }

    private static List<String> ids(Digest d) {
        return d.items().stream().map(Item::story).toList();
    }

    @Test
    void topStoriesOfTheLastDayAsStoriesNotArticles() {
        dayOne();
        Digest d = select(subscriber(DigestFilter.none(), 10), DAY1, List.of());
        assertEquals(List.of("s1", "s2"), ids(d));
        Item s1 = d.items().get(0);
        assertEquals("Headline of s1", s1.headline());
        assertEquals(3, s1.articles()); // the copy counts in its story, never as an item
        assertEquals(List.of("Wire", "Daily", "Herald"), s1.sources());
        assertEquals("Lead of Quake hits Kyiv.", s1.lead());
        assertEquals("https://example.org/a1", s1.firstUrl());
        assertEquals(URI.create("https://news.example.org/#/story/s1"), s1.link());
        assertEquals(Marker.NEW, s1.marker());
        assertTrue(s1.score() > d.items().get(1).score());
    }

    @Test
    void theStoryCountCapsTheDigest() {
        dayOne();
        assertEquals(List.of("s1"), ids(select(subscriber(DigestFilter.none(), 1), DAY1,
                List.of())));
    }

    @Test
    void theSecondDayMarksGrownStoriesAndLeavesOutUnchangedOnes() {
        dayOne();
        Subscriber ed = subscriber(DigestFilter.none(), 10);
        Digest first = select(ed, DAY1, List.of());
        List<Recorded> sent = first.items().stream().map(Item::recorded).toList();
        assertEquals(List.of(new Recorded("s1", 3, 3), new Recorded("s2", 1, 1)), sent);

        clock.set(DAY2);
        article("a4", "s1", DAY2.minus(Duration.ofHours(2)), "Agence");
        article("a5", "s1", DAY2.minus(Duration.ofHours(1)), "Wire");
        article("e1", "s5", DAY2.minus(Duration.ofHours(3)), "Courrier");
        Digest second = select(ed, DAY2, sent);
        // s4 arrived after day one's digest: new today, below the fresher s5. s2 had nothing
        // in the last day.
        assertEquals(List.of("s1", "s5", "s4"), ids(second));
        Item s1 = second.items().get(0);
        assertEquals(Marker.UPDATED, s1.marker());
        assertEquals(5, s1.articles());
        assertEquals(2, s1.addedArticles());
        assertEquals(1, s1.addedSources());
        assertEquals(Marker.NEW, second.items().get(2).marker());
    }

    @Test
    void aStoryShownBeforeAndUnchangedIsLeftOut() {
        dayOne();
        Digest d = select(subscriber(DigestFilter.none(), 10), DAY1,
                List.of(new Recorded("s2", 1, 1), new Recorded("s1", 2, 2)));
        assertEquals(List.of("s1"), ids(d));
        assertEquals(1, d.items().get(0).addedArticles());
        assertEquals(1, d.items().get(0).addedSources());
    }

    @Test
    void aStoryRecordedUnderAnIdItAbsorbedIsUpdatedNotNew() {
        dayOne();
        model.applyStory(bytes(story("s1", "open", 3, 1, "Headline of s1", ++seq,
                DAY1.minusSeconds(1680), List.of("Wire", "Daily", "Herald"), List.of("s0"),
                null)));
        model.publishChanges();
        Digest d = select(subscriber(DigestFilter.none(), 10), DAY1,
                List.of(new Recorded("s0", 1, 1)));
        assertEquals(Marker.UPDATED, d.items().get(0).marker());
        assertEquals(2, d.items().get(0).addedArticles());
    }

    @Test
    void anEarlierDateIsCountedAsOfItsSendTime() {
        dayOne();
        Subscriber ed = subscriber(DigestFilter.none(), 10);
        Digest before = select(ed, DAY1, List.of());
        clock.set(DAY2);
        article("a4", "s1", DAY2.minus(Duration.ofHours(2)), "Agence");
        Digest again = select(ed, DAY1, List.of());
        assertEquals(before, again);
    }

    @Test
    void filtersLanguagesSourcesKeywordsAndMinimumSources() {
        dayOne();
        article("f1", "s6", null, DAY1.minusSeconds(600), "Le Courrier", "Séisme", "fr");
        assertEquals(List.of("s6"), ids(select(subscriber(new DigestFilter(Set.of("fr"),
                Set.of(), List.of(), 1), 10), DAY1, List.of())));
        assertEquals(List.of("s1"), ids(select(subscriber(new DigestFilter(Set.of(),
                Set.of(), List.of(), 2), 10), DAY1, List.of())));
        assertEquals(List.of("s1"), ids(select(subscriber(new DigestFilter(Set.of(),
                Set.of("herald"), List.of(), 1), 10), DAY1, List.of())));
        assertEquals(List.of("s1"), ids(select(subscriber(new DigestFilter(Set.of(),
                Set.of(), List.of("kyiv"), 1), 10), DAY1, List.of())));
        assertEquals(List.of("s6", "s2"), ids(select(subscriber(new DigestFilter(Set.of(),
                Set.of("le courrier", "wire"), List.of("séisme", "title b1"), 1), 10), DAY1,
                List.of())));
    }

    @Test
    void nothingInTheLastDayMakesAnEmptyDigest() {
        dayOne();
        Instant later = DAY1.plus(Duration.ofDays(3));
        assertTrue(select(subscriber(DigestFilter.none(), 10), later, List.of()).isEmpty());
        assertEquals(new ArrayList<Item>(), select(subscriber(DigestFilter.none(), 10), later,
                List.of()).items());
    }
}
