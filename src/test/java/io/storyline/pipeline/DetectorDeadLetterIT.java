package io.storyline.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.storyline.article.Article;
import io.storyline.config.EngineConfig;
import io.storyline.config.PipelineConfig;
import io.storyline.engine.Engine;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * A record that is not an article and an article the engine fails on go to
 * {@code storyline.dead-letters} with their reason; the detector goes on as if it had never
 * seen them, also after a takeover, whose replay skips the records the dead letters list;
 * with checkpoints (the engine is then rebuilt from the latest one) and without (from the log
 * start).
 */
class DetectorDeadLetterIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int FIRST = 300;
    private static final int MORE = 100;
    private static final long NOT_JSON_AT = 50;
    /** The engine's STORY stage of the 120th new article fails: offset 120 (50 is no article). */
    private static final int FAILING_CALL = 120;
    private static final long ENGINE_FAILS_AT = 120;

    @TempDir
    Path dir;

    @ParameterizedTest(name = "detector.checkpoint.articles={0}")
    @ValueSource(strings = {"0", "40"})
    void badRecordsAreSetAsideAndTheStateIsAsIfTheyNeverCame(String checkpointEvery)
            throws Exception {
        List<Article> sample = PipelineTestKit.sample();
        Instant fetched = Instant.parse("2026-01-01T00:00:00Z");
        List<byte[]> values = new ArrayList<>();
        List<String> keys = new ArrayList<>();
        for (int i = 0; values.size() < FIRST + MORE + 1; i++) {
            if (values.size() == NOT_JSON_AT) {
                keys.add("garbage");
                values.add("{not json".getBytes(StandardCharsets.UTF_8));
            }
            keys.add(sample.get(i).id());
            values.add(Messages.article(new ArticleMessage(sample.get(i), 0, "file:test",
                    fetched)));
        }
        PipelineConfig config = PipelineTestKit.config(dir.resolve("kafka"),
                Map.of("detector.checkpoint.articles", checkpointEvery));
        try (KafkaCluster cluster = KafkaCluster.open(config)) {
            Map<String, Object> client = cluster.clientProperties();
            publish(client, keys.subList(0, FIRST + 1), values.subList(0, FIRST + 1));
            // The failure comes at the end of the engine's work on the article: every
            // structure has been updated by then, and all of it must be as before.
            AtomicInteger storyStages = new AtomicInteger();
            Engine.Probe failOnce = stage -> {
                if (stage == Engine.Stage.STORY
                        && storyStages.incrementAndGet() == FAILING_CALL) {
                    throw new IllegalStateException("injected engine failure");
                }
            };
            try (Detector detector = new Detector(client, config, EngineConfig.defaults(),
                    () -> new Detection(EngineConfig.defaults(), failOnce))) {
                new Thread(detector::run).start();
                List<ConsumerRecord<String, String>> out = PipelineTestKit.readCommitted(
                        client, Topics.ASSIGNMENTS, FIRST - 1, Duration.ofSeconds(90));
                assertEquals(expected(values.subList(0, FIRST + 1), Topics.ASSIGNMENTS),
                        PipelineTestKit.byKey(out));
            }

            List<ConsumerRecord<String, String>> letters = PipelineTestKit.readCommitted(
                    client, Topics.DEAD_LETTERS, 2, Duration.ofSeconds(30));
            assertEquals(2, letters.size());
            JsonNode notJson = JSON.readTree(letters.get(0).value());
            assertEquals("garbage", letters.get(0).key());
            assertEquals(Topics.ARTICLES, notJson.get("topic").asText());
            assertEquals(0, notJson.get("partition").asInt());
            assertEquals(NOT_JSON_AT, notJson.get("offset").asLong());
            assertEquals("parse", notJson.get("stage").asText());
            assertTrue(notJson.get("reason").asText().startsWith("not JSON"), notJson::toString);
            assertEquals("{not json", notJson.get("value").asText());
            JsonNode failed = JSON.readTree(letters.get(1).value());
            assertEquals(keys.get((int) ENGINE_FAILS_AT), letters.get(1).key());
            assertEquals(ENGINE_FAILS_AT, failed.get("offset").asLong());
            assertEquals("engine", failed.get("stage").asText());
            assertEquals("java.lang.IllegalStateException: injected engine failure",
                    failed.get("reason").asText());

            // A new instance replays the log without the two, then goes on.
            publish(client, keys.subList(FIRST + 1, values.size()),
                    values.subList(FIRST + 1, values.size()));
            try (Detector detector = new Detector(client, config, EngineConfig.defaults())) {
                new Thread(detector::run).start();
                List<ConsumerRecord<String, String>> out = PipelineTestKit.readCommitted(
                        client, Topics.ASSIGNMENTS, FIRST + MORE - 1, Duration.ofSeconds(90));
                assertEquals(expected(values, Topics.ASSIGNMENTS), PipelineTestKit.byKey(out));
                Map<String, String> stories = expected(values, Topics.STORIES);
                assertEquals(stories, latest(PipelineTestKit.readCommitted(client,
                        Topics.STORIES, Integer.MAX_VALUE, Duration.ofSeconds(5))));
                assertEquals(!checkpointEvery.equals("0"), detector.restoredBytes() > 0,
                        "the takeover restored a checkpoint");
            }
        }
    }

    private static void publish(Map<String, Object> client, List<String> keys,
            List<byte[]> values) {
        Map<String, Object> p = new HashMap<>(client);
        p.put("acks", "all");
        p.put("max.in.flight.requests.per.connection", 1); // see PipelineTestKit.produce
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(p,
                new StringSerializer(), new ByteArraySerializer())) {
            for (int i = 0; i < keys.size(); i++) {
                producer.send(new ProducerRecord<>(Topics.ARTICLES, keys.get(i), values.get(i)));
            }
            producer.flush();
        }
    }

    /** What an uninterrupted detector writes when the two bad records were never there. */
    private static Map<String, String> expected(List<byte[]> values, String topic) {
        Detection detection = new Detection(EngineConfig.defaults());
        Map<String, String> out = new TreeMap<>();
        for (int offset = 0; offset < values.size(); offset++) {
            if (Set.of(NOT_JSON_AT, ENGINE_FAILS_AT).contains((long) offset)) {
                continue;
            }
            ArticleMessage m = Messages.parseArticle(values.get(offset));
            for (Detection.Output o : detection.apply(m, offset).outputs()) {
                if (o.topic().equals(topic)) {
                    out.put(o.key(), Messages.utf8(o.value()));
                }
            }
        }
        return out;
    }

    /** The last record per key (the stories topic's latest snapshots). */
    private static Map<String, String> latest(List<ConsumerRecord<String, String>> records) {
        Map<String, String> out = new TreeMap<>();
        records.forEach(r -> out.put(r.key(), r.value()));
        return out;
    }

}
