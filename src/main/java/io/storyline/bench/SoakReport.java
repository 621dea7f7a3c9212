package io.storyline.bench;

import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.ToLongFunction;

/**
 * The figures of a soak ({@link SoakBench}), one row a minute, and the stability verdict on
 * them: a report, not a test (a machine shared with other work moves every figure).
 *
 * @param setup   what ran
 * @param minutes one row per minute, in order, from minute 1
 * @param stopped why the soak ended before its last minute, or null
 */
public record SoakReport(Setup setup, List<Minute> minutes, String stopped) {

    /** Heap after GC and index size of the later minutes may differ this much. */
    public static final double TOLERANCE = 0.05;

    public SoakReport {
        Objects.requireNonNull(setup, "setup");
        minutes = List.copyOf(minutes);
    }

    /**
     * What ran.
     *
     * @param rate              entries the feed server adds per second
     * @param windowMaxArticles {@code window.max-articles}
     * @param viewMaxArticles   {@code serve.max-articles}: the read model's bound
     */
    public record Setup(int minutes, double rate, int feeds, int entries, int pollSeconds,
            int windowMaxArticles, int viewMaxArticles, int cores, long maxHeapBytes) {
    }

    /**
     * One minute's figures, taken at its end.
     *
     * @param articlesIn     articles the ingestor published to Kafka since the start
     * @param inMinute       of which in this minute
     * @param behind         entries the feed server added that the ingestor has not
     *                       published yet: steady when the pipeline keeps up (about rate ×
     *                       poll interval), growing when it does not
     * @param assigned       assignments read back since the start (read_committed)
     * @param storiesOpen    the detector's open stories
     * @param window         articles in the engine's window
     * @param postings       postings of the window's articles in the engine's two inverted
     *                       indexes (the copy tier's and the story tier's)
     * @param postingsHeld   postings the two hold, departed articles' not yet dropped included
     * @param terms          terms of the story tier's retrieval index
     * @param vocabulary     terms of the document-frequency vocabulary
     * @param viewArticles   articles in the dashboard's read model
     * @param heapAfterGc    used heap after a full collection ({@code System.gc()}), or -1 when
     *                       none could be confirmed
     * @param gcMillis       how long that collection took
     * @param latency        feed publish to assignment read, of the assignments read in this
     *                       minute whose publish time is known, µs
     * @param untimed        assignments read in this minute whose publish time is unknown
     *                       (initial entries, or older than the feed server remembers)
     * @param fetchP99       p99 of the same assignments from the ingestor's fetch (the
     *                       pipeline's share: the rest is the wait for the feed's next poll)
     * @param threads        live threads of the JVM
     * @param files          open file descriptors of the process
     */
    public record Minute(int minute, long articlesIn, long inMinute, long behind,
            long assigned,
            int storiesOpen, int window, long postings, long postingsHeld, int terms,
            int vocabulary, int viewArticles, long heapAfterGc, long gcMillis,
            PipelineReport.Latency latency, long untimed, long fetchP99, int threads,
            long files, double loadAverage) {

        public Minute {
            Objects.requireNonNull(latency, "latency");
        }
    }

    /**
     * A figure of the later minutes against the reference minute.
     *
     * @param min lowest in the compared minutes
     * @param max highest in the compared minutes
     * @param last the last minute's
     */
    public record Spread(long reference, long min, long max, long last) {

        /** Whether every compared minute is within {@code tolerance} (a share) of it. */
        public boolean within(double tolerance) {
            return reference >= 0 && min <= max
                    && Math.abs(min - reference) <= tolerance * reference
                    && Math.abs(max - reference) <= tolerance * reference;
        }

        /**
         * The lowest of the compared minutes minus the reference: what a leak raises. Not the
         * last or the highest minute, which a pool's idle workers move (the ingestor's HTTP
         * client threads come and go by tens).
         */
        public long growth() {
            return min - reference;
        }

