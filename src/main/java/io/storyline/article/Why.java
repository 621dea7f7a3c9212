package io.storyline.article;

import java.util.List;
import java.util.Objects;

/**
 * Why an article joined a story: the evidence that carried the story tier's decision, so an
 * editor can see it was right (or why it was wrong) without reading the scores' code.
 *
 * @param score       the final score that met the threshold
 * @param threshold   the threshold it met (higher for short texts)
 * @param words       the cosine of the salient-term vectors (centroid, or the closest member),
 *                    before names were weighed
 * @param agreement   the factor the names and figures applied (1 = they agree or are absent)
 * @param time        the time discount applied (1 = no time between them)
 * @param names       shared names that carried the score, strongest first (at most 8)
 * @param numbers     shared figures and counted figures ({@code 100 missiles}), at most 8
 * @param terms       shared common words, strongest first, at most 8
 * @param conflicts   names of this article the story lacks and names of the story this
 *                    article lacks, when they lowered the score (at most 8)
 */
public record Why(
        double score,
        double threshold,
        double words,
        double agreement,
        double time,
        List<String> names,
        List<String> numbers,
        List<String> terms,
        List<String> conflicts) {

    /** Most items of each list. */
    public static final int MAX_ITEMS = 8;

    public Why {
        names = capped(names, "names");
        numbers = capped(numbers, "numbers");
        terms = capped(terms, "terms");
        conflicts = capped(conflicts, "conflicts");
    }

    private static List<String> capped(List<String> items, String field) {
        Objects.requireNonNull(items, field);
        if (items.size() > MAX_ITEMS) {
            throw new IllegalArgumentException(field + " holds " + items.size()
                    + " items, more than " + MAX_ITEMS);
        }
        return List.copyOf(items);
    }
}
