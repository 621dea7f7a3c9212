package io.storyline.story;

import com.carrotsearch.hppc.LongFloatHashMap;
import com.carrotsearch.hppc.LongIntHashMap;
import com.carrotsearch.hppc.cursors.LongFloatCursor;
import com.carrotsearch.hppc.cursors.LongIntCursor;
import io.storyline.article.StoryEvent;
import io.storyline.config.EngineConfig;
import io.storyline.text.Analysis;
import io.storyline.window.PostingIndex;
import io.storyline.window.SeqRing;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;

/**
 * Groups articles about the same event into stories. Each article becomes a unit vector of its
 * most salient terms (sublinear tf, title-weighted, times a stream IDF); candidates come from
 * an inverted index over those terms restricted to the window; a candidate story is scored by
 * the best of its centroid cosine and its best member's cosine; the acceptance threshold
 * rises for short texts, whose cosines run high by chance. Stories whose coverage converges
 * are merged. Pure and single-threaded: same input, same stories.
 */
public final class StoryTier {

    private final EngineConfig config;
    private final LongIntHashMap df = new LongIntHashMap();
    private long documents;
    private final PostingIndex terms = new PostingIndex();
    private final SeqRing<Member> window = new SeqRing<>();
    private final LongFloatHashMap scores = new LongFloatHashMap();
    private final List<Candidate> candidates = new ArrayList<>();
    private final List<StoryEvent> events = new ArrayList<>();
    private final VectorBuilder vectors;
    private final double halfLifeMillis;

    /** What the window remembers of one article at the story level. */
    private static final class Member {
        final long seq;
        final long time;
        final Story story;
        final long[] terms;
        final float[] weights;

        Member(long seq, long time, Story story, long[] terms, float[] weights) {
            this.seq = seq;
            this.time = time;
            this.story = story;
            this.terms = terms;
            this.weights = weights;
        }
    }

    /** A story under consideration for the current article. */
    private static final class Candidate {
        final Story story;
        float bestMember;
        long bestSeq;
        double centroid;
        double score;

        Candidate(Story story) {
            this.story = story;
        }
    }

    public StoryTier(EngineConfig config) {
        this.config = config;
        this.vectors = new VectorBuilder(config.storyTerms(), config.idfPower());
        this.halfLifeMillis = config.timeHalfLife().toMillis();
    }

    /**
     * Places article {@code seq} (id {@code articleId}) in a story. A copy ({@code copyOfSeq}
     * at least 0) joins the story of the article it copies without shifting its centroid.
     */
    public StoryDecision assign(long seq, long time, String articleId, Analysis analysis,
            long copyOfSeq) {
        events.clear();
        Member original = copyOfSeq >= 0 ? window.get(copyOfSeq) : null;
        if (original != null) {
            Story story = original.story.resolve();
            join(story, new Member(seq, time, story, null, null), articleId);
            return new StoryDecision(story.id, copyOfSeq, 1.0, events);
        }
        vectors.build(analysis, df, documents);
        long[] termIds = vectors.terms();
        float[] weights = vectors.weights();
        countDocument(analysis);
        Candidate best = bestCandidate(termIds, weights, time);
        double threshold = threshold(termIds.length);
        Story story;
        if (best != null && best.score >= threshold) {
            story = best.story;
            Member member = new Member(seq, time, story, termIds, weights);
            join(story, member, articleId);
            story.add(termIds, weights, config.centroidTerms());
            mergeConverging(best, threshold, articleId);
        } else {
            story = new Story(articleId, seq);
            Member member = new Member(seq, time, story, termIds, weights);
            join(story, member, articleId);
            story.add(termIds, weights, config.centroidTerms());
            best = null;
        }
        index(seq, termIds, weights);
        story = story.resolve();
        return best == null
                ? new StoryDecision(story.id, -1, 0, events)
                : new StoryDecision(story.id, best.bestSeq, best.score, events);
    }

    private void join(Story story, Member member, String articleId) {
        window.add(member.seq, member);
        story.lastTime = Math.max(story.lastTime, member.time);
        story.size++;
        story.live++;
        StoryEvent.Type type = story.size == 1 ? StoryEvent.Type.CREATED : StoryEvent.Type.GREW;
        events.add(new StoryEvent(type, story.id, articleId, story.size, null));
    }

    private void countDocument(Analysis analysis) {
        for (int i = 0; i < analysis.termCount(); i++) {
            df.addTo(analysis.term(i), 1);
        }
        documents++;
        if (documents % config.dfHalfLife() == 0) {
            decayDocumentFrequencies();
        }
    }

    /** Halves every count: the IDF follows the recent stream and its memory stays bounded. */
    private void decayDocumentFrequencies() {
        LongIntHashMap halved = new LongIntHashMap(df.size());
        for (LongIntCursor c : df) {
            if (c.value > 1) {
                halved.put(c.key, c.value / 2);
            }
        }
        df.clear();
        df.putAll(halved);
        documents /= 2;
    }

