package io.storyline.text;

import com.carrotsearch.hppc.LongIntHashMap;
import com.carrotsearch.hppc.LongLongHashMap;
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
 *
 * <p>Each term also keeps how often the stream wrote it with a capital inside a sentence and
 * how often in lower case: a word the stream capitalises where no sentence starts is a name
 * ({@code Hokkaido}, {@code BCE}), which a title in title case or a sentence start cannot
 * tell on its own. These counts halve with the frequencies.
 */
final class Vocabulary {

    static final int DROPPED = -1;
    static final byte WORD = 0;
    static final byte NUMBER = 1;
    /** A figure with the word it counts ({@code 100 missiles}): a key made of two tokens. */
    static final byte QUANTITY = 2;
    private static final int MAX_CACHED_TOKENS = 1 << 22;
    /** Longer tokens are no terms (the longest words of French or English are about 30). */
    static final int MAX_TERM_CHARS = 64;

    private final int halfLife;
    private final int maxTerms;
    private LongIntHashMap byToken = new LongIntHashMap();
    private LongIntHashMap byStem = new LongIntHashMap();
    /** Made on first use: stemmers hold no state worth keeping across a restore. */
    private transient Map<Language, Language.Stemmer> stemmers;
    private long[] stems = new long[1 << 12];
    private int[] df = new int[1 << 12];
    private float[] capitals = new float[1 << 12];
    private float[] lowers = new float[1 << 12];
    private byte[] kinds = new byte[1 << 12];
    private String[] labels = new String[1 << 12];
    private int size;
    private long documents;
    private int sinceHalving;

    Vocabulary(int halfLife) {
        this(halfLife, Integer.MAX_VALUE);
    }

    /**
     * A vocabulary whose frequencies halve every {@code halfLife} documents, and also whenever
     * it holds more than {@code maxTerms} terms: a stream of ever-new words (names, figures,
     * typos, a feed of random ids) would otherwise grow it until the next half-life. Halving
     * forgets the words seen once, so it depends on the stream alone and output stays the same
     * on every replay.
     */
    Vocabulary(int halfLife, int maxTerms) {
        this.halfLife = halfLife;
        this.maxTerms = maxTerms;
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
        if (tokens.length(i) > MAX_TERM_CHARS) {
            return DROPPED; // a URL, an id, a run of glued words: no word, and a huge label
        }
        long stem;
        byte kind = WORD;
        if (tokens.isNumber(i)) {
            stem = token;
            kind = NUMBER;
        } else if (tokens.length(i) < 2) {
            return DROPPED;
        } else {
            stem = wordKey(tokens.term(i), language);
        }
        return termOfKey(stem, kind, tokens, i, -1);
    }

    /** A quantity's {@code other} token when the figure counts a share written "%". */
    static final int PERCENT_SIGN = -2;

    /**
     * The key of an acronym spelled {@code letters} (lower case): the word's own key, so that
     * outlets writing {@code NATO} and {@code Nato} name one alliance, unless the letters
     * spell a stop word ({@code IT}, {@code WHO}), which gets a key of its own rather than
     * being dropped with the word.
     */
    long acronymKey(CharSequence letters, Language language) {
        long token = Hashing.of(letters);
        if (acronymKeys == null) {
            acronymKeys = new LongLongHashMap();
        }
        long cacheKey = token ^ language.salt;
        int slot = acronymKeys.indexOf(cacheKey);
        if (slot >= 0) {
            return acronymKeys.indexGet(slot); // spares a stemmer call per run of names
        }
        long key = language.stopHashes.contains(token) ? Hashing.of("acronym " + letters)
                : wordKey(letters.toString(), language);
        if (acronymKeys.size() >= MAX_CACHED_TOKENS) {
            acronymKeys.clear(); // only a cache: keys do not change
            slot = acronymKeys.indexOf(cacheKey);
        }
        acronymKeys.indexInsert(slot, cacheKey, key);
        return key;
    }

    /** Acronym keys by letters' hash and language: a cache, rebuilt after a restore. */
    private transient LongLongHashMap acronymKeys;

    /** The term of key {@code key}, added with label {@code label} on first sight. */
    int termOfKey(long key, byte kind, String label) {
        int slot = byStem.indexOf(key);
        return slot >= 0 ? byStem.indexGet(slot) : insert(slot, key, kind, label);
    }

