package io.storyline.text;

import com.carrotsearch.hppc.LongIntHashMap;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * The stream's vocabulary of story terms: maps each distinct token (per language) to a term
 * index once, stemming it on first sight, and keeps each term's document frequency over the
 * recent stream. Later occurrences cost one hash lookup, and per-article counting and IDF
 * then work on plain arrays indexed by term.
 *
 * <p>Document frequencies halve every {@code halfLife} documents, so the IDF follows the news
 * of the day; terms whose count falls to zero are dropped then, which bounds memory.
 */
final class Vocabulary {

    static final int DROPPED = -1;
    private static final int MAX_CACHED_TOKENS = 1 << 22;

    private final int halfLife;
    private LongIntHashMap byToken = new LongIntHashMap();
    private LongIntHashMap byStem = new LongIntHashMap();
    private final Map<Language, Language.Stemmer> stemmers = new IdentityHashMap<>();
    private long[] stems = new long[1 << 12];
    private int[] df = new int[1 << 12];
    private int size;
    private long documents;
    private int sinceHalving;

    Vocabulary(int halfLife) {
        this.halfLife = halfLife;
    }

    /** The term index of token {@code i}, or {@link #DROPPED} (stop word, single letter). */
    int termOf(Tokens tokens, int i, Language language) {
        long key = tokens.hash(i) ^ language.salt;
        int slot = byToken.indexOf(key);
        if (slot >= 0) {
            return byToken.indexGet(slot);
        }
        int term = compute(tokens, i, language);
        if (byToken.size() >= MAX_CACHED_TOKENS) {
            byToken.clear(); // only a cache of compute(): results do not change
            slot = byToken.indexOf(key);
        }
        byToken.indexInsert(slot, key, term);
        return term;
    }

    private int compute(Tokens tokens, int i, Language language) {
        long token = tokens.hash(i);
        if (language.stopHashes.contains(token)) {
            return DROPPED;
        }
        long stem;
        if (tokens.isDigits(i)) {
            stem = token;
        } else if (tokens.length(i) < 2) {
            return DROPPED;
        } else {
            Language.Stemmer stemmer = stemmers.computeIfAbsent(language, Language::newStemmer);
            stem = Hashing.of(stemmer.stem(tokens.term(i)));
        }
        int slot = byStem.indexOf(stem);
        if (slot >= 0) {
            return byStem.indexGet(slot);
        }
        if (size == stems.length) {
            stems = Arrays.copyOf(stems, size * 2);
            df = Arrays.copyOf(df, size * 2);
        }
        stems[size] = stem;
        df[size] = 0;
        byStem.indexInsert(slot, stem, size);
        return size++;
    }

    /** Number of term indexes handed out (an upper bound for per-term arrays). */
    int size() {
        return size;
    }

    /** The stable key of term {@code term}: the hash of its stem. */
    long key(int term) {
        return stems[term];
    }

    int df(int term) {
        return df[term];
    }

    long documents() {
        return documents;
    }

    /** Counts one document containing {@code terms[0..n)} (distinct term indexes). */
    void countDocument(int[] terms, int n) {
        for (int i = 0; i < n; i++) {
            df[terms[i]]++;
        }
        documents++;
        if (++sinceHalving == halfLife) {
            sinceHalving = 0;
            halve();
        }
    }

    /** Halves every count and drops terms that reach zero, renumbering the rest in order. */
    private void halve() {
        LongIntHashMap kept = new LongIntHashMap(size);
        int next = 0;
        for (int term = 0; term < size; term++) {
            int halved = df[term] / 2;
            if (halved > 0) {
                stems[next] = stems[term];
                df[next] = halved;
                kept.put(stems[next], next);
                next++;
            }
        }
        size = next;
        byStem = kept;
        byToken = new LongIntHashMap();
        documents /= 2;
    }
}
