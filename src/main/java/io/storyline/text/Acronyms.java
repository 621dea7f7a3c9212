package io.storyline.text;

import com.carrotsearch.hppc.LongHashSet;

/**
 * Acronyms and the names they stand for, so that {@code SARB}, {@code ECB}, {@code U.S.} and
 * {@code US} meet {@code South African Reserve Bank}, {@code European Central Bank} and
 * {@code United States} as one term.
 *
 * <p>Written by hand: Lucene has no acronym expansion, and a fixed table would know only the
 * acronyms of its day. Three forms are read here: a dotted acronym ({@code U.S.}, which the
 * tokenizer splits into single letters that the vocabulary drops); an acronym in capitals that
 * spells a stop word ({@code IT}, {@code WHO}), which would be dropped with it; and a run
 * of capitalised words ({@code South African Reserve Bank}, {@code Bank of England}), whose
 * initials become a term only when the stream already writes them as a name: a run is not
 * evidence that anyone abbreviates it, so unused initials ({@code Joe Biden}: jb) stay out.
 */
final class Acronyms {

    /** Longest acronym read: longer runs of initials are titles or headlines, not names. */
    static final int MAX_LETTERS = 6;

    private static final LongHashSet CONNECTORS = new LongHashSet();

    static {
        for (String w : new String[] {"of", "the", "and", "for", "de", "du", "des", "la", "le",
            "et"}) {
            CONNECTORS.add(Hashing.of(w));
        }
    }

    private Acronyms() {
    }

    /** Whether token {@code i} continues a run of capitalised words without a letter. */
    static boolean isConnector(Tokens tokens, int i) {
        return tokens.length(i) <= 3 && CONNECTORS.contains(tokens.hash(i));
    }

    /**
     * The end (exclusive) of the dotted acronym starting at token {@code i} ({@code U.S.},
     * {@code U.N.}, {@code D.C.}: capitals each followed by a dot), or -1 when none starts
     * there; the letters, lower case, are appended to {@code letters}.
     */
    static int dotted(Tokens tokens, int i, StringBuilder letters) {
        String s = tokens.source;
        int j = i;
        letters.setLength(0);
        while (j < tokens.size() && tokens.length(j) == 1
                && Character.isUpperCase(s.charAt(tokens.start[j]))
                && tokens.end[j] < s.length() && s.charAt(tokens.end[j]) == '.'
                && (j == i || tokens.start[j] == tokens.end[j - 1] + 1)
                && letters.length() < MAX_LETTERS) {
            letters.append(Character.toLowerCase(s.charAt(tokens.start[j])));
            j++;
        }
        return letters.length() >= 2 ? j : -1;
    }

    /** Whether only spaces or a hyphen stand between token {@code i} and the one before. */
    static boolean adjacent(Tokens tokens, int i) {
        if (i == 0) {
            return false;
        }
        String s = tokens.source;
        for (int k = tokens.end[i - 1]; k < tokens.start[i]; k++) {
            char c = s.charAt(k);
            if (c != '-' && !Character.isWhitespace(c) && c != '\u00A0') {
                return false;
            }
        }
        return true;
    }

    /**
     * Whether token {@code i} is written in capitals ({@code US}, {@code ECB}) in a text that
     * is not: next to another word in capitals it is shouting ({@code LET US GO}).
     */
    static boolean isCapitals(Tokens tokens, int i) {
        int n = tokens.length(i);
        if (n < 2 || n > MAX_LETTERS || !allUpper(tokens, i)) {
            return false;
        }
        return !(i > 0 && tokens.length(i - 1) > 1 && allUpper(tokens, i - 1))
                && !(i + 1 < tokens.size() && tokens.length(i + 1) > 1
                        && allUpper(tokens, i + 1));
    }

    private static boolean allUpper(Tokens tokens, int i) {
        String s = tokens.source;
        for (int k = tokens.start[i]; k < tokens.end[i]; k++) {
            if (!Character.isUpperCase(s.charAt(k))) {
                return false;
            }
        }
        return true;
    }

    /** The first letter of token {@code i}, folded and in lower case ({@code É} is e). */
    static char initial(Tokens tokens, int i) {
        char c = tokens.source.charAt(tokens.start[i]);
        if (c < 0x80) {
            return Character.toLowerCase(c);
        }
        String folded = Tokenizer.foldOf(c);
        return folded.isEmpty() ? Character.toLowerCase(c) : folded.charAt(0);
    }
}
