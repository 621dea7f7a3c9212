package io.storyline.story;

import io.storyline.article.StoryEvent;
import io.storyline.article.Why;
import io.storyline.config.EngineConfig;
import io.storyline.text.Analysis;
import io.storyline.text.Hashing;
import io.storyline.text.Weekdays;
import io.storyline.window.PostingIndex;
import io.storyline.window.RecentPostings;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Groups articles about the same event into stories. Each article becomes a unit vector of its
 * most salient terms (see {@link VectorBuilder}); candidates come from an inverted index over
 * those terms restricted to the window; a candidate story is scored by the best of its
 * centroid cosine and its best member's cosine, both discounted by the time between them; the
 * acceptance threshold rises for short texts, whose cosines run high by chance. Stories whose
 * coverage converges are merged. Pure and single-threaded: same input, same stories.
 */
public final class StoryTier {

    private static final Comparator<Story> BY_BEST_MEMBER =
            Comparator.comparingDouble((Story s) -> -s.bestMember)
                    .thenComparingLong(s -> s.firstSeq);

    private final EngineConfig config;
    private final RecentPostings terms;
    private final Members members = new Members();
    private final List<Story> candidates = new ArrayList<>();
    private final List<StoryEvent> events = new ArrayList<>();
    private final VectorBuilder vectors;
    private final double halfLifeMillis;
    /** Decay by whole minutes of gap, up to the window: the scores' resolution is coarser. */
    private final double[] decayByMinute;
    /** Made on first use: a lambda is code, not state (a restored tier makes its own). */
    private transient PostingIndex.Visitor accumulate;

    // Per-article scoring scratch: member scores in a small open-addressing table (it stays
    // in the CPU cache, unlike an array the size of the window), emptied after each article.
    private long[] accSeq = new long[1 << 11];
    private float[] accScore = new float[1 << 11];
    private int[] touched = new int[1 << 10];
    private int touchedCount;
    private int epoch;
    private float queryWeight;

    /**
     * What the window remembers of its articles at the story level, as parallel ring arrays
     * addressed by seq: scoring touches hundreds of members per article, and a field load
     * from an array costs one cache miss where a member object behind a ring costs three.
     */
    private static final class Members {
        Story[] story = new Story[1024];
        long[] time = new long[1024];
        long[][] terms = new long[1024][];
        float[][] weights = new float[1024][];
        long first;
        int size;

        int slot(long seq) {
            return (int) (seq & (story.length - 1));
        }

        boolean contains(long seq) {
            return seq >= first && seq < first + size;
        }

        void add(long seq, long t, Story s, Vectors v) {
            if (size == 0) {
                first = seq;
            } else if (seq != first + size) {
                throw new IllegalArgumentException(
                        "seq " + seq + " does not follow " + (first + size - 1));
            }
            if (size == story.length) {
                grow();
            }
            int i = slot(seq);
            story[i] = s;
            time[i] = t;
            terms[i] = v == null ? null : v.terms;
            weights[i] = v == null ? null : v.weights;
            size++;
        }

        void removeOldest() {
            int i = slot(first);
            story[i] = null;
            terms[i] = null;
            weights[i] = null;
            first++;
            size--;
        }

        private void grow() {
            int n = story.length * 2;
            Story[] s = new Story[n];
            long[] t = new long[n];
            long[][] te = new long[n][];
            float[][] w = new float[n][];
            for (long seq = first; seq < first + size; seq++) {
                int from = slot(seq);
                int to = (int) (seq & (n - 1));
                s[to] = story[from];
                t[to] = time[from];
                te[to] = terms[from];
                w[to] = weights[from];
            }
            story = s;
            time = t;
            terms = te;
            weights = w;
        }
    }

    public StoryTier(EngineConfig config) {
        this.config = config;
        this.terms = new RecentPostings(config.maxPostings());
        this.vectors = new VectorBuilder(config.storyTerms(), config.longTextTerms(),
                config.retrievalTerms(), config.idfPower(), config.idfWarmup(), config.maxDfShare(),
                config.entityTerms(), config.entityBoost());
        this.halfLifeMillis = config.timeHalfLife().toMillis();
        int minutes = (int) Math.min(config.window().toMinutes() + 1, 60 * 24 * 60);
        this.decayByMinute = new double[minutes];
        for (int m = 0; m < minutes; m++) {
            decayByMinute[m] = halfLifeMillis <= 0 ? 1
                    : StrictMath.pow(0.5, m * 60_000.0 / halfLifeMillis);
        }
    }

