package io.storyline.story;

import com.carrotsearch.hppc.LongIntHashMap;
import io.storyline.text.Analysis;
import java.util.Arrays;

/**
 * Turns an article's term counts into its salient-term vector: weight = (1 + ln tf) times a
 * stream IDF, the {@code maxTerms} heaviest terms kept (ties to the lower term id), scaled to
 * unit length and sorted by term id. The kept terms are the article's sketch for candidate
 * retrieval: the few words that say which event it is about.
 */
final class VectorBuilder {

    private final int maxTerms;
    private final double idfPower;
    private long[] order = new long[256];
    private float[] raw = new float[256];
    private long[] terms;
    private float[] weights;

    VectorBuilder(int maxTerms, double idfPower) {
        this.maxTerms = maxTerms;
        this.idfPower = idfPower;
    }

    void build(Analysis a, LongIntHashMap df, long documents) {
        int n = a.termCount();
        if (raw.length < n) {
            raw = new float[n * 2];
            order = new long[n * 2];
        }
        double logDocs = Math.log(documents + 1.0);
        for (int i = 0; i < n; i++) {
            double idf = logDocs - Math.log(df.get(a.term(i)) + 1.0) + 1.0;
            double tf = 1 + Math.log(Math.max(1f, a.count(i)));
            // Salience (which terms to keep) uses the full IDF; the kept terms' weights use a
            // flattened one, because within a short text every kept term is evidence.
            float salience = (float) (tf * idf);
            raw[i] = idfPower == 1 ? salience : (float) (tf * Math.pow(idf, idfPower));
            // Non-negative floats order like their bits: most salient first, then lower index.
            order[i] = ((long) ~Float.floatToIntBits(salience) << 32) | i;
        }
        int kept = Math.min(n, maxTerms);
        if (kept < n) {
            Arrays.sort(order, 0, n);
            for (int i = 0; i < kept; i++) {
                order[i] = order[i] & 0xffff_ffffL;
            }
            Arrays.sort(order, 0, kept);
        } else {
            for (int i = 0; i < n; i++) {
                order[i] = i;
            }
        }
        terms = new long[kept];
        weights = new float[kept];
        double squares = 0;
        for (int k = 0; k < kept; k++) {
            int i = (int) order[k];
            terms[k] = a.term(i);
            weights[k] = raw[i];
            squares += (double) raw[i] * raw[i];
        }
        float scale = squares == 0 ? 0f : (float) (1 / Math.sqrt(squares));
        for (int k = 0; k < kept; k++) {
            weights[k] *= scale;
        }
    }

    long[] terms() {
        return terms;
    }

    float[] weights() {
        return weights;
    }
}
