package io.storyline.pipeline;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.storyline.ingest.FeedSpec;
import io.storyline.ingest.FeedState;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The feed list, kept in the compacted topic {@value Topics#FEEDS} (key = feed URL, value =
 * feed JSON, a tombstone removes the feed) so that every ingestor instance reads the same list
 * and a change needs no restart. The topic is created elsewhere; this class only reads and
 * writes it.
 */
public final class FeedRegistry implements AutoCloseable {

    /** Version of the value JSON; records of a newer schema are skipped, not misread. */
    public static final int SCHEMA = 1;

    /** How long a read of the whole topic, or a write, may take before it is an error. */
    static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final Duration POLL = Duration.ofMillis(200);
    private static final int FETCH_MAX_WAIT_MS = 20;

    private static final Logger LOG = LoggerFactory.getLogger(FeedRegistry.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What {@link #importAll} did: feeds written, and feeds whose URL was already listed. */
    public record ImportResult(int added, int alreadyPresent) {
    }

    /** A feed as stored, with the time it was first added. */
    private record Entry(FeedSpec feed, String added) {
    }

    private final Map<String, Object> clientProperties;
    private final String servers;
    private final Clock clock;
    private final KafkaProducer<String, String> producer;

    /**
     * A registry on the cluster named by {@code clientProperties}: {@code bootstrap.servers}
     * plus any client settings both producer and consumer need (security, TLS, SASL).
     */
    public FeedRegistry(Map<String, Object> clientProperties) {
        this(clientProperties, Clock.systemUTC());
    }

    FeedRegistry(Map<String, Object> clientProperties, Clock clock) {
        Object servers = clientProperties.get("bootstrap.servers");
        if (servers == null || servers.toString().isBlank()) {
            throw new IllegalArgumentException("Kafka client properties for the feed registry"
                    + " lack bootstrap.servers (given: " + clientProperties.keySet() + ")");
        }
        this.clientProperties = Map.copyOf(clientProperties);
        this.servers = servers.toString();
        this.clock = clock;
        try {
            this.producer = new KafkaProducer<>(producerProperties(), new StringSerializer(),
                    new StringSerializer());
        } catch (KafkaException e) {
            throw new IllegalArgumentException("Kafka client properties for the feed registry"
                    + " are not valid: " + e.getMessage());
        }
    }

    /**
     * Adds {@code feed}, or changes its title when its URL is already listed (keeping the time
     * it was first added). Returns false, writing nothing, when it is listed as it is.
     */
    public boolean add(FeedSpec feed) {
        Entry current = read().get(feed.url());
        if (current != null && current.feed().equals(feed)) {
            return false;
        }
        String added = current == null ? clock.instant().toString() : current.added();
        await(send(feed.url(), json(feed, added)), "add feed '" + feed.url() + "'");
        return true;
    }

    /** Removes the feed with this URL (writes a tombstone); false if it was not listed. */
    public boolean remove(String url) {
        Objects.requireNonNull(url, "url");
        if (!read().containsKey(url)) {
            return false;
        }
        await(send(url, null), "remove feed '" + url + "'");
        return true;
    }

    /**
     * Asks the ingestor that owns the feed to poll it now: a command record in
     * {@value Topics#FEED_COMMANDS} (every ingestor reads them and acts on its own feeds).
     * Returns false, writing nothing, when the feed is not listed.
     */
    public boolean pollNow(String url) {
        Objects.requireNonNull(url, "url");
        if (!read().containsKey(url)) {
            return false;
        }
        Future<RecordMetadata> write;
        try {
            write = producer.send(new ProducerRecord<>(Topics.FEED_COMMANDS, url,
                    Messages.utf8(Messages.pollCommand(url, clock.instant()))));
        } catch (KafkaException e) {
            throw failure("ask for a poll of feed '" + url + "'", e);
        }
        await(write, "ask for a poll of feed '" + url + "'");
        return true;
    }

    /** The listed feeds, sorted by URL, as of the topic's end when the call starts. */
    public List<FeedSpec> list() {
        return read().values().stream().map(Entry::feed).toList();
    }

    /**
     * The latest state the ingestors saved per feed in {@value Topics#FEED_STATE} (polls,
     * failures, last problem, next poll), by URL: the health of the feeds. A feed never polled
     * has none; a state that cannot be read is logged and left out.
     */
    public Map<String, FeedState> states() {
        Map<String, FeedState> states = new TreeMap<>();
        readToEnd(Topics.FEED_STATE, "read the feed states", r -> {
            if (r.key() == null) {
                skip(r, "it has no key");
            } else if (r.value() == null) {
                states.remove(r.key());
            } else {
                try {
                    states.put(r.key(), FeedState.fromJson(r.value()));
                } catch (IllegalArgumentException e) {
                    skip(r, e.getMessage());
                }
            }
        });
        return states;
    }

    /**
     * Whether the registry has never held a feed: {@value Topics#FEEDS} was never written to.
     * Its offsets only grow, so a list emptied by removals, even once compaction has dropped
     * the tombstones, is not new.
     */
    public boolean isNew() {
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(consumerProperties(),
                new StringDeserializer(), new StringDeserializer())) {
            return consumer.endOffsets(partitions(consumer, Topics.FEEDS), TIMEOUT).values()
                    .stream().allMatch(end -> end == 0);
        } catch (KafkaException e) {
            throw failure("read the feed list", e);
        }
    }

    /**
     * Adds the feeds whose URL is not listed yet; a listed URL keeps its title. A URL given
     * twice counts once as added and then as already present.
     */
    public ImportResult importAll(List<FeedSpec> feeds) {
        Set<String> listed = new HashSet<>(read().keySet());
        String now = clock.instant().toString();
        List<Future<RecordMetadata>> writes = new ArrayList<>();
        int present = 0;
        for (FeedSpec feed : feeds) {
            if (listed.add(feed.url())) {
                writes.add(send(feed.url(), json(feed, now)));
            } else {
                present++;
            }
        }
        for (Future<RecordMetadata> write : writes) {
            await(write, "import " + feeds.size() + " feeds");
        }
        return new ImportResult(writes.size(), present);
    }

    @Override
    public void close() {
        producer.close(TIMEOUT);
    }

    private Map<String, Object> producerProperties() {
        Map<String, Object> p = new HashMap<>(clientProperties);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        return p;
    }

    private Map<String, Object> consumerProperties() {
        Map<String, Object> p = new HashMap<>(clientProperties);
        // Read by assignment: no group, no committed offsets, nothing left on the cluster.
        p.remove(ConsumerConfig.GROUP_ID_CONFIG);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        // A missing feeds topic is a setup error, not something to create with defaults.
        p.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        // A read stops at a known end: a fetch parked at the end would only delay close().
        p.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, FETCH_MAX_WAIT_MS);
        return p;
    }