    /**
     * Places article {@code seq} (id {@code articleId}, event time {@code time}) in a story.
     * A copy ({@code copyOfSeq} at least 0) joins the story of the article it copies without
     * shifting its centroid; {@code analysis} must have its terms counted otherwise.
     */
    public StoryDecision assign(long seq, long time, String articleId, Analysis analysis,
            long copyOfSeq) {
        events.clear();
        if (copyOfSeq >= 0 && members.contains(copyOfSeq)) {
            Story story = members.story[members.slot(copyOfSeq)].resolve();
            join(story, seq, time, null, articleId);
            return new StoryDecision(story.id, copyOfSeq, 1.0, events, null);
        }
        vectors.build(analysis);
        Vectors v = new Vectors(vectors.terms(), vectors.weights(), vectors.kinds(),
                vectors.entityTerms(), vectors.entityWeights(), vectors.entityKinds(),
                analysis.weekdays());
        Story best = bestCandidate(v, time);
        double threshold = threshold(v.terms.length);
        if (best == null || best.score < threshold) {
            Story story = new Story(articleId, seq);
            join(story, seq, time, v, articleId);
            addTo(story, v);
            index(seq, v.terms, v.weights);
            return new StoryDecision(story.id, -1, 0, events, null);
        }
        long matched = best.bestSeq;
        double similarity = best.score;
        Why why = Explanation.of(best, v, threshold, analysis);
        join(best, seq, time, v, articleId);
        addTo(best, v);
        mergeConverging(best, threshold, articleId);
        index(seq, v.terms, v.weights);
        return new StoryDecision(best.resolve().id, matched, similarity, events, why);
    }

    /** An article's vectors as the story tier keeps them. */
    record Vectors(long[] terms, float[] weights, byte[] kinds, long[] entities,
            float[] entityWeights, byte[] entityKinds, int weekdays) {
    }

    private void addTo(Story story, Vectors v) {
        story.weekdays |= v.weekdays;
        story.terms.add(v.terms, v.weights, config.centroidTerms());
        story.entities.add(v.entities, v.entityWeights, config.centroidTerms());
    }

    private void join(Story story, long seq, long time, Vectors v, String articleId) {
        members.add(seq, time, story, v);
        story.lastTime = Math.max(story.lastTime, time);
        story.size++;
        story.live++;
        StoryEvent.Type type = story.size == 1 ? StoryEvent.Type.CREATED : StoryEvent.Type.GREW;
        events.add(new StoryEvent(type, story.id, articleId, story.size, null));
    }

    /** Scores the window's stories against the article; null when nothing shares a term. */
    private Story bestCandidate(Vectors v, long time) {
        long[] termIds = v.terms;
        float[] weights = v.weights;
        startScoring();
        long minSeq = members.first;
        long[] keys = vectors.retrievalKeys();
        float[] keyWeights = vectors.retrievalWeights();
        if (accumulate == null) {
            accumulate = this::accumulate;
        }
        for (int i = 0; i < keys.length; i++) {
            queryWeight = keyWeights[i];
            terms.forEach(keys[i], minSeq, config.maxPostings(), accumulate);
        }
        if (touchedCount == 0) {
            return null;
        }
        collectCandidates(time);
        Story best = null;
        for (Story c : candidates) {
            // Retrieval scored the most salient terms only; verify on the whole vectors.
            int m = members.slot(c.bestSeq);
            double memberDecay = decay(time, members.time[m]);
            double storyDecay = decay(time, c.lastTime);
            c.memberCos = cosine(termIds, weights, members.terms[m], members.weights[m]);
            c.bestMember = (float) (c.memberCos * memberDecay);
            c.centroidCos = c.terms.cosine(termIds, weights);
            double centroid = c.centroidCos * storyDecay;
            double member = c.memberCos * memberDecay;
            // Black holes: a long-running story's centroid drifts towards the stream's average
            // and comes to resemble everything, and a chain of members can lead far from the
            // story's core. Each kind of evidence counts at most centroid-backing times what
            // the other shows, so neither can pull in an article on its own.
            c.termScore = Math.min(Math.max(centroid, config.memberWeight() * member),
                    config.centroidBacking() * Math.min(centroid, member));
            c.words = Math.min(Math.max(c.centroidCos, config.memberWeight() * c.memberCos),
                    config.centroidBacking() * Math.min(c.centroidCos, c.memberCos));
            c.timeFactor = c.words > 0 ? Math.min(1, c.termScore / c.words) : 1;
            c.entityScore = c.entities.cosine(v.entities, v.entityWeights);
            c.agreement = agreement(v, c);
            c.score = c.termScore * c.agreement;
            if (best == null || c.score > best.score) {
                best = c;
            }
        }
        return best;
    }

