package io.storyline.bench;

import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The figures of one pipeline load run ({@link PipelineBench}), and their printed form.
 *
 * @param setup      what ran, on what machine
 * @param startupSeconds broker start, topics and feed registration
 * @param backlog    the first poll of every feed and its articles flowing through
 * @param steady     the measured steady state
 * @param drainSeconds time after the steady state until every entry on the server was
 *                   assigned (or the drain gave up, see {@code drained})
 * @param drained    whether every entry the server published was assigned
 * @param totals     counts over the whole run
 */
public record PipelineReport(Setup setup, double startupSeconds, Backlog backlog,
        Steady steady, double drainSeconds, boolean drained, Totals totals) {

    /** The goal on the 2-core development machine: feed polls per minute. */
    public static final double GOAL_FEEDS_PER_MINUTE = 10_000;
    /** The goal on the 2-core development machine: steady-state p99 fetch to assignment. */
    public static final long GOAL_P99_MICROS = 1_000_000;

    public PipelineReport {
        Objects.requireNonNull(setup, "setup");
        Objects.requireNonNull(backlog, "backlog");
        Objects.requireNonNull(steady, "steady");
        Objects.requireNonNull(totals, "totals");
    }

    /**
     * What ran.
     *
     * @param pollSeconds every feed's polling interval (ingest min = max interval)
     * @param newPerSecond entries the server added per second in the steady state
     */
    public record Setup(int feeds, int entries, int pollSeconds, double newPerSecond,
            int concurrency, int detectorBatch, int cores, long maxHeapBytes) {
    }

    /**
     * The backlog phase, timed from the ingestor's start.
     *
     * @param articles     feeds × entries
     * @param fetchedSeconds until every feed had been fetched once
     * @param publishedSeconds until every article was acknowledged by Kafka
     * @param assignedSeconds until every article's assignment was read back
     * @param cpuSeconds   CPU time of this process (all threads) during the phase
     * @param loadAverage  the system's one-minute load average at the phase's end: other
     *                     processes on a shared machine take cores from the pipeline
     */
    public record Backlog(int feeds, long articles, double fetchedSeconds,
            double publishedSeconds, double assignedSeconds, double cpuSeconds,
            double loadAverage) {

        public double feedsPerSecond() {
            return rate(feeds, fetchedSeconds);
        }

        public double publishedPerSecond() {
            return rate(articles, publishedSeconds);
        }

        public double assignedPerSecond() {
            return rate(articles, assignedSeconds);
        }
    }

    /**
     * The steady state: counts are deltas over {@code seconds}; the latency covers the
     * articles fetched within it.
     *
     * @param polls       feed requests the server answered
     * @param notModified of which 304
     * @param newEntries  entries the server added
     * @param published   articles the ingestor published
     * @param assigned    assignments read back
     * @param loadAverage the system's one-minute load average at the phase's end
     */
    public record Steady(double seconds, long polls, long notModified, long newEntries,
            long published, long assigned, Latency latency, Stages stages, double cpuSeconds,
            double loadAverage) {

        public Steady {
            Objects.requireNonNull(latency, "latency");
            Objects.requireNonNull(stages, "stages");
        }

        public double pollsPerMinute() {
            return rate(polls, seconds) * 60;
        }

        public double notModifiedShare() {
            return polls == 0 ? 0 : (double) notModified / polls;
        }

        public double assignedPerSecond() {
            return rate(assigned, seconds);
        }
    }

    /** Fetch-to-assignment latency percentiles (nearest rank), µs; all 0 when count is 0. */
    public record Latency(int count, long p50, long p95, long p99, long max) {

        /** From latencies sorted ascending. */
        public static Latency of(long[] sorted) {
            if (sorted.length == 0) {
                return new Latency(0, 0, 0, 0, 0);
            }
            return new Latency(sorted.length, rank(sorted, 0.50), rank(sorted, 0.95),
                    rank(sorted, 0.99), sorted[sorted.length - 1]);
        }

        private static long rank(long[] sorted, double q) {
            int i = (int) Math.ceil(q * sorted.length) - 1;
            return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
        }
    }

    /**
     * Where the latency goes, split at the records' create times (each stage's percentiles
     * on their own: they do not add up to the whole's).
     *
     * @param fetchToArticle      the ingestor: fetch, parse, and the send of the article
     * @param articleToAssignment Kafka to the detector, its wait for the batch, the engine
     * @param assignmentToRead    the rest of the detector's batch, its transaction's commit,
     *                            and the read_committed read
     */
    public record Stages(Latency fetchToArticle, Latency articleToAssignment,
            Latency assignmentToRead) {
    }

    /**
     * Counts over the whole run.
     *
     * @param peakHeapBytes highest used heap seen by sampling every 100 ms (the whole JVM:
     *                      broker, feed server, ingestor, detector)
     * @param problems      feed problems the ingestor reported
     * @param serverEntries entries the server listed at some point
     * @param repeated      assignments of an (article, revision) already assigned
     * @param verdicts      assignments per verdict
     */
    public record Totals(long peakHeapBytes, int gcCount, double gcSeconds, long problems,
            long polls, long serverEntries, long published, long assigned, long repeated,
            Map<String, Long> verdicts) {

        public Totals {
            verdicts = Map.copyOf(verdicts);
        }
    }

    /** The report as printed by {@code storyline bench --pipeline}. */
    public String format() {
        StringBuilder out = new StringBuilder();
        line(out, "pipeline load run: %,d feeds x %d entries from the local feed server;",
                setup.feeds(), setup.entries());
        line(out, "embedded broker, ingestor, detector and feed server in one JVM "
                + "(%d cores, max heap %,d MB)", setup.cores(), mb(setup.maxHeapBytes()));
        line(out, "every feed polled every %d s with conditional GET; ingest.concurrency %d, "
                + "detector.batch %d", setup.pollSeconds(), setup.concurrency(),
                setup.detectorBatch());
        line(out, "");
        line(out, "%-44s %8.1f s", "startup (broker, topics, feed registry)", startupSeconds);
        line(out, "");
        line(out, "backlog: %,d articles, timed from the ingestor's start", backlog.articles());
        line(out, "  %-42s %8.1f s %10.0f feeds/s", "every feed fetched once",
                backlog.fetchedSeconds(), backlog.feedsPerSecond());
        line(out, "  %-42s %8.1f s %10.0f articles/s", "every article published to Kafka",
                backlog.publishedSeconds(), backlog.publishedPerSecond());
        line(out, "  %-42s %8.1f s %10.0f articles/s", "every article assigned (read back)",
                backlog.assignedSeconds(), backlog.assignedPerSecond());
        line(out, "  %-42s %8.1f s (%.1f cores)", "process CPU", backlog.cpuSeconds(),
                backlog.cpuSeconds() / Math.max(1e-9, backlog.assignedSeconds()));
        line(out, "  %-42s %8.1f", "system load average (1 min) at its end",
                backlog.loadAverage());
        line(out, "");
        line(out, "steady state: %.0f s, the server adding %.0f entries/s", steady.seconds(),
                setup.newPerSecond());
        line(out, "  %-42s %,8d   %,8.0f /min (304: %.1f %%)", "feed polls", steady.polls(),
                steady.pollsPerMinute(), 100 * steady.notModifiedShare());
        line(out, "  %-42s %,8d", "new entries on the server", steady.newEntries());
        line(out, "  %-42s %,8d", "articles published to Kafka", steady.published());
        line(out, "  %-42s %,8d %10.1f articles/s", "articles assigned", steady.assigned(),
                steady.assignedPerSecond());
        Latency l = steady.latency();
        line(out, "  fetch-to-assignment latency of the %,d articles fetched in it:",
                l.count());
        line(out, "    p50 %s   p95 %s   p99 %s   max %s", ms(l.p50()), ms(l.p95()),
                ms(l.p99()), ms(l.max()));
        Stages st = steady.stages();
        line(out, "  where it goes, p50 / p99 of each stage (%,d articles):",
                st.fetchToArticle().count());
        stage(out, "fetch, parse, article sent", st.fetchToArticle());
        stage(out, "to the detector, assignment sent", st.articleToAssignment());
        stage(out, "transaction committed, read back", st.assignmentToRead());
        line(out, "  %-42s %8.1f s (%.1f cores)", "process CPU", steady.cpuSeconds(),
                steady.cpuSeconds() / Math.max(1e-9, steady.seconds()));
        line(out, "  %-42s %8.1f", "system load average (1 min) at its end",
                steady.loadAverage());
        line(out, "");
        line(out, "%-44s %8.1f s%s", "drain (every server entry assigned)", drainSeconds,
                drained ? "" : "  INCOMPLETE");
        line(out, "");
        line(out, "whole run");
        line(out, "  %-42s %,8d MB (used heap sampled every 100 ms)", "peak heap",
                mb(totals.peakHeapBytes()));
        line(out, "  %-42s %,8d   %.1f s in total", "garbage collections", totals.gcCount(),
                totals.gcSeconds());
        line(out, "  %-42s %,8d", "ingest problems", totals.problems());
        line(out, "  %-42s %,8d", "feed polls", totals.polls());
        line(out, "  articles: %,d on the server, %,d published, %,d assigned, %,d assigned "
                + "twice", totals.serverEntries(), totals.published(), totals.assigned(),
                totals.repeated());
        StringBuilder verdicts = new StringBuilder();
        totals.verdicts().entrySet().stream().sorted(Map.Entry.comparingByKey())
                .forEach(e -> verdicts.append(verdicts.length() == 0 ? "" : ", ")
                        .append(String.format(Locale.ROOT, "%,d %s", e.getValue(), e.getKey())));
        line(out, "  verdicts: %s", verdicts);
        line(out, "");
        line(out, "goals on the 2-core machine");
        line(out, "  >= %,.0f feeds fetched per minute with conditional GET: %s (%,.0f /min)",
                GOAL_FEEDS_PER_MINUTE, steady.pollsPerMinute() >= GOAL_FEEDS_PER_MINUTE
                        ? "met" : "missed", steady.pollsPerMinute());
        line(out, "  p99 fetch-to-assignment < %s at steady state: %s (%s)",
                ms(GOAL_P99_MICROS), l.count() > 0 && l.p99() < GOAL_P99_MICROS ? "met"
                        : "missed", ms(l.p99()));
        return out.toString();
    }

    private static void stage(StringBuilder out, String name, Latency l) {
        line(out, "    %-40s %10s / %s", name, ms(l.p50()), ms(l.p99()));
    }

    private static double rate(double count, double seconds) {
        return seconds <= 0 ? 0 : count / seconds;
    }

    private static long mb(long bytes) {
        return bytes / (1024 * 1024);
    }

    private static String ms(long micros) {
        return String.format(Locale.ROOT, "%,.1f ms", micros / 1000.0);
    }

    private static void line(StringBuilder out, String format, Object... args) {
        out.append(String.format(Locale.ROOT, format, args)).append('\n');
    }
}