        double lowShare() {
            return reference == 0 ? 0 : (double) (min - reference) / reference;
        }

        double highShare() {
            return reference == 0 ? 0 : (double) (max - reference) / reference;
        }
    }

    /**
     * The stability verdict: heap after GC and index postings of minutes {@code from} to
     * {@code to} within {@link #TOLERANCE} of minute {@code reference}; threads and open files
     * not above the highest of minutes {@code reference} - {@link #BASELINE} to {@code reference}
     * in every compared minute (see {@link #counts} and {@link Spread#growth}).
     */
    public record Verdict(int reference, int from, int to, Spread heap, Spread postings,
            Spread postingsHeld, Spread threads, Spread files) {

        public boolean heapStable() {
            return heap.within(TOLERANCE);
        }

        public boolean indexStable() {
            return postings.within(TOLERANCE);
        }

        public boolean stable() {
            return heapStable() && indexStable() && threads.growth() <= 0
                    && files.growth() <= 0;
        }
    }

    /**
     * The verdict on minutes {@code reference} = N / 2 and N × 2/3 (rounded up) to N, as minute
     * 15 and minutes 20–30 of a 30-minute soak; null with fewer than 3 minutes.
     */
    public Verdict verdict() {
        int n = minutes.size();
        if (n < 3) {
            return null;
        }
        int reference = n / 2;
        int from = Math.max(reference + 1, (2 * n + 2) / 3);
        return new Verdict(reference, from, n, spread(reference, from, Minute::heapAfterGc),
                spread(reference, from, Minute::postings),
                spread(reference, from, Minute::postingsHeld),
                counts(reference, from, Minute::threads), counts(reference, from,
                        Minute::files));
    }

    /**
     * Threads and open files churn (pool workers, sockets, log segments rolled and deleted),
     * so their reference is the highest of the {@link #BASELINE} minutes up to the reference
     * minute: a count that only churns stays within what those minutes saw, a leak lifts every
     * later minute above it.
     */
    private Spread counts(int reference, int from, ToLongFunction<Minute> figure) {
        long highest = Long.MIN_VALUE;
        for (int m = Math.max(1, reference - BASELINE); m <= reference; m++) {
            highest = Math.max(highest, figure.applyAsLong(minutes.get(m - 1)));
        }
        Spread later = spread(reference, from, figure);
        return new Spread(highest, later.min(), later.max(), later.last());
    }

    /** Minutes before the reference minute whose thread and file counts it spans. */
    static final int BASELINE = 5;

