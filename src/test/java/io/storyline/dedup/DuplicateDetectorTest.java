package io.storyline.dedup;

import static io.storyline.testing.PseudoWords.word;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.storyline.article.Article;
import io.storyline.article.CanonicalUrl;
import io.storyline.config.EngineConfig;
import io.storyline.config.Settings;
import io.storyline.text.Analysis;
import io.storyline.text.TextAnalyzer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.datasketches.theta.CompactSketch;
import org.junit.jupiter.api.Test;

/** The copy tiers through the detector's public API, on generated texts. */
class DuplicateDetectorTest {

    private static final Instant T0 = Instant.parse("2024-03-01T12:00:00Z");
    private static final int VOCABULARY = 20_000;
    private final TextAnalyzer analyzer = new TextAnalyzer(EngineConfig.defaults());
    private DuplicateDetector detector = new DuplicateDetector(EngineConfig.defaults());
    private long nextSeq;

    // ---- exact copies ----

    @Test
    void sameCanonicalUrlWithTrackingParametersIsExactCopyOfTheFirst() {
        SplittableRandom random = new SplittableRandom(1);
        String url = "https://news.example.com/world/quake-2024?id=7";
        CopyVerdict first = check(url, text(random, 4, 50));
        check(null, text(random, 4, 50));
        CopyVerdict copy = check(
                "HTTPS://News.Example.com:443/world/quake-2024?id=7&utm_source=x&utm_medium=y",
                text(random, 4, 50)); // the page was edited: only the URL says it is the same
        assertEquals(CopyVerdict.Kind.NONE, first.kind());
        assertEquals(exact(0, 0), copy);
    }

    @Test
    void identicalNormalizedContentIsExactCopyOfTheFirst() {
        SplittableRandom random = new SplittableRandom(2);
        String words = String.join(" ", words(random, 120));
        check(null, words);
        check(null, text(random, 3, 40));
        CopyVerdict copy = check(null, "<div><p>" + words.toUpperCase().replace(" ", " ,  ")
                + ".</p></div>");
        CopyVerdict again = check(null, words);
        assertEquals(exact(0, 0), copy);
        // Matched against the newest holder of that content; still a copy of the first.
        assertEquals(exact(2, 0), again);
    }

    @Test
    void exactCopyOfANearCopyPointsToTheFirstArticle() {
        SplittableRandom random = new SplittableRandom(3);
        String[] original = words(random, 300);
        String[] near = substitute(random, original, 0.05);
        check(null, String.join(" ", original));
        CopyVerdict nearVerdict = check(null, String.join(" ", near));
        CopyVerdict exact = check(null, String.join(" ", near));
        assertEquals(CopyVerdict.Kind.NEAR, nearVerdict.kind());
        assertEquals(exact(1, 0), exact);
    }

    // ---- near copies ----

    @Test
    void nearCopyWithTenPercentOfWordsSubstitutedIsNearCopyOfTheFirst() {
        SplittableRandom random = new SplittableRandom(4);
        String[] original = words(random, 400);
        check(null, String.join(" ", original));
        for (int i = 0; i < 5; i++) {
            check(null, text(random, 5, 60));
        }
        String[] copy = substitute(random, original, 0.10);
        CopyVerdict verdict = check(null, String.join(" ", copy));
        assertEquals(CopyVerdict.Kind.NEAR, verdict.kind());
        assertEquals(0, verdict.matchedSeq());
        assertEquals("a" + 0, verdict.originalId());
        assertTrue(verdict.lower() <= verdict.similarity()
                && verdict.similarity() <= verdict.upper(), verdict.toString());
        assertTrue(verdict.similarity() > 0.2 && verdict.similarity() < 0.9,
                verdict.toString());
    }

    @Test
    void trimmedCopyOfFirstHalfOfParagraphsIsNearCopy() {
        SplittableRandom random = new SplittableRandom(5);
        List<String> paragraphs = paragraphs(random, 8, 50);
        check(null, String.join("\n\n", paragraphs));
        CopyVerdict verdict = check(null, String.join("\n\n", paragraphs.subList(0, 4)));
        assertEquals(CopyVerdict.Kind.NEAR, verdict.kind());
        assertEquals("a" + 0, verdict.originalId());
    }

