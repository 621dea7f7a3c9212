package io.storyline.dedup;

import static io.storyline.testing.PseudoWords.word;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.storyline.article.Article;
import io.storyline.config.EngineConfig;
import io.storyline.text.TextAnalyzer;
import io.storyline.text.Tokens;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.apache.datasketches.theta.CompactSketch;
import org.apache.datasketches.theta.HashIterator;
import org.apache.datasketches.theta.UpdateSketch;
import org.junit.jupiter.api.Test;

/**
 * The shingler's prefiltered sketch must be exactly the sketch DataSketches builds from every
 * shingle, and its exact shingle sets must be the distinct w-word windows of the text.
 */
class ShinglerTest {

    private static final int WORDS = 4;
    private static final int K = 64;
    private static final Instant T0 = Instant.parse("2024-03-01T12:00:00Z");
    private final TextAnalyzer analyzer = new TextAnalyzer(EngineConfig.defaults());
    private final Shingler shingler = new Shingler(WORDS, K);

    @Test
    void prefilteredSketchOfLongTextEqualsPlainSketchOfEveryShingle() {
        SplittableRandom random = new SplittableRandom(42);
        for (int round = 0; round < 5; round++) {
            Tokens tokens = tokens(randomText(random, 2_500 + 500 * round, 3_000));
            long[] all = everyShingle(tokens);
            assertTrue(all.length > 2_000, "long text: " + all.length + " shingles");
            assertSameSketch(plainSketch(all), shingler.sketch(tokens));
        }
    }

    @Test
    void prefilteredSketchOfRepetitiveLongTextEqualsPlainSketch() {
        SplittableRandom random = new SplittableRandom(7);
        // 3 words: 81 possible 4-word windows, more than k+1 distinct hashes.
        Tokens tokens = tokens(randomText(random, 3_000, 3));
        long[] all = everyShingle(tokens);
        CompactSketch sketch = shingler.sketch(tokens);
        assertSameSketch(plainSketch(all), sketch);
        assertEquals(K, sketch.getRetainedEntries());
        assertTrue(sketch.isEstimationMode());
    }

    @Test
    void prefilteredSketchWithFewerThanKDistinctShinglesKeepsThemAll() {
        SplittableRandom random = new SplittableRandom(11);
        // 2 words: at most 16 distinct 4-word windows among 3,000 shingles.
        Tokens tokens = tokens(randomText(random, 3_000, 2));
        int distinct = shingler.shingles(tokens).length;
        CompactSketch sketch = shingler.sketch(tokens);
        assertSameSketch(plainSketch(everyShingle(tokens)), sketch);
        assertEquals(distinct, sketch.getRetainedEntries());
        assertEquals(Long.MAX_VALUE, sketch.getThetaLong());
        assertEquals(16, distinct);
    }

    @Test
    void sketchOfMediumTextWithoutPrefilterEqualsPlainSketch() {
        SplittableRandom random = new SplittableRandom(3);
        for (int length : new int[] {40, 67, 68, 100, 131, 132}) {
            Tokens tokens = tokens(randomText(random, length, 3_000));
            assertSameSketch(plainSketch(everyShingle(tokens)), shingler.sketch(tokens));
        }
    }

    @Test
    void reusedBuffersGiveTheSameSketchAgain() {
        SplittableRandom random = new SplittableRandom(5);
        String longText = randomText(random, 6_000, 3_000);
        String shortText = randomText(random, 50, 3_000);
        CompactSketch first = shingler.sketch(tokens(longText));
        CompactSketch small = shingler.sketch(tokens(shortText));
        CompactSketch again = shingler.sketch(tokens(longText));
        assertSameSketch(first, again);
        assertSameSketch(plainSketch(everyShingle(tokens(shortText))), small);
    }

    @Test
    void textShorterThanShingleWidthIsOneShingle() {
        Tokens tokens = tokens("Markets rally today");
        assertEquals(3, tokens.size());
        long[] shingles = shingler.shingles(tokens);
        assertEquals(1, shingles.length);
        CompactSketch sketch = shingler.sketch(tokens);
        assertEquals(1, sketch.getRetainedEntries());
        assertSameSketch(plainSketch(shingles), sketch);
    }

