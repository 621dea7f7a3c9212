package io.storyline.text;

import com.carrotsearch.hppc.LongHashSet;
import io.storyline.article.Article;
import io.storyline.config.EngineConfig;
import java.math.BigDecimal;
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
        this.vocabulary = new Vocabulary(config.dfHalfLife(), config.maxVocabulary());
        analysis.vocabulary = vocabulary;
    }

    /**
     * Cleans, tokenizes and removes boilerplate: all the copy tiers need. The result is valid
     * until the next call; {@link #countTerms} completes it for the story tier.
     */
    public Analysis analyze(Article article) {
        String cleanTitle = boilerplate.title(article.source(),
                bounded(TextCleaner.clean(article.title())));
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
     * terms with title-weighted counts, each distinct token stemmed at most once per run, and
     * tells names and quantities from common words (see {@link Analysis#kind}).
     */
    public Analysis countTerms(Analysis a) {
        Tokens title = a.title;
        Tokens body = a.bodyOnly;
        Language language = language(a.declaredLanguage, title, body);
        a.language = language.code;
        boolean repeated = startsWith(body, title);
        // A title repeated as the body's first line (titles-only feeds) is counted once.
        float weight = repeated ? titleWeight - 1 : titleWeight;
        // In a title Written Like This every word has a capital: that tells nothing of names.
        boolean titleCase = !language.capitalisesNouns && isTitleCase(title);
        boolean caseEvidence = !language.capitalisesNouns;
        epoch++;
        a.termCount = 0;
        if (weight > 0) {
            addTerms(a, title, language, weight,
                    caseEvidence && !titleCase ? 0 : title.size());
        }
        a.titleTermCount = a.termCount;
        // A Title Case title repeated as the body's first line gives no case evidence there
        // either: its capitals are the title's style, not names.
        addTerms(a, body, language, 1f, !caseEvidence ? body.size()
                : repeated && titleCase ? title.size() : 0);
        int days = 0;
        for (int i = 0; i < a.termCount; i++) {
            int term = a.terms[i];
            byte kind = vocabulary.kind(term);
            a.kinds[i] = kind == Vocabulary.WORD && isName(a, i, term) ? Analysis.NAME : kind;
            days |= vocabulary.day(term);
        }
        a.weekdays = days;
        return a;
    }

    /**
     * A name is a word written with a capital where no sentence starts at least twice as often
     * as in lower case, counting this article and the recent stream: {@code Hokkaido} and
     * {@code BCE} are, {@code Government} in a title and {@code Tuesday} are not (days and
     * months are left out: every outlet capitalises them and they name no event).
     */
    private boolean isName(Analysis a, int i, int term) {
        float capital = a.capitals[i] + vocabulary.capitals(term);
        float lower = a.lowers[i] + vocabulary.lowers(term);
        return capital >= 1 && capital >= 2 * lower && !CALENDAR.contains(vocabulary.key(term));
    }

    private static final LongHashSet CALENDAR = calendar();

    private static LongHashSet calendar() {
        LongHashSet keys = new LongHashSet();
        Tokenizer tokenizer = new Tokenizer();
        Vocabulary probe = new Vocabulary(Integer.MAX_VALUE);
        String words = "monday tuesday wednesday thursday friday saturday sunday january "
                + "february march april june july august september october november december "
                + "mon tue wed thu fri sat sun jan feb mar apr jun jul aug sep sept oct nov dec";
        Tokens tokens = tokenizer.tokenize(words);
        for (int i = 0; i < tokens.size(); i++) {
            int term = probe.termOf(tokens, i, Language.forCode("en"));
            if (term != Vocabulary.DROPPED) {
                keys.add(probe.key(term));
            }
        }
        return keys;
    }

    /** Most words of four letters or more start with a capital: Title Case or CAPITALS. */
    private static boolean isTitleCase(Tokens title) {
        int words = 0;
        int capitalised = 0;
        for (int i = 0; i < title.size(); i++) {
            if (title.length(i) >= 4 && !title.isNumber(i)) {
                words++;
                if (title.isCapitalized(i)) {
                    capitalised++;
                }
            }
        }
        return words >= 2 && capitalised * 10 >= words * 6;
    }

    /** Adds the tokens' terms; capitals and lower case count as evidence from token caseFrom. */
    private void addTerms(Analysis a, Tokens tokens, Language language, float weight,
            int caseFrom) {
        reserveSeen(tokens.size());
        int mask = seenKey.length - 1;
        if (run == null) {
            run = new StringBuilder();
            letters = new StringBuilder();
        }
        run.setLength(0);
        for (int i = 0; i < tokens.size(); i++) {
            boolean capital = tokens.isCapitalized(i);
            if (capital) {
                int next = addAcronym(a, tokens, i, language, weight);
                if (next > i) {
                    endRun(a, language, weight);
                    i = next - 1;
                    continue;
                }
            }
            long h = tokens.hash(i);
            int slot = (int) h & mask;
            while (seenStamp[slot] == epoch && seenKey[slot] != h) {
                slot = (slot + 1) & mask;
            }
            int at;
            if (seenStamp[slot] == epoch) {
                at = seenAt[slot]; // a word this article already had: no vocabulary lookup
                if (at >= 0) {
                    a.counts[at] += weight;
                }
            } else {
                int term = vocabulary.termOf(tokens, i, language);
                at = term == Vocabulary.DROPPED ? -1 : add(a, term, weight);
                seenStamp[slot] = epoch;
                seenKey[slot] = h;
                seenAt[slot] = at;
            }
            if (i >= caseFrom && (capital || run.length() > 0)) {
                extendRun(a, tokens, i, capital && at >= 0, language, weight);
            }
            if (at < 0) {
                continue;
            }
            if (tokens.isNumber(i)) {
                addQuantity(a, tokens, i, language, weight);
            } else if (i >= caseFrom) {
                if (!capital) {
                    a.lowers[at]++;
                } else if (!tokens.isSentenceInitial(i)) {
                    a.capitals[at]++;
                }
            }
        }
        endRun(a, language, weight);
    }

    /**
     * Initials of the run of capitalised words being read (see {@link Acronyms}) and of a
     * dotted acronym: per-article scratch, made on first use (no state to checkpoint).
     */
    private transient StringBuilder run;
    private transient StringBuilder letters;

    /**
     * Adds the acronym starting at token {@code i} ({@code U.S.}, or {@code US} in capitals)
     * as a name and returns the token after it, or -1 when token {@code i} starts none the
     * vocabulary would lose (see {@link Vocabulary#acronymKey}): {@code SARB} is a word.
     */
    private int addAcronym(Analysis a, Tokens tokens, int i, Language language, float weight) {
        int end = Acronyms.dotted(tokens, i, letters);
        if (end < 0) {
            if (!Acronyms.isCapitals(tokens, i)
                    || !language.stopHashes.contains(tokens.hash(i))) {
                return -1;
            }
            letters.setLength(0);
            letters.append(tokens.term(i));
            end = i + 1;
        }
        long key = vocabulary.acronymKey(letters, language);
        int term = vocabulary.existing(key);
        if (term < 0) { // labelled as first written: "U.S."
            term = vocabulary.termOfKey(key, Vocabulary.WORD, tokens.source.substring(
                    tokens.start[i], end - 1 > i ? tokens.end[end - 1] + 1 : tokens.end[i]));
        }
        int at = add(a, term, weight);
        a.capitals[at]++; // capitals wherever they stand: an acronym is a name
        return end;
    }

    /**
     * Extends or ends the run of capitalised words with token {@code i}, a capitalised word
     * when {@code capitalWord} (called only for those and while a run is open).
     */
    private void extendRun(Analysis a, Tokens tokens, int i, boolean capitalWord,
            Language language, float weight) {
        boolean capitalised = capitalWord && !tokens.isNumber(i);
        if (run.length() > 0 && (!Acronyms.adjacent(tokens, i)
                || capitalised && tokens.isSentenceInitial(i))) {
            endRun(a, language, weight); // "Bank (SARB)", "Bank. Then": one name ends
        }
        if (capitalised) {
            run.append(Acronyms.initial(tokens, i));
        } else if (run.length() == 0 || !Acronyms.isConnector(tokens, i)) {
            endRun(a, language, weight);
        }
    }

    /**
     * Ends the run of capitalised words: when the stream writes its initials as a name
     * ({@code SARB} for {@code South African Reserve Bank}), they count here too.
     */
    private void endRun(Analysis a, Language language, float weight) {
        int n = run.length();
        if (n >= 2 && n <= Acronyms.MAX_LETTERS) {
            int term = vocabulary.existing(vocabulary.acronymKey(run, language));
            if (term >= 0 && vocabulary.capitals(term) > 0
                    && vocabulary.capitals(term) >= 2 * vocabulary.lowers(term)) {
                a.capitals[add(a, term, weight)]++;
            }
        }
        run.setLength(0);
    }

    /**
     * Adds the figure at {@code i} together with the word it counts, the next content word
     * ({@code 100 missiles}) or else the previous one ({@code magnitude 6.1}): the figure
     * alone says little ({@code 100} of what?), the pair tells two events apart.
     */
    private void addQuantity(Analysis a, Tokens tokens, int i, Language language,
            float weight) {
        long figure = tokens.hash(i);
        String scale = null;
        int end = tokens.end[i];
        if (Character.isLetter(tokens.source.charAt(end - 1))) { // "$3.5T", "60m", "266K"
            String term = tokens.term(i);
            int at = 1;
            while (at < term.length() && !Character.isLetter(term.charAt(at))) {
                at++;
            }
            String digits = term.substring(0, at);
            String suffix = term.substring(at);
            if (suffix.equals("k") && isFigure(digits)) {
                // Thousands are mostly written out: 266K jobs counts as 266,000 jobs.
                figure = Hashing.of(new BigDecimal(digits).movePointRight(3)
                        .stripTrailingZeros().toPlainString());
            } else if ((scale = scaleWord(suffix, language)) != null && isFigure(digits)) {
                figure = Hashing.of(digits);
            }
        }
        int unit = -1;
        if (scale == null && i + 1 < tokens.size() && !tokens.isSentenceInitial(i + 1)
                && SCALE_ABBREVIATIONS.contains(tokens.hash(i + 1))) {
            scale = scaleWord(tokens.term(i + 1), language); // "$70 mln", "1,2 Md€"
            unit = scale == null ? -1 : i + 1; // labelled as written: "70 mln"
        }
        long unitKey;
        if (scale == null && unit < 0 && percentAfter(tokens, i)) {
            // "4 %", "6.75%": the figure counts a share. One key for every language, and the
            // same as the word "percent", which the tokenizer keeps where "%" is dropped.
            unitKey = vocabulary.wordKey("percent", ENGLISH);
            unit = Vocabulary.PERCENT_SIGN;
        } else if (scale != null) {
            // The scale is the word the figure counts, as in "3.5 trillion": outlets name the
            // thing counted differently but write the scale, in one form or another.
            unitKey = vocabulary.wordKey(scale, language);
        } else {
            // The next word counts only inside the sentence: "6.1. Rescuers" counts no rescuers.
            unit = i + 1 < tokens.size() && tokens.isSentenceInitial(i + 1) ? -1
                    : unitOf(tokens, i + 1, language);
            if (unit < 0 && !tokens.isSentenceInitial(i)) {
                unit = unitOf(tokens, i - 1, language); // not across a sentence: "Chile. 2024 was"
            }
            if (unit < 0) {
                return;
            }
            unitKey = vocabulary.key(vocabulary.termOf(tokens, unit, language));
        }
        long key = Hashing.mix(figure * 0x9e3779b97f4a7c15L + unitKey);
        add(a, vocabulary.termOfKey(key, Vocabulary.QUANTITY, tokens, i, unit), weight);
    }

    private static final Language ENGLISH = Language.forCode("en");

    /** Whether a percent sign follows figure {@code i}, right after it or after a space. */
    private static boolean percentAfter(Tokens tokens, int i) {
        String source = tokens.source;
        int at = tokens.end[i];
        if (at < source.length() && isSpace(source.charAt(at))) {
            at++; // "2,5 %", with a (narrow) no-break space in French typesetting
        }
        return at < source.length() && (source.charAt(at) == '%' || source.charAt(at) == '\uFF05');
    }

    private static boolean isSpace(char c) {
        return c == ' ' || c == '\u00A0' || c == '\u202F' || c == '\u2009';
    }

    /** Abbreviated scales written as a word of their own after a figure. */
    private static final LongHashSet SCALE_ABBREVIATIONS = new LongHashSet();

    static {
        for (String s : new String[] {"mn", "mln", "bn", "bln", "trn", "trln", "md", "mds",
            "mrd", "mrds"}) {
            SCALE_ABBREVIATIONS.add(Hashing.of(s));
        }
    }

    /**
     * The word a figure's abbreviated scale stands for ({@code $3.5T}, {@code 60m},
     * {@code 1.2bn}, {@code $70 mln}, {@code 1,2 Md€}), so that it makes the same quantity
     * as the figure written with that word ({@code 3.5 trillion}); null for none.
     */
    private static String scaleWord(String suffix, Language language) {
        boolean french = language.code.equals("fr");
        return switch (suffix) {
            case "m", "mn", "mln" -> french ? "millions" : "million";
            case "b", "bn", "bln" -> "billion";
            case "t", "tn", "trn", "trln" -> "trillion";
            case "md", "mds", "mrd", "mrds" -> french ? "milliards" : null;
            default -> null;
        };
    }

    /** Digits with at most one decimal point, as the tokenizer folds a figure. */
    private static boolean isFigure(String s) {
        int points = 0;
        for (int k = 0; k < s.length(); k++) {
            char c = s.charAt(k);
            if (c == '.') {
                points++;
            } else if (c < '0' || c > '9') {
                return false;
            }
        }
        return points <= 1 && s.charAt(s.length() - 1) != '.';
    }

    /** Token {@code j} when it is a content word (not a figure, not dropped), else -1. */
    private int unitOf(Tokens tokens, int j, Language language) {
        if (j < 0 || j >= tokens.size() || tokens.isNumber(j)) {
            return -1;
        }
        return vocabulary.termOf(tokens, j, language) == Vocabulary.DROPPED ? -1 : j;
    }

    /**
     * This article's tokens so far (title and body: one language, one epoch), by token hash:
     * the index of the token's term in the article's arrays, or -1 for a dropped token. Most
     * tokens of an article repeat one of its words; this small table stays in cache, where
     * the vocabulary's token map and its per-term array cost a miss each.
     */
    private long[] seenKey = new long[1 << 12];
    private int[] seenStamp = new int[1 << 12];
    private int[] seenAt = new int[1 << 12];
    private int seenCount;
    private int seenEpoch;

    /** Makes room in the seen-token table for {@code more} tokens (at most half full). */
    private void reserveSeen(int more) {
        if (seenEpoch != epoch) {
            seenEpoch = epoch;
            seenCount = 0;
        }
        seenCount += more;
        if (2 * seenCount <= seenKey.length) {
            return;
        }
        int size = Integer.highestOneBit(Math.max(1, 4 * seenCount - 1)) << 1;
        long[] oldKey = seenKey;
        int[] oldStamp = seenStamp;
        int[] oldAt = seenAt;
        seenKey = new long[size];
        seenStamp = new int[size];
        seenAt = new int[size];
        int mask = size - 1;
        for (int k = 0; k < oldKey.length; k++) {
            if (oldStamp[k] == epoch) {
                int slot = (int) oldKey[k] & mask;
                while (seenStamp[slot] == epoch) {
                    slot = (slot + 1) & mask;
                }
                seenStamp[slot] = epoch;
                seenKey[slot] = oldKey[k];
                seenAt[slot] = oldAt[k];
            }
        }
    }

    /**
     * Where this article's counts of each of its terms are: an open-addressing table from
     * term index (with the epoch, high half) to the index in the article's own arrays. An
     * array over the whole vocabulary did this with one load, but a load far apart for every
     * distinct word, a cache miss each (4 % of the engine's time); this table holds one
     * article's few hundred terms and stays in the first-level cache. Scratch, made on use.
     */
    private transient long[] termKey;
    private transient int[] termAt;

    /** Adds {@code weight} to the article's count of {@code term}; returns its index there. */
    private int add(Analysis a, int term, float weight) {
        if (termKey == null) {
            termKey = new long[1 << 11];
            termAt = new int[1 << 11];
        }
        long key = ((long) epoch << 32) | term;
        int mask = termKey.length - 1;
        int slot = termSlot(term, mask);
        while (termKey[slot] != key && (int) (termKey[slot] >>> 32) == epoch) {
            slot = (slot + 1) & mask;
        }
        int at;
        if (termKey[slot] == key) {
            at = termAt[slot];
        } else {
            if (a.termCount == a.terms.length) {
                int n = a.termCount * 2;
                a.terms = Arrays.copyOf(a.terms, n);
                a.counts = Arrays.copyOf(a.counts, n);
                a.kinds = Arrays.copyOf(a.kinds, n);
                a.capitals = Arrays.copyOf(a.capitals, n);
                a.lowers = Arrays.copyOf(a.lowers, n);
            }
            at = a.termCount++;
            a.terms[at] = term;
            a.counts[at] = 0;
            a.capitals[at] = 0;
            a.lowers[at] = 0;
            termKey[slot] = key;
            termAt[slot] = at;
            if (2 * a.termCount > termKey.length) {
                growTermTable(a);
            }
        }
        a.counts[at] += weight;
        return at;
    }

    private static int termSlot(int term, int mask) {
        // Fibonacci hashing: the product's high bits spread dense term indexes evenly.
        return (int) ((term * 0x9e3779b97f4a7c15L) >>> 40) & mask;
    }

    /** Doubles the term table, re-entering this article's terms (at most half full). */
    private void growTermTable(Analysis a) {
        int size = termKey.length * 2;
        termKey = new long[size];
        termAt = new int[size];
        int mask = size - 1;
        for (int at = 0; at < a.termCount; at++) {
            int slot = termSlot(a.terms[at], mask);
            while ((int) (termKey[slot] >>> 32) == epoch) {
                slot = (slot + 1) & mask;
            }
            termKey[slot] = ((long) epoch << 32) | a.terms[at];
            termAt[slot] = at;
        }
    }

    /** Terms the vocabulary holds now (bounded by {@code story.max-vocabulary}). */
    public int vocabularySize() {
        return vocabulary.size();
    }

    /** Counts the analysed article in the document frequencies (call once, for originals). */
    public void countDocument(Analysis a) {
        vocabulary.countDocument(a.terms, a.termCount, a.capitals, a.lowers);
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
