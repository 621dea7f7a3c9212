package io.storyline.text;

import java.util.Locale;
import org.apache.lucene.analysis.miscellaneous.ASCIIFoldingFilter;

/**
 * Splits normalized text into folded word tokens in one pass, hashing each token as it goes.
 *
 * <p>Written by hand because Lucene's analyzers cost 35–75 µs per 600-word article, more than
 * the whole near-duplicate budget. It reproduces what those analyzer chains do for news:
 * lower-casing, accent folding (Lucene's own {@link ASCIIFoldingFilter} table), French elision
 * ({@code l’Ukraine → ukraine}, like {@code ElisionFilter}), English possessives ({@code
 * Biden’s → biden}), decimal numbers kept whole, and line boundaries recorded for boilerplate
 * removal. The loop works on local arrays and a per-character class table so that the JIT
 * keeps it in registers. Not thread-safe: one instance per analyzer.
 */
final class Tokenizer {

    private static final byte SEPARATOR = 0;
    private static final byte LETTER = 1;
    private static final byte DIGIT = 2;
    private static final byte APOSTROPHE = 3;
    private static final byte NEWLINE = 4;
    private static final byte NUMBER_MARK = 5;
    private static final byte OTHER = 6;
    private static final byte DECIMAL_POINT = 7;
    /** A thousands separator inside a figure: 29 000, 29,000 and 29.000 are one token, 29000. */
    private static final byte THOUSANDS = 8;

    /** Class of every char below U+0250; above it, {@link #OTHER} (decided per char). */
    private static final byte[] CLASS = new byte[0x250];
    /** Lower-cased ASCII letters and digits; 0 for every other ASCII char. */
    private static final char[] ASCII = new char[0x80];
    /**
     * Folded, lower-cased form of every letter or digit of the BMP: filled below U+0250 at
     * start, above it on first sight (a benign race: every writer stores an equal String).
     */
    private static final String[] FOLD = new String[0x10000];
    private static final long POSSESSIVE = Hashing.of("s");
    private static final long[] ELISIONS = hashes("l", "d", "j", "m", "n", "s", "t", "c", "qu",
            "jusqu", "lorsqu", "puisqu", "quoiqu");

    static {
        for (char c = 0; c < CLASS.length; c++) {
            if (Character.isLetterOrDigit(c)) {
                FOLD[c] = computeFold(c);
                CLASS[c] = c >= '0' && c <= '9' ? DIGIT : LETTER;
            } else if (Character.getType(c) == Character.NON_SPACING_MARK) {
                CLASS[c] = OTHER;
            }
        }
        for (char c = 0; c < ASCII.length; c++) {
            ASCII[c] = CLASS[c] == LETTER || CLASS[c] == DIGIT ? FOLD[c].charAt(0) : 0;
        }
        CLASS['\''] = APOSTROPHE;
        CLASS['`'] = APOSTROPHE;
        CLASS['\n'] = NEWLINE;
        CLASS['.'] = NUMBER_MARK;
        CLASS[','] = NUMBER_MARK;
    }

    private final Tokens tokens = new Tokens();
    private char[] buffer = new char[8192];

    /** Tokenizes {@code text}; the returned object is reused by the next call. */
    Tokens tokenize(String text) {
        Tokens t = tokens;
        t.clear();
        int n = text.length();
        t.reserve(n / 2 + 1, n / 2 + 2);
        t.source = text;
        if (buffer.length < n + 1) {
            buffer = new char[n + 16];
        }
        char[] in = buffer;
        text.getChars(0, n, in, 0);
        in[n] = ' ';
        int[] start = t.start;
        int[] end = t.end;
        long[] hash = t.hash;
        int[] lineStart = t.lineStart;
        int count = 0;
        int lines = 0;
        int from = -1;
        long h = Hashing.SEED;
        boolean afterApostrophe = false;
        boolean newLine = true;
        for (int i = 0; i < n; i++) {
            char c = in[i];
            // ASCII letters and digits (the bulk of news text) take one table load and branch.
            char folded = c < 0x80 ? ASCII[c] : 0;
            byte kind = folded != 0 ? LETTER : kindOf(c, in, i, from, n);
            if (kind == LETTER || kind == DIGIT) {
                if (from < 0) {
                    if (newLine && (lines == 0 || lineStart[lines - 1] != count)) {
                        lineStart[lines++] = count;
                    }
                    newLine = false;
                    from = i;
                    h = Hashing.SEED;
                }
                h = folded != 0 ? Hashing.step(h, folded) : foldHash(h, c);
                continue;
            }
            if (kind == DECIMAL_POINT) {
                h = Hashing.step(h, '.'); // "2,5" and "2.5" are one token, the same one
                continue;
            }
            if (kind == OTHER || kind == THOUSANDS) {
                continue; // a combining accent inside a word, a thousands separator: folded away
            }
            boolean apostrophe = kind == APOSTROPHE;
            if (from >= 0) {
                long token = Hashing.mix(h);
                start[count] = from;
                end[count] = i;
                hash[count++] = token;
                from = -1;
                if (apostrophe && Character.isLetter(in[i + 1]) && contains(ELISIONS, token)) {
                    count--; // elided article: l', d', qu'...
                } else if (afterApostrophe && token == POSSESSIVE) {
                    count--; // English possessive 's
                }
            }
            afterApostrophe = apostrophe;
            if (kind == NEWLINE) {
                newLine = true;
            }
        }
        if (from >= 0) {
            start[count] = from;
            end[count] = n;
            hash[count] = Hashing.mix(h);
            if (!afterApostrophe || hash[count] != POSSESSIVE) {
                count++;
            }
        }
        t.count = count;
        t.lineCount = lines;
        return t;
    }

