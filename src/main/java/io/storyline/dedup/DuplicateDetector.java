package io.storyline.dedup;

import com.carrotsearch.hppc.LongLongHashMap;
import io.storyline.config.EngineConfig;
import io.storyline.text.Analysis;
import io.storyline.text.Hashing;
import io.storyline.window.PostingIndex;
import io.storyline.window.SeqRing;
import java.util.Arrays;
import org.apache.datasketches.theta.CompactSketch;
import org.apache.datasketches.theta.HashIterator;
import org.apache.datasketches.theta.JaccardSimilarity;

/**
 * The copy tiers: exact copies (same canonical URL or same normalized content) and
 * near-duplicates (MinHash over word shingles, candidates from {@link SketchIndex}, verdict
 * from the Jaccard estimate or, for trimmed or template-wrapped copies, the containment of the
 * smaller text in the larger). Holds the window's sketches; pure and single-threaded.
 */
public final class DuplicateDetector {

    /** URL hash of an article without a URL (the hash of a URL is never this in practice). */
    private static final long NO_URL = 0L;
    /** Content key of an article without words (never matched as an exact copy). */
    private static final long NO_CONTENT = 0L;

    private final Shingler shingler;
    private final PostingIndex index = new PostingIndex();
    private final SeqRing<Entry> window = new SeqRing<>();
    private final LongLongHashMap byUrl = new LongLongHashMap();
    private final LongLongHashMap byContent = new LongLongHashMap();
    private final int indexHashes;
    private final double jaccardThreshold;
    private final double containmentThreshold;
    private final double shortJaccardThreshold;
    private final int minShingles;
    private final int maxCandidates;
    private final long[] candidates;
    private final long[] hashes;
    private int found;
    /** Made on first use: a lambda is code, not state (a restored detector makes its own). */
    private transient PostingIndex.Visitor collector;

    /** What the window remembers of one article at the copy level. */
    private record Entry(String id, String originalId, long urlHash,
            long contentHash, CompactSketch sketch) {
    }

    public DuplicateDetector(EngineConfig config) {
        this.shingler = new Shingler(config.shingleWords(), config.sketchEntries());
        this.indexHashes = config.indexHashes();
        this.jaccardThreshold = config.duplicateJaccard();
        this.containmentThreshold = config.duplicateContainment();
        this.shortJaccardThreshold = config.shortDuplicateJaccard();
        this.minShingles = config.minShingles();
        this.maxCandidates = config.maxCandidates();
        this.candidates = new long[indexHashes * maxCandidates];
        this.hashes = new long[indexHashes];
    }

    /**
     * Decides whether article {@code seq} copies an article in the window, then adds it to the
     * window. {@code url} is its canonical URL or null.
     */
    public CopyVerdict check(long seq, String id, String url, Analysis analysis,
            CompactSketch sketch) {
        long urlHash = url == null ? NO_URL : Hashing.of(url);
        // An article without a single word (an empty or script-only page) copies nothing.
        long contentHash = analysis.body().size() == 0 ? NO_CONTENT : analysis.contentHash();
        CopyVerdict verdict = exact(urlHash, contentHash);
        if (verdict == null) {
            verdict = near(sketch);
        }
        remember(seq, id, urlHash, contentHash, sketch, verdict);
        return verdict;
    }

    /** The MinHash sketch of the article's shingles (body after boilerplate removal). */
    public CompactSketch sketch(Analysis analysis) {
        return shingler.sketch(analysis.body());
    }

    /** The exact, sorted set of the article's shingle values (for measuring the sketch). */
    public long[] exactShingles(Analysis analysis) {
        return shingler.shingles(analysis.body());
    }

    /**
     * The window articles the candidate index returns for {@code sketch}, ascending by seq,
     * without verifying or recording anything (used to measure the index's recall).
     */
    public long[] candidates(CompactSketch sketch) {
        int n = lookup(sketch);
        long[] out = Arrays.copyOf(candidates, n);
        Arrays.sort(out);
        return Arrays.stream(out).distinct().toArray();
    }

    private int lookup(CompactSketch sketch) {
        int n = smallestHashes(sketch);
        found = 0;
        if (collector == null) {
            collector = (seq, weight) -> candidates[found++] = seq;
        }
        long minSeq = window.firstSeq();
        for (int i = 0; i < n; i++) {
            index.forEach(hashes[i], minSeq, maxCandidates, collector);
        }
        return found;
    }

    private CopyVerdict exact(long urlHash, long contentHash) {
        long match = urlHash == NO_URL ? -1 : byUrl.getOrDefault(urlHash, -1L);
        if (match < 0 && contentHash != NO_CONTENT) {
            match = byContent.getOrDefault(contentHash, -1L);
        }
        Entry original = match < 0 ? null : window.get(match);
        if (original == null) {
            return null;
        }
        return new CopyVerdict(CopyVerdict.Kind.EXACT, match, original.id, original.originalId,
                1, 1, 1);
    }

    private CopyVerdict near(CompactSketch sketch) {
        int n = lookup(sketch);
        if (n == 0) {
            return CopyVerdict.NONE;
        }
        // Most shared index hashes first, then the earliest article: a deterministic order.
        Arrays.sort(candidates, 0, n);
        long[] ranked = rankByVotes(n);
        CopyVerdict best = CopyVerdict.NONE;
        for (int i = 0; i < ranked.length && i < maxCandidates; i++) {
            CopyVerdict verdict = verify(sketch, ranked[i], window.get(ranked[i]));
            if (verdict != null && verdict.similarity() > best.similarity()) {
                best = verdict;
            }
        }
        return best;
    }

