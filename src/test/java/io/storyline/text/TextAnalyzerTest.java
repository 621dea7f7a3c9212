package io.storyline.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.storyline.article.Article;
import io.storyline.config.EngineConfig;
import io.storyline.config.Settings;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TextAnalyzerTest {

    private static final String FRENCH = "Les frappes de missiles sur la ville ont continué"
            + " dans la nuit et le matin.";
    private static final String ENGLISH = "The missiles hit the city during the night and in"
            + " the morning.";

    // Title weight 2, not the default, so that the counts below read easily.
    private final TextAnalyzer analyzer = new TextAnalyzer(config("story.title-weight", "2"));
    private int nextId;

    private Article article(String lang, String title, String text) {
        return article(null, lang, title, text);
    }

    private Article article(String source, String lang, String title, String text) {
        return new Article("a" + nextId++, null, source, lang, title, text, null);
    }

    private Analysis counted(Article article) {
        return analyzer.countTerms(analyzer.analyze(article));
    }

    /** Term key to count of the word terms (not quantities), in order of first occurrence. */
    private static Map<Long, Float> counts(Analysis a) {
        Map<Long, Float> out = new LinkedHashMap<>();
        for (int i = 0; i < a.termCount(); i++) {
            if (a.kind(i) != Analysis.QUANTITY) {
                out.put(a.termKey(i), a.count(i));
            }
        }
        return out;
    }

    private static List<Long> keys(String... stems) {
        List<Long> out = new ArrayList<>();
        for (String stem : stems) {
            out.add(Hashing.of(stem));
        }
        return out;
    }

    private static Map<Long, Float> weighted(Object... stemAndCount) {
        Map<Long, Float> out = new LinkedHashMap<>();
        for (int i = 0; i < stemAndCount.length; i += 2) {
            out.put(Hashing.of((String) stemAndCount[i]), (Float) stemAndCount[i + 1]);
        }
        return out;
    }

    private static EngineConfig config(String key, String value) {
        return EngineConfig.from(Settings.of(Map.of(key, value), "test", warning -> { }));
    }

    @Test
    void detectsFrenchAndEnglishWhenNoLanguageIsDeclared() {
        assertEquals("fr", counted(article(null, null, FRENCH)).language());
        assertEquals("en", counted(article(null, null, ENGLISH)).language());
    }

    @Test
    void detectsTheLanguageFromTheTitleToo() {
        assertEquals("fr", counted(article(null, "La guerre et la paix", null)).language());
    }

    @Test
    void declaredLanguageWins() {
        assertEquals("fr", counted(article("fr-FR", null, ENGLISH)).language());
        assertEquals("en", counted(article("EN", null, FRENCH)).language());
    }

    @Test
    void unsupportedDeclaredLanguageFallsBackToDetection() {
        assertEquals("fr", counted(article("ru", null, FRENCH)).language());
    }

    @Test
    void withoutEvidenceTheConfiguredDefaultLanguageIsUsed() {
        // A single stop-word hit ("the") is not evidence.
        assertEquals("en", counted(article(null, null, "missiles the missile")).language());
        TextAnalyzer german = new TextAnalyzer(config("text.default-language", "de"));
        Analysis a = german.countTerms(german.analyze(article(null, null, "missiles missile")));
        assertEquals("de", a.language());
    }

    @Test
    void unsupportedDefaultLanguageIsRejectedNamingTheSetting() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new TextAnalyzer(config("text.default-language", "xx")));
        assertEquals("setting text.default-language=xx must be one of en, fr, de, es, it, pt,"
                + " nl", e.getMessage());
    }

    @Test
    void dropsStopWordsAndStemsEnglish() {
        Analysis a = counted(article(null, null, ENGLISH));
        assertEquals(keys("missil", "hit", "citi", "night", "morn"),
                List.copyOf(counts(a).keySet()));
    }

    @Test
    void mergesInflectionsIntoOneTerm() {
        assertEquals(weighted("missil", 2f),
                counts(counted(article("en", null, "missiles missile"))));
        assertEquals(weighted("frap", 2f), counts(counted(article("fr", null, "frappes frappe"))));
    }

    @Test
    void dropsFrenchStopWordsAndElisions() {
        Analysis a = counted(article("fr", null, "L’Ukraine et la Russie"));
        assertEquals(keys("ukrain", "rus"), List.copyOf(counts(a).keySet()));
    }

    @Test
    void keepsNumbersAsTermsButDropsSingleLetters() {
        Analysis a = counted(article("en", null, "Missile x strike 2024 and 2,5 % of 7 y"));
        assertEquals(keys("missil", "strike", "2024", "2.5", "7"),
                List.copyOf(counts(a).keySet()));
    }

    @Test
    void titleWordsCountWithTheTitleWeightPlusTheirBodyOccurrences() {
        Analysis a = counted(article("en", "Missile strike", "The missile strike hit Kyiv."));
        assertEquals(weighted("missil", 3f, "strike", 3f, "hit", 1f, "kyiv", 1f), counts(a));
        assertEquals(2, a.titleTermCount());
    }

    @Test
    void titleWeightComesFromTheConfig() {
        TextAnalyzer analyzer = new TextAnalyzer(config("story.title-weight", "3"));
        Analysis a = analyzer.countTerms(
                analyzer.analyze(article("en", "Missile strike", "The missile hit.")));
        assertEquals(weighted("missil", 4f, "strike", 3f, "hit", 1f), counts(a));
    }

    @Test
    void aTitleRepeatedAsTheBodyIsNotCountedTwice() {
        Map<Long, Float> expected = weighted("missil", 2f, "strike", 2f);
        assertEquals(expected,
                counts(counted(article("en", "Missile strike", "Missile strike"))));
        assertEquals(expected, counts(counted(article("en", "Missile strike", null))));
    }

    @Test
    void aBodyStartingWithTheTitleCountsTheTitleOnceMore() {
        Analysis a = counted(
                article("en", "Missile strike", "Missile strike\nKyiv hit overnight."));
        assertEquals(weighted("missil", 2f, "strike", 2f, "kyiv", 1f, "hit", 1f, "overnight", 1f),
                counts(a));
    }

    @Test
    void contentHashIgnoresCaseAccentsAndPunctuation() {
        long hash = analyzer.analyze(article(null, null, "Élan, the MISSILE!")).contentHash();
        assertEquals(hash,
                analyzer.analyze(article(null, null, "elan the missile")).contentHash());
        assertEquals(hash, analyzer.analyze(article(null, null, "<p>Elan -- the Missile.</p>"))
                .contentHash());
        assertNotEquals(hash,
                analyzer.analyze(article(null, null, "elan the missiles")).contentHash());
    }

    @Test
    void theTitleStandsInForAnEmptyBody() {
        Analysis a = analyzer.analyze(article(null, "Élan, the missile", null));
        long titleOnly = a.contentHash();
        assertEquals(3, a.body().size());
        assertEquals(Hashing.of("elan"), a.body().hash(0));
        assertEquals(titleOnly,
                analyzer.analyze(article(null, "Other title", "Elan the missile")).contentHash());
    }

    @Test
    void termCountBeforeCountTermsThrows() {
        Analysis a = analyzer.analyze(article("en", null, ENGLISH));
        IllegalStateException e = assertThrows(IllegalStateException.class, a::termCount);
        assertEquals("terms not counted yet: call countTerms first", e.getMessage());
        assertEquals(5, analyzer.countTerms(a).termCount());
        Analysis next = analyzer.analyze(article("en", null, ENGLISH));
        assertThrows(IllegalStateException.class, next::termCount);
    }

    @Test
    void removesBoilerplateLinesOfTheSource() {
        String footer = "\nSubscribe to the Planet newsletter";
        for (int k = 1; k <= 3; k++) {
            assertEquals(0,
                    analyzer.analyze(article("planet", "en", null, "Story " + k + footer))
                            .boilerplateLines());
        }
        Analysis a = analyzer.analyze(article("planet", "en", null, "Missiles" + footer));
        assertEquals(1, a.boilerplateLines());
        assertEquals(weighted("missil", 1f), counts(analyzer.countTerms(a)));
    }

    @Test
    void countsDocumentFrequencies() {
        Analysis first = counted(article("en", null, "missile strike"));
        assertEquals(0, first.documents());
        analyzer.countDocument(first);
        Analysis second = counted(article("en", null, "tanker missiles"));
        assertEquals(keys("tanker", "missil"), List.copyOf(counts(second).keySet()));
        assertEquals(0, second.documentFrequency(0));
        assertEquals(1, second.documentFrequency(1));
        assertEquals(1, second.documents());
    }

    @Test
    void halvesDocumentFrequenciesAfterTheHalfLife() {
        TextAnalyzer analyzer = new TextAnalyzer(config("story.df-half-life", "1000"));
        for (int k = 1; k <= 1000; k++) {
            String text = k == 1 ? "missile tanker" : "missile";
            Analysis a = analyzer.countTerms(analyzer.analyze(article("en", null, text)));
            analyzer.countDocument(a);
        }
        Analysis a = analyzer.countTerms(analyzer.analyze(article("en", null, "tanker missile")));
        assertEquals(keys("tanker", "missil"), List.copyOf(counts(a).keySet()));
        assertEquals(0, a.documentFrequency(0)); // 1 halved to 0: forgotten
        assertEquals(500, a.documentFrequency(1));
        assertEquals(500, a.documents());
    }

    @Test
    void halvesDocumentFrequenciesOncePerHalfLife() {
        TextAnalyzer analyzer = new TextAnalyzer(config("story.df-half-life", "1000"));
        for (int k = 1; k <= 1500; k++) {
            Analysis a = analyzer.countTerms(analyzer.analyze(article("en", null, "missile")));
            analyzer.countDocument(a);
        }
        Analysis a = analyzer.countTerms(analyzer.analyze(article("en", null, "missile")));
        // Halved once, after document 1000: 500 + 500 since. Observed: 500 and 500.
        assertEquals(1000, a.documentFrequency(0));
        assertEquals(1000, a.documents());
    }

    @Test
    void aStreamOfNewWordsDoesNotGrowTheVocabularyPastItsCap() {
        TextAnalyzer analyzer = new TextAnalyzer(config("story.max-vocabulary", "1000"));
        int most = 0;
        for (int k = 1; k <= 3000; k++) {
            // Every document brings two words never seen before, and the same missile.
            Analysis a = analyzer.countTerms(analyzer.analyze(article("en", null,
                    "missile zq" + Integer.toString(k, 26) + "x qz" + Integer.toString(k, 26)
                            + "y")));
            analyzer.countDocument(a);
            most = Math.max(most, analyzer.vocabularySize());
        }
        assertTrue(most <= 1000, "vocabulary held " + most + " terms");
        Analysis a = analyzer.countTerms(analyzer.analyze(article("en", null, "missile")));
        // The frequent word survives each early halving; the words seen once do not.
        assertTrue(a.documentFrequency(0) > 0);
        assertEquals(a.documents(), a.documentFrequency(0));
    }

    @Test
    void aTokenLongerThanAnyWordIsNoTerm() {
        String glued = "a".repeat(Vocabulary.MAX_TERM_CHARS) + "b";
        Analysis a = counted(article("en", null, "missile " + glued));
        assertEquals(keys("missil"), List.copyOf(counts(a).keySet()));
    }
}
