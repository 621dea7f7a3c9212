package io.storyline.bench;

import io.storyline.engine.Engine;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/** The figures of one bench run, and their printed form. */
public record BenchReport(
        int articles,
        long textNanos, long sketchNanos, long copyNanos,
        Map<Engine.Stage, Long> engineNanos,
        long copyStateBytes, int copyWindow,
        long windowStateBytes, int engineWindow,
        int planted, int found, int correct,
        int prefix, int exactPairs, int returnedPairs, int reportedPairs, int insideBounds,
        StorySizes storiesWithTimes, StorySizes storiesWithoutTimes) {

    /** An acceptance point of the engine: no story may hold more articles than this. */
    public static final int MAX_STORY_ARTICLES = 50;

    public BenchReport {
        engineNanos = Map.copyOf(engineNanos);
        Objects.requireNonNull(storiesWithTimes, "storiesWithTimes");
        Objects.requireNonNull(storiesWithoutTimes, "storiesWithoutTimes");
    }

    public double nearDuplicateArticlesPerSecond() {
        return perSecond(textNanos + sketchNanos + copyNanos);
    }

    public double engineArticlesPerSecond() {
        return perSecond(engineNanos.values().stream().mapToLong(Long::longValue).sum());
    }

    public double copyBytesPerArticle() {
        return copyWindow == 0 ? 0 : (double) copyStateBytes / copyWindow;
    }

    public double windowBytesPerArticle() {
        return engineWindow == 0 ? 0 : (double) windowStateBytes / engineWindow;
    }

    public double copyRecall() {
        return planted == 0 ? 1 : (double) correct / planted;
    }

    public double copyPrecision() {
        return found == 0 ? 1 : (double) correct / found;
    }

    public double indexRecall() {
        return exactPairs == 0 ? 1 : (double) returnedPairs / exactPairs;
    }

    public double boundsCoverage() {
        return reportedPairs == 0 ? 1 : (double) insideBounds / reportedPairs;
    }

    private double perSecond(long nanos) {
        return nanos == 0 ? 0 : articles * 1e9 / nanos;
    }

    /** The report as printed by {@code storyline bench}. */
    public String format() {
        StringBuilder out = new StringBuilder();
        line(out, "%d synthetic articles of 500-700 words, one thread", articles);
        line(out, "");
        line(out, "%-32s %12s %12s", "near-duplicate path", "articles/s", "us/article");
        stage(out, "text", textNanos);
        stage(out, "sketch", sketchNanos);
        stage(out, "candidates + verdict", copyNanos);
        stage(out, "total", textNanos + sketchNanos + copyNanos);
        line(out, "");
        line(out, "%-32s %12s %12s", "whole engine", "articles/s", "us/article");
        long total = 0;
        for (Engine.Stage s : Engine.Stage.values()) {
            long n = engineNanos.getOrDefault(s, 0L);
            total += n;
            stage(out, s.name().toLowerCase(Locale.ROOT), n);
        }
        stage(out, "total", total);
        line(out, "");
        line(out, "heap held per article in the window (article text excluded)");
        line(out, "  near-duplicate state (sketches + index) %8.0f B  (%d articles)",
                copyBytesPerArticle(), copyWindow);
        line(out, "  whole window state (all tiers)          %8.0f B  (%d articles)",
                windowBytesPerArticle(), engineWindow);
        line(out, "");
        line(out, "copies against the planted ones");
        line(out, "  planted %d, found %d, correct %d: recall %.4f, precision %.4f",
                planted, found, correct, copyRecall(), copyPrecision());
        line(out, "");
        line(out, "candidate index on the first %d articles (exact Jaccard, all pairs)", prefix);
        line(out, "  pairs with exact Jaccard >= 0.5: %d, returned by the index: %d "
                + "(recall %.4f)", exactPairs, returnedPairs, indexRecall());
        line(out, "  reported near-duplicate pairs: %d, exact Jaccard inside [lower, upper]: "
                + "%d (%.2f %%)", reportedPairs, insideBounds, 100 * boundsCoverage());
        line(out, "");
        line(out, "story sizes by final story id (the stream plants copies, not events)");
        line(out, "  %-18s %8s %8s %8s %8s %8s", "stream", "stories", "largest", "p99", "p90",
                "median");
        sizes(out, "with times", storiesWithTimes);
        sizes(out, "without times", storiesWithoutTimes);
        line(out, "  no story over %d articles: %s", MAX_STORY_ARTICLES,
                storiesWithTimes.largest() > MAX_STORY_ARTICLES
                        || storiesWithoutTimes.largest() > MAX_STORY_ARTICLES ? "MISSED" : "met");
        return out.toString();
    }

    private static void sizes(StringBuilder out, String stream, StorySizes s) {
        line(out, "  %-18s %8d %8d %8d %8d %8d", stream, s.stories(), s.largest(), s.p99(),
                s.p90(), s.median());
    }

    private void stage(StringBuilder out, String name, long nanos) {
        double us = articles == 0 ? 0 : nanos / 1e3 / articles;
        line(out, "  %-30s %12.0f %12.2f", name, perSecond(nanos), us);
    }

    private static void line(StringBuilder out, String format, Object... args) {
        out.append(String.format(Locale.ROOT, format, args)).append('\n');
    }

    /** Collects the figures as the bench's phases produce them. */
    static final class Builder {
        private final int articles;
        private long text;
        private long sketch;
        private long copy;
        private Map<Engine.Stage, Long> engine = Map.of();
        private long copyBytes;
        private int copyWindow;
        private long windowBytes;
        private int engineWindow;
        private int planted;
        private int found;
        private int correct;
        private int prefix;
        private int exactPairs;
        private int returned;
        private int reported;
        private int inside;
        private StorySizes withTimes = StorySizes.of(new int[0]);
        private StorySizes withoutTimes = StorySizes.of(new int[0]);

        Builder(int articles) {
            this.articles = articles;
        }

        void nearDuplicateStages(long textNanos, long sketchNanos, long copyNanos) {
            text = textNanos;
            sketch = sketchNanos;
            copy = copyNanos;
        }

        void engineStages(Map<Engine.Stage, Long> nanos) {
            engine = nanos;
        }

        void copyStateBytes(long bytes, int window) {
            copyBytes = bytes;
            copyWindow = window;
        }

        void windowStateBytes(long bytes, int window) {
            windowBytes = bytes;
            engineWindow = window;
        }

        void copies(int plantedCopies, int foundCopies, int correctCopies) {
            planted = plantedCopies;
            found = foundCopies;
            correct = correctCopies;
        }

        void indexRecall(int prefixArticles, int pairs, int returnedPairs, int reportedPairs,
                int insideBounds) {
            prefix = prefixArticles;
            exactPairs = pairs;
            returned = returnedPairs;
            reported = reportedPairs;
            inside = insideBounds;
        }

        void storySizesWithTimes(StorySizes sizes) {
            withTimes = sizes;
        }

        void storySizesWithoutTimes(StorySizes sizes) {
            withoutTimes = sizes;
        }

        BenchReport build() {
            return new BenchReport(articles, text, sketch, copy, engine, copyBytes, copyWindow,
                    windowBytes, engineWindow, planted, found, correct, prefix, exactPairs,
                    returned, reported, inside, withTimes, withoutTimes);
        }
    }
}
