package io.storyline.digest;

import java.time.Instant;
import java.time.LocalDate;

/**
 * When a subscriber's digest of one local date goes out.
 *
 * @param date the subscriber's local date the digest is for
 * @param at   the instant it is sent (the local send time on that date, in UTC)
 */
public record SendTime(LocalDate date, Instant at) {
}
