package io.storyline.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.storyline.ingest.FeedSpec;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The feed registry against a real broker: one broker for the class, emptied between tests. */
class FeedRegistryIT {

    private static final FeedSpec LE_MONDE =
            new FeedSpec("https://www.lemonde.example/rss/une.xml", "Le Monde");
    private static final FeedSpec HORIZON =
            new FeedSpec("file:seeds/feeds/horizon-info.atom.xml", "Horizon Info - Monde");
    private static final FeedSpec BBC =
            new FeedSpec("http://feeds.bbc.example/news/world/rss.xml", "BBC World");

    @TempDir
    static Path dir;

    private static EmbeddedKafka kafka;
    private FeedRegistry registry;

    @BeforeAll
    static void startBroker() throws Exception {
        kafka = EmbeddedKafka.start(dir.resolve("kafka"), 0);
        createFeedsTopic(kafka.bootstrapServers());
    }

    static void createFeedsTopic(String bootstrap) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            admin.createTopics(List.of(new NewTopic(Topics.FEEDS, 1, (short) 1)
                    .configs(Map.of("cleanup.policy", "compact")))).all().get();
        }
    }

    @AfterAll
    static void stopBroker() {
        kafka.close();
    }

    @BeforeEach
    void emptyTheList() {
        registry = new FeedRegistry(clientProperties());
        registry.list().forEach(feed -> registry.remove(feed.url()));
    }

    @AfterEach
    void closeRegistry() {
        registry.close();
    }

    private static Map<String, Object> clientProperties() {
        return Map.of("bootstrap.servers", kafka.bootstrapServers());
    }

    @Test
    void addListsFeedsSortedByUrl() {
        assertTrue(registry.add(LE_MONDE));
        assertTrue(registry.add(HORIZON));
        assertTrue(registry.add(BBC));
        assertEquals(List.of(HORIZON, BBC, LE_MONDE), registry.list());
    }

    @Test
    void addingAListedFeedWritesNothingAndANewTitleReplacesTheOld() {
        registry.add(LE_MONDE);
        long before = records().size();
        assertFalse(registry.add(LE_MONDE));
        assertEquals(before, records().size());

        FeedSpec renamed = new FeedSpec(LE_MONDE.url(), "Le Monde - À la une");
        assertTrue(registry.add(renamed));
        assertEquals(List.of(renamed), registry.list());
    }

    @Test
    void valuesAreVersionedJsonAndTheFirstAddedTimeIsKept() {
        Instant t0 = Instant.parse("2024-03-21T08:15:00Z");
        try (FeedRegistry clocked = new FeedRegistry(clientProperties(),
                Clock.fixed(t0, ZoneOffset.UTC));
                FeedRegistry later = new FeedRegistry(clientProperties(),
                        Clock.fixed(t0.plusSeconds(60), ZoneOffset.UTC))) {
            clocked.add(LE_MONDE);
            later.add(new FeedSpec(LE_MONDE.url(), "Le Monde 2"));
        }
        List<ConsumerRecord<String, String>> records = records();
        ConsumerRecord<String, String> last = records.get(records.size() - 1);
        assertEquals(LE_MONDE.url(), last.key());
        assertEquals("{\"schema\":1,\"url\":\"https://www.lemonde.example/rss/une.xml\","
                + "\"title\":\"Le Monde 2\",\"added\":\"2024-03-21T08:15:00Z\"}", last.value());
    }

    @Test
    void removeWritesATombstone() {
        registry.add(LE_MONDE);
        registry.add(BBC);
        assertTrue(registry.remove(LE_MONDE.url()));
        assertFalse(registry.remove(LE_MONDE.url()));
        assertEquals(List.of(BBC), registry.list());

        List<ConsumerRecord<String, String>> records = records();
        ConsumerRecord<String, String> last = records.get(records.size() - 1);
        assertEquals(LE_MONDE.url(), last.key());
        assertNull(last.value());
    }

    @Test
    void importAllAddsOnlyMissingFeedsAndCountsTheRest() {
        registry.add(LE_MONDE);
        FeedSpec retitled = new FeedSpec(LE_MONDE.url(), "another title");
        FeedRegistry.ImportResult result =
                registry.importAll(List.of(HORIZON, retitled, BBC, HORIZON));
        assertEquals(new FeedRegistry.ImportResult(2, 2), result);
        assertEquals(List.of(HORIZON, BBC, LE_MONDE), registry.list());
    }

    @Test
    void aNewRegistryInstanceSeesTheSameList() {
        registry.importAll(List.of(LE_MONDE, HORIZON, BBC));
        registry.remove(HORIZON.url());
        try (FeedRegistry other = new FeedRegistry(clientProperties())) {
            assertEquals(List.of(BBC, LE_MONDE), other.list());
        }
    }

    @Test
    void recordsItCannotReadAreSkipped() throws Exception {
        registry.add(BBC);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(
                Map.of("bootstrap.servers", kafka.bootstrapServers()),
                new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>(Topics.FEEDS, "https://a.example/1", "not json"));
            producer.send(new ProducerRecord<>(Topics.FEEDS, "https://a.example/2",
                    "{\"schema\":2,\"url\":\"https://a.example/2\"}"));
            producer.send(new ProducerRecord<>(Topics.FEEDS, "gopher://a.example/3",
                    "{\"schema\":1,\"url\":\"gopher://a.example/3\"}")).get();
        }
        assertEquals(List.of(BBC), registry.list());
    }

    @Test
    void bootstrapServersAreRequired() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new FeedRegistry(Map.of("security.protocol", "SSL")));
        assertEquals("Kafka client properties for the feed registry lack bootstrap.servers"
                + " (given: [security.protocol])", e.getMessage());
    }

    @Test
    void aMissingTopicIsNamed(@TempDir Path otherDir) {
        try (EmbeddedKafka bare = EmbeddedKafka.start(otherDir, 0);
                FeedRegistry onBare = new FeedRegistry(
                        Map.of("bootstrap.servers", bare.bootstrapServers()))) {
            IllegalStateException e = assertThrows(IllegalStateException.class, onBare::list);
            assertEquals("topic storyline.feeds does not exist on " + bare.bootstrapServers(),
                    e.getMessage());
        }
    }

    /** Every record of the feeds topic, tombstones included, in offset order. */
    private static List<ConsumerRecord<String, String>> records() {
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(
                Map.of("bootstrap.servers", kafka.bootstrapServers()),
                new StringDeserializer(), new StringDeserializer())) {
            TopicPartition tp = new TopicPartition(Topics.FEEDS, 0);
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            long end = consumer.endOffsets(List.of(tp)).get(tp);
            List<ConsumerRecord<String, String>> records = new ArrayList<>();
            while (consumer.position(tp) < end) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
            return records;
        }
    }
}