    /**
     * ASCII-folded and lower-cased, then again: lower-casing can make a letter that folding
     * maps ({@code Ȿ → ȿ → s}), and a folded token must fold to itself (jqwik found it).
     */
    private static String computeFold(char c) {
        String once = foldAndLower(String.valueOf(c));
        return foldAndLower(once);
    }

    private static String foldAndLower(String s) {
        char[] out = new char[4 * s.length()];
        int n = ASCIIFoldingFilter.foldToASCII(s.toCharArray(), 0, out, 0, s.length());
        return new String(out, 0, n).toLowerCase(Locale.ROOT);
    }

    /** The folded form of letter or digit {@code c}. */
    static String foldOf(char c) {
        String fold = FOLD[c];
        if (fold == null) {
            fold = computeFold(c);
            FOLD[c] = fold;
        }
        return fold;
    }

    /** Continues a token hash with the folded form of non-ASCII {@code c}. */
    private static long foldHash(long h, char c) {
        String fold = foldOf(c);
        for (int k = 0; k < fold.length(); k++) {
            h = Hashing.step(h, fold.charAt(k));
        }
        return h;
    }

    /** The folded form of {@code text[from, to)}, as the tokenizer hashes it. */
    static String fold(String text, int from, int to) {
        StringBuilder out = new StringBuilder(to - from);
        char[] figure = isDigit(text.charAt(from)) ? (text.substring(from, to) + ' ').toCharArray()
                : null;
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            if (figure != null && (c == ',' || c == '.' || isGroupSpace(c))
                    && thousands(figure, i - from, 0, to - from)) {
                continue; // as tokenize() reads it: 29 000 is 29000
            }
            if (c < 0x80) {
                out.append(c == ',' ? '.' : c >= 'A' && c <= 'Z' ? (char) (c | 0x20) : c);
            } else if (!isMark(c)) {
                out.append(foldOf(c));
            }
        }
        return out.toString();
    }

    private static boolean isMark(char c) {
        return Character.getType(c) == Character.NON_SPACING_MARK;
    }

    /**
     * Class of a char other than an ASCII letter or digit, in its context: {@code from} is
     * where the current token starts (-1 outside one), {@code n} the text's length.
     */
    private static byte kindOf(char c, char[] in, int i, int from, int n) {
        byte kind = c < CLASS.length ? CLASS[c] : otherKind(c);
        if (kind == OTHER) {
            kind = otherKind(c);
        }
        if (kind == NUMBER_MARK) {
            if (from < 0 || !isDigit(in[i + 1]) || !isDigit(in[i - 1])) {
                return SEPARATOR;
            }
            return thousands(in, i, from, n) ? THOUSANDS : DECIMAL_POINT;
        }
        if (kind == SEPARATOR && from >= 0 && isDigit(in[i - 1]) && isGroupSpace(c)
                && thousands(in, i, from, n)) { // after a word: one comparison
            return THOUSANDS;
        }
        return kind;
    }

    /** Spaces that French and SI typography put between groups of three digits. */
    private static boolean isGroupSpace(char c) {
        return c == ' ' || c == '\u00a0' || c == '\u202f' || c == '\u2009';
    }

    /**
     * Whether the char at {@code i} separates thousands: the token so far is a figure whose
     * last group has one to three digits (four would be a year: "2021 100"), and exactly three
     * digits follow. Outlets write one figure as 29 000, 29,000 or 29.000; each must be the
     * same token, or a count shared by two write-ups of one event would look like two.
     * (A decimal with three places, 6.125, reads as 6125 too: the same in every text.)
     */
    private static boolean thousands(char[] in, int i, int from, int n) {
        if (i + 3 >= n || !isDigit(in[i - 1]) || !isDigit(in[i + 1]) || !isDigit(in[i + 2])
                || !isDigit(in[i + 3]) || isDigit(in[i + 4])) {
            return false;
        }
        int group = 0;
        for (int k = i - 1; k >= from; k--) {
            char d = in[k];
            if (isDigit(d)) {
                if (++group > 3) {
                    return false;
                }
            } else if (d == ',' || d == '.' || isGroupSpace(d)) {
                // an earlier separator: this group must be a whole one (1,234,567)
                return group == 3;
            } else if (isMark(d)) {
                continue; // a combining mark is folded away: 2\u03001.234 is read as 21.234
            } else {
                return false; // a letter in the token: no figure (A380 000)
            }
        }
        return group >= 1;
    }

    /** Class of a char outside the table, or of a combining mark (only inside words). */
    private static byte otherKind(char c) {
        if (c == '\u2019' || c == '\u2018' || c == '\u02bc') {
            return APOSTROPHE;
        }
        if (Character.isLetterOrDigit(c)) {
            return LETTER;
        }
        return Character.getType(c) == Character.NON_SPACING_MARK ? OTHER : SEPARATOR;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
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
