package io.storyline.text;

/**
 * The 64-bit hash shared by tokens, terms, shingles and lines. Fixed (no seed at run time) so
 * that every run and every instance computes the same values.
 */
public final class Hashing {

    /** Start value of a token's character accumulator. */
    static final long SEED = 0x2545f4914f6cdd1dL;

    private Hashing() {
    }

    /**
     * Adds one character to a token's accumulator; finish with {@link #mix}. A rotate and an
     * xor (two cycles of latency, against four or more for FNV's multiply) keep tokenizing
     * close to the speed of reading the text; the fields of ASCII characters do not overlap
     * for tokens of up to nine characters, and {@link #mix} spreads the bits afterwards.
     */
    static long step(long h, char c) {
        return Long.rotateLeft(h, 7) ^ c;
    }

    /** Murmur3's 64-bit finalizer: a bijection that spreads every input bit over the word. */
    public static long mix(long h) {
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return h;
    }

    /** Hash of a token as the tokenizer would compute it from its folded characters. */
    public static long of(CharSequence folded) {
        long h = SEED;
        for (int i = 0; i < folded.length(); i++) {
            h = step(h, folded.charAt(i));
        }
        return mix(h);
    }

    /** Order-dependent combination, used for shingles and lines. */
    public static long combine(long acc, long next) {
        return mix(acc * 31 + next);
    }
}
