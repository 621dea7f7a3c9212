package io.storyline.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class WatermarkTest {

    private static final long T0 = Instant.parse("2024-03-05T08:00:00Z").toEpochMilli();
    private static final long HOUR = Duration.ofHours(1).toMillis();
    private static final long WINDOW = 72 * HOUR;

    @Test
    void unknownUntilAnArticleHasATime() {
        Watermark w = new Watermark(WINDOW);
        assertEquals(Watermark.UNKNOWN, w.value());
        w.observe(T0);
        assertEquals(T0, w.value());
        assertEquals(T0, w.first());
    }

    @Test
    void followsTheHighestTimeAndNeverGoesBack() {
        Watermark w = new Watermark(WINDOW);
        w.observe(T0);
        w.observe(T0 + 5 * HOUR);
        w.observe(T0 + HOUR); // late article
        assertEquals(T0 + 5 * HOUR, w.value());
        w.observe(T0 + 6 * 24 * HOUR); // a gap of six days is a plausible quiet spell
        assertEquals(T0 + 6 * 24 * HOUR, w.value());
    }

    @Test
    void aLoneFarFutureTimeDoesNotMoveIt() {
        Watermark w = new Watermark(WINDOW);
        w.observe(T0);
        w.observe(Instant.parse("2999-01-01T00:00:00Z").toEpochMilli());
        assertEquals(T0, w.value());
        w.observe(T0 + HOUR);
        assertEquals(T0 + HOUR, w.value());
    }

    @Test
    void aJumpConfirmedByTheNextArticleMovesIt() {
        Watermark w = new Watermark(WINDOW);
        long later = T0 + 30 * 24 * HOUR;
        w.observe(T0);
        w.observe(later);
        assertEquals(T0, w.value());
        w.observe(later + HOUR);
        assertEquals(later, w.value());
        assertEquals(T0, w.first());
    }
}