    @Test
    void textOfExactlyShingleWidthIsOneShingle() {
        Tokens tokens = tokens("Markets rally again today");
        assertEquals(4, tokens.size());
        assertEquals(1, shingler.shingles(tokens).length);
    }

    @Test
    void shortTextShingleDependsOnWordOrder() {
        long ab = shingler.shingles(tokens("storm hits"))[0];
        long ba = shingler.shingles(tokens("hits storm"))[0];
        assertTrue(ab != ba);
    }

    @Test
    void shinglesAreSortedDistinctWordWindows() {
        SplittableRandom random = new SplittableRandom(9);
        // A small vocabulary repeats many windows.
        Tokens tokens = tokens(randomText(random, 2_000, 6));
        long[] shingles = shingler.shingles(tokens);
        for (int i = 1; i < shingles.length; i++) {
            assertTrue(shingles[i - 1] < shingles[i], "strictly increasing at " + i);
        }
        Set<String> windows = new HashSet<>();
        for (int i = 0; i + WORDS <= tokens.size(); i++) {
            windows.add(String.join(" ", tokens.term(i), tokens.term(i + 1),
                    tokens.term(i + 2), tokens.term(i + 3)));
        }
        assertTrue(windows.size() < tokens.size() - WORDS + 1, "text repeats windows");
        assertEquals(windows.size(), shingles.length);
    }

    @Test
    void repeatedPassageAddsNoShingles() {
        String passage = "the committee approved the budget after a long debate on Monday";
        long[] once = shingler.shingles(tokens(passage));
        long[] twice = shingler.shingles(tokens(passage + " " + passage));
        // The doubled text only adds the windows that straddle the join.
        assertEquals(once.length + WORDS - 1, twice.length);
        for (long value : once) {
            assertTrue(Arrays.binarySearch(twice, value) >= 0);
        }
    }

    @Test
    void rollingValuesEqualTheDirectPolynomialOfEachWindow() {
        Tokens tokens = tokens(randomText(new SplittableRandom(13), 300, 3_000));
        long base = 0x100000001b3L;
        Set<Long> direct = new HashSet<>();
        for (int i = 0; i + WORDS <= tokens.size(); i++) {
            long h = 0;
            for (int j = 0; j < WORDS; j++) {
                h = h * base + tokens.hash(i + j);
            }
            direct.add(h);
        }
        long[] expected = direct.stream().mapToLong(Long::longValue).sorted().toArray();
        assertArrayEquals(expected, shingler.shingles(tokens));
    }

    private Tokens tokens(String text) {
        return analyzer.analyze(Article.of("a", "Title", text, T0)).body();
    }

    /** The plain sketch's input: every distinct shingle value of the text. */
    private long[] everyShingle(Tokens tokens) {
        return shingler.shingles(tokens);
    }

    private static CompactSketch plainSketch(long[] values) {
        UpdateSketch plain = UpdateSketch.builder().setNominalEntries(K).build();
        for (long v : values) {
            plain.update(v);
        }
        plain.rebuild();
        return plain.compact(true, null);
    }

    private static void assertSameSketch(CompactSketch expected, CompactSketch actual) {
        assertEquals(expected.getThetaLong(), actual.getThetaLong(), "theta");
        assertArrayEquals(retained(expected), retained(actual), "retained hashes");
    }

    private static long[] retained(CompactSketch sketch) {
        List<Long> hashes = new ArrayList<>();
        HashIterator it = sketch.iterator();
        while (it.next()) {
            hashes.add(it.get());
        }
        return hashes.stream().mapToLong(Long::longValue).sorted().toArray();
    }

    /** {@code length} words drawn uniformly from the first {@code vocabulary} pseudo-words. */
    private static String randomText(SplittableRandom random, int length, int vocabulary) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < length; i++) {
            if (i > 0) {
                out.append(i % 60 == 0 ? "\n" : " ");
            }
            out.append(word(random.nextInt(vocabulary)));
        }
        return out.toString();
    }
}
