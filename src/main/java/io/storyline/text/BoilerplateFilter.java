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
    private final Map<String, SourceLines> sources = new HashMap<>();

    BoilerplateFilter(int history, int minCount, int maxSources) {
        this.history = history;
        this.minCount = minCount;
        this.maxSources = maxSources;
    }

    /** Drops boilerplate lines from {@code tokens} in place; returns how many lines went. */
    int filter(String source, Tokens tokens) {
        if (source == null || tokens.lines() == 0 || history == 0) {
            return 0;
        }
        SourceLines lines = sources.get(source);
        if (lines == null) {
            if (sources.size() >= maxSources) {
                sources.clear(); // bounded memory; sources relearn within a few articles
            }
            lines = new SourceLines();
            sources.put(source, lines);
        }
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
        long h = 0x9e3779b97f4a7c15L;
        for (int i = tokens.lineStart(line); i < tokens.lineEnd(line); i++) {
            h = Hashing.combine(h, tokens.hash(i));
        }
        return h;
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
