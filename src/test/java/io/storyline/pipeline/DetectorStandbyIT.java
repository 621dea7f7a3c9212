package io.storyline.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.storyline.article.Article;
import io.storyline.config.EngineConfig;
import io.storyline.config.PipelineConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two detector processes: one works, the other waits, and takes over when the first dies. */
class DetectorStandbyIT {

    @TempDir
    Path dir;

    @Test
    void standbyTakesOverWhenTheActiveDetectorIsKilled() throws Exception {
        List<ArticleMessage> input = new ArrayList<>();
        Instant fetched = Instant.parse("2026-11-22T00:00:00Z");
        for (Article a : PipelineTestKit.sample()) {
            input.add(new ArticleMessage(a, 0, "file:test", fetched));
        }
        int half = input.size() / 2;
        PipelineConfig config = PipelineTestKit.config(dir.resolve("kafka"));
        try (KafkaCluster cluster = KafkaCluster.open(config);
                DetectorProcess first = DetectorProcess.start(cluster.bootstrapServers(),
                        dir.resolve("first.log"));
                DetectorProcess second = DetectorProcess.start(cluster.bootstrapServers(),
                        dir.resolve("second.log"))) {
            PipelineTestKit.produce(cluster.clientProperties(), input.subList(0, half));
            assertEquals(half, PipelineTestKit.readCommitted(cluster.clientProperties(),
                    Topics.ASSIGNMENTS, half, Duration.ofSeconds(90)).size());

            DetectorProcess active = first.becameActive() ? first : second;
            DetectorProcess standby = active == first ? second : first;
            assertTrue(active.becameActive());
            assertFalse(standby.becameActive(), "only one detector is active");
            active.kill();

            PipelineTestKit.produce(cluster.clientProperties(), input.subList(half,
                    input.size()));
            List<ConsumerRecord<String, String>> out = PipelineTestKit.readCommitted(
                    cluster.clientProperties(), Topics.ASSIGNMENTS, input.size(),
                    Duration.ofSeconds(90));
            assertTrue(standby.becameActive(), "the standby took over");
            assertEquals(expected(input), PipelineTestKit.byKey(out));
        }
    }

    /**
     * What one uninterrupted detector produces for {@code input}, per article id. The input
     * is the articles topic from its first offset on, so an article's offset is its index.
     */
    private static Map<String, String> expected(List<ArticleMessage> input) {
        Detection detection = new Detection(EngineConfig.defaults());
        Map<String, String> out = new TreeMap<>();
        for (int offset = 0; offset < input.size(); offset++) {
            for (Detection.Output o : detection.apply(input.get(offset), offset).outputs()) {
                if (o.topic().equals(Topics.ASSIGNMENTS)) {
                    out.put(o.key(), new String(o.value(), StandardCharsets.UTF_8));
                }
            }
        }
        return out;
    }

}
