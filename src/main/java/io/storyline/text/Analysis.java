package io.storyline.text;

/**
 * What the text stage hands to both tiers for one article: the body tokens after boilerplate
 * removal (for shingles and the content hash) and the story-tier terms with title-weighted
 * counts, in order of first occurrence (a deterministic order). Reused per article.
 */
public final class Analysis {

    /** A common word. */
    public static final byte WORD = Vocabulary.WORD;
    /** A figure on its own ({@code 2024}, {@code 6.1}). */
    public static final byte NUMBER = Vocabulary.NUMBER;
    /** A figure with the word it counts ({@code 100 missiles}, {@code magnitude 6.1}). */
    public static final byte QUANTITY = Vocabulary.QUANTITY;
    /** A name: a word the text and the stream write with a capital inside sentences. */
    public static final byte NAME = 3;

    String language;
    String declaredLanguage;
    Tokens body;
    /** The body's tokens after boilerplate removal, even when empty (no title fallback). */
    Tokens bodyOnly;
    Tokens title;
    long contentHash;
    int boilerplateLines;
    Vocabulary vocabulary;
    int[] terms = new int[256];
    float[] counts = new float[256];
    byte[] kinds = new byte[256];
    /** The days of the week the text names ({@link Weekdays}). */
    int weekdays;
    /** Per term: occurrences with a capital where no sentence starts, and in lower case. */
    float[] capitals = new float[256];
    float[] lowers = new float[256];
    int termCount;
    int titleTermCount;

    /** The language used for stop words and stems (after {@link TextAnalyzer#countTerms}). */
    public String language() {
        return language;
    }

    /** Body tokens after boilerplate removal; the title's when the body is empty. */
    public Tokens body() {
        return body;
    }

    /** Hash of the normalized body (title when the body is empty): the exact-copy key. */
    public long contentHash() {
        return contentHash;
    }

    public int boilerplateLines() {
        return boilerplateLines;
    }

    /** Number of distinct terms; only after {@link TextAnalyzer#countTerms}. */
    public int termCount() {
        if (termCount < 0) {
            throw new IllegalStateException("terms not counted yet: call countTerms first");
        }
        return termCount;
    }

    /** Stable key of term {@code i} (the hash of its stem). */
    public long termKey(int i) {
        return vocabulary.key(terms[i]);
    }

    /** Documents among the recent stream that contained term {@code i} (before this one). */
    public int documentFrequency(int i) {
        return vocabulary.df(terms[i]);
    }

    /** Documents counted so far in the recent stream (the IDF's N). */
    public long documents() {
        return vocabulary.documents();
    }

    /** Occurrences of term {@code i}, title occurrences counted with the title weight. */
    public float count(int i) {
        return counts[i];
    }

    /** What term {@code i} is: a word, a name, a number or a quantity (the constants above). */
    public byte kind(int i) {
        return kinds[i];
    }

    /** The days of the week the text names, as a mask (bit 0 = Monday; see {@link Weekdays}). */
    public int weekdays() {
        return weekdays;
    }

    /** Whether term {@code i} says which event this is: a name or a counted figure. */
    public boolean isEntity(int i) {
        return kinds[i] == NAME || kinds[i] == QUANTITY;
    }

    /** Term {@code i} as the stream first wrote it, for explanations. */
    public String label(int i) {
        return vocabulary.label(terms[i]);
    }

    /** The label of the term with key {@code key} (see {@link #termKey}), or null. */
    public String labelOfKey(long key) {
        return vocabulary.labelOfKey(key);
    }

    /** Number of distinct terms that occur in the title. */
    public int titleTermCount() {
        return titleTermCount;
    }
}
