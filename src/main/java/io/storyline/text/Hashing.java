package io.storyline.text;

/**
 * The 64-bit hash shared by tokens, terms, shingles and lines. Fixed (no seed at run time) so
 * that every run and every instance computes the same values.
 */
public final class Hashing {

    /** Start value of a token's character accumulator (FNV-1a's offset basis). */
    static final long SEED = 0xcbf29ce484222325L;
    private static final long FNV_PRIME = 0x100000001b3L;

    private Hashing() {
    }

    /**
     * Adds one character to a token's accumulator (FNV-1a); finish with {@link #mix}. The
     * multiply makes every position matter differently, so long tokens and URLs do not
     * collide the way a rotate-and-xor accumulator lets them.
     */
    static long step(long h, char c) {
        return (h ^ c) * FNV_PRIME;
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
}
