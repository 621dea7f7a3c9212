package io.storyline.engine;

/**
 * The stream's event time so far: the highest article time seen, except that a jump of more
 * than {@link #MAX_JUMP} (or the window, if longer) must be confirmed by a second article
 * before it counts (the second-highest of the last eight times). One entry dated years ahead
 * (a feed's typo) does not move it; a real jump, which the following articles confirm, moves
 * it at the next article.
 */
final class Watermark {

    static final long UNKNOWN = Long.MIN_VALUE;
    static final long MAX_JUMP = java.time.Duration.ofDays(7).toMillis();
    private static final int RECENT = 8;

    private final long[] recent = new long[RECENT];
    private final long maxJump;
    private int seen;
    private long value = UNKNOWN;
    private long first = UNKNOWN;

    Watermark(long windowMillis) {
        this.maxJump = Math.max(MAX_JUMP, windowMillis);
    }

    /** Takes the published time of an article into account. */
    void observe(long time) {
        recent[seen % RECENT] = time;
        seen++;
        boolean plausible = value == UNKNOWN || time - value <= maxJump;
        long candidate = plausible ? time : secondHighest();
        if (candidate > value) {
            value = candidate;
        }
        if (first == UNKNOWN) {
            first = value;
        }
    }

    private long secondHighest() {
        long highest = UNKNOWN;
        long second = UNKNOWN;
        for (int i = 0; i < Math.min(seen, RECENT); i++) {
            long t = recent[i];
            if (t > highest) {
                second = highest;
                highest = t;
            } else if (t > second) {
                second = t;
            }
        }
        return second;
    }

    /** The current event time, or {@link #UNKNOWN} before any article had a time. */
    long value() {
        return value;
    }

    /** The first known value: when articles before it, without a time, are deemed to be. */
    long first() {
        return first;
    }
}