    /**
     * How far the names, figures and days of the article and the story let words decide: 1
     * when they agree (or when either has no names: lower-cased headlines), down to
     * 1 - entity-share when they share no name (Chile against Hokkaido), and times
     * 1 - day-conflict when they name days of the week more than a day apart (a vow on
     * Wednesday, ground attacks on Friday: one topic's two events). Names and days only ever
     * count against a join: a name that two events share (the same war, the same president)
     * is no proof, and nor is a day.
     *
     * <p>Days count only where names do. In lower-cased, stemmed headlines (MStream) a story
     * is a topic followed for weeks ("rodgers practice thursday", "rodgers suit tuesday"),
     * and there the days split it: MStream News lost 0.0004 with them.
     */
    private double agreement(Vectors v, Story c) {
        c.daysApart = false;
        if (v.entities.length == 0 || c.entities.isEmpty()) {
            return 1;
        }
        double agree = Math.min(1, c.entityScore / config.entityAgreement());
        double agreement = 1 - config.entityShare() * (1 - agree);
        if (config.dayConflict() > 0 && Weekdays.apart(v.weekdays, c.weekdays)) {
            c.daysApart = true;
            agreement *= 1 - config.dayConflict();
        }
        return agreement;
    }

    /**
     * Dot product of two unit vectors sorted by term key. Which side a merge step advances is
     * a coin toss the branch predictor loses half the time; both indexes advance by a compare
     * result instead (conditional moves), and only the rare shared key branches: about 300 ns
     * against 500 for two vectors of 32 to 64 terms. The products are summed in the same
     * order, so the result is the same to the bit.
     */
    static double cosine(long[] a, float[] wa, long[] b, float[] wb) {
        double dot = 0;
        int i = 0;
        int j = 0;
        int na = a.length;
        int nb = b.length;
        while (i < na && j < nb) {
            long x = a[i];
            long y = b[j];
            if (x == y) {
                dot += (double) wa[i] * wb[j];
            }
            i += x <= y ? 1 : 0;
            j += x >= y ? 1 : 0;
        }
        return dot;
    }

    private void startScoring() {
        epoch++;
        candidates.clear();
        for (int i = 0; i < touchedCount; i++) {
            accSeq[touched[i]] = 0;
        }
        touchedCount = 0;
    }

    private void accumulate(long seq, float weight) {
        int slot = slotOf(seq);
        if (accSeq[slot] == 0) {
            if (2 * (touchedCount + 1) > accSeq.length) {
                growAccumulator();
                slot = slotOf(seq);
            }
            accSeq[slot] = seq + 1;
            accScore[slot] = 0;
            touched[touchedCount++] = slot;
        }
        accScore[slot] += queryWeight * weight;
    }

    /** The slot holding {@code seq}, or the empty slot where it belongs (linear probing). */
    private int slotOf(long seq) {
        int mask = accSeq.length - 1;
        int slot = (int) Hashing.mix(seq) & mask;
        while (accSeq[slot] != 0 && accSeq[slot] != seq + 1) {
            slot = (slot + 1) & mask;
        }
        return slot;
    }

    private void growAccumulator() {
        long[] oldSeq = accSeq;
        float[] oldScore = accScore;
        int[] oldTouched = Arrays.copyOf(touched, touchedCount);
        accSeq = new long[oldSeq.length * 2];
        accScore = new float[oldSeq.length * 2];
        touched = new int[oldSeq.length];
        touchedCount = 0;
        for (int old : oldTouched) {
            int slot = slotOf(oldSeq[old] - 1);
            accSeq[slot] = oldSeq[old];
            accScore[slot] = oldScore[old];
            touched[touchedCount++] = slot;
        }
    }

