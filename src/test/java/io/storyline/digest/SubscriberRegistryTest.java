package io.storyline.digest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * Records of storyline.subscribers: the file's keys as JSON, validated as the file is when
 * read; a bad one is skipped for that subscriber only, named by its key.
 */
class SubscriberRegistryTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Subscriber ED = Subscribers.load(Path.of("config", "digests.yaml"))
            .get(0);

    private static String value(Subscriber s) {
        ObjectNode n = JSON.createObjectNode();
        n.put("schema", SubscriberRegistry.SCHEMA);
        n.setAll(Subscribers.json(s));
        n.put("added", "2026-12-02T07:00:00Z");
        return n.toString();
    }

    @Test
    void aSubscriberReadsBackFromItsRecord() {
        for (Subscriber s : Subscribers.load(Path.of("config", "digests.yaml"))) {
            assertEquals(s, SubscriberRegistry.parse(SubscriberRegistry.key(s.email()),
                    value(s)));
        }
    }

    @Test
    void aBadRecordIsRefusedNamingItsKeyTheSubscriberAndTheKey() {
        String bad = value(ED).replace("\"Europe/Paris\"", "\"Mars/Olympus\"");
        BadSubscriber e = assertThrows(BadSubscriber.class,
                () -> SubscriberRegistry.parse("redaction@example.org", bad));
        assertEquals("topic storyline.subscribers key 'redaction@example.org': subscriber "
                + "(redaction@example.org): \"zone\" must be an IANA time zone such as "
                + "Europe/Paris, not 'Mars/Olympus'", e.getMessage());
        assertEquals("zone", e.key());
    }

    @Test
    void aKeyInTheFiltersIsNamedWithItsPrefix() {
        String bad = value(ED).replace("\"min-sources\":1", "\"min-sources\":0");
        assertEquals("filters.min-sources", assertThrows(BadSubscriber.class,
                () -> SubscriberRegistry.parse("redaction@example.org", bad)).key());
    }

    @Test
    void aBadRecordRemovesThatSubscriberOnly() {
        Map<String, Subscriber> list = new HashMap<>();
        SubscriberRegistry.apply(record("redaction@example.org", value(ED)), list);
        SubscriberRegistry.apply(record("other@example.org", value(ED)
                .replace("redaction@", "other@")), list);
        SubscriberRegistry.apply(record("redaction@example.org", "{\"schema\":1}"), list);
        assertEquals(1, list.size());
        assertTrue(list.containsKey("other@example.org"));
        SubscriberRegistry.apply(record("other@example.org", null), list);
        assertTrue(list.isEmpty());
    }

    @Test
    void aRecordWhoseEmailIsNotItsKeyIsRefused() {
        assertEquals("email", assertThrows(BadSubscriber.class,
                () -> SubscriberRegistry.parse("someone@example.org", value(ED))).key());
    }

    private static ConsumerRecord<String, String> record(String key, String value) {
        return new ConsumerRecord<>("storyline.subscribers", 0, 0, key, value);
    }
}
