package io.storyline.text;

/**
 * What the text stage hands to both tiers for one article: the body tokens after boilerplate
 * removal (for shingles and the content hash) and the story-tier terms with title-weighted
 * counts, sorted by term id so every later sum runs in the same order. Reused per article.
 */
public final class Analysis {

    String language;
    String declaredLanguage;
    Tokens body;
    Tokens fullBody;
    Tokens title;
    long contentHash;
    int boilerplateLines;
    long[] terms = new long[256];
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

    public long term(int i) {
        return terms[i];
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
