package io.storyline.digest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** When a digest is due: its send time passed, by at most the lateness, and no record. */
class DigestSchedulerTest {

    private static final Duration HOUR = Duration.ofHours(1);

    private static Subscriber at(String time, String zone) {
        return new Subscriber("ed@example.org", "Ed", LocalTime.parse(time), ZoneId.of(zone),
                DigestFilter.none(), 10, URI.create("https://news.example.org/"));
    }

    @Test
    void dueOnceItsSendTimeHasPassed() {
        Subscriber s = at("07:00", "Europe/Paris");
        assertNull(DigestScheduler.due(s, Instant.parse("2026-11-20T05:59:59Z"), HOUR,
                d -> false));
        assertEquals(new SendTime(LocalDate.parse("2026-11-20"),
                Instant.parse("2026-11-20T06:00:00Z")), DigestScheduler.due(s,
                        Instant.parse("2026-11-20T06:00:00Z"), HOUR, d -> false));
    }

    @Test
    void notDueOnceRecordedNorPastTheLateness() {
        Subscriber s = at("07:00", "Europe/Paris");
        assertNull(DigestScheduler.due(s, Instant.parse("2026-11-20T06:30:00Z"), HOUR,
                Set.of(LocalDate.parse("2026-11-20"))::contains));
        assertNull(DigestScheduler.due(s, Instant.parse("2026-11-20T07:00:01Z"), HOUR,
                d -> false));
    }

    @Test
    void theSummerSendTimeIsAnHourEarlierInUtc() {
        Subscriber s = at("07:00", "Europe/Paris");
        assertEquals(Instant.parse("2026-07-01T05:00:00Z"), DigestScheduler.due(s,
                Instant.parse("2026-07-01T05:00:00Z"), HOUR, d -> false).at());
    }

    @Test
    void eastOfUtcTheDigestIsOfTheNextLocalDate() {
        // 23:30 UTC on 20 November is 08:30 on 21 November in Tokyo.
        Subscriber s = at("08:00", "Asia/Tokyo");
        assertEquals(LocalDate.parse("2026-11-21"), DigestScheduler.due(s,
                Instant.parse("2026-11-20T23:30:00Z"), HOUR, d -> false).date());
    }

    @Test
    void aSendTimeInTheSpringGapIsDueOnceAfterTheGap() {
        // 02:30 does not exist in Paris on 29 March 2026: it is sent at 03:30 (01:30 UTC).
        Subscriber s = at("02:30", "Europe/Paris");
        assertNull(DigestScheduler.due(s, Instant.parse("2026-03-29T01:29:59Z"), HOUR,
                d -> false));
        assertEquals(Instant.parse("2026-03-29T01:30:00Z"), DigestScheduler.due(s,
                Instant.parse("2026-03-29T01:30:00Z"), HOUR, d -> false).at());
    }
}
