package io.storyline.ingest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What is remembered about one feed between polls: conditional-GET validators, the polling
 * interval and failures, and the entries already seen with their revision numbers. Immutable;
 * {@link FeedSchedule} and {@link EntryTracker} return new states. Its JSON form
 * ({@link #toJson}) is what a compacted topic keeps per feed.
 *
 * @param seen        article id to the entry's short content hash and revision, oldest first;
 *                    bounded (see {@link EntryTracker}) so a state stays small
 * @param lastProblem the feed's latest problem, kept for the health view (with
 *                    {@code consecutiveFailures}, which says whether it still fails), or null
 * @param lastPoll    when the feed was last polled, whatever the outcome (for the health
 *                    view), or null if never
 * @param location    where the feed is fetched from since it moved by a permanent redirect
 *                    (301, 308), or null to fetch {@code url}; {@code url} stays its name
 * @param gone        whether it answered 410 Gone: not polled again unless asked
 */
public record FeedState(
        String url,
        String etag,
        String lastModified,
        String contentHash,
        Duration interval,
        int consecutiveFailures,
        Instant nextPoll,
        Instant lastNewEntryAt,
        Map<String, Seen> seen,
        FeedProblem lastProblem,
        Instant lastPoll,
        String location,
        boolean gone) {

    /** Version of the JSON form; bumped when a field changes meaning. */
    public static final int SCHEMA = 1;

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * One seen entry.
     *
     * @param hash     the first 16 hex digits of the entry's content hash: 64 bits tell revisions
     *                 apart and keep a thousand entries in a state of a few tens of KB
     * @param revision 0 for the first version, +1 for each change seen
     */
    public record Seen(String hash, int revision) {
        public Seen {
            Objects.requireNonNull(hash, "hash");
        }
    }

    public FeedState {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(interval, "interval");
        Objects.requireNonNull(nextPoll, "nextPoll");
        // Map.copyOf would lose the order, and the order says which entries to forget first.
        seen = Collections.unmodifiableMap(new LinkedHashMap<>(
                seen == null ? Map.of() : seen));
    }

    /** A state of a feed at its own URL and not gone. */
    public FeedState(String url, String etag, String lastModified, String contentHash,
            Duration interval, int consecutiveFailures, Instant nextPoll, Instant lastNewEntryAt,
            Map<String, Seen> seen, FeedProblem lastProblem, Instant lastPoll) {
        this(url, etag, lastModified, contentHash, interval, consecutiveFailures, nextPoll,
                lastNewEntryAt, seen, lastProblem, lastPoll, null, false);
    }

    /** A state without a recorded problem or poll. */
    public FeedState(String url, String etag, String lastModified, String contentHash,
            Duration interval, int consecutiveFailures, Instant nextPoll, Instant lastNewEntryAt,
            Map<String, Seen> seen) {
        this(url, etag, lastModified, contentHash, interval, consecutiveFailures, nextPoll,
                lastNewEntryAt, seen, null, null);
    }

    /** A feed never fetched: poll at {@code now}, starting from {@code interval}. */
    public static FeedState initial(String url, Duration interval, Instant now) {
        return new FeedState(url, null, null, null, interval, 0, now, null, Map.of());
    }

    FeedState withSeen(Map<String, Seen> newSeen) {
        return new FeedState(url, etag, lastModified, contentHash, interval,
                consecutiveFailures, nextPoll, lastNewEntryAt, newSeen, lastProblem, lastPoll,
                location, gone);
    }

    /** The same state remembering {@code problem} as the feed's latest. */
    public FeedState withProblem(FeedProblem problem) {
        return new FeedState(url, etag, lastModified, contentHash, interval,
                consecutiveFailures, nextPoll, lastNewEntryAt, seen, problem, lastPoll,
                location, gone);
    }

    /** Due at {@code at}, even if gone: someone asked for a poll ("poll now"). */
    public FeedState dueAt(Instant at) {
        return new FeedState(url, etag, lastModified, contentHash, interval,
                consecutiveFailures, at, lastNewEntryAt, seen, lastProblem, lastPoll,
                location, false);
    }

    /** The URL to request: where the feed moved, else its own. */
    public String fetchUrl() {
        return location != null ? location : url;
    }

    /**
     * Whether {@code other} says the same about the feed but for when to poll it next
     * ({@code nextPoll}, {@code interval}): a poll that changes only those (a 304, say) need
     * not be written. A new owner that loads the older schedule polls once early, no more.
     */
    public boolean sameBesidesSchedule(FeedState other) {
        return other != null && url.equals(other.url)
                && Objects.equals(etag, other.etag)
                && Objects.equals(lastModified, other.lastModified)
                && Objects.equals(contentHash, other.contentHash)
                && consecutiveFailures == other.consecutiveFailures
                && Objects.equals(lastNewEntryAt, other.lastNewEntryAt)
                && Objects.equals(lastProblem, other.lastProblem)
                && Objects.equals(location, other.location)
                && gone == other.gone
                && List.copyOf(seen.entrySet()).equals(List.copyOf(other.seen.entrySet()));
    }

    public String toJson() {
        ObjectNode root = JSON.createObjectNode();
        root.put("schema", SCHEMA);
        root.put("url", url);
        root.put("etag", etag);
        root.put("lastModified", lastModified);
        root.put("contentHash", contentHash);
        root.put("intervalMs", interval.toMillis());
        root.put("consecutiveFailures", consecutiveFailures);
        root.put("nextPoll", nextPoll.toString());
        root.put("lastPoll", lastPoll == null ? null : lastPoll.toString());
        root.put("lastNewEntryAt", lastNewEntryAt == null ? null : lastNewEntryAt.toString());
        root.put("location", location);
        root.put("gone", gone);
        ObjectNode entries = root.putObject("seen");
        seen.forEach((id, s) -> entries.putArray(id).add(s.hash()).add(s.revision()));
        if (lastProblem == null) {
            root.putNull("lastProblem");
        } else {
            ObjectNode p = root.putObject("lastProblem");
            p.put("what", lastProblem.what().name());
            p.put("message", lastProblem.message());
            p.put("at", lastProblem.at().toString());
        }
        try {
            return JSON.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the state of feed " + url, e);
        }
    }

    /**
     * Reads {@link #toJson}'s form; errors name the feed (when known) and the field. A state
     * saved before {@code lastPoll}, {@code location} or {@code gone} existed reads with none
     * (they were added within schema 1: older readers ignore them).
     */
    public static FeedState fromJson(String json) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("feed state is not JSON: "
                    + e.getOriginalMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("feed state is not a JSON object");
        }
        String url = text(root, "url");
        if (url == null) {
            throw new IllegalArgumentException("feed state has no url");
        }
        int schema = root.path("schema").asInt(-1);
        if (schema != SCHEMA) {
            throw new IllegalArgumentException("feed state of " + url + " has schema "
                    + root.path("schema") + "; this version reads schema " + SCHEMA);
        }
        try {
            Map<String, Seen> seen = new LinkedHashMap<>();
            Iterator<Map.Entry<String, JsonNode>> fields = root.path("seen").fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> f = fields.next();
                JsonNode pair = f.getValue();
                if (!pair.isArray() || pair.size() != 2 || !pair.get(0).isTextual()) {
                    throw new IllegalArgumentException("seen entry " + f.getKey()
                            + " is not [hash, revision]");
                }
                seen.put(f.getKey(), new Seen(pair.get(0).asText(), pair.get(1).asInt()));
            }
            JsonNode p = root.path("lastProblem");
            FeedProblem problem = p.isObject() ? new FeedProblem(url,
                    FeedProblem.Kind.valueOf(text(p, "what")), text(p, "message"),
                    instant(p, "at")) : null;
            return new FeedState(url, text(root, "etag"), text(root, "lastModified"),
                    text(root, "contentHash"), Duration.ofMillis(number(root, "intervalMs")),
                    (int) number(root, "consecutiveFailures"), instant(root, "nextPoll"),
                    instant(root, "lastNewEntryAt"), seen, problem, instant(root, "lastPoll"),
                    text(root, "location"), root.path("gone").asBoolean(false));
        } catch (IllegalArgumentException | NullPointerException | DateTimeParseException e) {
            throw new IllegalArgumentException("feed state of " + url + " is invalid: "
                    + e.getMessage(), e);
        }
    }

    private static String text(JsonNode root, String field) {
        JsonNode v = root.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    private static long number(JsonNode root, String field) {
        JsonNode v = root.get(field);
        if (v == null || !v.canConvertToLong()) {
            throw new IllegalArgumentException(field + " is missing or not a number");
        }
        return v.asLong();
    }

    private static Instant instant(JsonNode root, String field) {
        String v = text(root, field);
        return v == null ? null : Instant.parse(v);
    }
}
