package io.storyline.digest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.apache.kafka.common.utils.Utils;

/**
 * One record of {@code storyline.digests}: where one subscriber's digest of one local date
 * stands. Key {@code email|date} (email in lower case); every digest of a subscriber lives
 * in the partition its email hashes to, so the instance owning that partition owns the
 * subscriber's digests.
 *
 * @param subscriber the subscriber's email, lower case
 * @param date       the subscriber's local date of the digest
 * @param state      where it stands
 * @param sendAt     its scheduled send time
 * @param at         when this record was written
 * @param by         the process that wrote it ({@code pid@host})
 * @param resend     whether the claim was a resend asked for on purpose
 * @param stories    the stories it holds with their counts (planned in a claim, sent in a
 *                   sent record): the next digest's "updated" markers measure against them
 * @param error      why a send failed, or null
 */
public record DigestRecord(String subscriber, LocalDate date, State state, Instant sendAt,
        Instant at, String by, boolean resend, List<Recorded> stories, String error) {

    /** Version of the value JSON; a reader meeting a newer one stops rather than misread. */
    public static final int SCHEMA = 1;
    /** Most stories recorded (a digest holds at most 50). */
    static final int MAX_STORIES = 100;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Where a digest stands. */
    public enum State {
        /** Claimed before sending; not yet known to be sent. Unresolved while it stays so. */
        CLAIMED,
        /** The SMTP server took it. */
        SENT,
        /** Every attempt failed (the error says why); not sent again without --resend. */
        FAILED,
        /** Nothing new or changed to send: nothing was sent. */
        EMPTY,
        /** A record this version cannot read: counted as unresolved, never sent over. */
        UNREADABLE;

        String json() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public DigestRecord {
        Objects.requireNonNull(subscriber, "subscriber");
        Objects.requireNonNull(date, "date");
        Objects.requireNonNull(state, "state");
        stories = List.copyOf(stories);
    }

    /** Whether nobody knows if it went out: a claim never resolved, or a record unread. */
    public boolean unresolved() {
        return state == State.CLAIMED || state == State.UNREADABLE;
    }

    public String key() {
        return key(subscriber, date);
    }

    public static String key(String email, LocalDate date) {
        return email.toLowerCase(Locale.ROOT) + "|" + date;
    }

    /** The partition of {@code storyline.digests} that holds every digest of {@code email}. */
    public static int partition(String email, int partitions) {
        byte[] bytes = email.toLowerCase(Locale.ROOT).getBytes(StandardCharsets.UTF_8);
        return Utils.toPositive(Utils.murmur2(bytes)) % partitions;
    }

    public String toJson() {
        ObjectNode n = JSON.createObjectNode();
        n.put("schema", SCHEMA);
        n.put("subscriber", subscriber);
        n.put("date", date.toString());
        n.put("state", state.json());
        n.put("sendAt", sendAt == null ? null : sendAt.toString());
        n.put("at", at == null ? null : at.toString());
        n.put("by", by);
        n.put("resend", resend);
        ArrayNode list = n.putArray("stories");
        for (Recorded r : stories) {
            list.addObject().put("story", r.story()).put("articles", r.articles())
                    .put("sources", r.sources());
        }
        n.put("error", error);
        return n.toString();
    }

    /**
     * Reads a record of key {@code key}. A value that is not a digest record comes back as
     * {@link State#UNREADABLE} (so it blocks sending, never lets a digest go twice).
     *
     * @throws NewerSchema when the record's schema is newer than this version reads
     */
    public static DigestRecord fromJson(String key, String value) {
        int bar = key == null ? -1 : key.lastIndexOf('|');
        String email = bar < 0 ? String.valueOf(key) : key.substring(0, bar);
        LocalDate date;
        try {
            date = bar < 0 ? LocalDate.EPOCH : LocalDate.parse(key.substring(bar + 1));
        } catch (DateTimeParseException e) {
            date = LocalDate.EPOCH;
        }
        try {
            JsonNode n = JSON.readTree(value);
            int schema = n.path("schema").asInt(-1);
            if (schema > SCHEMA) {
                throw new NewerSchema("storyline.digests record '" + key + "' has schema "
                        + schema + ", newer than " + SCHEMA + ": upgrade Storyline");
            }
            if (schema != SCHEMA) {
                throw new IllegalArgumentException("schema " + n.path("schema"));
            }
            List<Recorded> stories = new ArrayList<>();
            for (JsonNode s : n.path("stories")) {
                if (stories.size() < MAX_STORIES && s.path("story").isTextual()) {
                    stories.add(new Recorded(s.path("story").asText(),
                            s.path("articles").asInt(0), s.path("sources").asInt(0)));
                }
            }
            return new DigestRecord(email, date,
                    State.valueOf(n.path("state").asText("").toUpperCase(Locale.ROOT)),
                    instant(n.path("sendAt")), instant(n.path("at")),
                    n.path("by").asText(null), n.path("resend").asBoolean(false), stories,
                    n.path("error").asText(null));
        } catch (NewerSchema e) {
            throw e;
        } catch (JsonProcessingException | RuntimeException e) {
            return new DigestRecord(email, date, State.UNREADABLE, null, null, null, false,
                    List.of(), "unreadable record: " + e.getMessage());
        }
    }

    private static Instant instant(JsonNode n) {
        return n.isTextual() ? Instant.parse(n.asText()) : null;
    }

    /** A record of a newer format than this version reads: readers stop on it. */
    public static final class NewerSchema extends IllegalStateException {
        private static final long serialVersionUID = 1L;

        NewerSchema(String message) {
            super(message);
        }
    }
}