    private Spread spread(int reference, int from, ToLongFunction<Minute> figure) {
        long min = Long.MAX_VALUE;
        long max = Long.MIN_VALUE;
        for (int m = from; m <= minutes.size(); m++) {
            long v = figure.applyAsLong(minutes.get(m - 1));
            if (v < 0) {
                continue; // not measured (no full collection confirmed)
            }
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        return new Spread(figure.applyAsLong(minutes.get(reference - 1)), min, max,
                figure.applyAsLong(minutes.get(minutes.size() - 1)));
    }

    /** The header of the per-minute table. */
    public static String header() {
        return String.format(Locale.ROOT, "%3s %9s %6s %5s %9s %6s %6s %9s %9s %7s %7s %7s"
                + " %6s %5s %6s %6s %6s %5s %4s %4s %5s", "min", "in", "in/min", "behind",
                "assigned", "open", "window", "postings", "held", "terms", "vocab", "view",
                "heapMB", "gcMs", "p50ms", "p99ms", "f-p99", "untim", "thr", "fds", "load");
    }

    /** One minute's row of the table. */
    public static String row(Minute m) {
        return String.format(Locale.ROOT, "%3d %,9d %,6d %,5d %,9d %,6d %,6d %,9d %,9d %,7d"
                + " %,7d %,7d %,6d %,5d %6d %6d %6d %,5d %4d %4d %5.1f", m.minute(),
                m.articlesIn(), m.inMinute(), m.behind(), m.assigned(), m.storiesOpen(),
                m.window(), m.postings(), m.postingsHeld(), m.terms(), m.vocabulary(),
                m.viewArticles(), m.heapAfterGc() >> 20, m.gcMillis(),
                m.latency().p50() / 1000, m.latency().p99() / 1000, m.fetchP99() / 1000,
                m.untimed(), m.threads(), m.files(), m.loadAverage());
    }

    /** The whole report: setup, table and verdict. */
    public String format() {
        StringBuilder out = new StringBuilder();
        line(out, "soak: %d minutes; %d feeds x %d entries polled every %d s, %.0f new "
                + "entries/s", setup.minutes(), setup.feeds(), setup.entries(),
                setup.pollSeconds(), setup.rate());
        line(out, "window.max-articles %,d, serve.max-articles %,d; %d cores, max heap %,d MB",
                setup.windowMaxArticles(), setup.viewMaxArticles(), setup.cores(),
                setup.maxHeapBytes() >> 20);
        line(out, "%s", header());
        minutes.forEach(m -> line(out, "%s", row(m)));
        out.append(verdictText());
        return out.toString();
    }

    /** The stability lines printed after the table. */
    public String verdictText() {
        StringBuilder out = new StringBuilder();
        if (stopped != null) {
            line(out, "STOPPED after %d minutes: %s", minutes.size(), stopped);
        }
        int full = 0;
        for (Minute m : minutes) {
            if (m.window() >= setup.windowMaxArticles()) {
                full = m.minute();
                break;
            }
        }
        line(out, "window full (%,d articles): %s", setup.windowMaxArticles(),
                full == 0 ? "never" : "from minute " + full);
        Verdict v = verdict();
        if (v == null) {
            line(out, "stability: no verdict on fewer than 3 minutes");
            return out.toString();
        }
        line(out, "stability, minutes %d-%d against minute %d (within +/-%.0f %%):",
                v.from(), v.to(), v.reference(), TOLERANCE * 100);
        share(out, "heap after GC (MB)", v.heap(), 20, v.reference());
        share(out, "index postings (live)", v.postings(), 0, v.reference());
        line(out, "  %-24s %,d at minute %d; %,d-%,d (%+.1f %% .. %+.1f %%): held, dropped "
                + "in batches", "index postings held", v.postingsHeld().reference(),
                v.reference(), v.postingsHeld().min(), v.postingsHeld().max(),
                100 * v.postingsHeld().lowShare(), 100 * v.postingsHeld().highShare());
        growth(out, "threads", v.threads(), v.reference());
        growth(out, "open file descriptors", v.files(), v.reference());
        line(out, "  (threads and files: against the highest of minutes %d-%d; growth = the "
                + "lowest later minute above it)", Math.max(1, v.reference() - BASELINE),
                v.reference());
        line(out, "verdict: %s", v.stable() ? "stable" : "NOT stable");
        return out.toString();
    }

    private static void share(StringBuilder out, String name, Spread s, int shift,
            int reference) {
        line(out, "  %-24s %,d at minute %d; %,d-%,d (%+.1f %% .. %+.1f %%): %s", name,
                s.reference() >> shift, reference, s.min() >> shift, s.max() >> shift,
                100 * s.lowShare(), 100 * s.highShare(),
                s.within(TOLERANCE) ? "within" : "OUTSIDE");
    }

    private static void growth(StringBuilder out, String name, Spread s, int reference) {
        line(out, "  %-24s %,d up to minute %d; %,d-%,d, last %,d (lowest %+,d): %s", name,
                s.reference(), reference, s.min(), s.max(), s.last(), s.growth(),
                s.growth() <= 0 ? "no growth" : "GREW");
    }

    private static void line(StringBuilder out, String format, Object... args) {
        out.append(String.format(Locale.ROOT, format, args)).append('\n');
    }
}
