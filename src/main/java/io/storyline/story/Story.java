package io.storyline.story;

/**
 * One open story: its stable id, its members' summed term and entity vectors (centroids, see
 * {@link Centroid}) and its counts. A story absorbed by another points to it.
 */
final class Story {

    final String id;
    final long firstSeq;
    Centroid terms = new Centroid();
    Centroid entities = new Centroid();
    long lastTime = Long.MIN_VALUE;
    /** The days of the week its members name ({@link io.storyline.text.Weekdays}). */
    int weekdays;
    int size;
    int live;
    Story mergedInto;

    // Scratch of the story tier's scoring of the current article (mark = its epoch).
    int mark;
    float bestMember;
    long bestSeq;
    double termScore;
    /** The words' score before the time discount (the explanation's {@code words}). */
    double words;
    double centroidCos;
    double memberCos;
    double entityScore;
    double agreement;
    /** Whether the days of the week of the article and the story lowered the score. */
    boolean daysApart;
    double timeFactor;
    double score;

    Story(String id, long firstSeq) {
        this.id = id;
        this.firstSeq = firstSeq;
    }

    /** The story this one continues as (itself unless merged), compressing the chain. */
    Story resolve() {
        Story root = this;
        while (root.mergedInto != null) {
            root = root.mergedInto;
        }
        Story s = this;
        while (s.mergedInto != null && s.mergedInto != root) {
            Story next = s.mergedInto;
            s.mergedInto = root;
            s = next;
        }
        return root;
    }

    void absorb(Story other, int maxTerms, int maxEntities) {
        terms.absorb(other.terms, maxTerms);
        entities.absorb(other.entities, maxEntities);
        size += other.size;
        weekdays |= other.weekdays;
        lastTime = Math.max(lastTime, other.lastTime);
        live += other.live;
        other.mergedInto = this;
        other.terms = null;
        other.entities = null;
    }
}
