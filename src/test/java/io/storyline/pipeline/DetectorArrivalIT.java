package io.storyline.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.storyline.article.Article;
import io.storyline.config.EngineConfig;
import io.storyline.config.PipelineConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * In the pipeline the window follows arrival as the broker stamps it (LogAppendTime), not the
 * clocks of the ingestors: a copy fetched by an ingestor whose clock runs days ahead still
 * finds the original it arrived seconds after.
 */
class DetectorArrivalIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void theWindowFollowsTheBrokersClockNotTheIngestors() throws Exception {
        Article original = PipelineTestKit.sample().get(3);
        Article copy = new Article("copy-of-3", null, "Syndicator", "en", original.title(),
                original.text(), original.published());
        Instant fetched = Instant.parse("2026-01-01T00:00:00Z");
        // Beyond the 72-hour window by the fetch times the two ingestors wrote.
        Instant skewed = fetched.plus(Duration.ofDays(5));
        PipelineConfig config = PipelineTestKit.config(dir.resolve("kafka"));
        try (KafkaCluster cluster = KafkaCluster.open(config)) {
            PipelineTestKit.produce(cluster.clientProperties(), List.of(
                    new ArticleMessage(original, 0, "file:a", fetched),
                    new ArticleMessage(copy, 0, "file:b", skewed)));
            try (Detector detector = new Detector(cluster.clientProperties(), config,
                    EngineConfig.defaults())) {
                new Thread(detector::run).start();
                List<ConsumerRecord<String, String>> out = PipelineTestKit.readCommitted(
                        cluster.clientProperties(), Topics.ASSIGNMENTS, 2,
                        Duration.ofSeconds(60));
                JsonNode assigned = out.stream().filter(r -> r.key().equals("copy-of-3"))
                        .map(r -> read(r.value())).findFirst().orElseThrow();
                assertEquals("exact_duplicate", assigned.get("verdict").asText(),
                        assigned::toString);
                assertEquals(original.id(), assigned.get("duplicateOf").asText());
                // The fetch time is still what the ingestor wrote: readers show it.
                assertEquals(skewed.toString(), assigned.get("fetched").asText());
            }
        }
    }

    private static JsonNode read(String value) {
        try {
            return JSON.readTree(value);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
