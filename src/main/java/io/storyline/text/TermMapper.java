package io.storyline.text;

import com.carrotsearch.hppc.LongLongHashMap;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * Maps tokens to story-tier terms: stop words and one-letter tokens dropped, words stemmed,
 * numbers and names kept. Each distinct token is stemmed once per language and remembered,
 * because stemming every token would cost more than the rest of the text stage together.
 */
final class TermMapper {

    /** Cache value of a token that is not a term (stop word, single letter). */
    static final long DROPPED = 1L;
    private static final int MAX_CACHED = 1 << 20;

    private final Map<Language, LongLongHashMap> caches = new IdentityHashMap<>();
    private final Map<Language, Language.Stemmer> stemmers = new IdentityHashMap<>();

    /** The term id of token {@code i}, or {@link #DROPPED}. */
    long term(Tokens tokens, int i, Language language) {
        LongLongHashMap cache = caches.computeIfAbsent(language, l -> new LongLongHashMap());
        long token = tokens.hash(i);
        int slot = cache.indexOf(token);
        if (slot >= 0) {
            return cache.indexGet(slot);
        }
        long term = compute(tokens, i, language);
        if (cache.size() >= MAX_CACHED) {
            cache.clear(); // a pure cache: clearing changes speed, never results
            slot = cache.indexOf(token);
        }
        cache.indexInsert(slot, token, term);
        return term;
    }

    private long compute(Tokens tokens, int i, Language language) {
        long token = tokens.hash(i);
        if (language.stopHashes.contains(token)) {
            return DROPPED;
        }
        if (tokens.isDigits(i)) {
            return token;
        }
        if (tokens.length(i) < 2) {
            return DROPPED;
        }
        Language.Stemmer stemmer = stemmers.computeIfAbsent(language, Language::newStemmer);
        String stem = stemmer.stem(tokens.term(i));
        long term = Hashing.of(stem);
        return term == DROPPED ? DROPPED + 1 : term;
    }
}