    @Test
    void trimmedCopyIsFoundByContainmentWhenJaccardAloneWouldMissIt() {
        // With dedup.jaccard at 0.9 only the containment test can accept a half-length copy.
        detector = new DuplicateDetector(config(Map.of("dedup.jaccard", "0.9")));
        SplittableRandom random = new SplittableRandom(6);
        List<String> paragraphs = paragraphs(random, 8, 50);
        check(null, String.join("\n\n", paragraphs));
        check(null, text(random, 8, 50));
        CopyVerdict trimmed = check(null, String.join("\n\n", paragraphs.subList(0, 4)));
        CopyVerdict unrelated = check(null, text(random, 4, 50));
        assertEquals(CopyVerdict.Kind.NEAR, trimmed.kind());
        assertEquals(0, trimmed.matchedSeq());
        assertEquals("a" + 0, trimmed.originalId());
        assertTrue(trimmed.similarity() < 0.9, trimmed.toString());
        assertEquals(CopyVerdict.NONE, unrelated);
    }

    @Test
    void trimmedCopyIsNotACopyWithoutContainmentTest() {
        detector = new DuplicateDetector(config(Map.of("dedup.jaccard", "0.9",
                "dedup.containment", "1")));
        SplittableRandom random = new SplittableRandom(6);
        List<String> paragraphs = paragraphs(random, 8, 50);
        check(null, String.join("\n\n", paragraphs));
        // Half the paragraphs, plus as much new text: contained only half in the original.
        List<String> mixed = new ArrayList<>(paragraphs.subList(0, 4));
        mixed.addAll(paragraphs(random, 4, 50));
        assertEquals(CopyVerdict.NONE, check(null, String.join("\n\n", mixed)));
    }

    @Test
    void copyOfACopyPointsToTheFirstArticle() {
        SplittableRandom random = new SplittableRandom(7);
        String[] a = words(random, 300);
        String[] b = substitute(random, a, 0.08);
        String[] c = substitute(random, b, 0.08);
        check(null, String.join(" ", a));
        check(null, text(random, 4, 50));
        CopyVerdict vb = check(null, String.join(" ", b));
        check(null, text(random, 4, 50));
        CopyVerdict vc = check(null, String.join(" ", c));
        assertEquals(CopyVerdict.Kind.NEAR, vb.kind());
        assertEquals("a" + 0, vb.originalId());
        assertEquals(CopyVerdict.Kind.NEAR, vc.kind());
        assertEquals("a" + 0, vc.originalId());
    }

    @Test
    void unrelatedTextsAreNotCopies() {
        SplittableRandom random = new SplittableRandom(8);
        for (int i = 0; i < 30; i++) {
            assertEquals(CopyVerdict.NONE, check(null, text(random, 3, 40)), "article " + i);
        }
        assertEquals(30, detector.windowSize());
    }

    @Test
    void shortTextsNeedTheShortJaccardThreshold() {
        // Headline-length texts: fewer than dedup.min-shingles shingles.
        check(null, "Storm closes schools across the northern region on Monday morning");
        CopyVerdict similar = check(null,
                "Storm closes schools across the northern region on Tuesday evening");
        CopyVerdict same = check(null,
                "Storm closes schools across the northern region on Monday morning too");
        assertEquals(CopyVerdict.NONE, similar);
        assertEquals(CopyVerdict.Kind.NEAR, same.kind());
        assertEquals("a" + 0, same.originalId());
    }

    // ---- estimate quality ----

    @Test
    void exactJaccardLiesWithinReportedBoundsForNearlyAllPairs() {
        // The bounds are DataSketches' two-standard-deviation ones (about 95 % coverage); the
        // bench measures coverage on 20,000 articles. Here 1,000 seeded pairs must reach 92 %.
        SplittableRandom random = new SplittableRandom(2024);
        int pairs = 1000;
        int inside = 0;
        for (int p = 0; p < pairs; p++) {
            detector = new DuplicateDetector(EngineConfig.defaults());
            nextSeq = 0;
            String[] a = words(random, 150 + random.nextInt(500));
            String[] b = random.nextBoolean()
                    ? substitute(random, a, 0.01 + 0.11 * random.nextDouble())
                    : Arrays.copyOf(a, (int) (a.length * (0.5 + 0.5 * random.nextDouble())));
            long[] sa = shingles(String.join(" ", a));
            long[] sb = shingles(String.join(" ", b));
            double exact = jaccard(sa, sb);
            check(null, String.join(" ", a));
            CopyVerdict v = check(null, String.join(" ", b));
            assertEquals(CopyVerdict.Kind.NEAR, v.kind(), "pair " + p + " J=" + exact);
            assertTrue(v.lower() <= v.similarity() && v.similarity() <= v.upper());
            if (v.lower() <= exact && exact <= v.upper()) {
                inside++;
            }
        }
        assertTrue(inside >= 0.92 * pairs, inside + " of " + pairs + " inside the bounds");
    }

