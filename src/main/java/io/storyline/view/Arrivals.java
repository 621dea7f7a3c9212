package io.storyline.view;

import java.util.Arrays;

/** A story's arrival times (epoch milliseconds), sorted, for windows counted by fetch time. */
final class Arrivals {

    static final long[] NONE = new long[0];

    private long[] times = new long[4];
    private int size;

    void add(long t) {
        if (size == times.length) {
            times = Arrays.copyOf(times, size * 2);
        }
        int i = size;
        while (i > 0 && times[i - 1] > t) { // arrivals come nearly in order: a short shift
            times[i] = times[i - 1];
            i--;
        }
        times[i] = t;
        size++;
    }

    void addAll(Arrivals other) {
        for (int i = 0; i < other.size; i++) {
            add(other.times[i]);
        }
    }

    int size() {
        return size;
    }

    long first() {
        return size == 0 ? Long.MIN_VALUE : times[0];
    }

    long last() {
        return size == 0 ? Long.MIN_VALUE : times[size - 1];
    }

    /** The arrivals after {@code t}, in order. */
    long[] after(long t) {
        int from = upTo(t);
        return from == size ? NONE : Arrays.copyOfRange(times, from, size);
    }

    /** Arrivals in {@code (from, to]}. */
    int count(long from, long to) {
        return upTo(to) - upTo(from);
    }

    /** Arrivals at or before {@code t}. */
    private int upTo(long t) {
        int lo = 0;
        int hi = size;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (times[mid] <= t) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /** Arrivals per hour in the {@code hours} hours up to {@code now}, oldest hour first. */
    int[] perHour(long now, int hours) {
        int[] counts = new int[hours];
        for (int i = 0; i < hours; i++) {
            long end = now - (long) (hours - 1 - i) * 3_600_000L;
            counts[i] = count(end - 3_600_000L, end);
        }
        return counts;
    }
}
