package io.storyline.testing;

/** Generated test vocabulary: a distinct letters-only pseudo-word for every index. */
public final class PseudoWords {

    private static final String[] SYLLABLES = {"ka", "lo", "mi", "ne", "ru", "sa", "ti", "vo",
        "ber", "dan", "fel", "gor", "hin", "jul", "mar", "nor"};

    private PseudoWords() {
    }

    /** The word for {@code index} (base-16 syllables, then "x" so no word is a stop word). */
    public static String word(int index) {
        StringBuilder w = new StringBuilder();
        int n = index;
        do {
            w.append(SYLLABLES[n % SYLLABLES.length]);
            n /= SYLLABLES.length;
        } while (n > 0);
        return w.append("x").toString();
    }
}
