package io.storyline.pipeline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.storyline.article.Article;
import io.storyline.bench.SyntheticCorpus;
import io.storyline.checkpoint.StateCodec;
import io.storyline.config.EngineConfig;
import io.storyline.config.Settings;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A detection step saved at any point and restored goes on exactly as the one that was never
 * interrupted: the premise of a takeover from a checkpoint.
 */
class DetectionCheckpointTest {

    private static final int ARTICLES = 3_000;
    /** A short window, so stories close, articles leave and statistics decay before a cut. */
    private static final EngineConfig CONFIG = EngineConfig.from(Settings.of(
            Map.of("window.max-articles", "300"), "test", w -> { }));

    private static List<ArticleMessage> corpus() {
        SyntheticCorpus corpus = new SyntheticCorpus(ARTICLES, 0.3, 11);
        List<ArticleMessage> input = new ArrayList<>(ARTICLES);
        Instant t = Instant.parse("2026-12-01T00:00:00Z");
        int i = 0;
        while (corpus.hasNext()) {
            Article a = corpus.next();
            // Every tenth article comes again as a revision, so revisions cross a cut too.
            input.add(new ArticleMessage(a, 0, "file:synthetic", t.plusSeconds(i++)));
            if (i % 10 == 0) {
                input.add(new ArticleMessage(a, 1, "file:synthetic", t.plusSeconds(i++)));
            }
        }
        return input;
    }

    /** Every output record of {@code input[from..]} through {@code step}, as text. */
    private static List<String> outputs(Detection step, List<ArticleMessage> input, int from) {
        List<String> out = new ArrayList<>();
        for (int i = from; i < input.size(); i++) {
            ArticleMessage m = input.get(i);
            for (Detection.Output o : step.apply(m, i, m.fetched()).outputs()) {
                out.add(o.topic() + " " + o.key() + " " + new String(o.value()));
            }
        }
        return out;
    }

    @Test
    void aRestoredStepWritesWhatAnUninterruptedOneWrites() {
        List<ArticleMessage> input = corpus();
        List<String> reference = outputs(new Detection(CONFIG), input, 0);
        StateCodec codec = Detection.codec(CONFIG);
        for (int cut : new int[] {0, 1, 299, 1_234, 2_900}) {
            Detection before = new Detection(CONFIG);
            List<String> out = outputs(before, input.subList(0, cut), 0);
            byte[] state = before.save(codec).bytes();
            Detection after = new Detection(CONFIG).restore(codec, state);
            for (int i = cut; i < input.size(); i++) {
                ArticleMessage m = input.get(i);
                for (Detection.Output o : after.apply(m, i, m.fetched()).outputs()) {
                    out.add(o.topic() + " " + o.key() + " " + new String(o.value()));
                }
            }
            assertEquals(reference.size(), out.size(), "cut at " + cut);
            for (int i = 0; i < reference.size(); i++) {
                assertEquals(reference.get(i), out.get(i), "cut at " + cut + ", record " + i);
            }
            // Saving again gives the same bytes: nothing was lost or reordered on the way.
            assertArrayEquals(state, new Detection(CONFIG).restore(codec, state).save(codec)
                    .bytes(), "cut at " + cut);
        }
    }

    @Test
    void theLayoutFingerprintCoversTheStatesClassesAndChangesWithThem() {
        Detection step = new Detection(CONFIG);
        outputs(step, corpus().subList(0, 500), 0);
        StateCodec.Encoded e = step.save(Detection.codec(CONFIG));
        assertTrue(e.classes().containsAll(List.of("io.storyline.pipeline.Detection",
                "io.storyline.engine.Engine", "io.storyline.story.StoryTier",
                "io.storyline.text.Vocabulary", "io.storyline.pipeline.StoryBook")),
                e.classes().toString());
        // Everything the state holds may be read back; what runs code may not.
        assertTrue(e.classes().stream().allMatch(StateCodec::allowed), e.classes().toString());
        for (String refused : List.of("java.lang.ProcessBuilder", "java.util.TreeMap",
                "java.util.PriorityQueue", "java.util.concurrent.ConcurrentHashMap",
                "[Ljava.lang.Runtime;", "org.apache.lucene.util.BytesRef")) {
            assertTrue(!StateCodec.allowed(refused), refused);
        }
        assertTrue(StateCodec.allowed("[J") && StateCodec.allowed("[[Ljava.lang.String;")
                && StateCodec.allowed("[Lio.storyline.story.Story;"));
        String layout = StateCodec.layout(e.classes());
        assertEquals(layout, StateCodec.layout(e.classes()));
        List<String> more = new ArrayList<>(e.classes());
        more.add(ArticleMessage.class.getName());
        assertNotEquals(layout, StateCodec.layout(new java.util.TreeSet<>(more)));
        assertEquals(null, StateCodec.layout(java.util.Set.of("io.storyline.NoSuchClass")));
    }

    @Test
    void unreadableOrForeignStateIsRefusedWithAReason() {
        StateCodec codec = Detection.codec(CONFIG);
        byte[] state = new Detection(CONFIG).save(codec).bytes();
        byte[] cut = Arrays.copyOf(state, state.length / 2);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Detection(CONFIG).restore(codec, cut));
        assertTrue(e.getMessage().startsWith("unreadable state"), e.getMessage());

        // A planted class outside the packages of the state is never instantiated.
        byte[] foreign = new StateCodec(Map.of()).write(new java.math.BigInteger("12345678901234567890"))
                .bytes();
        e = assertThrows(IllegalArgumentException.class,
                () -> new Detection(CONFIG).restore(codec, foreign));
        assertTrue(e.getMessage().contains("java.math.BigInteger"), e.getMessage());
    }
}