    private Future<RecordMetadata> send(String url, String value) {
        try {
            return producer.send(new ProducerRecord<>(Topics.FEEDS, url, value));
        } catch (KafkaException e) {
            throw failure("write feed '" + url + "'", e);
        }
    }

    private void await(Future<RecordMetadata> write, String what) {
        try {
            write.get();
        } catch (ExecutionException e) {
            throw failure(what, e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw failure(what, e);
        }
    }

    /** Latest entry per URL, tombstones applied, sorted by URL. */
    private Map<String, Entry> read() {
        Map<String, Entry> feeds = new TreeMap<>();
        readToEnd(Topics.FEEDS, "read the feed list", r -> apply(r, feeds));
        return feeds;
    }

    /** Hands every record of {@code topic} up to its end when the call starts to {@code to}. */
    private void readToEnd(String topic, String what,
            Consumer<ConsumerRecord<String, String>> to) {
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(consumerProperties(),
                new StringDeserializer(), new StringDeserializer())) {
            List<TopicPartition> partitions = partitions(consumer, topic);
            consumer.assign(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, TIMEOUT);
            consumer.seekToBeginning(partitions);
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            List<TopicPartition> pending = new ArrayList<>(partitions);
            pending.removeIf(tp -> consumer.position(tp, TIMEOUT) >= end.get(tp));
            while (!pending.isEmpty()) {
                if (System.nanoTime() > deadline) {
                    TopicPartition tp = pending.get(0);
                    throw new IllegalStateException("reading topic " + topic + " on "
                            + servers + " took over " + TIMEOUT.toSeconds() + " s: partition "
                            + tp.partition() + " at offset " + consumer.position(tp)
                            + " of " + end.get(tp));
                }
                for (ConsumerRecord<String, String> r : consumer.poll(POLL)) {
                    TopicPartition tp = new TopicPartition(r.topic(), r.partition());
                    if (r.offset() < end.get(tp)) {
                        to.accept(r);
                    }
                }
                pending.removeIf(tp -> consumer.position(tp, TIMEOUT) >= end.get(tp));
            }
        } catch (KafkaException e) {
            throw failure(topic, what, e);
        }
    }

    private List<TopicPartition> partitions(KafkaConsumer<String, String> consumer,
            String topic) {
        List<PartitionInfo> infos = consumer.partitionsFor(topic, TIMEOUT);
        if (infos == null || infos.isEmpty()) {
            throw new IllegalStateException("topic " + topic + " does not exist on "
                    + servers);
        }
        return infos.stream().map(i -> new TopicPartition(i.topic(), i.partition())).toList();
    }

    private static void apply(ConsumerRecord<String, String> r, Map<String, Entry> feeds) {
        if (r.key() == null) {
            skip(r, "it has no key");
            return;
        }
        if (r.value() == null) {
            feeds.remove(r.key());
            return;
        }
        try {
            JsonNode node = JSON.readTree(r.value());
            int schema = node.path("schema").asInt(-1);
            if (schema != SCHEMA) {
                skip(r, "schema " + node.path("schema") + " is not " + SCHEMA);
                return;
            }
            // The key is the feed's identity; the url field is for people reading the topic.
            FeedSpec feed = new FeedSpec(r.key(), node.path("title").asText(""));
            feeds.put(feed.url(), new Entry(feed, node.path("added").asText("")));
        } catch (JsonProcessingException e) {
            skip(r, "its value is not JSON: " + e.getOriginalMessage());
        } catch (IllegalArgumentException e) {
            skip(r, e.getMessage());
        }
    }

    private static void skip(ConsumerRecord<String, String> r, String why) {
        LOG.warn("skipping record of topic {} partition {} offset {} (key '{}'): {}",
                r.topic(), r.partition(), r.offset(), r.key(), why);
    }

    private static String json(FeedSpec feed, String added) {
        ObjectNode node = JSON.createObjectNode();
        node.put("schema", SCHEMA);
        node.put("url", feed.url());
        node.put("title", feed.title());
        node.put("added", added);
        return node.toString();
    }

    private IllegalStateException failure(String what, Throwable cause) {
        return failure(Topics.FEEDS, what, cause);
    }

    private IllegalStateException failure(String topic, String what, Throwable cause) {
        return new IllegalStateException("cannot " + what + " (topic " + topic + " on "
                + servers + "): " + cause.getMessage(), cause);
    }
}
