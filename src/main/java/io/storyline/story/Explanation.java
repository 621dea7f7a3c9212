package io.storyline.story;

import io.storyline.article.Why;
import io.storyline.text.Analysis;
import io.storyline.text.Weekdays;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Builds the {@link Why} of a story link from the evidence that scored it: the article's
 * terms ranked by what they added to the cosine with the story's centroid, sorted into names,
 * figures and words, and, when names or days lowered the score, the days of the week of
 * either side that lie apart and the names on either side that the other lacks. Runs once per
 * link, never per candidate.
 */
final class Explanation {

    private Explanation() {
    }

    static Why of(Story story, StoryTier.Vectors v, double threshold, Analysis analysis) {
        List<String> names = new ArrayList<>();
        List<String> numbers = new ArrayList<>();
        List<String> terms = new ArrayList<>();
        // The words that carried the score, then the names and counted figures (100
        // missiles) that the entity vectors share: the latter never enter the term vector.
        shared(v.terms(), v.weights(), v.kinds(), story.terms, analysis, names, numbers, terms);
        shared(v.entities(), v.entityWeights(), v.entityKinds(), story.entities, analysis,
                names, numbers, terms);
        return new Why(story.score, threshold, story.words, story.agreement, story.timeFactor,
                names, numbers, terms,
                story.agreement < 1 ? conflicts(story, v, analysis) : List.of());
    }

    /** Sorts the shared keys of a vector and a centroid by contribution into the lists. */
    private static void shared(long[] keys, float[] weights, byte[] kinds, Centroid centroid,
            Analysis analysis, List<String> names, List<String> numbers, List<String> terms) {
        int n = keys.length;
        Integer[] order = new Integer[n];
        double[] contribution = new double[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
            contribution[i] = weights[i] * centroid.weight(keys[i]);
        }
        // Strongest first; ties by key, so the explanation is as deterministic as the output.
        Arrays.sort(order, (a, b) -> contribution[a] != contribution[b]
                ? Double.compare(contribution[b], contribution[a])
                : Long.compare(keys[a], keys[b]));
        for (int i : order) {
            if (contribution[i] <= 0) {
                break;
            }
            byte kind = kinds[i];
            List<String> into = kind == Analysis.NAME ? names
                    : kind == Analysis.WORD ? terms : numbers;
            String label = analysis.labelOfKey(keys[i]);
            if (label != null && into.size() < Why.MAX_ITEMS && !into.contains(label)) {
                into.add(label);
            }
        }
    }

    /**
     * The article's days then the story's when they lie apart, then up to four names of the
     * article the story lacks, then of the story the article lacks (at most eight in all).
     */
    private static List<String> conflicts(Story story, StoryTier.Vectors v, Analysis analysis) {
        List<String> out = new ArrayList<>();
        if (story.daysApart) {
            for (int days : new int[] {v.weekdays(), story.weekdays}) {
                for (int day = 0; day < 7; day++) {
                    if ((days & (1 << day)) != 0 && out.size() < Why.MAX_ITEMS / 2) {
                        addLabel(out, Weekdays.name(day, analysis.language()));
                    }
                }
            }
        }
        int half = Math.min(Why.MAX_ITEMS, out.size() + Why.MAX_ITEMS / 2);
        Integer[] order = new Integer[v.entities().length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        float[] w = v.entityWeights();
        Arrays.sort(order, (a, b) -> w[a] != w[b] ? Float.compare(w[b], w[a])
                : Long.compare(v.entities()[a], v.entities()[b]));
        for (int i : order) {
            long key = v.entities()[i];
            if (out.size() < half && story.entities.weight(key) == 0) {
                addLabel(out, analysis.labelOfKey(key));
            }
        }
        for (long key : story.entities.strongest(Why.MAX_ITEMS)) {
            if (out.size() < Why.MAX_ITEMS && Arrays.binarySearch(v.entities(), key) < 0) {
                addLabel(out, analysis.labelOfKey(key));
            }
        }
        return out;
    }

    private static void addLabel(List<String> out, String label) {
        if (label != null && !out.contains(label)) {
            out.add(label);
        }
    }
}
