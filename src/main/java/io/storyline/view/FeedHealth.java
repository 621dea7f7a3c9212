package io.storyline.view;

import java.time.Instant;

/**
 * A feed's health as its ingestor last published it ({@code storyline.feed-health}).
 *
 * @param status     {@code ok}, {@code failing}, {@code gone} (it answered 410: not polled
 *                   again unless asked) or {@code new} (not polled yet)
 * @param problem    the last problem's message, or null
 * @param problemAt  when it happened, or null
 * @param reported   when the ingestor published this record (the Kafka timestamp)
 */
public record FeedHealth(
        String url,
        String status,
        int consecutiveFailures,
        Instant lastPoll,
        Instant nextPoll,
        Instant lastNewEntry,
        String problemKind,
        String problem,
        Instant problemAt,
        Instant reported) {
}
