package io.storyline.dedup;

/**
 * The duplicate stage's answer for one article.
 *
 * @param kind        whether and how it copies an earlier article
 * @param matchedSeq  the article it was matched against (-1 for {@link Kind#NONE})
 * @param matchedId   that article's id (null for {@link Kind#NONE})
 * @param originalId  the id of the earliest article of that copy group (null for
 *                    {@link Kind#NONE}); it may have left the window since
 * @param similarity  Jaccard estimate of the shingle sets (1 for exact copies)
 * @param lower       lower bound of the estimate (about two standard deviations)
 * @param upper       upper bound of the estimate
 */
public record CopyVerdict(Kind kind, long matchedSeq, String matchedId, String originalId,
        double similarity, double lower, double upper) {

    /** How an article relates to earlier ones at the copy level. */
    public enum Kind { NONE, EXACT, NEAR }

    static final CopyVerdict NONE = new CopyVerdict(Kind.NONE, -1, null, null, 0, 0, 0);

    public boolean isCopy() {
        return kind != Kind.NONE;
    }
}
