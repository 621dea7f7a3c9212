package io.storyline.story;

import io.storyline.text.Analysis;
import java.util.Arrays;

/**
 * Turns an article's term counts into its salient-term vector. Salience is (1 + ln tf) times
 * the stream IDF; the {@code maxTerms} most salient terms are kept (ties to the earlier
 * term), weighted with a flattened IDF ({@code idf^idfPower}: within a short text every kept
 * term is evidence), scaled to unit length and sorted by term key. The kept terms are the
 * article's sketch for candidate retrieval: the few words that say which event it is about.
 */
final class VectorBuilder {

    private final int maxTerms;
    private final int longTextTerms;
    private final double idfPower;
    /** A share of fewer documents than this says nothing of a word. */
    private static final long MIN_SHARE_DOCUMENTS = 10;
    private final double maxDfShare;
    private final long idfWarmup;
    private long[] order = new long[256];
    private float[] raw = new float[256];
    private final int retrievalTerms;
    private final int maxEntities;
    private final float entityBoost;
    private long[] entityTerms;
    private float[] entityWeights;
    private byte[] entityKinds;
    private long[] entityOrder = new long[64];
    private long[] terms;
    private float[] weights;
    private byte[] kinds;
    private long[] retrievalKeys;
    private float[] retrievalWeights;

    VectorBuilder(int maxTerms, int longTextTerms, int retrievalTerms, double idfPower,
            long idfWarmup, double maxDfShare, int maxEntities, double entityBoost) {
        this.maxDfShare = maxDfShare;
        this.longTextTerms = longTextTerms;
        this.maxEntities = maxEntities;
        this.entityBoost = (float) entityBoost;
        this.idfWarmup = idfWarmup;
        this.maxTerms = maxTerms;
        this.retrievalTerms = retrievalTerms;
        this.idfPower = idfPower;
        this.powSteps = new double[POW_STEPS + 2];
        for (int i = 0; i < powSteps.length; i++) {
            powSteps[i] = StrictMath.pow((double) i / POW_STEP, idfPower);
        }
    }

    /** Resolution of the flattened-IDF table: 1/256 of an IDF unit. */
    private static final int POW_STEP = 256;
    /** IDF values the table covers, up to 64: ln of 10^27 documents. */
    private static final int POW_STEPS = 64 * POW_STEP;
    private final double[] powSteps;

    /**
     * {@code idf^idfPower}, interpolated linearly in a table of 1/256 steps: StrictMath's
     * pow cost a tenth of the story tier (up to 64 calls an article), and the table's
     * relative error, below 10^-6 for an IDF of 1 or more, is far finer than any
     * threshold. Exact for powers 1 and where the table ends; deterministic like the rest.
     */
    private double flattened(double idf) {
        if (idfPower == 1) {
            return idf;
        }
        double x = idf * POW_STEP;
        if (!(x >= 0) || x >= POW_STEPS) {
            return StrictMath.pow(idf, idfPower);
        }
        int i = (int) x;
        double frac = x - i;
        return powSteps[i] + (powSteps[i + 1] - powSteps[i]) * frac;
    }

    /**
     * Whether term {@code i} is in more than {@code maxDfShare} of the recent stream's
     * documents: a stop word the analyzer did not know (an unknown language, a house style).
     * IDF alone does not keep it out: a young stream's IDF is flat, and its high counts then
     * outrank the words two write-ups of one event share, so every article looked like the
     * first ones (the scikit-learn {@code max_df} rule, counted on the stream).
     */
    private boolean commonest(Analysis a, int i) {
        long documents = a.documents();
        return documents >= MIN_SHARE_DOCUMENTS && a.documentFrequency(i) > maxDfShare * documents;
    }

