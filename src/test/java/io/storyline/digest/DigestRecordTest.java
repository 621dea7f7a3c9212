package io.storyline.digest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The records of storyline.digests: format, key, partition, and reading them defensively. */
class DigestRecordTest {

    private static final LocalDate DAY = LocalDate.parse("2026-11-20");

    private static DigestRecord sent(LocalDate date, List<Recorded> stories) {
        return new DigestRecord("ed@example.org", date, DigestRecord.State.SENT,
                date.atStartOfDay().toInstant(java.time.ZoneOffset.UTC),
                Instant.parse("2026-11-20T06:00:02Z"), "1@host", false, stories, null);
    }

    @Test
    void aRecordReadsBackAsWritten() {
        DigestRecord r = sent(DAY, List.of(new Recorded("s1", 3, 2)));
        assertEquals("{\"schema\":1,\"subscriber\":\"ed@example.org\",\"date\":\"2026-11-20\","
                + "\"state\":\"sent\",\"sendAt\":\"2026-11-20T00:00:00Z\","
                + "\"at\":\"2026-11-20T06:00:02Z\",\"by\":\"1@host\",\"resend\":false,"
                + "\"stories\":[{\"story\":\"s1\",\"articles\":3,\"sources\":2}],"
                + "\"error\":null}", r.toJson());
        assertEquals(r, DigestRecord.fromJson(r.key(), r.toJson()));
        assertEquals("ed@example.org|2026-11-20", r.key());
    }

    @Test
    void everyDigestOfASubscriberIsInOnePartitionWhateverTheCase() {
        int p = DigestRecord.partition("Ed@Example.org", 6);
        assertEquals(p, DigestRecord.partition("ed@example.org", 6));
        assertTrue(p >= 0 && p < 6);
    }

    @Test
    void anUnreadableRecordCountsAsAnUnresolvedClaim() {
        DigestRecord r = DigestRecord.fromJson("ed@example.org|2026-11-20", "{not json");
        assertEquals(DigestRecord.State.UNREADABLE, r.state());
        assertTrue(r.unresolved());
        assertEquals(DAY, r.date());
        assertEquals(DigestRecord.State.UNREADABLE, DigestRecord.fromJson(
                "ed@example.org|2026-11-20", "{\"schema\":1,\"state\":\"mailed\"}").state());
    }

    @Test
    void aNewerSchemaStopsTheReader() {
        assertEquals("storyline.digests record 'ed@example.org|2026-11-20' has schema 2, newer "
                + "than 1: upgrade Storyline", assertThrows(DigestRecord.NewerSchema.class,
                        () -> DigestRecord.fromJson("ed@example.org|2026-11-20",
                                "{\"schema\":2}")).getMessage());
    }

    @Test
    void markersMeasureAgainstTheLatestSentDigestBeforeTheDate() {
        SortedMap<LocalDate, DigestRecord> history = new TreeMap<>();
        history.put(DAY.minusDays(2), sent(DAY.minusDays(2), List.of(new Recorded("old", 1, 1))));
        history.put(DAY.minusDays(1), new DigestRecord("ed@example.org", DAY.minusDays(1),
                DigestRecord.State.EMPTY, null, null, null, false, List.of(), null));
        history.put(DAY, sent(DAY, List.of(new Recorded("today", 1, 1))));
        assertEquals(List.of(new Recorded("old", 1, 1)), DigestLog.previous(history, DAY));
        assertEquals(List.of(), DigestLog.previous(history, DAY.minusDays(2)));
    }
}
