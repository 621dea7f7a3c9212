package io.storyline.text;

import io.storyline.article.Article;
import io.storyline.config.EngineConfig;
import java.util.Arrays;

/**
 * The text stage's entry point: cleans, tokenizes once, removes boilerplate, chooses the
 * language and maps tokens to story terms. Stateful (boilerplate history, stem cache) and
 * single-threaded, like the engine that owns it.
 */
public final class TextAnalyzer {

    private final Tokenizer bodyTokenizer = new Tokenizer();
    private final Tokenizer titleTokenizer = new Tokenizer();
    private final BoilerplateFilter boilerplate;
    private final Vocabulary vocabulary;
    private int[] mark = new int[1 << 12];
    private float[] count = new float[1 << 12];
    private int epoch;
    private final Language defaultLanguage;
    private final float titleWeight;
    private final Analysis analysis = new Analysis();

    public TextAnalyzer(EngineConfig config) {
        this.boilerplate = new BoilerplateFilter(config.boilerplateHistory(),
                config.boilerplateMinCount(), config.boilerplateMaxSources());
        this.defaultLanguage = Language.forCode(config.defaultLanguage());
        if (defaultLanguage == null || config.defaultLanguage().length() != 2) {
            throw new IllegalArgumentException("setting text.default-language="
                    + config.defaultLanguage() + " must be one of "
                    + String.join(", ", Language.codes()));
        }
        this.titleWeight = (float) config.titleWeight();
        this.vocabulary = new Vocabulary(config.dfHalfLife());
        analysis.vocabulary = vocabulary;
    }

    /**
     * Cleans, tokenizes and removes boilerplate: all the copy tiers need. The result is valid
     * until the next call; {@link #countTerms} completes it for the story tier.
     */
    public Analysis analyze(Article article) {
        String cleanTitle = boilerplate.title(article.source(),
                TextCleaner.clean(article.title()));
        Tokens title = titleTokenizer.tokenize(cleanTitle);
        Tokens body = bodyTokenizer.tokenize(bounded(TextCleaner.clean(article.text())));
        analysis.boilerplateLines = boilerplate.filter(article.source(), body);
        analysis.declaredLanguage = article.lang();
        analysis.title = title;
        analysis.bodyOnly = body;
        analysis.body = body.size() > 0 ? body : title;
        analysis.contentHash = analysis.body.sequenceHash(0, analysis.body.size());
        analysis.termCount = -1;
        return analysis;
    }

    /** Text past this many characters is ignored: buffers sized by one huge page stay small. */
    static final int MAX_TEXT_CHARS = 200_000;

    private static String bounded(String text) {
        return text.length() <= MAX_TEXT_CHARS ? text : text.substring(0, MAX_TEXT_CHARS);
    }

    /**
     * Chooses the language and maps the tokens of {@code a} (the last analysis) to story
     * terms with title-weighted counts, each distinct token stemmed at most once per run.
     */
    public Analysis countTerms(Analysis a) {
        Tokens title = a.title;
        Tokens body = a.bodyOnly;
        Language language = language(a.declaredLanguage, title, body);
        a.language = language.code;
        boolean repeated = startsWith(body, title);
        // A title repeated as the body's first line (titles-only feeds) is counted once.
        float weight = repeated ? titleWeight - 1 : titleWeight;
        epoch++;
        a.termCount = 0;
        if (weight > 0) {
            addTerms(a, title, language, weight);
        }
        a.titleTermCount = a.termCount;
        addTerms(a, body, language, 1f);
        for (int i = 0; i < a.termCount; i++) {
            a.counts[i] = count[a.terms[i]];
        }
        return a;
    }

    private void addTerms(Analysis a, Tokens tokens, Language language, float weight) {
        for (int i = 0; i < tokens.size(); i++) {
            int term = vocabulary.termOf(tokens, i, language);
            if (term == Vocabulary.DROPPED) {
                continue;
            }
            if (term >= mark.length) {
                int grown = Math.max(term + 1, mark.length * 2);
                mark = Arrays.copyOf(mark, grown);
                count = Arrays.copyOf(count, grown);
            }
            if (mark[term] != epoch) {
                mark[term] = epoch;
                count[term] = 0;
                if (a.termCount == a.terms.length) {
                    a.terms = Arrays.copyOf(a.terms, a.termCount * 2);
                    a.counts = Arrays.copyOf(a.counts, a.termCount * 2);
                }
                a.terms[a.termCount++] = term;
            }
            count[term] += weight;
        }
    }

    /** Counts the analysed article in the document frequencies (call once, for originals). */
    public void countDocument(Analysis a) {
        vocabulary.countDocument(a.terms, a.termCount);
    }

    private Language language(String declared, Tokens title, Tokens body) {
        Language language = Language.forCode(declared);
        if (language != null) {
            return language;
        }
        Language best = defaultLanguage;
        int bestHits = 1; // one stop-word hit is no evidence
        for (Language candidate : Language.ALL) {
            int hits = stopHits(candidate, title) + stopHits(candidate, body);
            if (hits > bestHits) {
                best = candidate;
                bestHits = hits;
            }
        }
        return best;
    }

    private static int stopHits(Language language, Tokens tokens) {
        int hits = 0;
        int n = Math.min(tokens.size(), 200);
        for (int i = 0; i < n; i++) {
            if (language.stopHashes.contains(tokens.hash(i))) {
                hits++;
            }
        }
        return hits;
    }

    private static boolean startsWith(Tokens body, Tokens title) {
        if (title.size() == 0 || body.size() < title.size()) {
            return false;
        }
        for (int i = 0; i < title.size(); i++) {
            if (body.hash(i) != title.hash(i)) {
                return false;
            }
        }
        return true;
    }


}