    void build(Analysis a) {
        int n = a.termCount();
        if (raw.length < n) {
            raw = new float[n * 2];
            order = new long[n * 2];
        }
        double logDocs = StrictMath.log(a.documents() + 1.0);
        // A young stream's IDF misleads: after two documents every unseen word outranks the
        // words two write-ups share. Until it has seen idfWarmup documents, salience is tf
        // alone (ties to the earlier term: titles and leads first).
        boolean useIdf = a.documents() >= idfWarmup;
        int excluded = 0;
        for (int i = 0; i < n; i++) {
            double idf = logDocs - log1p(a.documentFrequency(i)) + 1.0;
            float count = a.count(i);
            double tf = tf(count);
            raw[i] = (float) idf;
            float boost = a.isEntity(i) ? entityBoost : 1f;
            if (a.kind(i) == Analysis.QUANTITY || commonest(a, i)) {
                // Outlets word one figure differently (25 km, 25 kilometres): as a term it
                // would take a slot from shared evidence. Its figure is a term of its own,
                // and the pair tells events apart in the entity vector. A word in most of the
                // stream's documents tells no event from another. Salience 0 sorts last.
                boost = 0f;
                excluded++;
            }
            float salience = (float) (useIdf ? tf * idf : tf) * boost;
            // Non-negative floats order like their bits: most salient first, then lower index.
            order[i] = ((long) ~Float.floatToIntBits(salience) << 32) | i;
        }
        int kept = Math.min(n - excluded, termsFor(n - excluded));
        if (kept < n) {
            selectSmallest(order, n, kept);
        }
        Arrays.sort(order, 0, kept); // most salient first
        long[] bySalience = new long[kept];
        float[] salientWeights = new float[kept];
        double squares = 0;
        for (int k = 0; k < kept; k++) {
            int i = (int) (order[k] & 0xffff_ffffL);
            bySalience[k] = a.termKey(i);
            float count = a.count(i);
            double tf = tf(count);
            double idf = raw[i];
            float boost = a.isEntity(i) ? entityBoost : 1f;
            salientWeights[k] = (float) (tf * flattened(idf)) * boost;
            squares += (double) salientWeights[k] * salientWeights[k];
        }
        float scale = squares == 0 ? 0f : (float) (1 / StrictMath.sqrt(squares));
        for (int k = 0; k < kept; k++) {
            salientWeights[k] *= scale;
        }
        int retrieval = Math.min(kept, retrievalTerms);
        retrievalKeys = Arrays.copyOf(bySalience, retrieval);
        retrievalWeights = Arrays.copyOf(salientWeights, retrieval);
        // The vector itself is sorted by term key, so two vectors merge in one pass.
        terms = bySalience.clone();
        Arrays.sort(terms);
        weights = new float[kept];
        kinds = new byte[kept];
        for (int k = 0; k < kept; k++) {
            int at = Arrays.binarySearch(terms, bySalience[k]);
            weights[at] = salientWeights[k];
            kinds[at] = a.kind((int) (order[k] & 0xffff_ffffL));
        }
        buildEntities(a, n);
    }

    /**
     * The entity vector: the article's names and counted figures weighted by tf-idf with the
     * full IDF (a rare name is strong evidence, a common one weak), the {@code maxEntities}
     * strongest, unit length, sorted by key. Empty for a text without names (lower-cased
     * headlines): the story tier then judges on terms alone.
     */
    private void buildEntities(Analysis a, int n) {
        int m = 0;
        if (entityOrder.length < n) {
            entityOrder = new long[n * 2];
        }
        for (int i = 0; i < n; i++) {
            if (a.isEntity(i)) {
                float count = a.count(i);
                double tf = tf(count);
                float w = (float) (tf * raw[i]);
                entityOrder[m++] = ((long) ~Float.floatToIntBits(w) << 32) | i;
            }
        }
        int kept = Math.min(m, maxEntities);
        if (kept < m) {
            selectSmallest(entityOrder, m, kept);
        }
        entityTerms = new long[kept];
        entityWeights = new float[kept];
        entityKinds = new byte[kept];
        byte[] kinds = new byte[kept];
        long[] keys = new long[kept];
        float[] w = new float[kept];
        double squares = 0;
        for (int k = 0; k < kept; k++) {
            int i = (int) (entityOrder[k] & 0xffff_ffffL);
            keys[k] = a.termKey(i);
            kinds[k] = a.kind(i);
            float count = a.count(i);
            double tf = tf(count);
            w[k] = (float) (tf * raw[i]);
            squares += (double) w[k] * w[k];
        }
        float scale = squares == 0 ? 0f : (float) (1 / StrictMath.sqrt(squares));
        long[] sorted = keys.clone();
        Arrays.sort(sorted);
        for (int k = 0; k < kept; k++) {
            int at = Arrays.binarySearch(sorted, keys[k]);
            entityTerms[at] = keys[k];
            entityWeights[at] = w[k] * scale;
            entityKinds[at] = kinds[k];
        }
    }

