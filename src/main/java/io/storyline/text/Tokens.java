package io.storyline.text;

import java.util.Arrays;

/**
 * The tokens of one text as parallel arrays: folded characters, offsets and 64-bit hashes,
 * plus the token index where each source line starts. Reused between articles to avoid
 * allocating per token on the hot path.
 */
public final class Tokens {

    char[] chars = new char[4096];
    int charCount;
    int[] start = new int[512];
    int[] end = new int[512];
    long[] hash = new long[512];
    int count;
    int[] lineStart = new int[64];
    int lineCount;

    void clear() {
        charCount = 0;
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
        return new String(chars, start[i], end[i] - start[i]);
    }

    int length(int i) {
        return end[i] - start[i];
    }

    boolean isDigits(int i) {
        for (int c = start[i]; c < end[i]; c++) {
            if (chars[c] < '0' || chars[c] > '9') {
                return false;
            }
        }
        return true;
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

    /** Hashes of all tokens, in order. */
    public long[] hashes() {
        return Arrays.copyOf(hash, count);
    }

    void addLine() {
        if (lineCount > 0 && lineStart[lineCount - 1] == count) {
            return; // an empty line: nothing to separate
        }
        if (lineCount == lineStart.length) {
            lineStart = Arrays.copyOf(lineStart, lineCount * 2);
        }
        lineStart[lineCount++] = count;
    }

    void addChar(char c) {
        if (charCount == chars.length) {
            chars = Arrays.copyOf(chars, charCount * 2);
        }
        chars[charCount++] = c;
    }

    void addToken(int from, long h) {
        if (count == hash.length) {
            int n = count * 2;
            start = Arrays.copyOf(start, n);
            end = Arrays.copyOf(end, n);
            hash = Arrays.copyOf(hash, n);
        }
        start[count] = from;
        end[count] = charCount;
        hash[count++] = h;
    }

    /** Drops the token most recently added (an elided article such as French "l'"). */
    void dropLast() {
        count--;
        charCount = start[count];
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