    /**
     * Groups scored members by story, best member first, in a deterministic order.
     *
     * <p>Finding a member's story costs a cache miss (its story object, its time), and an
     * article touches about fifty members of as many stories to keep ten. Decay only lowers a
     * score, so a member whose raw score is below the k-th best story score found so far can
     * neither enter the k best nor change one of them (their best members score at least that
     * much, ties included): it is skipped unread. The members with the highest raw scores are
     * grouped first so that this bound is high early; the k stories kept, their best members
     * and their order are those that grouping every member gives.
     */
    private void collectCandidates(long time) {
        candidates.clear();
        int k = config.maxCandidateStories();
        int n = touchedCount;
        int first = 2 * k;
        if (n <= first) {
            for (int i = 0; i < n; i++) {
                group(touched[i], time);
            }
            keepBest(k);
            return;
        }
        if (byRaw == null || byRaw.length < n) {
            byRaw = new long[Math.max(n, 2 * touched.length)];
        }
        for (int i = 0; i < n; i++) {
            // Non-negative floats order like their bits: highest raw score first.
            byRaw[i] = ((long) ~Float.floatToIntBits(accScore[touched[i]]) << 32) | i;
        }
        VectorBuilder.selectSmallest(byRaw, n, first);
        for (int j = 0; j < first; j++) {
            group(touched[(int) byRaw[j]], time);
        }
        float bound = kthBestMember(k);
        for (int j = first; j < n; j++) {
            int slot = touched[(int) byRaw[j]];
            if (!(accScore[slot] < bound)) {
                group(slot, time);
            }
        }
        keepBest(k);
    }

    /** Makes the scored member in accumulator slot {@code slot} count for its story. */
    private void group(int slot, long time) {
        long seq = accSeq[slot] - 1;
        int m = members.slot(seq);
        Story story = members.story[m].resolve();
        if (story.mark != epoch) {
            story.mark = epoch;
            story.bestMember = -1;
            story.score = 0;
            candidates.add(story);
        }
        float raw = accScore[slot];
        if (raw < story.bestMember) {
            return; // decay only lowers a score: this member cannot win
        }
        float s = (float) (raw * decay(time, members.time[m]));
        if (s > story.bestMember || (s == story.bestMember && seq < story.bestSeq)) {
            story.bestMember = s;
            story.bestSeq = seq;
        }
    }

    /** Scratch of {@link #collectCandidates}: touched members by raw score (made on use). */
    private transient long[] byRaw;

    /**
     * The {@code k}-th best member score among the candidates so far, or negative infinity
     * when there are fewer: later members only raise these scores and add stories, so the
     * final k-th best is at least this.
     */
    private float kthBestMember(int k) {
        if (candidates.size() < k) {
            return Float.NEGATIVE_INFINITY;
        }
        float[] top = topScratch(k);
        for (Story s : candidates) {
            insertTop(top, k, s.bestMember);
        }
        return top[k - 1];
    }

    private transient float[] topScores;

    private float[] topScratch(int k) {
        if (topScores == null || topScores.length < k) {
            topScores = new float[k];
        }
        Arrays.fill(topScores, 0, k, -2f);
        return topScores;
    }

    /** Inserts {@code score} into {@code top[0..k)}, kept in descending order. */
    private static void insertTop(float[] top, int k, float score) {
        if (score > top[k - 1]) {
            int at = k - 1;
            while (at > 0 && top[at - 1] < score) {
                top[at] = top[at - 1];
                at--;
            }
            top[at] = score;
        }
    }

    /** Keeps the {@code k} best candidates in order; cheaper than sorting them all. */
    private void keepBest(int k) {
        int n = candidates.size();
        if (n > 4 * k) {
            // Threshold from a bounded selection: the k-th best member score.
            float cut = kthBestMember(k);
            candidates.removeIf(s -> s.bestMember < cut);
        }
        candidates.sort(BY_BEST_MEMBER);
        if (candidates.size() > k) {
            candidates.subList(k, candidates.size()).clear();
        }
    }

