package io.storyline.story;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.storyline.article.Article;
import io.storyline.article.ArticleReader;
import io.storyline.config.EngineConfig;
import io.storyline.text.Analysis;
import io.storyline.text.TextAnalyzer;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class VectorBuilderTest {

    private static final Instant T0 = Instant.parse("2024-03-05T08:00:00Z");
    private static final double IDF_POWER = 0.3;

    private final TextAnalyzer analyzer = new TextAnalyzer(EngineConfig.defaults());

    /** Analyses the 100 background articles so that document frequencies vary. */
    private void warmUp() {
        List<Article> articles = new ArrayList<>();
        try {
            Path file = Path.of(VectorBuilderTest.class
                    .getResource("/story/allsides-background.jsonl").toURI());
            new ArticleReader(articles::add, p -> { }).read(file);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        for (Article article : articles) {
            analyzer.countDocument(analyzer.countTerms(analyzer.analyze(article)));
        }
    }

    private Analysis analysis(String title, String text) {
        return analyzer.countTerms(analyzer.analyze(Article.of("x", title, text, T0)));
    }

    private Analysis longArticle() {
        warmUp();
        return analysis(StoryTierTest.QUAKE_A_TITLE, StoryTierTest.QUAKE_A + " "
                + StoryTierTest.QUAKE_B + " Padang Padang Karnawati tsunami tsunami tsunami.");
    }

    @Test
    void vectorHasUnitLength() {
        Analysis a = longArticle();
        VectorBuilder builder = new VectorBuilder(32, 32, 10, IDF_POWER, 0, 1.0, 16, 1.0);
        builder.build(a);
        assertEquals(1.0, sumOfSquares(builder.weights()), 1e-5);
    }

    @Test
    void vectorKeepsAtMostMaxTermsAndAllTermsOfShortTexts() {
        Analysis a = longArticle();
        assertTrue(a.termCount() > 32, a.termCount() + " terms");
        VectorBuilder builder = new VectorBuilder(32, 32, 10, IDF_POWER, 0, 1.0, 16, 1.0);
        builder.build(a);
        assertEquals(32, builder.terms().length);
        assertEquals(32, builder.weights().length);

        Analysis small = analysis("Storm warning", "Storm warning issued for coastal towns");
        builder.build(small);
        assertEquals(small.termCount(), builder.terms().length);
        assertEquals(5, small.termCount()); // storm, warn, issu, coastal, town
        assertEquals(1.0, sumOfSquares(builder.weights()), 1e-5);
    }

    /** The labels of the vector's terms. */
    private static List<String> labels(Analysis a, VectorBuilder builder) {
        List<String> labels = new ArrayList<>();
        for (long key : builder.terms()) {
            labels.add(a.labelOfKey(key));
        }
        return labels;
    }

    @Test
    void aWordInMostOfTheStreamIsNoEvidence() {
        // A house word that the analyzer does not know as a stop word, in every document.
        for (int d = 0; d < 12; d++) {
            analyzer.countDocument(analyzer.countTerms(analyzer.analyze(Article.of("d" + d,
                    "Zorblat report " + d, "Zorblat zorblat zorblat: harbour " + d
                            + " traffic, weather and markets for district " + d + ".", T0))));
        }
        Analysis a = analysis("Zorblat: ferry strike", "Zorblat zorblat zorblat zorblat. "
                + "Ferry crews strike at the harbour over pay.");
        VectorBuilder capped = new VectorBuilder(32, 32, 10, IDF_POWER, 0, 0.5, 16, 1.0);
        capped.build(a);
        List<String> kept = labels(a, capped);
        assertTrue(!kept.contains("zorblat") && !kept.contains("Zorblat"), kept.toString());
        assertTrue(kept.contains("ferry") || kept.contains("Ferry"), kept.toString());

        VectorBuilder off = new VectorBuilder(32, 32, 10, IDF_POWER, 0, 1.0, 16, 1.0);
        off.build(a);
        List<String> all = labels(a, off);
        assertTrue(all.contains("zorblat") || all.contains("Zorblat"), all.toString());
    }

    @Test
    void termsAreSortedByKey() {
        Analysis a = longArticle();
        VectorBuilder builder = new VectorBuilder(32, 32, 10, IDF_POWER, 0, 1.0, 16, 1.0);
        builder.build(a);
        long[] terms = builder.terms();
        for (int i = 1; i < terms.length; i++) {
            assertTrue(terms[i - 1] < terms[i], "ascending at " + i);
        }
    }

    @Test
    void keptTermsAndRetrievalKeysAreTheMostSalient() {
        Analysis a = longArticle();
        VectorBuilder builder = new VectorBuilder(32, 32, 10, IDF_POWER, 0, 1.0, 16, 1.0);
        builder.build(a);
        Integer[] bySalience = bySalience(a);
        long[] expectedRetrieval = new long[10];
        for (int k = 0; k < 10; k++) {
            expectedRetrieval[k] = a.termKey(bySalience[k]);
        }
        assertArrayEquals(expectedRetrieval, builder.retrievalKeys());
        long[] expectedTerms = new long[32];
        for (int k = 0; k < 32; k++) {
            expectedTerms[k] = a.termKey(bySalience[k]);
        }
        Arrays.sort(expectedTerms);
        assertArrayEquals(expectedTerms, builder.terms());
        // The most salient terms are not simply the first ones.
        assertTrue(!Arrays.equals(expectedRetrieval, firstKeys(a, 10)));
    }

    @Test
    void weightsAreTfTimesFlattenedIdfScaledToUnitLength() {
        Analysis a = longArticle();
        VectorBuilder builder = new VectorBuilder(32, 32, 10, IDF_POWER, 0, 1.0, 16, 1.0);
        builder.build(a);
        Integer[] order = bySalience(a);
        double[] expected = new double[32];
        long[] keys = new long[32];
        double squares = 0;
        for (int k = 0; k < 32; k++) {
            int i = order[k];
            keys[k] = a.termKey(i);
            expected[k] = tf(a.count(i)) * Math.pow(idf(a, i), IDF_POWER);
            squares += expected[k] * expected[k];
        }
        for (int k = 0; k < 32; k++) {
            int at = Arrays.binarySearch(builder.terms(), keys[k]);
            assertEquals(expected[k] / Math.sqrt(squares), builder.weights()[at], 1e-6);
        }
    }

    @Test
    void retrievalWeightsAreTheVectorWeightsOfTheRetrievalKeys() {
        Analysis a = longArticle();
        VectorBuilder builder = new VectorBuilder(32, 32, 10, IDF_POWER, 0, 1.0, 16, 1.0);
        builder.build(a);
        long[] keys = builder.retrievalKeys();
        float[] weights = builder.retrievalWeights();
        assertEquals(10, weights.length);
        for (int k = 0; k < keys.length; k++) {
            int at = Arrays.binarySearch(builder.terms(), keys[k]);
            assertTrue(at >= 0);
            assertEquals(builder.weights()[at], weights[k]);
        }
    }

    @Test
    void retrievalIsCappedByKeptTerms() {
        VectorBuilder builder = new VectorBuilder(32, 32, 10, IDF_POWER, 0, 1.0, 16, 1.0);
        Analysis small = analysis("Storm warning", "Storm warning issued for coastal towns");
        builder.build(small);
        assertEquals(5, builder.retrievalKeys().length);
        assertEquals(5, builder.retrievalWeights().length);
    }

    @Test
    void idfPowerOneWeighsByFullIdf() {
        Analysis a = longArticle();
        VectorBuilder builder = new VectorBuilder(8, 8, 4, 1.0, 0, 1.0, 16, 1.0);
        builder.build(a);
        Integer[] order = bySalience(a);
        double squares = 0;
        for (int k = 0; k < 8; k++) {
            double w = tf(a.count(order[k])) * idf(a, order[k]);
            squares += w * w;
        }
        int i = order[0];
        int at = Arrays.binarySearch(builder.terms(), a.termKey(i));
        assertEquals(tf(a.count(i)) * idf(a, i) / Math.sqrt(squares), builder.weights()[at],
                1e-6);
        assertEquals(1.0, sumOfSquares(builder.weights()), 1e-5);
    }

    @Test
    void textOfStopWordsOnlyGivesAnEmptyVector() {
        VectorBuilder builder = new VectorBuilder(32, 32, 10, IDF_POWER, 0, 1.0, 16, 1.0);
        Analysis a = analysis("It is what it is", "and so it was, as it is");
        assertEquals(0, a.termCount());
        builder.build(a);
        assertEquals(0, builder.terms().length);
        assertEquals(0, builder.weights().length);
        assertEquals(0, builder.retrievalKeys().length);
    }

    @Test
    void builderIsReusableAcrossArticles() {
        Analysis a = longArticle();
        VectorBuilder reused = new VectorBuilder(32, 32, 10, IDF_POWER, 0, 1.0, 16, 1.0);
        reused.build(analysis("Storm warning", "Storm warning issued for coastal towns"));
        Analysis again = analysis(StoryTierTest.QUAKE_A_TITLE, StoryTierTest.QUAKE_A + " "
                + StoryTierTest.QUAKE_B + " Padang Padang Karnawati tsunami tsunami tsunami.");
        reused.build(again);
        VectorBuilder fresh = new VectorBuilder(32, 32, 10, IDF_POWER, 0, 1.0, 16, 1.0);
        fresh.build(again);
        assertArrayEquals(fresh.terms(), reused.terms());
        assertArrayEquals(fresh.weights(), reused.weights());
        assertEquals(a.termCount(), again.termCount());
    }

    @Test
    void selectSmallestMovesTheKSmallestToTheFront() {
        SplittableRandom random = new SplittableRandom(17);
        for (int round = 0; round < 500; round++) {
            int n = 1 + random.nextInt(200);
            int k = 1 + random.nextInt(n);
            long[] values = new long[n + 5];
            for (int i = 0; i < n; i++) {
                values[i] = random.nextInt(round % 2 == 0 ? 10 : 1_000_000) - 5;
            }
            long[] sorted = Arrays.copyOf(values, n);
            Arrays.sort(sorted);
            VectorBuilder.selectSmallest(values, n, k);
            long[] front = Arrays.copyOf(values, k);
            Arrays.sort(front);
            assertArrayEquals(Arrays.copyOf(sorted, k), front, "n=" + n + " k=" + k);
            long[] all = Arrays.copyOf(values, n);
            Arrays.sort(all);
            assertArrayEquals(sorted, all, "a permutation");
        }
    }

    // ---- helpers: the salience the class documents, computed independently ----

    private static double idf(Analysis a, int i) {
        return Math.log(a.documents() + 1.0) - Math.log1p(a.documentFrequency(i)) + 1.0;
    }

    private static double tf(float count) {
        return count <= 1 ? 1 : 1 + Math.log(count);
    }

    /** Term indexes, most salient first, ties to the earlier term. */
    /** Term indexes by salience; quantities ("100 missiles") never enter the term vector. */
    private static Integer[] bySalience(Analysis a) {
        Integer[] order = new Integer[a.termCount()];
        float[] salience = new float[order.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
            salience[i] = a.kind(i) == Analysis.QUANTITY ? -1f
                    : (float) (tf(a.count(i)) * idf(a, i));
        }
        Arrays.sort(order, Comparator.comparingDouble((Integer i) -> -salience[i])
                .thenComparingInt(i -> i));
        return order;
    }

    private static long[] firstKeys(Analysis a, int n) {
        long[] keys = new long[n];
        for (int i = 0; i < n; i++) {
            keys[i] = a.termKey(i);
        }
        return keys;
    }

    private static double sumOfSquares(float[] weights) {
        double sum = 0;
        for (float w : weights) {
            sum += (double) w * w;
        }
        return sum;
    }
}
