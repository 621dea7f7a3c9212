package io.storyline.text;

import org.apache.lucene.analysis.miscellaneous.ASCIIFoldingFilter;

/**
 * Splits normalized text into folded word tokens in one pass, hashing each token as it goes.
 *
 * <p>Written by hand because Lucene's analyzers cost 35–75 µs per 600-word article, more than
 * the whole near-duplicate budget. It reproduces what those analyzer chains do for news:
 * lower-casing, accent folding (Lucene's own {@link ASCIIFoldingFilter} table), French elision
 * ({@code l’Ukraine → ukraine}, like {@code ElisionFilter}), English possessives ({@code
 * Biden’s → biden}), decimal numbers kept whole, and line boundaries recorded for boilerplate
 * removal. Not thread-safe: one instance per engine.
 */
final class Tokenizer {

    /** Folded form of every char up to U+024F (Latin-1 and Latin Extended A/B); null: none. */
    private static final String[] FOLD = new String[0x250];
    private static final long[] ELISIONS = hashes("l", "d", "j", "m", "n", "s", "t", "c", "qu",
            "jusqu", "lorsqu", "puisqu", "quoiqu");

    static {
        char[] in = new char[1];
        char[] out = new char[4];
        for (char c = 0x80; c < FOLD.length; c++) {
            if (Character.isLetterOrDigit(c)) {
                in[0] = c;
                int n = ASCIIFoldingFilter.foldToASCII(in, 0, out, 0, 1);
                FOLD[c] = new String(out, 0, n).toLowerCase(java.util.Locale.ROOT);
            }
        }
    }

    private final Tokens tokens = new Tokens();

    /** Tokenizes {@code text}; the returned object is reused by the next call. */
    Tokens tokenize(String text) {
        tokens.clear();
        append(text);
        return tokens;
    }

    /** Tokenizes {@code text} after whatever the last call produced, starting a new line. */
    void append(String text) {
        Tokens t = tokens;
        int n = text.length();
        int from = -1;
        long h = Hashing.FNV_OFFSET;
        boolean afterApostrophe = false;
        boolean newLine = true;
        for (int i = 0; i < n; i++) {
            char c = text.charAt(i);
            String fold = null;
            boolean word;
            if (c < 0x80) {
                if (c >= 'A' && c <= 'Z') {
                    c = (char) (c | 0x20);
                    word = true;
                } else {
                    word = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
                }
                if (!word && from >= 0 && (c == '.' || c == ',') && isDigitAround(text, i)) {
                    c = '.';
                    word = true;
                }
            } else if (Character.isLetterOrDigit(c)) {
                word = true;
                fold = c < FOLD.length ? FOLD[c] : null;
                if (fold == null) {
                    c = Character.toLowerCase(c);
                }
            } else if (from >= 0 && Character.getType(c) == Character.NON_SPACING_MARK) {
                continue; // a combining accent inside a word: folded away
            } else {
                word = false;
            }
            if (word) {
                if (from < 0) {
                    if (newLine) {
                        t.addLine();
                        newLine = false;
                    }
                    from = t.charCount;
                    h = Hashing.FNV_OFFSET;
                }
                if (fold == null) {
                    t.addChar(c);
                    h = Hashing.step(h, c);
                } else {
                    for (int k = 0; k < fold.length(); k++) {
                        t.addChar(fold.charAt(k));
                        h = Hashing.step(h, fold.charAt(k));
                    }
                }
                continue;
            }
            if (from >= 0) {
                long token = Hashing.mix(h);
                t.addToken(from, token);
                from = -1;
                boolean apostrophe = isApostrophe(c);
                if (apostrophe && i + 1 < n && Character.isLetter(text.charAt(i + 1))
                        && contains(ELISIONS, token)) {
                    t.dropLast();
                } else if (afterApostrophe && t.length(t.count - 1) == 1
                        && t.chars[t.start[t.count - 1]] == 's') {
                    t.dropLast();
                }
                afterApostrophe = apostrophe;
            } else {
                afterApostrophe = false;
            }
            if (c == '\n') {
                newLine = true;
            }
        }
        if (from >= 0) {
            t.addToken(from, Hashing.mix(h));
            if (afterApostrophe && t.length(t.count - 1) == 1
                    && t.chars[t.start[t.count - 1]] == 's') {
                t.dropLast();
            }
        }
    }

    private static boolean isDigitAround(String text, int i) {
        return i > 0 && i + 1 < text.length() && isAsciiDigit(text.charAt(i - 1))
                && isAsciiDigit(text.charAt(i + 1));
    }

    private static boolean isAsciiDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static boolean isApostrophe(char c) {
        return c == '\'' || c == '\u2019' || c == '\u02bc' || c == '\u2018' || c == '`';
    }

    private static boolean contains(long[] set, long value) {
        for (long v : set) {
            if (v == value) {
                return true;
            }
        }
        return false;
    }

    private static long[] hashes(String... words) {
        long[] out = new long[words.length];
        for (int i = 0; i < words.length; i++) {
            out[i] = Hashing.of(words[i]);
        }
        return out;
    }
}
