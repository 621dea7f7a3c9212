package io.storyline.text;

import com.carrotsearch.hppc.LongHashSet;
import com.carrotsearch.hppc.LongIntHashMap;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

/**
 * Learns each source's boilerplate from the stream itself: a line that already appeared in at
 * least {@code minCount} of the source's last {@code history} articles (cookie banners,
 * "Related articles", navigation, share bars) is dropped before sketching. Deterministic: the
 * verdict for an article depends only on the source's earlier articles.
 */
final class BoilerplateFilter {

    private final int history;
    private final int minCount;
    private final int maxSources;
    private static final String[] TITLE_SEPARATORS = {" - ", " | ", " \u2013 ", " \u2014 "};
    private static final int MAX_SUFFIX_WORDS = 6;

    private final Map<String, SourceLines> sources = new HashMap<>();
    private final Map<String, SourceLines> titleSuffixes = new HashMap<>();

    BoilerplateFilter(int history, int minCount, int maxSources) {
        this.history = history;
        this.minCount = minCount;
        this.maxSources = maxSources;
    }

    /**
     * The title without a trailing site name ("Storm hits coast - The Daily Example"): a
     * suffix after the last dash or bar that names the source, or that already ended at
     * least {@code minCount} of the source's recent titles. Left in, the site's name would
     * become a salient term shared by all its unrelated stories.
     */
    String title(String source, String title) {
        if (source == null || title.isEmpty() || history == 0) {
            return title;
        }
        int cut = -1;
        int width = 0;
        for (String separator : TITLE_SEPARATORS) {
            int at = title.lastIndexOf(separator);
            if (at > cut) {
                cut = at;
                width = separator.length();
            }
        }
        if (cut <= 0) {
            return title;
        }
        String suffix = title.substring(cut + width).strip();
        if (suffix.isEmpty() || suffix.split("\\s+").length > MAX_SUFFIX_WORDS) {
            return title;
        }
        long hash = Hashing.of(suffix.toLowerCase(java.util.Locale.ROOT));
        SourceLines seen = lines(titleSuffixes, source);
        boolean site = suffix.equalsIgnoreCase(source) || seen.count(hash) >= minCount;
        seen.remember(new long[] {hash}, history);
        return site ? title.substring(0, cut).strip() : title;
    }

    private SourceLines lines(Map<String, SourceLines> bySource, String source) {
        SourceLines lines = bySource.get(source);
        if (lines == null) {
            if (bySource.size() >= maxSources) {
                bySource.clear(); // bounded memory; sources relearn within a few articles
            }
            lines = new SourceLines();
            bySource.put(source, lines);
        }
        return lines;
    }

    /** Drops boilerplate lines from {@code tokens} in place; returns how many lines went. */
    int filter(String source, Tokens tokens) {
        if (source == null || tokens.lines() == 0 || history == 0) {
            return 0;
        }
        SourceLines lines = lines(sources, source);
        int n = tokens.lines();
        long[] hashes = new long[n];
        boolean[] keep = new boolean[n];
        int dropped = 0;
        for (int line = 0; line < n; line++) {
            hashes[line] = lineHash(tokens, line);
            keep[line] = lines.count(hashes[line]) < minCount;
            if (!keep[line]) {
                dropped++;
            }
        }
        lines.remember(hashes, history);
        if (dropped == 0 || dropped == n) {
            return 0; // an article that is all "boilerplate" is a repeat: keep it whole
        }
        tokens.retain(keep);
        return dropped;
    }

    private static long lineHash(Tokens tokens, int line) {
        return tokens.sequenceHash(tokens.lineStart(line), tokens.lineEnd(line));
    }

    /** The distinct line hashes of one source's recent articles, with document counts. */
    private static final class SourceLines {
        private final LongIntHashMap counts = new LongIntHashMap();
        private final ArrayDeque<long[]> recent = new ArrayDeque<>();

        int count(long hash) {
            return counts.get(hash);
        }

        void remember(long[] lineHashes, int history) {
            LongHashSet distinct = new LongHashSet(lineHashes.length);
            for (long h : lineHashes) {
                if (distinct.add(h)) {
                    counts.addTo(h, 1);
                }
            }
            recent.addLast(distinct.toArray());
            if (recent.size() > history) {
                for (long h : recent.removeFirst()) {
                    if (counts.addTo(h, -1) == 0) {
                        counts.remove(h);
                    }
                }
            }
        }
    }
}