    /** Weight of evidence {@code |t - then|} apart: halves every configured half-life. */
    private double decay(long time, long then) {
        if (time == Long.MIN_VALUE || then == Long.MIN_VALUE) {
            return 1; // no event time: nothing to discount by
        }
        long gap = Math.abs(time - then);
        if (gap == 0 || halfLifeMillis <= 0) {
            return 1;
        }
        long minutes = gap / 60_000;
        if (minutes < decayByMinute.length) {
            return decayByMinute[(int) minutes]; // pow costs more than all the rest here
        }
        return StrictMath.pow(0.5, gap / halfLifeMillis);
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

    /**
     * Merges other candidate stories the article also belongs to, when centroids agree.
     *
     * <p>Two stories that both name their event merge only when one of them is a lone
     * article. A merge is single-link chaining: one article that resembles two stories joins
     * them whole, with no check that the two are one event (their names agree as often
     * between two events of one topic as within one event). Where articles carry names,
     * each join is already checked against them, and merges of two grown stories were
     * nearly always wrong (AllSides squeezed into 48 hours: 15 right pairs to 1,015 wrong).
     * Lower-cased, stemmed headlines carry no names and fragment at birth on word choice;
     * there merges heal the fragments (MStream: 16,037 right pairs to 5,891 wrong), so they
     * stay, at a lower centroid cosine ({@code story.merge-unnamed}). A lone article is
     * evidence like any other: the bridging article scored it.
     */
    private void mergeConverging(Story joined, double threshold, String articleId) {
        for (Story other : candidates) {
            Story a = joined.resolve();
            Story b = other.resolve();
            if (a == b || other.score < threshold) {
                continue;
            }
            boolean named = !a.entities.isEmpty() && !b.entities.isEmpty();
            if (named && Math.min(a.size, b.size) > 1) {
                continue;
            }
            if (a.terms.cosine(b.terms) < (named ? config.storyMergeThreshold()
                    : config.storyMergeUnnamed())) {
                continue;
            }
            Story older = a.firstSeq <= b.firstSeq ? a : b;
            Story newer = older == a ? b : a;
            older.absorb(newer, config.centroidTerms(), config.centroidTerms());
            events.add(new StoryEvent(StoryEvent.Type.MERGED, newer.id, articleId, older.size,
                    older.id));
        }
    }

    /**
     * Indexes the article's {@code story.terms} heaviest terms (ties: lower key); a long
     * text's further terms serve verification only, so the index, the larger cost, stays
     * the size that short texts give it.
     */
    private void index(long seq, long[] termIds, float[] weights) {
        int n = termIds.length;
        int k = config.storyTerms();
        if (n <= k) {
            for (int i = 0; i < n; i++) {
                terms.add(termIds[i], seq, weights[i]);
            }
            return;
        }
        float cut = kthLargest(weights, k);
        int above = 0;
        for (float w : weights) {
            if (w > cut) {
                above++;
            }
        }
        int ties = k - above; // terms at the cut weight that still fit, lowest keys first
        for (int i = 0; i < n; i++) {
            if (weights[i] > cut || (weights[i] == cut && ties-- > 0)) {
                terms.add(termIds[i], seq, weights[i]);
            }
        }
    }

    /** Scratch of {@link #kthLargest} (made on use). */
    private transient long[] weightRanks;

    /**
     * The {@code k}-th largest of {@code weights} (k at least 1, at most their number): the
     * largest of the {@code n - k + 1} smallest, found by a selection (linear) where sorting
     * the 64 weights of a long text took 1.5 % of the engine. Weights are ranked as
     * {@link Float#compare} orders them, as the sort did, so the value is the same.
     */
    private float kthLargest(float[] weights, int k) {
        int n = weights.length;
        if (weightRanks == null || weightRanks.length < n) {
            weightRanks = new long[Math.max(64, 2 * n)];
        }
        for (int i = 0; i < n; i++) {
            int bits = Float.floatToIntBits(weights[i]);
            bits ^= (bits >> 31) & 0x7fff_ffff; // Float.compare's order as signed ints
            weightRanks[i] = ((long) bits << 32) | i;
        }
        int smallest = n - k + 1;
        VectorBuilder.selectSmallest(weightRanks, n, smallest);
        long kth = weightRanks[0];
        for (int j = 1; j < smallest; j++) {
            kth = Math.max(kth, weightRanks[j]);
        }
        return weights[(int) kth];
    }

    /** What the retrieval index holds (one pass over its terms). */
    public RecentPostings.Held index() {
        return terms.held(members.size > 0 ? members.first : Long.MAX_VALUE);
    }

    /** Drops articles older than {@code minSeq}; returns the stories that closed. */
    public List<StoryEvent> evictBefore(long minSeq) {
        List<StoryEvent> closed = new ArrayList<>();
        while (members.size > 0 && members.first < minSeq) {
            int gone = members.slot(members.first);
            Story story = members.story[gone].resolve();
            members.removeOldest();
            if (--story.live == 0) {
                closed.add(new StoryEvent(StoryEvent.Type.CLOSED, story.id, null, story.size,
                        null));
                story.terms = null;
                story.entities = null;
            }
        }
        terms.evictBefore(members.size > 0 ? members.first : minSeq);
        return closed;
    }
}
