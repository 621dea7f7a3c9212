package io.storyline.digest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.storyline.pipeline.Topics;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The digest subscribers, kept in the compacted topic {@value Topics#SUBSCRIBERS} (key = email
 * in lower case, value = the subscriber as JSON with the subscribers file's keys plus
 * {@code schema} and {@code added}; a tombstone removes one). Every record is validated when
 * read: a bad one is logged naming its key and skipped, and only that subscriber is missing.
 */
public final class SubscriberRegistry implements AutoCloseable {

    /** Version of the value JSON. */
    public static final int SCHEMA = 1;
    static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final Logger LOG = LoggerFactory.getLogger(SubscriberRegistry.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What {@link #importAll} did. */
    public record ImportResult(int added, int alreadyPresent) {
    }

    private final Map<String, Object> client;
    private final Clock clock;
    private final KafkaProducer<String, String> producer;

    public SubscriberRegistry(Map<String, Object> client, Clock clock) {
        this.client = Map.copyOf(client);
        this.clock = clock;
        Map<String, Object> p = new HashMap<>(client);
        p.put("acks", "all");
        p.put("enable.idempotence", true);
        this.producer = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer());
    }

    /** The key of a subscriber: its email in lower case. */
    public static String key(String email) {
        return email.strip().toLowerCase(Locale.ROOT);
    }

    /** The valid subscribers, by key, as of the topic's end when the call starts. */
    public SortedMap<String, Subscriber> list() {
        SortedMap<String, Subscriber> out = new TreeMap<>();
        TopicReads.readToEnd(client, Topics.SUBSCRIBERS, -1, r -> apply(r, out));
        return out;
    }

    /**
     * Applies one record of the topic to {@code into}: a tombstone removes, a valid record
     * puts, a bad one is logged naming the key and why, and removes that subscriber only.
     */
    static void apply(ConsumerRecord<String, String> r, Map<String, Subscriber> into) {
        if (r.key() == null) {
            LOG.warn("skipping record of topic {} partition {} offset {}: it has no key",
                    r.topic(), r.partition(), r.offset());
            return;
        }
        if (r.value() == null) {
            into.remove(r.key());
            return;
        }
        try {
            into.put(r.key(), parse(r.key(), r.value()));
        } catch (RuntimeException e) {
            // Whatever is wrong with one record costs that subscriber only.
            into.remove(r.key());
            LOG.error("subscriber '{}' skipped: record of topic {} partition {} offset {} is "
                    + "not valid: {}", Subscribers.printable(r.key()), r.topic(),
                    r.partition(), r.offset(), e.getMessage());
        }
    }

    /** A record's subscriber, checked as the file's are. */
    static Subscriber parse(String key, String value) {
        String origin = "topic " + Topics.SUBSCRIBERS + " key '" + Subscribers.printable(key)
                + "'";
        JsonNode n;
        try {
            n = JSON.readTree(value);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException(origin + ": not JSON: " + e.getOriginalMessage());
        }
        if (!n.isObject()) {
            throw new IllegalArgumentException(origin + ": not a JSON object");
        }
        int schema = n.path("schema").asInt(-1);
        if (schema != SCHEMA) {
            throw new IllegalArgumentException(origin + ": schema " + n.path("schema")
                    + " is not " + SCHEMA);
        }
        ObjectNode body = ((ObjectNode) n).deepCopy();
        body.remove("schema");
        body.remove("added");
        Subscriber s = Subscribers.one(body, origin);
        if (!key(s.email()).equals(key)) {
            throw new BadSubscriber("email", origin + ": subscriber (" + s.email()
                    + "): \"email\" does not match the key");
        }
        return s;
    }

    /** Adds or replaces {@code s}; false when it is listed exactly so already. */
    public boolean add(Subscriber s) {
        Subscriber now = list().get(key(s.email()));
        if (s.equals(now)) {
            return false;
        }
        await(send(key(s.email()), value(s)), "add subscriber " + s.email());
        return true;
    }

    /** Removes the subscriber (a tombstone); false when it was not listed. */
    public boolean remove(String email) {
        String key = key(email);
        if (!list().containsKey(key)) {
            return false;
        }
        await(send(key, null), "remove subscriber " + email);
        return true;
    }

    /**
     * Whether the topic was never written to: the subscribers file is imported only then (on
     * first start), so a subscriber removed through the admin API stays removed.
     */
    public boolean isNew() {
        try (KafkaConsumer<String, String> c = new KafkaConsumer<>(
                TopicReads.consumerProperties(client), new StringDeserializer(),
                new StringDeserializer())) {
            return c.endOffsets(TopicReads.partitions(c, Topics.SUBSCRIBERS), TIMEOUT)
                    .values().stream().allMatch(end -> end == 0);
        } catch (KafkaException e) {
            throw new IllegalStateException("cannot read topic " + Topics.SUBSCRIBERS + ": "
                    + e.getMessage(), e);
        }
    }

    /** Adds the subscribers not listed yet; a listed one is left as it is. */
    public ImportResult importAll(List<Subscriber> subscribers) {
        Map<String, Subscriber> listed = new HashMap<>(list());
        List<Future<RecordMetadata>> writes = new ArrayList<>();
        int present = 0;
        for (Subscriber s : subscribers) {
            if (listed.putIfAbsent(key(s.email()), s) == null) {
                writes.add(send(key(s.email()), value(s)));
            } else {
                present++;
            }
        }
        for (Future<RecordMetadata> w : writes) {
            await(w, "import " + subscribers.size() + " subscribers");
        }
        return new ImportResult(writes.size(), present);
    }

    private String value(Subscriber s) {
        ObjectNode n = JSON.createObjectNode();
        n.put("schema", SCHEMA);
        n.setAll(Subscribers.json(s));
        n.put("added", clock.instant().toString());
        return n.toString();
    }

    private Future<RecordMetadata> send(String key, String value) {
        try {
            return producer.send(new ProducerRecord<>(Topics.SUBSCRIBERS, key, value));
        } catch (KafkaException e) {
            throw new IllegalStateException("cannot write subscriber '" + key + "' to "
                    + Topics.SUBSCRIBERS + ": " + e.getMessage(), e);
        }
    }

    private static void await(Future<RecordMetadata> write, String what) {
        try {
            write.get();
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot " + what + " (topic " + Topics.SUBSCRIBERS
                    + "): " + e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted: " + what, e);
        }
    }

    @Override
    public void close() {
        producer.close(TIMEOUT);
    }
}
