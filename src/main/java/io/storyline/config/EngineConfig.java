package io.storyline.config;

import java.time.Duration;
import java.util.Map;

/**
 * Settings of the detection engine (text, copy and story tiers). Immutable; built once from
 * {@link Settings} with every value range-checked, so the engine never sees a bad value.
 * Keys, defaults and meanings are listed in {@code config/storyline.properties} and the README.
 */
public record EngineConfig(
        Duration window,
        int maxWindowArticles,
        String defaultLanguage,
        int boilerplateHistory,
        int boilerplateMinCount,
        int boilerplateMaxSources,
        int shingleWords,
        int sketchEntries,
        int indexHashes,
        double duplicateJaccard,
        double duplicateContainment,
        double shortDuplicateJaccard,
        int minShingles,
        int maxCandidates,
        double titleWeight,
        int storyTerms,
        int retrievalTerms,
        int shortTextTerms,
        double storyThreshold,
        double storyThresholdShort,
        double storyMergeThreshold,
        double storyMergeUnnamed,
        double memberWeight,
        double idfPower,
        int idfWarmup,
        double maxDfShare,
        Duration timeHalfLife,
        int centroidTerms,
        int maxCandidateStories,
        int maxPostings,
        int dfHalfLife,
        int maxVocabulary,
        int entityTerms,
        double entityBoost,
        double entityShare,
        double entityAgreement,
        int longTextTerms,
        double centroidBacking,
        double dayConflict) {

    public static final Duration WINDOW = Duration.ofHours(72);
    public static final int MAX_WINDOW_ARTICLES = 1_000_000;

    public static EngineConfig defaults() {
        return from(Settings.of(Map.of(), "defaults", w -> { }));
    }

    /** Reads the {@code window.*}, {@code text.*}, {@code dedup.*} and {@code story.*} keys. */
    public static EngineConfig from(Settings s) {
        int sketchEntries = s.integer("dedup.sketch-entries", 32, 16, 4096);
        if (Integer.bitCount(sketchEntries) != 1) {
            throw s.invalid("dedup.sketch-entries", Integer.toString(sketchEntries),
                    "must be a power of two (a theta sketch's nominal entries)");
        }
        int storyTerms = s.integer("story.terms", 32, 4, 1024);
        EngineConfig config = new EngineConfig(
                Duration.ofMinutes(Math.round(
                        s.decimal("window.hours", WINDOW.toHours(), 0.1, 24 * 365) * 60)),
                s.integer("window.max-articles", MAX_WINDOW_ARTICLES, 100, 100_000_000),
                s.string("text.default-language", "en"),
                s.integer("text.boilerplate.history", 50, 0, 10_000),
                s.integer("text.boilerplate.min-count", 3, 2, 10_000),
                s.integer("text.boilerplate.max-sources", 100_000, 1, 10_000_000),
                s.integer("dedup.shingle-words", 3, 1, 16),
                sketchEntries,
                s.integer("dedup.index-hashes", 6, 1, sketchEntries),
                s.decimal("dedup.jaccard", 0.3, 0.01, 1),
                s.decimal("dedup.containment", 0.45, 0.01, 1),
                s.decimal("dedup.short-jaccard", 0.7, 0.01, 1),
                s.integer("dedup.min-shingles", 20, 1, 100_000),
                s.integer("dedup.max-candidates", 8, 1, 1024),
                s.decimal("story.title-weight", 3.0, 0, 20),
                storyTerms,
                s.integer("story.retrieval-terms", 8, 1, storyTerms),
                s.integer("story.short-text-terms", 8, 1, storyTerms),
                s.decimal("story.threshold", 0.25, 0.01, 1),
                s.decimal("story.threshold-short", 0.25, 0.01, 1),
                s.decimal("story.merge", 0.35, 0.01, 1.01),
                s.decimal("story.merge-unnamed", 0.30, 0.01, 1.01),
                s.decimal("story.member-weight", 0.9, 0, 2),
                s.decimal("story.idf-power", 0.6, 0, 4),
                s.integer("story.idf-warmup", 20, 0, 1_000_000),
                s.decimal("story.max-df-share", 0.5, 0.01, 1),
                Duration.ofMinutes(Math.round(
                        s.decimal("story.time-half-life.hours", 72, 0, 24 * 365) * 60)),
                s.integer("story.centroid-terms", 128, 4, 100_000),
                s.integer("story.max-candidates", 10, 1, 10_000),
                s.integer("story.max-postings", 32, 1, 100_000),
                s.integer("story.df-half-life", 500_000, 1000, Integer.MAX_VALUE),
                s.integer("story.max-vocabulary", 1_000_000, 1000, 100_000_000),
                s.integer("story.entity-terms", 24, 1, 1024),
                s.decimal("story.entity-boost", 1.0, 0.1, 20),
                s.decimal("story.entity-share", 0.45, 0, 1),
                s.decimal("story.entity-agreement", 0.6, 0.01, 1),
                s.integer("story.long-text-terms", 64, storyTerms, 4096),
                s.decimal("story.centroid-backing", 2.0, 1, 1000),
                s.decimal("story.day-conflict", 0.4, 0, 1));
        s.rejectUnknown("window.", "text.", "dedup.", "story.");

        if (config.window.toHours() > 24 * 14) {
            s.warn("window.hours", "a window of " + config.window.toHours()
                    + " h keeps stories open for weeks and holds their articles in memory");
        }
        return config;
    }
}