    /** The term of key {@code key} if the vocabulary holds it, else -1. */
    int existing(long key) {
        int slot = byStem.indexOf(key);
        return slot >= 0 ? byStem.indexGet(slot) : -1;
    }

    /** The stable key {@code word} (folded, lower case) has as a term of {@code language}. */
    long wordKey(String word, Language language) {
        if (stemmers == null) {
            stemmers = new IdentityHashMap<>();
        }
        return Hashing.of(stemmers.computeIfAbsent(language, Language::newStemmer).stem(word));
    }

    /**
     * The term index of a stem key, added on first sight with kind {@code kind} and labelled
     * with token {@code i} of {@code tokens} as written (for explanations), followed or
     * preceded by token {@code other} when that is not -1 (a quantity's word), or followed
     * by "%" when it is {@link #PERCENT_SIGN}.
     */
    int termOfKey(long stem, byte kind, Tokens tokens, int i, int other) {
        int slot = byStem.indexOf(stem);
        if (slot >= 0) {
            return byStem.indexGet(slot);
        }
        return insert(slot, stem, kind, other == PERCENT_SIGN ? tokens.surface(i) + "%"
                : other < 0 ? tokens.surface(i)
                : other > i ? tokens.surface(i) + " " + tokens.surface(other)
                : tokens.surface(other) + " " + tokens.surface(i));
    }

    private int insert(int slot, long stem, byte kind, String label) {
        if (size == stems.length) {
            stems = Arrays.copyOf(stems, size * 2);
            df = Arrays.copyOf(df, size * 2);
            capitals = Arrays.copyOf(capitals, size * 2);
            lowers = Arrays.copyOf(lowers, size * 2);
            kinds = Arrays.copyOf(kinds, size * 2);
            labels = Arrays.copyOf(labels, size * 2);
        }
        labels[size] = label;
        stems[size] = stem;
        df[size] = 0;
        capitals[size] = 0;
        lowers[size] = 0;
        // A day of the week is marked in the kind's high bits, in the byte the text stage
        // reads for every term anyway: a separate lookup per term cost the engine 10 %.
        kinds[size] = kind == WORD ? (byte) (kind | Weekdays.code(stem)) : kind;
        byStem.indexInsert(slot, stem, size);
        return size++;
    }

    /** The term as first written in the stream (a quantity: its figure and word). */
    String label(int term) {
        return labels[term];
    }

    /** The label of the term with stem key {@code stem}, or null if no longer known. */
    String labelOfKey(long stem) {
        int slot = byStem.indexOf(stem);
        return slot >= 0 ? labels[byStem.indexGet(slot)] : null;
    }

    byte kind(int term) {
        return (byte) (kinds[term] & KIND_BITS);
    }

    /** The day of the week term {@code term} names, as a one-bit mask (0: none). */
    int day(int term) {
        return Weekdays.bit(kinds[term]);
    }

    /** The bits of {@link #kinds} that hold the kind; the high ones mark days. */
    private static final int KIND_BITS = 0x0f;

    /** Times the recent stream wrote the term with a capital where no sentence starts. */
    float capitals(int term) {
        return capitals[term];
    }

    /** Times the recent stream wrote the term in lower case. */
    float lowers(int term) {
        return lowers[term];
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
    void countDocument(int[] terms, int n, float[] capitalsHere, float[] lowersHere) {
        for (int i = 0; i < n; i++) {
            df[terms[i]]++;
            capitals[terms[i]] += capitalsHere[i];
            lowers[terms[i]] += lowersHere[i];
        }
        documents++;
        if (++sinceHalving == halfLife) {
            sinceHalving = 0;
            halve();
        }
        while (size > maxTerms) {
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
                capitals[next] = capitals[term] / 2;
                lowers[next] = lowers[term] / 2;
                kinds[next] = kinds[term];
                labels[next] = labels[term];
                kept.put(stems[next], next);
                next++;
            }
        }
        Arrays.fill(labels, next, size, null);
        size = next;
        byStem = kept;
        byToken = new LongIntHashMap();
        documents /= 2;
    }
}