    private Candidate bestCandidate(long[] termIds, float[] weights, long time) {
        scores.clear();
        long minSeq = window.firstSeq();
        for (int i = 0; i < termIds.length; i++) {
            float w = weights[i];
            terms.forEach(termIds[i], minSeq, config.maxPostings(),
                    (seq, weight) -> scores.addTo(seq, w * weight));
        }
        if (scores.isEmpty()) {
            return null;
        }
        collectCandidates(time);
        Candidate best = null;
        int limit = Math.min(candidates.size(), config.maxCandidateStories());
        for (int i = 0; i < limit; i++) {
            Candidate c = candidates.get(i);
            c.centroid = c.story.cosine(termIds, weights) * decay(time, c.story.lastTime);
            c.score = Math.max(c.centroid, config.memberWeight() * c.bestMember);
            if (best == null || c.score > best.score) {
                best = c;
            }
        }
        return best;
    }

    /** Groups scored members by story, best member first, in a deterministic order. */
    private void collectCandidates(long time) {
        candidates.clear();
        IdentityHashMap<Story, Candidate> byStory = new IdentityHashMap<>();
        for (LongFloatCursor c : scores) {
            Member member = window.get(c.key);
            Story story = member.story.resolve();
            Candidate candidate = byStory.computeIfAbsent(story, Candidate::new);
            float score = (float) (c.value * decay(time, member.time));
            if (score > candidate.bestMember
                    || (score == candidate.bestMember && c.key < candidate.bestSeq)) {
                candidate.bestMember = score;
                candidate.bestSeq = c.key;
            }
        }
        candidates.addAll(byStory.values());
        candidates.sort(Comparator.comparingDouble((Candidate c) -> -c.bestMember)
                .thenComparingLong(c -> c.story.firstSeq));
    }

    /** Weight of evidence {@code |t - then|} apart: halves every configured half-life. */
    private double decay(long time, long then) {
        long gap = Math.abs(time - then);
        if (gap == 0 || halfLifeMillis <= 0) {
            return 1;
        }
        return Math.pow(0.5, (double) gap / halfLifeMillis);
    }

    /** Threshold for an article with {@code n} salient terms: higher for short texts. */
    double threshold(int n) {
        int longTerms = config.storyTerms();
        int shortTerms = config.shortTextTerms();
        if (n <= shortTerms) {
            return config.storyThresholdShort();
        }
        if (n >= longTerms) {
            return config.storyThreshold();
        }
        double t = (double) (n - shortTerms) / (longTerms - shortTerms);
        return config.storyThresholdShort()
                + t * (config.storyThreshold() - config.storyThresholdShort());
    }

    /** Merges other candidate stories the article also belongs to, when centroids agree. */
    private void mergeConverging(Candidate joined, double threshold, String articleId) {
        int limit = Math.min(candidates.size(), config.maxCandidateStories());
        for (int i = 0; i < limit; i++) {
            Candidate other = candidates.get(i);
            Story a = joined.story.resolve();
            Story b = other.story.resolve();
            if (a == b || other.score < threshold
                    || a.cosine(b) < config.storyMergeThreshold()) {
                continue;
            }
            Story older = a.firstSeq <= b.firstSeq ? a : b;
            Story newer = older == a ? b : a;
            older.absorb(newer, config.centroidTerms());
            events.add(new StoryEvent(StoryEvent.Type.MERGED, newer.id, articleId, older.size,
                    older.id));
        }
    }

    private void index(long seq, long[] termIds, float[] weights) {
        for (int i = 0; i < termIds.length; i++) {
            terms.add(termIds[i], seq, weights[i]);
        }
    }

    /** Drops articles older than {@code minSeq}; returns the stories that closed. */
    public List<StoryEvent> evictBefore(long minSeq) {
        List<StoryEvent> closed = new ArrayList<>();
        int postings = 0;
        while (window.size() > 0 && window.firstSeq() < minSeq) {
            Member gone = window.removeOldest();
            postings += gone.terms == null ? 0 : gone.terms.length;
            Story story = gone.story.resolve();
            if (--story.live == 0) {
                closed.add(new StoryEvent(StoryEvent.Type.CLOSED, story.id, null, story.size,
                        null));
                story.centroid = null;
            }
        }
        if (postings > 0 && terms.evicted(postings)) {
            terms.clear();
            for (long seq = window.firstSeq(); seq < window.firstSeq() + window.size(); seq++) {
                Member m = window.get(seq);
                if (m.terms != null) {
                    index(seq, m.terms, m.weights);
                }
            }
        }
        return closed;
    }

    /** Heap held by the term index (bench figure). */
    public long indexRamBytes() {
        return terms.ramBytes() + df.ramBytesAllocated();
    }
}
