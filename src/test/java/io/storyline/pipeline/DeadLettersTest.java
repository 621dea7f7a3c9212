package io.storyline.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

class DeadLettersTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static ConsumerRecord<String, byte[]> record(long offset, String value) {
        return new ConsumerRecord<>(Topics.ARTICLES, 0, offset, "k" + offset,
                value == null ? null : value.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aLetterSaysWhereTheRecordWasWhyItFailedAndWhatItHeld() throws Exception {
        byte[] letter = DeadLetters.value(record(7, "{oops"), "parse", "not JSON: x");
        JsonNode node = JSON.readTree(letter);
        assertEquals("{\"schema\":1,\"topic\":\"storyline.articles\",\"partition\":0,"
                + "\"offset\":7,\"key\":\"k7\",\"stage\":\"parse\",\"reason\":\"not JSON: x\","
                + "\"value\":\"{oops\",\"valueTruncated\":false}", node.toString());
        assertEquals(7, DeadLetters.articlesOffset(letter));
    }

    @Test
    void aHugeValueIsCutSoTheLetterFitsWhereTheRecordDid() throws Exception {
        String huge = "x".repeat(DeadLetters.MAX_VALUE_CHARS + 10);
        JsonNode node = JSON.readTree(DeadLetters.value(record(1, huge), "engine", "boom"));
        assertEquals(DeadLetters.MAX_VALUE_CHARS, node.get("value").asText().length());
        assertTrue(node.get("valueTruncated").asBoolean());
        assertTrue(JSON.readTree(DeadLetters.value(record(2, null), "parse", "empty value"))
                .get("value").isNull());
    }

    @Test
    void lettersAboutOtherTopicsOrUnreadableOnesNameNoArticleOffset() {
        ConsumerRecord<String, byte[]> other = new ConsumerRecord<>(Topics.FEEDS, 0, 3, "k",
                new byte[0]);
        assertEquals(-1, DeadLetters.articlesOffset(DeadLetters.value(other, "parse", "x")));
        assertEquals(-1, DeadLetters.articlesOffset("not json".getBytes(
                StandardCharsets.UTF_8)));
    }

    @Test
    void anAbortedTransactionTakesItsLettersBackACommittedOneKeepsThem() {
        DeadLetters letters = new DeadLetters(10);
        letters.addPending(5);
        letters.committed();
        letters.addPending(9);
        letters.aborted();
        assertTrue(letters.contains(5));
        assertFalse(letters.contains(9));
        letters.forgetBefore(6);
        assertEquals(0, letters.size());
    }

    @Test
    void pastTheLimitTheDetectorStopsNamingTheSetting() {
        DeadLetters letters = new DeadLetters(2);
        letters.add(1);
        letters.add(2);
        letters.add(2); // the same offset again is no new letter
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> letters.add(3));
        assertEquals("more than detector.max-dead-letters=2 records of storyline.articles "
                + "could not be processed (the last at offset 3): stopping; see "
                + "storyline.dead-letters for the reasons", e.getMessage());
    }
}
