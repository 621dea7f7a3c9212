package io.storyline.digest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

/** Next send times across DST changes, and a subscriber whose local date is ahead of UTC. */
class SubscriberTest {

    private static Subscriber at(String time, String zone) {
        return new Subscriber("ed@example.org", "Ed", LocalTime.parse(time), ZoneId.of(zone),
                DigestFilter.none(), 10, URI.create("https://news.example.org/"));
    }

    private static SendTime next(Subscriber s, String after) {
        return s.nextSend(Instant.parse(after));
    }

    @Test
    void parisSpringForwardKeepsSevenLocal() {
        Subscriber s = at("07:00", "Europe/Paris");
        // 2026-03-29: clocks go from 02:00 to 03:00; 07:00 is UTC+1 before, UTC+2 after.
        assertEquals(new SendTime(LocalDate.parse("2026-03-28"),
                Instant.parse("2026-03-28T06:00:00Z")), next(s, "2026-03-27T06:00:00Z"));
        assertEquals(new SendTime(LocalDate.parse("2026-03-29"),
                Instant.parse("2026-03-29T05:00:00Z")), next(s, "2026-03-28T06:00:00Z"));
        assertEquals(new SendTime(LocalDate.parse("2026-03-30"),
                Instant.parse("2026-03-30T05:00:00Z")), next(s, "2026-03-29T05:00:00Z"));
    }

    @Test
    void aSendTimeInTheSpringGapMovesForwardByTheGap() {
        Subscriber s = at("02:30", "Europe/Paris");
        assertEquals(new SendTime(LocalDate.parse("2026-03-29"),
                Instant.parse("2026-03-29T01:30:00Z")), next(s, "2026-03-28T12:00:00Z"));
        assertEquals("2026-03-29T03:30+02:00[Europe/Paris]",
                s.sendTime(LocalDate.parse("2026-03-29")).at().atZone(s.zone()).toString());
    }

    @Test
    void aSendTimeThatHappensTwiceInAutumnIsSentOnce() {
        Subscriber s = at("01:30", "America/New_York");
        // 2026-11-01: 02:00 EDT becomes 01:00 EST; 01:30 happens at 05:30Z and at 06:30Z.
        SendTime first = next(s, "2026-10-31T12:00:00Z");
        assertEquals(new SendTime(LocalDate.parse("2026-11-01"),
                Instant.parse("2026-11-01T05:30:00Z")), first);
        assertEquals(new SendTime(LocalDate.parse("2026-11-02"),
                Instant.parse("2026-11-02T06:30:00Z")), s.nextSend(first.at()));
    }

    @Test
    void newYorkSpringForward() {
        Subscriber s = at("06:30", "America/New_York");
        // 2026-03-08: EST (UTC-5) becomes EDT (UTC-4) at 02:00.
        assertEquals(Instant.parse("2026-03-07T11:30:00Z"),
                next(s, "2026-03-07T00:00:00Z").at());
        assertEquals(Instant.parse("2026-03-08T10:30:00Z"),
                next(s, "2026-03-07T11:30:00Z").at());
    }

    @Test
    void eastOfUtcTheLocalDateIsAlreadyTomorrow() {
        Subscriber s = at("07:00", "Asia/Tokyo");
        // 23:00 UTC on Nov 20 is 08:00 on Nov 21 in Tokyo: the next is Nov 22's digest.
        assertEquals(new SendTime(LocalDate.parse("2026-11-22"),
                Instant.parse("2026-11-21T22:00:00Z")), next(s, "2026-11-20T23:00:00Z"));
        // 21:30 UTC on Nov 20 is 06:30 on Nov 21: Nov 21's digest goes half an hour later.
        assertEquals(new SendTime(LocalDate.parse("2026-11-21"),
                Instant.parse("2026-11-20T22:00:00Z")), next(s, "2026-11-20T21:30:00Z"));
    }
}
