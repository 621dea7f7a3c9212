package io.storyline.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * The offsets of {@code storyline.articles} that the detector set aside, and the format of
 * their records in {@code storyline.dead-letters}. A replay skips exactly these offsets, so
 * the state it rebuilds is the one the detector had: the engine never saw them. Bounded: past
 * {@code detector.max-dead-letters} the detector stops, because that many failures are a bug.
 */
final class DeadLetters {

    /** Longest original value kept in a dead letter, so the letter fits where the record did. */
    static final int MAX_VALUE_CHARS = 100_000;

    private static final ObjectMapper JSON = new ObjectMapper();

    private final TreeSet<Long> offsets = new TreeSet<>();
    private final List<Long> pending = new ArrayList<>();
    private final int max;

    DeadLetters(int max) {
        this.max = max;
    }

    boolean contains(long offset) {
        return offsets.contains(offset);
    }

    int size() {
        return offsets.size();
    }

    /** Adds an offset; throws, naming the setting, once there are more than the limit. */
    void add(long offset) {
        if (offsets.add(offset) && offsets.size() > max) {
            throw new IllegalStateException("more than detector.max-dead-letters=" + max
                    + " records of " + Topics.ARTICLES + " could not be processed (the last at"
                    + " offset " + offset + "): stopping; see " + Topics.DEAD_LETTERS
                    + " for the reasons");
        }
    }

    /** Adds an offset set aside in the open transaction: {@link #abort} takes it back. */
    void addPending(long offset) {
        add(offset);
        pending.add(offset);
    }

    /** The open transaction committed: its dead letters are final. */
    void committed() {
        pending.clear();
    }

    /** The open transaction aborted: its dead letters were never written. */
    void aborted() {
        pending.forEach(offsets::remove);
        pending.clear();
    }

    /** Forgets offsets that the articles topic no longer holds (below its log start). */
    void forgetBefore(long logStart) {
        offsets.headSet(logStart).clear();
    }

    void clear() {
        offsets.clear();
        pending.clear();
    }

    /**
     * The dead letter of record {@code r}: where it was, why it failed ({@code stage} is
     * {@code parse} or {@code engine}), and its value as text, cut at {@link #MAX_VALUE_CHARS}.
     */
    static byte[] value(ConsumerRecord<String, byte[]> r, String stage, String reason) {
        String text = r.value() == null ? null : new String(r.value(), StandardCharsets.UTF_8);
        boolean cut = text != null && text.length() > MAX_VALUE_CHARS;
        String kept = cut ? text.substring(0, MAX_VALUE_CHARS) : text;
        return Messages.object(g -> {
            g.writeStringField("topic", r.topic());
            g.writeNumberField("partition", r.partition());
            g.writeNumberField("offset", r.offset());
            g.writeStringField("key", r.key());
            g.writeStringField("stage", stage);
            g.writeStringField("reason", reason);
            g.writeStringField("value", kept);
            g.writeBooleanField("valueTruncated", cut);
        });
    }

    /**
     * The {@code storyline.articles} offset a dead letter names, or -1 for a letter about
     * another topic or partition, or one this Storyline cannot read.
     */
    static long articlesOffset(byte[] value) {
        try {
            JsonNode node = JSON.readTree(value);
            if (node == null || !Topics.ARTICLES.equals(node.path("topic").asText())
                    || node.path("partition").asInt(-1) != 0
                    || !node.path("offset").canConvertToLong()) {
                return -1;
            }
            return node.get("offset").asLong();
        } catch (IOException e) {
            return -1;
        }
    }
}