    @Test
    void candidateIndexReturnsEveryEarlierArticleWithJaccardAtLeastHalf() {
        SplittableRandom random = new SplittableRandom(99);
        List<String[]> texts = new ArrayList<>();
        List<long[]> exact = new ArrayList<>();
        int checkedPairs = 0;
        for (int seq = 0; seq < 400; seq++) {
            String[] words;
            if (seq >= 10 && random.nextInt(3) == 0) {
                String[] source = texts.get(seq - 1 - random.nextInt(Math.min(seq, 60)));
                words = random.nextBoolean()
                        ? substitute(random, source, 0.03 * random.nextDouble())
                        : Arrays.copyOf(source, (int) (source.length
                                * (0.6 + 0.4 * random.nextDouble())));
            } else {
                words = words(random, 80 + random.nextInt(400));
            }
            String text = String.join(" ", words);
            Analysis analysis = analyze(text);
            long[] shingles = detector.exactShingles(analysis);
            CompactSketch sketch = detector.sketch(analysis);
            long[] found = detector.candidates(sketch);
            for (int earlier = 0; earlier < seq; earlier++) {
                if (jaccard(shingles, exact.get(earlier)) >= 0.5) {
                    checkedPairs++;
                    assertTrue(Arrays.binarySearch(found, earlier) >= 0,
                            "article " + seq + " misses " + earlier + " (J="
                                    + jaccard(shingles, exact.get(earlier)) + ")");
                }
            }
            detector.check(seq, "a" + seq, null, analysis, sketch);
            texts.add(words);
            exact.add(shingles);
        }
        assertTrue(checkedPairs >= 100, checkedPairs + " pairs with J >= 0.5");
    }

    @Test
    void candidatesAreAscendingDistinctAndRecordNothing() {
        SplittableRandom random = new SplittableRandom(10);
        String[] a = words(random, 200);
        check(null, String.join(" ", a));
        check(null, String.join(" ", substitute(random, a, 0.02)));
        check(null, text(random, 3, 50));
        Analysis analysis = analyze(String.join(" ", a));
        long[] found = detector.candidates(detector.sketch(analysis));
        assertEquals("[0, 1]", Arrays.toString(found));
        assertEquals(3, detector.windowSize());
    }

    // ---- eviction ----

    @Test
    void evictedOriginalIsNoLongerFoundByUrlOrNearContent() {
        SplittableRandom random = new SplittableRandom(11);
        String[] a = words(random, 300);
        String url = "https://example.com/a";
        check(url, String.join(" ", a));
        check(null, text(random, 3, 50));
        detector.evictBefore(1);
        assertEquals(1, detector.windowSize());
        assertEquals(CopyVerdict.NONE, check(url + "?utm_source=feed", text(random, 3, 50)));
        assertEquals(CopyVerdict.NONE, check(null, String.join(" ", substitute(random, a, 0.05))));
        assertEquals(3, detector.windowSize());
    }

    @Test
    void evictedOriginalIsNoLongerFoundByIdenticalContent() {
        SplittableRandom random = new SplittableRandom(11);
        String a = text(random, 4, 60);
        check(null, a);
        assertEquals(CopyVerdict.Kind.EXACT, check(null, a).kind());
        detector.evictBefore(2);
        assertEquals(0, detector.windowSize());
        assertEquals(CopyVerdict.NONE, check(null, a));
    }

    @Test
    void copyOfEvictedOriginalMatchesALaterCopyStillInTheWindow() {
        SplittableRandom random = new SplittableRandom(12);
        String[] a = words(random, 300);
        check(null, String.join(" ", a));
        CopyVerdict b = check(null, String.join(" ", substitute(random, a, 0.03)));
        detector.evictBefore(1);
        CopyVerdict c = check(null, String.join(" ", substitute(random, a, 0.03)));
        assertEquals(CopyVerdict.Kind.NEAR, b.kind());
        assertEquals(CopyVerdict.Kind.NEAR, c.kind());
        assertEquals(1, c.matchedSeq());
        assertEquals("a" + 0, c.originalId()); // the group's first article, documented as such
    }

