package io.storyline.article;

import java.util.Objects;

/**
 * The engine's verdict on one article: the stable output format of Storyline.
 *
 * @param id          the article
 * @param story       the story it belongs to (the id of the story's first article)
 * @param duplicateOf the earliest article it copies, or null when it is not a copy
 * @param similarity  the similarity behind the decision (Jaccard estimate for copies,
 *                    cosine for story links, 1 for exact copies, 0 for a new story)
 * @param lower       lower bound of {@code similarity} (equal to it where no bound exists)
 * @param upper       upper bound of {@code similarity}
 * @param matched     what it was matched against: an article id for copies and story links,
 *                    or null for the first article of a new story
 * @param verdict     how it was decided
 * @param why         the evidence behind a story link ({@link Verdict#STORY}), else null
 */
public record Assignment(
        String id,
        String story,
        String duplicateOf,
        double similarity,
        double lower,
        double upper,
        String matched,
        Verdict verdict,
        Why why) {

    /** The tier that decided an assignment. */
    public enum Verdict {
        /** First article of a new story. */
        NEW_STORY,
        /** Joined an existing story (same event, different write-up). */
        STORY,
        /** Near-duplicate of an earlier article (MinHash verdict). */
        NEAR_DUPLICATE,
        /** Exact duplicate: same canonical URL or same normalized content. */
        EXACT_DUPLICATE
    }

    /** An assignment without explanation (copies, new stories). */
    public Assignment(String id, String story, String duplicateOf, double similarity,
            double lower, double upper, String matched, Verdict verdict) {
        this(id, story, duplicateOf, similarity, lower, upper, matched, verdict, null);
    }

    public Assignment {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(story, "story");
        Objects.requireNonNull(verdict, "verdict");
    }

    /** The same assignment pointing at another story (after stories merged). */
    public Assignment withStory(String newStory) {
        return new Assignment(id, newStory, duplicateOf, similarity, lower, upper, matched,
                verdict, why);
    }
}
