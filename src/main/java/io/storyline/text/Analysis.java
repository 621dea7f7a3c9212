package io.storyline.text;

/**
 * What the text stage hands to both tiers for one article: the body tokens after boilerplate
 * removal (for shingles and the content hash) and the story-tier terms with title-weighted
 * counts, in order of first occurrence (a deterministic order). Reused per article.
 */
public final class Analysis {

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

    /** Number of distinct terms that occur in the title. */
    public int titleTermCount() {
        return titleTermCount;
    }
}
