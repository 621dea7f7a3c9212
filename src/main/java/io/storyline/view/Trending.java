package io.storyline.view;

/**
 * The trending score of a story, which the dashboard sorts by and digests reuse:
 * {@code (2 × lastHour + hourBefore + sources) / (hoursSinceLastArrival + 2)^1.5}, where
 * {@code lastHour} and {@code hourBefore} count the story's arrivals (by fetch time) in the
 * hour before now and the hour before that, and {@code sources} its distinct sources. Fresh
 * arrivals from many outlets lift a story; a quiet one sinks with the hours.
 */
public final class Trending {

    private Trending() {
    }

    public static double score(int lastHour, int hourBefore, int sources,
            double hoursSinceLastArrival) {
        double age = Math.max(0, hoursSinceLastArrival);
        return (2.0 * lastHour + hourBefore + sources) / Math.pow(age + 2, 1.5);
    }
}