    /** Keys of the article's strongest names and quantities, sorted. */
    long[] entityTerms() {
        return entityTerms;
    }

    float[] entityWeights() {
        return entityWeights;
    }

    /** What each entity of {@link #entityTerms} is: a name or a quantity. */
    byte[] entityKinds() {
        return entityKinds;
    }

    /**
     * Terms kept for a text of {@code distinct} terms: one in five, at least {@code maxTerms}
     * and at most {@code longTextTerms}. Two 700-word write-ups of one event by different
     * outlets agree on the event's core but each adds its own background; 32 terms of each
     * sample too little of the core for their cosine to show it.
     */
    private int termsFor(int distinct) {
        return Math.max(maxTerms, Math.min(longTextTerms, distinct / 5));
    }

    /** Sublinear term frequency: a word said five times is not five times the evidence. */
    private static double tf(float count) {
        if (count <= 1) {
            return 1;
        }
        int whole = (int) count;
        // Counts are sums of the title weight and ones: mostly whole numbers. A table spares
        // StrictMath's log, which the JIT does not turn into an instruction as it does Math's.
        return whole == count && whole < TF_TABLE ? TF[whole] : 1 + StrictMath.log(count);
    }

    private static final int TF_TABLE = 1 << 12;
    private static final double[] TF = new double[TF_TABLE];

    static {
        for (int i = 1; i < TF_TABLE; i++) {
            TF[i] = 1 + StrictMath.log(i);
        }
    }

    /** Keys of the most salient terms, the ones used to look up candidates. */
    long[] retrievalKeys() {
        return retrievalKeys;
    }

    float[] retrievalWeights() {
        return retrievalWeights;
    }

    private static final int LOG_TABLE = 1 << 16;
    private static final double[] LOG1P = new double[LOG_TABLE];

    static {
        for (int i = 0; i < LOG_TABLE; i++) {
            LOG1P[i] = StrictMath.log1p(i);
        }
    }

    /** ln(1 + x) for a count, from a table for the counts that occur most. */
    private static double log1p(int x) {
        return x < LOG_TABLE ? LOG1P[x] : StrictMath.log1p(x);
    }

    /** Moves the {@code k} smallest of {@code a[0..n)} to its front (quickselect). */
    static void selectSmallest(long[] a, int n, int k) {
        int lo = 0;
        int hi = n - 1;
        while (lo < hi) {
            long pivot = a[(lo + hi) >>> 1];
            int i = lo;
            int j = hi;
            while (i <= j) {
                while (a[i] < pivot) {
                    i++;
                }
                while (a[j] > pivot) {
                    j--;
                }
                if (i <= j) {
                    long t = a[i];
                    a[i++] = a[j];
                    a[j--] = t;
                }
            }
            if (k - 1 <= j) {
                hi = j;
            } else if (k - 1 >= i) {
                lo = i;
            } else {
                return;
            }
        }
    }

    long[] terms() {
        return terms;
    }

    float[] weights() {
        return weights;
    }

    /** What each term of {@link #terms} is ({@link Analysis#kind}). */
    byte[] kinds() {
        return kinds;
    }
}
