package io.storyline.pipeline;

import static io.storyline.pipeline.IngestTestKit.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.storyline.config.PipelineConfig;
import io.storyline.ingest.EntryIdentity;
import io.storyline.ingest.FeedSpec;
import io.storyline.ingest.FixtureServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Nothing is lost when the broker restarts while the ingestor is publishing. */
class IngestorBrokerRestartIT {

    private static final int FEEDS = 200;
    private static final int ENTRIES = 20;

    @TempDir
    Path dir;

    @Test
    void everyArticleIsPublishedWhenTheBrokerRestartsDuringIngestion() throws Exception {
        PipelineConfig config = PipelineTestKit.config(dir.resolve("kafka"));
        EmbeddedKafka kafka = EmbeddedKafka.start(config.dataDir(), 0);
        Map<String, Object> client = Map.of("bootstrap.servers", kafka.bootstrapServers());
        Ingestor ingestor = null;
        Thread loop = null;
        try (FixtureServer server = FixtureServer.start()) {
            try (Admin admin = Admin.create(client)) {
                TopicSetup.ensure(admin, config);
            }
            List<FeedSpec> feeds = new ArrayList<>();
            Set<String> expected = new HashSet<>();
            for (int f = 0; f < FEEDS; f++) {
                String url = server.syntheticFeed(f, ENTRIES);
                feeds.add(new FeedSpec(url, ""));
                for (int e = 0; e < ENTRIES; e++) {
                    expected.add(EntryIdentity.articleId(url, "urn:synthetic:" + f + ":" + e,
                            null, null, null, null));
                }
            }
            try (FeedRegistry registry = new FeedRegistry(client)) {
                registry.importAll(feeds);
            }
            ingestor = new Ingestor(client, IngestTestKit.ingestConfig(Map.of(
                    "ingest.concurrency", "4")), Clock.systemUTC());
            loop = IngestTestKit.start(ingestor, "ingestor");

            Ingestor running = ingestor;
            await("the first articles published", () -> running.published() >= 2 * ENTRIES);
            kafka.close();
            long beforeRestart = ingestor.published();
            assertTrue(beforeRestart < expected.size(), "stopped while ingesting ("
                    + beforeRestart + " of " + expected.size() + " published)");
            // Long enough for sends to pile up and for polls to block on acknowledgements.
            Thread.sleep(3000);
            kafka = EmbeddedKafka.start(config.dataDir(), 0);
            assertEquals(client.get("bootstrap.servers"), kafka.bootstrapServers());

            Map<String, Integer> copies = copiesOnceComplete(client, expected);
            assertEquals(expected.size(), copies.size(), "no other articles or revisions");
            int duplicates = copies.values().stream().mapToInt(n -> n - 1).sum();
            System.out.printf("broker restart after %d of %d articles: %d published twice%n",
                    beforeRestart, expected.size(), duplicates);
        } finally {
            if (ingestor != null) {
                ingestor.close();
                loop.join(Duration.ofSeconds(30).toMillis());
            }
            kafka.close();
        }
    }

    /**
     * Follows {@link Topics#ARTICLES} from its start until every expected id has arrived;
     * returns the copies of each id#revision read by then.
     */
    private static Map<String, Integer> copiesOnceComplete(Map<String, Object> client,
            Set<String> expected) {
        Map<String, Integer> copies = new HashMap<>();
        Set<String> missing = new HashSet<>(expected);
        TopicPartition articles = new TopicPartition(Topics.ARTICLES, 0);
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(client,
                new StringDeserializer(), new StringDeserializer())) {
            consumer.assign(List.of(articles));
            consumer.seekToBeginning(List.of(articles));
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (!missing.isEmpty()) {
                if (System.nanoTime() > deadline) {
                    fail(missing.size() + " of " + expected.size() + " articles missing"
                            + " from " + Topics.ARTICLES + " 60 s after the restart");
                }
                count(consumer.poll(Duration.ofMillis(200)), copies, missing);
            }
            // Copies still on their way show up within a moment.
            count(consumer.poll(Duration.ofMillis(500)), copies, missing);
        }
        return copies;
    }

    private static void count(Iterable<ConsumerRecord<String, String>> records,
            Map<String, Integer> copies, Set<String> missing) {
        for (ConsumerRecord<String, String> r : records) {
            ArticleMessage m = Messages.parseArticle(r.value().getBytes(StandardCharsets.UTF_8));
            copies.merge(m.article().id() + "#" + m.revision(), 1, Integer::sum);
            missing.remove(m.article().id());
        }
    }
}
