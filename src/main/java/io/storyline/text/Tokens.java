package io.storyline.text;

import java.util.Arrays;

/**
 * The tokens of one text as parallel arrays: offsets into the source text and 64-bit hashes
 * of the folded forms, plus the token index where each source line starts. Reused between
 * articles to avoid allocating per token on the hot path.
 */
public final class Tokens {

    String source = "";
    int[] start = new int[512];
    int[] end = new int[512];
    long[] hash = new long[512];
    int count;
    int[] lineStart = new int[64];
    int lineCount;

    void clear() {
        count = 0;
        lineCount = 0;
    }

    public int size() {
        return count;
    }

    public long hash(int i) {
        return hash[i];
    }

    /** The folded form of token {@code i} (allocates: for cache misses and diagnostics). */
    public String term(int i) {
        return Tokenizer.fold(source, start[i], end[i]);
    }

    /** Token {@code i} as written in the source text. */
    String surface(int i) {
        return source.substring(start[i], end[i]);
    }

    int length(int i) {
        return end[i] - start[i];
    }

    /** Whether token {@code i} starts with a digit: a figure (100, 6.1, 2024). */
    boolean isNumber(int i) {
        char c = source.charAt(start[i]);
        return c >= '0' && c <= '9';
    }

    /** Whether token {@code i} is written with a capital first letter (or in capitals). */
    boolean isCapitalized(int i) {
        return Character.isUpperCase(source.charAt(start[i]));
    }

    /**
     * Whether token {@code i} opens a sentence, a line or a quotation, where a capital says
     * nothing about a name. A word right after an elided article ({@code L'Ukraine},
     * {@code d'Ankara}) carries its own capital: the article took the sentence's.
     */
    boolean isSentenceInitial(int i) {
        int p = start[i] - 1;
        if (p >= 0 && isApostrophe(source.charAt(p))) {
            return false;
        }
        while (p >= 0) {
            char c = source.charAt(p);
            if (c == '\n' || c == '.' || c == '!' || c == '?' || c == ':' || c == ';'
                    || c == '|' || c == '\u2022' || c == '\u2014' || c == '\u2013') {
                return true;
            }
            if (!Character.isWhitespace(c) && !isOpeningMark(c)) {
                return false;
            }
            p--;
        }
        return true;
    }

    private static boolean isApostrophe(char c) {
        return c == '\'' || c == '\u2019' || c == '\u02bc';
    }

    private static boolean isOpeningMark(char c) {
        return c == '"' || c == '\u00ab' || c == '\u201c' || c == '\u2018' || c == '('
                || c == '[' || c == '-' || c == '\'' || c == '\u201e';
    }

    public int lines() {
        return lineCount;
    }

    /** Index of the first token of line {@code line}. */
    public int lineStart(int line) {
        return lineStart[line];
    }

    /** Index after the last token of line {@code line}. */
    public int lineEnd(int line) {
        return line + 1 < lineCount ? lineStart[line + 1] : count;
    }

    /**
     * Order-dependent hash of tokens {@code [from, to)}: one multiply-add per token (their
     * hashes are already mixed) and one final mix, rather than a mix per token, since this
     * runs over every token twice per article (boilerplate lines, content hash).
     */
    long sequenceHash(int from, int to) {
        long h = to - from;
        for (int i = from; i < to; i++) {
            h = h * 0x9e3779b97f4a7c15L + hash[i];
        }
        return Hashing.mix(h);
    }

    /** Hashes of all tokens, in order. */
    public long[] hashes() {
        return Arrays.copyOf(hash, count);
    }

    /** Makes room for at least this many tokens and lines. */
    void reserve(int tokenCapacity, int lineCapacity) {
        if (hash.length < tokenCapacity) {
            start = new int[tokenCapacity];
            end = new int[tokenCapacity];
            hash = new long[tokenCapacity];
        }
        if (lineStart.length < lineCapacity) {
            lineStart = new int[lineCapacity];
        }
    }

    /** Keeps only tokens whose keep flag is set, in order (boilerplate removal). */
    void retain(boolean[] keepLine) {
        int out = 0;
        int outLines = 0;
        for (int line = 0; line < lineCount; line++) {
            if (!keepLine[line]) {
                continue;
            }
            int from = lineStart(line);
            int to = lineEnd(line);
            lineStart[outLines++] = out;
            for (int i = from; i < to; i++, out++) {
                start[out] = start[i];
                end[out] = end[i];
                hash[out] = hash[i];
            }
        }
        count = out;
        lineCount = outLines;
    }
}
