package io.storyline.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.storyline.article.Article;
import io.storyline.article.AssignmentWriter;
import io.storyline.config.EngineConfig;
import io.storyline.config.PipelineConfig;
import io.storyline.engine.Engine;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The detector against a real broker gives what the offline engine gives, exactly once. */
class DetectorIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void assignsEveryArticleOnceAsTheOfflineEngineDoes() throws Exception {
        List<Article> sample = PipelineTestKit.sample().subList(0, 400);
        PipelineConfig config = PipelineTestKit.config(dir.resolve("kafka"));
        try (KafkaCluster cluster = KafkaCluster.open(config)) {
            List<ArticleMessage> messages = new ArrayList<>();
            Instant fetched = Instant.parse("2026-01-01T00:00:00Z");
            for (Article a : sample) {
                messages.add(new ArticleMessage(a, 0, "file:test", fetched));
            }
            // A re-delivery and a revision of articles still in the window: neither is new.
            messages.add(new ArticleMessage(sample.get(399), 0, "file:test", fetched));
            messages.add(new ArticleMessage(sample.get(398), 1, "file:test", fetched));
            PipelineTestKit.produce(cluster.clientProperties(), messages);

            try (Detector detector = new Detector(cluster.clientProperties(), config,
                    EngineConfig.defaults())) {
                Thread loop = new Thread(detector::run);
                loop.start();
                List<ConsumerRecord<String, String>> out = PipelineTestKit.readCommitted(
                        cluster.clientProperties(), Topics.ASSIGNMENTS, 401,
                        Duration.ofSeconds(60));
                assertEquals(401, out.size(), () -> duplicates(out));
                Set<String> ids = new HashSet<>();
                for (ConsumerRecord<String, String> r : out) {
                    ids.add(r.key() + (r.value().contains("\"revision\":1") ? "#1" : ""));
                }
                assertEquals(401, ids.size(), "no article assigned twice");
                assertTrue(ids.contains(sample.get(398).id() + "#1"));

                Engine offline = new Engine(EngineConfig.defaults());
                for (Article a : sample) {
                    String expected = line(offline.process(a, 0, fetched).assignment());
                    String got = out.stream().filter(r -> r.key().equals(a.id())
                            && !r.value().contains("\"revision\":1")).findFirst()
                            .orElseThrow().value();
                    assertTrue(got.startsWith("{\"schema\":" + Messages.ASSIGNMENT_SCHEMA + ","
                            + expected.substring(1, expected.length() - 1)), got + " vs "
                            + expected);
                }
                // The input offset orders the assignments: the articles topic was empty, so
                // an article's offset is its index in what was produced.
                List<String> sampleIds = sample.stream().map(Article::id).toList();
                for (ConsumerRecord<String, String> r : out) {
                    JsonNode value = JSON.readTree(r.value());
                    int index = sampleIds.indexOf(r.key());
                    boolean revised = value.get("revision").asInt() == 1;
                    assertEquals(revised ? messages.size() - 1 : index,
                            value.get("seq").asLong(), r.value());
                    assertEquals(PlainText.title(sample.get(index).title()),
                            value.get("title").textValue(), r.value());
                    assertEquals(sample.get(index).source(), value.get("source").textValue());
                }

                // The story records are those of the pure step fed the same offsets.
                List<String> expectedStories = new ArrayList<>();
                Detection offlineStep = new Detection(EngineConfig.defaults());
                for (int offset = 0; offset < messages.size(); offset++) {
                    for (Detection.Output o : offlineStep.apply(messages.get(offset), offset)
                            .outputs()) {
                        if (o.topic().equals(Topics.STORIES)) {
                            expectedStories.add(o.key() + " " + Messages.utf8(o.value()));
                        }
                    }
                }
                List<String> stories = new ArrayList<>();
                PipelineTestKit.readCommitted(cluster.clientProperties(), Topics.STORIES,
                        expectedStories.size(), Duration.ofSeconds(60))
                        .forEach(r -> stories.add(r.key() + " " + r.value()));
                assertTrue(stories.stream().anyMatch(r -> r.contains("\"type\":\"revised\"")),
                        "the revision of an article updates its story");
                Collections.sort(expectedStories);
                Collections.sort(stories);
                assertEquals(expectedStories, stories);
            }
        }
    }

    private static String duplicates(List<ConsumerRecord<String, String>> out) {
        Set<String> seen = new HashSet<>();
        StringBuilder dups = new StringBuilder("repeated: ");
        for (ConsumerRecord<String, String> r : out) {
            if (!seen.add(r.key() + r.value())) {
                dups.append(r.value()).append('\n');
            }
        }
        return dups.toString();
    }

    private static String line(io.storyline.article.Assignment a) {
        StringWriter w = new StringWriter();
        new AssignmentWriter(w).write(a);
        return w.toString().strip();
    }
}
