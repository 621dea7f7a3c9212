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
    private final double idfPower;
    private final long idfWarmup;
    private long[] order = new long[256];
    private float[] raw = new float[256];
    private final int retrievalTerms;
    private long[] terms;
    private float[] weights;
    private long[] retrievalKeys;
    private float[] retrievalWeights;

    VectorBuilder(int maxTerms, int retrievalTerms, double idfPower, long idfWarmup) {
        this.idfWarmup = idfWarmup;
        this.maxTerms = maxTerms;
        this.retrievalTerms = retrievalTerms;
        this.idfPower = idfPower;
    }

    void build(Analysis a) {
        int n = a.termCount();
        if (raw.length < n) {
            raw = new float[n * 2];
            order = new long[n * 2];
        }
        double logDocs = Math.log(a.documents() + 1.0);
        // A young stream's IDF misleads: after two documents every unseen word outranks the
        // words two write-ups share. Until it has seen idfWarmup documents, salience is tf
        // alone (ties to the earlier term: titles and leads first).
        boolean useIdf = a.documents() >= idfWarmup;
        for (int i = 0; i < n; i++) {
            double idf = logDocs - log1p(a.documentFrequency(i)) + 1.0;
            float count = a.count(i);
            double tf = count <= 1 ? 1 : 1 + Math.log(count);
            raw[i] = (float) idf;
            float salience = (float) (useIdf ? tf * idf : tf);
            // Non-negative floats order like their bits: most salient first, then lower index.
            order[i] = ((long) ~Float.floatToIntBits(salience) << 32) | i;
        }
        int kept = Math.min(n, maxTerms);
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
            double tf = count <= 1 ? 1 : 1 + Math.log(count);
            double idf = raw[i];
            salientWeights[k] = (float) (tf * (idfPower == 1 ? idf : Math.pow(idf, idfPower)));
            squares += (double) salientWeights[k] * salientWeights[k];
        }
        float scale = squares == 0 ? 0f : (float) (1 / Math.sqrt(squares));
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
        for (int k = 0; k < kept; k++) {
            weights[Arrays.binarySearch(terms, bySalience[k])] = salientWeights[k];
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
            LOG1P[i] = Math.log1p(i);
        }
    }

    /** ln(1 + x) for a count, from a table for the counts that occur most. */
    private static double log1p(int x) {
        return x < LOG_TABLE ? LOG1P[x] : Math.log1p(x);
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
}
