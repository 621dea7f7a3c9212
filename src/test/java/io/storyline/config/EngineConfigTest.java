package io.storyline.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EngineConfigTest {

    private final List<String> warnings = new ArrayList<>();

    private EngineConfig from(Map<String, String> values) {
        return EngineConfig.from(Settings.of(values, "test.properties", warnings::add));
    }

    private String failure(String key, String value) {
        return assertThrows(IllegalArgumentException.class, () -> from(Map.of(key, value)))
                .getMessage();
    }

    @Test
    void defaultsLoad() {
        EngineConfig c = EngineConfig.defaults();
        assertEquals(Duration.ofHours(72), c.window());
        assertEquals(1_000_000, c.maxWindowArticles());
        assertEquals("en", c.defaultLanguage());
        assertEquals(50, c.boilerplateHistory());
        assertEquals(3, c.boilerplateMinCount());
        assertEquals(100_000, c.boilerplateMaxSources());
        assertEquals(3, c.shingleWords());
        assertEquals(32, c.sketchEntries());
        assertEquals(6, c.indexHashes());
        assertEquals(0.3, c.duplicateJaccard());
        assertEquals(3.0, c.titleWeight());
        assertEquals(32, c.storyTerms());
        assertEquals(0.25, c.storyThreshold());
        assertEquals(0.35, c.storyMergeThreshold());
        assertEquals(Duration.ofHours(72), c.timeHalfLife());
        assertEquals(24, c.entityTerms());
        assertEquals(0.45, c.entityShare());
        assertEquals(0.6, c.entityAgreement());
        assertEquals(0.4, c.dayConflict());
        assertEquals(500_000, c.dfHalfLife());
        assertEquals(c, from(Map.of()));
        assertEquals(List.of(), warnings);
    }

    @Test
    void readsOverriddenValues() {
        EngineConfig c = from(Map.of("story.threshold", "0.3", "window.hours", "1.5",
                "dedup.sketch-entries", "128", "text.default-language", "fr",
                "story.terms", "1_000"));
        assertEquals(0.3, c.storyThreshold());
        assertEquals(Duration.ofMinutes(90), c.window());
        assertEquals(128, c.sketchEntries());
        assertEquals("fr", c.defaultLanguage());
        assertEquals(1000, c.storyTerms());
    }

    @Test
    void outOfRangeValueNamesKeyAndValue() {
        assertEquals("setting story.threshold=2 in test.properties must be between 0.01 and 1.0",
                failure("story.threshold", "2"));
        assertEquals("setting story.terms=2 in test.properties must be between 4 and 1024",
                failure("story.terms", "2"));
        assertEquals("setting story.day-conflict=1.5 in test.properties must be between 0.0"
                + " and 1.0", failure("story.day-conflict", "1.5"));
    }

    @Test
    void misspeltKeyUnderAKnownPrefixIsRejected() {
        String message = failure("story.treshold", "0.3");
        assertTrue(message.startsWith("unknown setting story.treshold in test.properties"
                + " (known: dedup.containment, dedup.index-hashes,"), message);
        assertTrue(message.contains(", story.threshold, "), message);
        assertTrue(message.endsWith(", window.hours, window.max-articles)"), message);
    }

    @Test
    void misspeltKeysOfEveryEnginePrefixAreRejected() {
        for (String key : List.of("window.hour", "text.default-lang", "dedup.jacard",
                "story.merge-threshold")) {
            assertTrue(failure(key, "1").startsWith("unknown setting " + key + " in "), key);
        }
    }

    @Test
    void keysOfOtherPrefixesAreIgnored() {
        assertEquals(EngineConfig.defaults(), from(Map.of("kafka.bootstrap.servers",
                "localhost:9092", "http.port", "oops", "storyline.x", "y")));
    }

    @Test
    void sketchEntriesMustBeAPowerOfTwo() {
        assertEquals("setting dedup.sketch-entries=100 in test.properties must be a power of"
                + " two (a theta sketch's nominal entries)",
                failure("dedup.sketch-entries", "100"));
        assertEquals("setting dedup.sketch-entries=8192 in test.properties must be between"
                + " 16 and 4096", failure("dedup.sketch-entries", "8192"));
    }

    @Test
    void nonNumericValuesAreRejected() {
        assertEquals("setting story.threshold=abc in test.properties is not a number",
                failure("story.threshold", "abc"));
        assertEquals("setting story.terms=abc in test.properties is not a whole number",
                failure("story.terms", "abc"));
    }

    @Test
    void boundsDependOnOtherSettings() {
        assertEquals("setting dedup.index-hashes=65 in test.properties must be between 1 and 64",
                assertThrows(IllegalArgumentException.class, () -> from(Map.of(
                        "dedup.sketch-entries", "64", "dedup.index-hashes", "65"))).getMessage());
        assertEquals("setting dedup.index-hashes=33 in test.properties must be between 1 and 32",
                failure("dedup.index-hashes", "33"));
        assertEquals(65, from(Map.of("dedup.sketch-entries", "128", "dedup.index-hashes", "65"))
                .indexHashes());
        assertEquals("setting story.retrieval-terms=40 in test.properties must be between 1"
                + " and 32", failure("story.retrieval-terms", "40"));
        assertEquals(40, from(Map.of("story.terms", "64", "story.retrieval-terms", "40"))
                .retrievalTerms());
    }

    @Test
    void emptyValueMeansTheDefault() {
        assertEquals(0.25, from(Map.of("story.threshold", "")).storyThreshold());
    }

    @Test
    void warnsAboutAWindowOfMoreThanTwoWeeks() {
        assertEquals(Duration.ofHours(400), from(Map.of("window.hours", "400")).window());
        assertEquals(List.of("setting window.hours in test.properties: a window of 400 h keeps"
                + " stories open for weeks and holds their articles in memory"), warnings);
        from(Map.of("window.hours", "336"));
        assertEquals(1, warnings.size());
    }
}