    private long[] rankByVotes(int n) {
        long[] packed = new long[n];
        int distinct = 0;
        for (int i = 0; i < n; ) {
            int j = i;
            while (j < n && candidates[j] == candidates[i]) {
                j++;
            }
            // votes in the high bits (descending via negation), seq in the low bits
            packed[distinct++] = ((long) (indexHashes - (j - i)) << 48) | candidates[i];
            i = j;
        }
        Arrays.sort(packed, 0, distinct);
        long[] ranked = new long[distinct];
        for (int i = 0; i < distinct; i++) {
            ranked[i] = packed[i] & 0xffff_ffff_ffffL;
        }
        return ranked;
    }

    /**
     * Verifies one candidate. The decision uses a merge of the two ordered sketches (the
     * theta estimators of Jaccard and of containment, in well under a microsecond); only an
     * accepted pair pays for DataSketches' {@link JaccardSimilarity}, whose estimate and
     * confidence bounds are what the assignment reports.
     */
    private CopyVerdict verify(CompactSketch sketch, long seq, Entry candidate) {
        if (!isCopy(sketch, candidate.sketch)) {
            return null;
        }
        double[] jaccard = JaccardSimilarity.jaccard(sketch, candidate.sketch);
        return new CopyVerdict(CopyVerdict.Kind.NEAR, seq, candidate.id, candidate.originalId,
                jaccard[1], jaccard[0], jaccard[2]);
    }

    private boolean isCopy(CompactSketch a, CompactSketch b) {
        long theta = Math.min(a.getThetaLong(), b.getThetaLong());
        HashIterator ia = a.iterator();
        HashIterator ib = b.iterator();
        int inA = 0;
        int inB = 0;
        int common = 0;
        boolean hasA = next(ia, theta);
        boolean hasB = next(ib, theta);
        while (hasA && hasB) {
            long x = ia.get();
            long y = ib.get();
            if (x == y) {
                common++;
                inA++;
                inB++;
                hasA = next(ia, theta);
                hasB = next(ib, theta);
            } else if (x < y) {
                inA++;
                hasA = next(ia, theta);
            } else {
                inB++;
                hasB = next(ib, theta);
            }
        }
        while (hasA) {
            inA++;
            hasA = next(ia, theta);
        }
        while (hasB) {
            inB++;
            hasB = next(ib, theta);
        }
        int union = inA + inB - common;
        double smallerSize = Math.min(a.getEstimate(), b.getEstimate());
        boolean isShort = smallerSize < minShingles;
        // A few shared shingles between headline-length texts are no sign of copying.
        double jaccard = isShort ? shortJaccardThreshold : jaccardThreshold;
        if (union > 0 && common >= jaccard * union) {
            return true;
        }
        // Containment of the smaller text in the larger: trimmed or template-wrapped copies.
        int smaller = Math.min(inA, inB);
        return !isShort && smaller > 0 && common >= containmentThreshold * smaller;
    }

    /** Advances an ordered sketch's iterator; false at its end or at {@code theta}. */
    private static boolean next(HashIterator it, long theta) {
        return it.next() && it.get() < theta;
    }

    private int smallestHashes(CompactSketch sketch) {
        int n = 0;
        var it = sketch.iterator();
        while (n < indexHashes && it.next()) {
            hashes[n++] = it.get();
        }
        return n;
    }

    private void remember(long seq, String id, long urlHash, long contentHash,
            CompactSketch sketch, CopyVerdict verdict) {
        String originalId = verdict.isCopy() ? verdict.originalId() : id;
        addToIndex(seq, sketch);
        window.add(seq, new Entry(id, originalId, urlHash, contentHash, sketch));
        // Keys point to their newest holder: it stays in the window longest, and it knows the
        // copy group's original.
        if (urlHash != NO_URL) {
            byUrl.put(urlHash, seq);
        }
        if (contentHash != NO_CONTENT) {
            byContent.put(contentHash, seq);
        }
    }

    /** Drops every article older than {@code minSeq} from the window and its indexes. */
    public void evictBefore(long minSeq) {
        int postings = 0;
        while (window.size() > 0 && window.firstSeq() < minSeq) {
            long seq = window.firstSeq();
            Entry gone = window.removeOldest();
            postings += Math.min(indexHashes, gone.sketch.getRetainedEntries());
            if (gone.urlHash != NO_URL && byUrl.getOrDefault(gone.urlHash, -1L) == seq) {
                byUrl.remove(gone.urlHash);
            }
            if (gone.contentHash != NO_CONTENT
                    && byContent.getOrDefault(gone.contentHash, -1L) == seq) {
                byContent.remove(gone.contentHash);
            }
        }
        if (postings > 0 && index.evicted(postings)) {
            rebuildIndex();
        }
    }

    private void rebuildIndex() {
        index.clear();
        for (long seq = window.firstSeq(); seq < window.firstSeq() + window.size(); seq++) {
            addToIndex(seq, window.get(seq).sketch);
        }
    }

    private void addToIndex(long seq, CompactSketch sketch) {
        int n = smallestHashes(sketch);
        for (int i = 0; i < n; i++) {
            index.add(hashes[i], seq, 0f);
        }
    }

    /** Articles currently in the window. */
    public int windowSize() {
        return window.size();
    }

    /** Postings of the candidate index for the window's articles. */
    public int indexPostings() {
        return index.live();
    }

    /** Postings the candidate index holds, those left until its next rebuild included. */
    public int indexPostingsHeld() {
        return index.held();
    }
}
