package io.storyline.digest;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Objects;

/**
 * One digest subscriber, validated by {@link Subscribers}. The email address is the
 * subscriber's key.
 *
 * @param sendAt       local time of day the digest goes out, in {@code zone}
 * @param zone         the subscriber's IANA time zone
 * @param stories      most stories in one digest
 * @param dashboardUrl the dashboard's public URL (http or https, ends with a slash): story
 *                     links point there
 */
public record Subscriber(String email, String name, LocalTime sendAt, ZoneId zone,
        DigestFilter filter, int stories, URI dashboardUrl) {

    public Subscriber {
        Objects.requireNonNull(email, "email");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(sendAt, "sendAt");
        Objects.requireNonNull(zone, "zone");
        Objects.requireNonNull(filter, "filter");
        Objects.requireNonNull(dashboardUrl, "dashboardUrl");
    }

    /**
     * When the digest of local date {@code date} is sent. On a spring-forward day a send time
     * in the gap moves forward by the gap's length (02:30 becomes 03:30); on a fall-back day a
     * send time that happens twice is the earlier of the two, so it is sent once.
     */
    public SendTime sendTime(LocalDate date) {
        return new SendTime(date, ZonedDateTime.of(date, sendAt, zone).toInstant());
    }

    /** The first send strictly after {@code after}. */
    public SendTime nextSend(Instant after) {
        // From the day before: a send time in a gap at midnight moves into the next day.
        LocalDate date = LocalDate.ofInstant(after, zone).minusDays(1);
        SendTime t = sendTime(date);
        while (!t.at().isAfter(after)) {
            date = date.plusDays(1);
            t = sendTime(date);
        }
        return t;
    }

    /** The dashboard's page of story {@code id}. */
    public URI storyLink(String id) {
        return dashboardUrl.resolve("#/story/" + URLEncoder.encode(id, StandardCharsets.UTF_8));
    }
}
