package io.storyline.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.management.UnixOperatingSystemMXBean;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.storyline.config.EngineConfig;
import io.storyline.config.IngestConfig;
import io.storyline.config.PipelineConfig;
import io.storyline.config.ServeConfig;
import io.storyline.pipeline.Detector;
import io.storyline.pipeline.Ingestor;
import io.storyline.pipeline.KafkaCluster;
import io.storyline.view.ReadModel;
import io.storyline.view.ViewConsumer;
import io.storyline.web.WebServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * The soak of {@code storyline bench --soak}: what {@code run} starts (an embedded broker, an
 * ingestor, the detector, the dashboard's read model and server) in this JVM, against the
 * {@link FeedServer}, whose feeds publish new entries at a steady rate for the whole run. At
 * the end of every minute it forces a full collection and takes one row of figures
 * ({@link SoakReport.Minute}), so that a leak or a structure growing with the stream shows as
 * growth once the window is full. Figures only: the verdict is a report.
 */
public final class SoakBench {

    /** The detector answers between two batches; a checkpoint write can take seconds. */
    private static final Duration FOOTPRINT_WAIT = Duration.ofSeconds(60);
    private static final long CHECK_MILLIS = 100;

    /**
     * What to run.
     *
     * @param rate         entries the feed server adds per second, spread over the feeds
     * @param pollInterval every feed's polling interval: a feed gains rate × interval / feeds
     *                     entries between two polls, which must stay below {@code entries}
     *                     (the feed lists only its latest) or entries are never seen
     * @param minute       the length of a row's period: a minute, shorter only for tests
     * @param dataDir      the broker's directory, absent or empty; null for a temporary one
     */
    public record Settings(int minutes, double rate, int feeds, int entries,
            Duration pollInterval, Duration minute, Path dataDir) {

        public Settings {
            Objects.requireNonNull(pollInterval, "pollInterval");
            Objects.requireNonNull(minute, "minute");
            if (minutes < 1 || rate <= 0 || feeds < 1 || entries < 1
                    || pollInterval.toSeconds() < 1 || minute.toMillis() < 1) {
                throw new IllegalArgumentException("soak needs minutes, feeds, entries >= 1, "
                        + "a rate > 0 and a poll interval >= 1 s (got " + minutes + ", "
                        + feeds + ", " + entries + ", " + rate + ", " + pollInterval + ")");
            }
            double perPoll = rate * pollInterval.toSeconds() / feeds;
            if (perPoll > entries / 2.0) {
                throw new IllegalArgumentException(String.format(java.util.Locale.ROOT,
                        "soak: each feed would gain %.1f entries between two polls, more than "
                        + "half of the %d it lists: raise --feeds or --entries, or lower "
                        + "--interval or --rate", perPoll, entries));
            }
        }
    }

    private final Settings settings;
    private final PipelineConfig pipeline;
    private final IngestConfig ingest;
    private final EngineConfig engine;
    private final ServeConfig serve;
    private final Consumer<String> progress;
    private final Consumer<String> rows;
    private final Clock clock = Clock.systemUTC();

    /**
     * @param pipeline its data directory and bootstrap servers are replaced (the soak always
     *                 starts its own broker)
     * @param ingest   the polling interval and page fetches are replaced
     * @param progress receives progress lines
     * @param rows     receives the table's header, then each minute's row as it is taken
     */
    public SoakBench(Settings settings, PipelineConfig pipeline, IngestConfig ingest,
            EngineConfig engine, ServeConfig serve, Consumer<String> progress,
            Consumer<String> rows) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.pipeline = Objects.requireNonNull(pipeline, "pipeline");
        this.ingest = PipelineBench.benchIngest(Objects.requireNonNull(ingest, "ingest"),
                settings.pollInterval());
        this.engine = Objects.requireNonNull(engine, "engine");
        this.serve = Objects.requireNonNull(serve, "serve");
        this.progress = Objects.requireNonNull(progress, "progress");
        this.rows = Objects.requireNonNull(rows, "rows");
    }

    public SoakReport run() {
        Path dir = settings.dataDir();
        boolean temporary = dir == null;
        try {
            dir = temporary ? Files.createTempDirectory("storyline-soak-")
                    : PipelineBench.fresh(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the soak's broker directory", e);
        }
        try {
            return run(dir);
        } finally {
            if (temporary) {
                PipelineBench.deleteTree(dir);
            }
        }
    }

    private SoakReport run(Path dir) {
        progress.accept("starting the embedded broker in " + dir);
        try (KafkaCluster cluster = KafkaCluster.open(PipelineBench.benchPipeline(pipeline,
                dir));
                FeedServer server = FeedServer.startTimed(settings.feeds(), settings.entries(),
                        2);
                ReadModel model = new ReadModel(serve, clock)) {
            PipelineBench.register(cluster, server, progress);
            Latencies latencies = new Latencies(server);
            try (AssignmentProbe probe = new AssignmentProbe(cluster.clientProperties(), clock,
                    latencies::note)) {
                probe.start();
                return soak(cluster, server, model, probe, latencies);
            }
        }
    }

    private SoakReport soak(KafkaCluster cluster, FeedServer server, ReadModel model,
            AssignmentProbe probe, Latencies latencies) {
        AtomicReference<Throwable> fatal = new AtomicReference<>();
        PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new JvmMemoryMetrics().bindTo(meters);
        List<SoakReport.Minute> minutes = new ArrayList<>();
        String stopped = null;
        try (ServiceThreads services = new ServiceThreads()) {
            Detector detector = new Detector(cluster.clientProperties(), pipeline, engine);
            detector.bindMetrics(meters);
            services.start("storyline-detector", detector, Detector::run);
            Ingestor ingestor = new Ingestor(cluster.clientProperties(), ingest, clock);
            ingestor.bindMetrics(meters);
            services.start("storyline-ingest", ingestor, Ingestor::run);
            ViewConsumer view = new ViewConsumer(cluster.clientProperties(), model);
            view.bindMetrics(meters);
            services.start("storyline-view", view, ViewConsumer::run);
            try (WebServer web = new WebServer(serve, model, view::ready, meters, null,
                    fatal::set).start()) {
                progress.accept("running; dashboard on http://127.0.0.1:" + web.port() + "/");
                rows.accept(SoakReport.header());
                ScheduledExecutorService ticker = PipelineBench.publishing(server,
                        settings.rate());
                try {
                    long start = System.nanoTime();
                    long lastIn = 0;
                    for (int m = 1; m <= settings.minutes() && stopped == null; m++) {
                        stopped = awaitEnd(start + m * settings.minute().toNanos(), services,
                                probe, fatal);
                        Detector.Footprint f = stopped != null ? null
                                : detector.footprint(FOOTPRINT_WAIT);
                        if (stopped == null && f == null) {
                            stopped = "the detector did not report its state within "
                                    + FOOTPRINT_WAIT.toSeconds() + " s (a standby?)";
                        }
                        if (stopped != null) {
                            break;
                        }
                        long in = ingestor.published();
                        SoakReport.Minute row = sample(m, in, in - lastIn,
                                server.totalEntries() - in, probe.assigned(), f,
                                model.stats().articles(), latencies.drain());
                        lastIn = in;
                        minutes.add(row);
                        rows.accept(SoakReport.row(row));
                    }
                } finally {
                    ticker.shutdownNow();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stopped = "interrupted";
        }
        return new SoakReport(setup(), minutes, stopped);
    }

    /** Waits until {@code end} (nanoTime); returns why the soak must stop, or null. */
    private static String awaitEnd(long end, ServiceThreads services, AssignmentProbe probe,
            AtomicReference<Throwable> fatal) throws InterruptedException {
        while (System.nanoTime() < end) {
            Throwable failure = services.failure() != null ? services.failure()
                    : probe.failure() != null ? probe.failure() : fatal.get();
            if (failure != null) {
                return "failed: " + failure;
            }
            Thread.sleep(Math.max(1, Math.min(CHECK_MILLIS, (end - System.nanoTime())
                    / 1_000_000)));
        }
        return null;
    }

    /** One row; the heap is that after a full collection ({@link HeapAfterGc}). */
    private static SoakReport.Minute sample(int minute, long in, long inMinute, long behind,
            long assigned, Detector.Footprint f, int viewArticles, Latencies.Drained latency) {
        long gcStart = System.nanoTime();
        long heap = HeapAfterGc.collect();
        long gcMillis = (System.nanoTime() - gcStart) / 1_000_000;
        int threads = ManagementFactory.getThreadMXBean().getThreadCount();
        long files = ManagementFactory.getOperatingSystemMXBean()
                instanceof UnixOperatingSystemMXBean unix
                ? unix.getOpenFileDescriptorCount() : -1;
        var e = f.engine();
        return new SoakReport.Minute(minute, in, inMinute, behind, assigned, f.openStories(),
                e.articles(), e.postings(), e.postingsHeld(), e.terms(), e.vocabulary(),
                viewArticles, heap, gcMillis, latency.latency(), latency.untimed(),
                latency.fetchP99(), threads, files,
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    }

    private SoakReport.Setup setup() {
        return new SoakReport.Setup(settings.minutes(), settings.rate(), settings.feeds(),
                settings.entries(), (int) settings.pollInterval().toSeconds(),
                engine.maxWindowArticles(), serve.maxArticles(),
                Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory());
    }

    /**
     * The heap a full collection leaves: {@code System.gc()} (a full stop-the-world collection
     * with G1, unless -XX:+ExplicitGCInvokesConcurrent), then the heap pools' usage after the
     * full collector's last collection. Not the pools' usage after the latest collection: after
     * a young one the old generation still holds garbage. {@code System.gc()} can return
     * without collecting (in one run it took 1 ms and the heap read after it was 16 % high),
     * so the full collector's count must have moved; if it never does, -1.
     */
    static final class HeapAfterGc {
        private static final int ATTEMPTS = 5;

        private HeapAfterGc() {
        }

        static long collect() {
            com.sun.management.GarbageCollectorMXBean full = fullCollector();
            if (full == null) {
                return -1;
            }
            for (int i = 0; i < ATTEMPTS; i++) {
                long before = full.getCollectionCount();
                System.gc();
                if (full.getCollectionCount() > before && full.getLastGcInfo() != null) {
                    long used = 0;
                    for (var pool : ManagementFactory.getMemoryPoolMXBeans()) {
                        var after = full.getLastGcInfo().getMemoryUsageAfterGc()
                                .get(pool.getName());
                        if (pool.getType() == java.lang.management.MemoryType.HEAP
                                && after != null) {
                            used += after.getUsed();
                        }
                    }
                    return used;
                }
            }
            return -1;
        }

        /** G1's "G1 Old Generation" (full collections only), Parallel's and Serial's. */
        private static com.sun.management.GarbageCollectorMXBean fullCollector() {
            for (var gc : ManagementFactory.getGarbageCollectorMXBeans()) {
                if (gc instanceof com.sun.management.GarbageCollectorMXBean bean
                        && (gc.getName().contains("Old") || gc.getName().contains("MarkSweep"))) {
                    return bean;
                }
            }
            return null;
        }
    }

    /**
     * Publish-to-read latencies of the current minute: the feed server's publish time of the
     * entry an assignment names (by its link) to the assignment's read. Holds one minute's.
     */
    static final class Latencies {
        private final FeedServer server;
        private long[] micros = new long[1024];
        private long[] fetchMicros = new long[1024];
        private int count;
        private long untimed;

        Latencies(FeedServer server) {
            this.server = server;
        }

        record Drained(PipelineReport.Latency latency, long untimed, long fetchP99) {
        }

        synchronized void note(JsonNode assignment, long readMicros) {
            long entry = SyntheticFeeds.entryOf(assignment.path("url").asText(null));
            long published = entry < 0 ? -1
                    : server.publishedMicros((int) (entry >>> 32), (int) entry);
            if (published < 0) {
                untimed++;
                return;
            }
            long fetched;
            try {
                fetched = ChronoUnit.MICROS.between(Instant.EPOCH,
                        Instant.parse(assignment.path("fetched").asText()));
            } catch (DateTimeParseException e) {
                untimed++;
                return;
            }
            if (count == micros.length) {
                micros = Arrays.copyOf(micros, count * 2);
                fetchMicros = Arrays.copyOf(fetchMicros, count * 2);
            }
            fetchMicros[count] = Math.max(0, readMicros - fetched);
            micros[count++] = Math.max(0, readMicros - published);
        }

        /** The minute's latencies, and starts the next minute's. */
        synchronized Drained drain() {
            long[] sorted = Arrays.copyOf(micros, count);
            Arrays.sort(sorted);
            long[] fetch = Arrays.copyOf(fetchMicros, count);
            Arrays.sort(fetch);
            Drained out = new Drained(PipelineReport.Latency.of(sorted), untimed,
                    PipelineReport.Latency.of(fetch).p99());
            count = 0;
            untimed = 0;
            return out;
        }
    }
}