    @Test
    void evictingMostArticlesRebuildsTheIndexAndKeepsTheRest() {
        SplittableRandom random = new SplittableRandom(13);
        List<String[]> texts = new ArrayList<>();
        for (int i = 0; i < 600; i++) {
            String[] w = words(random, 60);
            texts.add(w);
            assertEquals(CopyVerdict.NONE, check(null, String.join(" ", w)));
        }
        // 400 of 600 articles leave: 4,800 dead postings against 2,400 live ones.
        detector.evictBefore(400);
        assertEquals(200, detector.windowSize());
        for (int i = 390; i < 410; i++) {
            CopyVerdict v = check(null, String.join(" ", substitute(random, texts.get(i), 0.02)));
            if (i < 400) {
                assertEquals(CopyVerdict.NONE, v, "evicted " + i);
            } else {
                assertEquals(CopyVerdict.Kind.NEAR, v.kind(), "kept " + i);
                assertEquals("a" + i, v.originalId());
            }
        }
    }

    @Test
    void urlOfALaterHolderSurvivesEvictionOfTheFirst() {
        SplittableRandom random = new SplittableRandom(14);
        String url = "https://example.com/live-blog";
        check(url, text(random, 3, 50));
        CopyVerdict second = check(url + "?utm_campaign=x", text(random, 3, 50));
        detector.evictBefore(1);
        CopyVerdict third = check(url, text(random, 3, 50));
        assertEquals(exact(0, 0), second);
        assertEquals(CopyVerdict.Kind.EXACT, third.kind());
        assertEquals(1, third.matchedSeq());
        assertEquals("a0", third.originalId()); // the group's first, though it left the window
    }

    @Test
    void contentOfALaterHolderSurvivesEvictionOfTheFirst() {
        SplittableRandom random = new SplittableRandom(15);
        String body = text(random, 3, 50);
        check(null, body);
        assertEquals(CopyVerdict.Kind.EXACT, check(null, body).kind());
        detector.evictBefore(1);
        assertEquals(exact(1, 0), check(null, body));
    }

    @Test
    void articlesWithoutWordsAreNotCopiesOfEachOther() {
        for (String text : List.of("... --- !!!", "<script>var x = 1;</script>")) {
            long seq = nextSeq++;
            Analysis analysis = analyzer.analyze(Article.of("w" + seq, null, text, T0));
            assertEquals(CopyVerdict.NONE, detector.check(seq, "w" + seq, null, analysis,
                    detector.sketch(analysis)), text);
        }
    }

    // ---- helpers ----

    private static CopyVerdict exact(long matched, long original) {
        return new CopyVerdict(CopyVerdict.Kind.EXACT, matched, "a" + matched, "a" + original,
                1, 1, 1);
    }

    private CopyVerdict check(String url, String text) {
        Analysis analysis = analyze(text);
        CompactSketch sketch = detector.sketch(analysis);
        long seq = nextSeq++;
        return detector.check(seq, "a" + seq, CanonicalUrl.of(url), analysis, sketch);
    }

    private Analysis analyze(String text) {
        return analyzer.analyze(Article.of("a" + nextSeq, "Title", text, T0));
    }

    private long[] shingles(String text) {
        return detector.exactShingles(analyze(text));
    }

    /** Exact Jaccard of two sorted distinct sets. */
    private static double jaccard(long[] a, long[] b) {
        int i = 0;
        int j = 0;
        int common = 0;
        while (i < a.length && j < b.length) {
            if (a[i] == b[j]) {
                common++;
                i++;
                j++;
            } else if (a[i] < b[j]) {
                i++;
            } else {
                j++;
            }
        }
        return (double) common / (a.length + b.length - common);
    }

    private static EngineConfig config(Map<String, String> values) {
        return EngineConfig.from(Settings.of(values, "test", w -> { }));
    }

    private static String text(SplittableRandom random, int paragraphs, int words) {
        return String.join("\n\n", paragraphs(random, paragraphs, words));
    }

    private static List<String> paragraphs(SplittableRandom random, int count, int words) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            out.add(String.join(" ", words(random, words)));
        }
        return out;
    }

    private static String[] words(SplittableRandom random, int count) {
        String[] out = new String[count];
        for (int i = 0; i < count; i++) {
            out[i] = word(random.nextInt(VOCABULARY));
        }
        return out;
    }

    /** A copy with {@code share} of the positions replaced by random words. */
    private static String[] substitute(SplittableRandom random, String[] words, double share) {
        String[] out = words.clone();
        int n = (int) Math.round(share * words.length);
        List<Integer> positions = new ArrayList<>();
        for (int i = 0; i < words.length; i++) {
            positions.add(i);
        }
        for (int i = 0; i < n; i++) {
            int pick = i + random.nextInt(positions.size() - i);
            int p = positions.set(pick, positions.get(i));
            positions.set(i, p);
            out[p] = word(random.nextInt(VOCABULARY));
        }
        return out;
    }
}
