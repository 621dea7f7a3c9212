package io.storyline.bench;

import io.storyline.article.Article;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A deterministic synthetic news stream for benchmarks: originals of 500–700 words drawn from
 * a Zipf vocabulary, each wrapped in its source's boilerplate lines, and a share of
 * near-duplicates that copy a recent original with 5–20 % of the words edited (substituted,
 * deleted or inserted) under another source's template. The same seed gives the same stream.
 */
public final class SyntheticCorpus {

    /**
     * Time between two articles: 100,000 of them span 139 hours, so the stream crosses the
     * default 72-hour window and the bench pays for eviction and index rebuilds.
     */
    public static final long SPACING_MILLIS = 5_000;
    static final int VOCABULARY = 50_000;
    static final int SOURCES = 200;
    static final int RECENT_ORIGINALS = 2_000;
    private static final String[] SYLLABLES = {"ka", "lo", "mi", "ne", "ru", "sa", "ti", "vo",
        "ber", "dan", "fel", "gor", "hin", "jul", "mar", "nor", "pel", "quin", "ros", "tev"};

    private final SplittableRandom random;
    private final int articles;
    private final double copyShare;
    private final String[] words = new String[VOCABULARY];
    private final double[] zipf = new double[VOCABULARY];
    private final String[][] boilerplate = new String[SOURCES][];
    private final List<Original> recent = new ArrayList<>();
    private final Map<String, String> planted = new HashMap<>();
    private final long start = Instant.parse("2024-01-01T00:00:00Z").toEpochMilli();
    private int produced;

    /** A recent original, kept so that later copies can be made of it. */
    private record Original(String id, String title, List<int[]> paragraphs) {
    }

    public SyntheticCorpus(int articles, double copyShare, long seed) {
        this.random = new SplittableRandom(seed);
        this.articles = articles;
        this.copyShare = copyShare;
        buildVocabulary();
        for (int s = 0; s < SOURCES; s++) {
            boilerplate[s] = new String[] {sentence(6, 10), sentence(8, 14), sentence(10, 16),
                sentence(5, 9)};
        }
    }

    public boolean hasNext() {
        return produced < articles;
    }

    /** The next article of the stream. */
    public Article next() {
        int n = produced++;
        String id = String.format(Locale.ROOT, "syn-%07d", n);
        Instant published = Instant.ofEpochMilli(start + n * SPACING_MILLIS);
        int source = random.nextInt(SOURCES);
        if (!recent.isEmpty() && random.nextDouble() < copyShare) {
            Original original = recent.get(random.nextInt(recent.size()));
            planted.put(id, original.id);
            double edits = 0.05 + 0.15 * random.nextDouble();
            List<int[]> paragraphs = new ArrayList<>();
            for (int[] p : original.paragraphs) {
                paragraphs.add(edit(p, edits));
            }
            String title = random.nextBoolean() ? original.title : sentence(6, 12);
            return article(id, source, title, paragraphs, published);
        }
        List<int[]> paragraphs = new ArrayList<>();
        int total = 500 + random.nextInt(201);
        while (total > 0) {
            int length = Math.min(total, 40 + random.nextInt(41));
            paragraphs.add(zipfWords(length));
            total -= length;
        }
        String title = sentence(6, 12);
        recent.add(new Original(id, title, paragraphs));
        if (recent.size() > RECENT_ORIGINALS) {
            recent.remove(0);
        }
        return article(id, source, title, paragraphs, published);
    }

    /** For a planted copy, the id of the original it was made from; else null. */
    public String plantedOriginal(String id) {
        return planted.get(id);
    }

    /** How many copies were planted so far. */
    public int plantedCopies() {
        return planted.size();
    }

    private Article article(String id, int source, String title, List<int[]> paragraphs,
            Instant published) {
        String[] lines = boilerplate[source];
        StringBuilder text = new StringBuilder(5000);
        text.append(lines[0]).append('\n').append(lines[1]).append('\n');
        for (int[] p : paragraphs) {
            for (int i = 0; i < p.length; i++) {
                text.append(i == 0 ? "" : " ").append(words[p[i]]);
            }
            text.append(".\n");
        }
        text.append(lines[2]).append('\n').append(lines[3]);
        String sourceName = "source-" + source;
        return new Article(id, "https://" + sourceName + ".example/" + id, sourceName, "en",
                title, text.toString(), published);
    }

    private int[] edit(int[] words, double rate) {
        int[] out = new int[words.length * 2 + 1];
        int n = 0;
        for (int w : words) {
            if (random.nextDouble() >= rate) {
                out[n++] = w;
                continue;
            }
            double op = random.nextDouble();
            if (op < 0.6) {
                out[n++] = zipfWord();
            } else if (op < 0.8) {
                out[n++] = w;
                out[n++] = zipfWord();
            } // else: deleted
        }
        return java.util.Arrays.copyOf(out, n);
    }

    private String sentence(int min, int max) {
        int[] ids = zipfWords(min + random.nextInt(max - min + 1));
        StringBuilder s = new StringBuilder();
        for (int id : ids) {
            s.append(s.length() == 0 ? "" : " ").append(words[id]);
        }
        return Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }

    private int[] zipfWords(int n) {
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            out[i] = zipfWord();
        }
        return out;
    }

    private int zipfWord() {
        double u = random.nextDouble() * zipf[VOCABULARY - 1];
        int i = java.util.Arrays.binarySearch(zipf, u);
        return i >= 0 ? i : Math.min(-i - 1, VOCABULARY - 1);
    }

    /** Pseudo-words of one to four syllables, most frequent first; Zipf exponent 1. */
    private void buildVocabulary() {
        java.util.Set<String> seen = new java.util.HashSet<>();
        int i = 0;
        while (i < VOCABULARY) {
            int syllables = 1 + Math.min(3, i / 400 + random.nextInt(2));
            StringBuilder w = new StringBuilder();
            for (int s = 0; s < syllables; s++) {
                w.append(SYLLABLES[random.nextInt(SYLLABLES.length)]);
            }
            if (seen.add(w.toString())) {
                words[i++] = w.toString();
            }
        }
        double sum = 0;
        for (int r = 0; r < VOCABULARY; r++) {
            sum += 1.0 / (r + 1);
            zipf[r] = sum;
        }
    }
}
