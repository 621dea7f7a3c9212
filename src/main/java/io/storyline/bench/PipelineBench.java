package io.storyline.bench;

import io.storyline.config.EngineConfig;
import io.storyline.config.IngestConfig;
import io.storyline.config.PipelineConfig;
import io.storyline.ingest.FeedSpec;
import io.storyline.pipeline.Detector;
import io.storyline.pipeline.FeedRegistry;
import io.storyline.pipeline.Ingestor;
import io.storyline.pipeline.KafkaCluster;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * The pipeline load run of {@code storyline bench --pipeline}: a fresh embedded broker, the
 * {@link FeedServer}, an {@link Ingestor} and a {@link Detector}, all in this JVM, and an
 * {@link AssignmentProbe} reading the output as a downstream consumer would. It times the
 * backlog (every feed's first fetch flowing through), then a steady state in which feeds are
 * re-polled with conditional GETs while the server adds a trickle of entries, then waits until
 * every entry on the server is assigned. Figures only: nothing here judges them.
 */
public final class PipelineBench {

    /** A backlog or drain that makes no progress this long has failed. */
    private static final Duration STALL = Duration.ofMinutes(2);
    private static final Duration PROGRESS_EVERY = Duration.ofSeconds(5);
    private static final long TICK_MILLIS = 100;

    /**
     * What to run.
     *
     * @param feeds         feeds on the server
     * @param entries       entries each feed lists
     * @param steadyState   how long the steady state is measured; a multiple of
     *                      {@code pollInterval} counts every feed's polls whole
     * @param pollInterval  every feed's polling interval (both ingest.min- and
     *                      max-interval: the schedule would otherwise stretch quiet feeds'
     *                      intervals towards the maximum and the load would fade)
     * @param newPerSecond  entries the server adds per second during the steady state
     * @param serverThreads threads answering feed requests
     * @param dataDir       the broker's directory, absent or empty; null for a temporary one
     *                      deleted at the end
     */
    public record Settings(int feeds, int entries, Duration steadyState, Duration pollInterval,
            double newPerSecond, int serverThreads, Path dataDir) {

        public Settings {
            if (feeds < 1 || entries < 1 || serverThreads < 1) {
                throw new IllegalArgumentException("feeds, entries and server threads must be"
                        + " >= 1 (got " + feeds + ", " + entries + ", " + serverThreads + ")");
            }
            Objects.requireNonNull(steadyState, "steadyState");
            Objects.requireNonNull(pollInterval, "pollInterval");
            if (steadyState.isNegative() || pollInterval.toSeconds() < 1 || newPerSecond < 0) {
                throw new IllegalArgumentException("steady state must be >= 0 s, poll interval"
                        + " >= 1 s and new entries per second >= 0 (got " + steadyState + ", "
                        + pollInterval + ", " + newPerSecond + ")");
            }
        }
    }

    private final Settings settings;
    private final PipelineConfig pipeline;
    private final IngestConfig ingest;
    private final EngineConfig engine;
    private final Consumer<String> progress;
    private final Clock clock = Clock.systemUTC();

    /**
     * @param pipeline settings of the broker's topics and the detector; its data directory and
     *                 bootstrap servers are replaced (the bench always starts its own broker)
     * @param ingest   ingest settings; the polling interval and page fetches are replaced
     * @param progress receives a line every few seconds
     */
    public PipelineBench(Settings settings, PipelineConfig pipeline, IngestConfig ingest,
            EngineConfig engine, Consumer<String> progress) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.pipeline = Objects.requireNonNull(pipeline, "pipeline");
        this.ingest = benchIngest(Objects.requireNonNull(ingest, "ingest"),
                settings.pollInterval());
        this.engine = Objects.requireNonNull(engine, "engine");
        this.progress = Objects.requireNonNull(progress, "progress");
    }

    public PipelineReport run() {
        Path dir = settings.dataDir();
        boolean temporary = dir == null;
        try {
            dir = temporary ? Files.createTempDirectory("storyline-bench-") : fresh(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the bench's broker directory", e);
        }
        try (HeapSampler heap = HeapSampler.start()) {
            return run(dir, heap);
        } finally {
            if (temporary) {
                deleteTree(dir);
            }
        }
    }

    private PipelineReport run(Path dir, HeapSampler heap) {
        long start = System.nanoTime();
        progress.accept("starting the embedded broker in " + dir);
        try (KafkaCluster cluster = KafkaCluster.open(benchPipeline(pipeline, dir));
                FeedServer server = FeedServer.start(settings.feeds(), settings.entries(),
                        settings.serverThreads());
                AssignmentProbe probe = new AssignmentProbe(cluster.clientProperties(),
                        clock)) {
            register(cluster, server, progress);
            double startup = seconds(System.nanoTime() - start);
            probe.start();
            ServiceThreads services = new ServiceThreads();
            try {
                Detector detector = services.start("storyline-detector", new Detector(
                        cluster.clientProperties(), pipeline, engine), Detector::run);
                Ingestor ingestor = services.start("storyline-ingest", new Ingestor(
                        cluster.clientProperties(), ingest, clock), Ingestor::run);
                Run run = new Run(server, ingestor, detector, probe, services, heap);
                PipelineReport.Backlog backlog = run.backlog();
                PipelineReport.Steady steady = run.steady();
                long drainStart = System.nanoTime();
                boolean drained = run.drain();
                double drain = seconds(System.nanoTime() - drainStart);
                return new PipelineReport(setup(), startup, backlog, steady, drain, drained,
                        run.totals());
            } finally {
                services.close();
            }
        }
    }

    /** One run's moving parts, and the phases that watch them. */
    private final class Run {
        private final FeedServer server;
        private final Ingestor ingestor;
        private final Detector detector;
        private final AssignmentProbe probe;
        private final ServiceThreads services;
        private final HeapSampler heap;
        private final long started = System.nanoTime();
        private long lastProgress = System.nanoTime();

        Run(FeedServer server, Ingestor ingestor, Detector detector, AssignmentProbe probe,
                ServiceThreads services, HeapSampler heap) {
            this.server = server;
            this.ingestor = ingestor;
            this.detector = detector;
            this.probe = probe;
            this.services = services;
            this.heap = heap;
        }

        PipelineReport.Backlog backlog() {
            long articles = (long) settings.feeds() * settings.entries();
            long cpu = processCpuNanos();
            long fetchedAt = 0;
            long publishedAt = 0;
            Stall stall = new Stall();
            while (probe.assigned() < articles) {
                long now = System.nanoTime();
                if (fetchedAt == 0 && server.fetched() >= settings.feeds()) {
                    fetchedAt = now;
                }
                if (publishedAt == 0 && ingestor.published() >= articles) {
                    publishedAt = now;
                }
                check(stall, "backlog");
                report("backlog", now);
                sleep(20);
            }
            long assignedAt = System.nanoTime();
            fetchedAt = fetchedAt == 0 ? assignedAt : fetchedAt;
            publishedAt = publishedAt == 0 ? assignedAt : publishedAt;
            progress.accept(String.format(Locale.ROOT, "backlog: %,d articles assigned in "
                    + "%.1f s", articles, seconds(assignedAt - started)));
            return new PipelineReport.Backlog(settings.feeds(), articles,
                    seconds(fetchedAt - started), seconds(publishedAt - started),
                    seconds(assignedAt - started), seconds(processCpuNanos() - cpu),
                    loadAverage());
        }

        PipelineReport.Steady steady() {
            Snapshot before = snapshot();
            Instant from = clock.instant();
            probe.watchArticlesFrom(from);
            long cpu = processCpuNanos();
            ScheduledExecutorService ticker = publishing(server, settings.newPerSecond());
            long end = System.nanoTime() + settings.steadyState().toNanos();
            try {
                while (System.nanoTime() < end) {
                    check(null, "steady state");
                    report("steady state", System.nanoTime());
                    sleep(Math.min(100, Math.max(1, (end - System.nanoTime()) / 1_000_000)));
                }
            } finally {
                ticker.shutdownNow();
            }
            Instant to = clock.instant();
            Snapshot after = snapshot();
            double seconds = seconds(after.nanos - before.nanos);
            long[][] latencies = probe.latencies(from, to);
            PipelineReport.Stages stages = new PipelineReport.Stages(
                    PipelineReport.Latency.of(latencies[1]),
                    PipelineReport.Latency.of(latencies[2]),
                    PipelineReport.Latency.of(latencies[3]));
            return new PipelineReport.Steady(seconds, after.requests - before.requests,
                    after.notModified - before.notModified, after.newEntries - before.newEntries,
                    after.published - before.published, after.assigned - before.assigned,
                    PipelineReport.Latency.of(latencies[0]), stages,
                    seconds(processCpuNanos() - cpu), loadAverage());
        }

        /**
         * Waits until every entry the server published is assigned: entries added late in
         * the steady state wait for their feed's next poll, up to one interval.
         */
        boolean drain() {
            long deadline = System.nanoTime() + settings.pollInterval().toNanos()
                    + Duration.ofSeconds(30).toNanos();
            while (probe.assigned() < server.totalEntries()) {
                if (System.nanoTime() > deadline) {
                    progress.accept(String.format(Locale.ROOT, "drain: gave up with %,d of "
                            + "%,d entries assigned", probe.assigned(), server.totalEntries()));
                    return false;
                }
                check(null, "drain");
                report("drain", System.nanoTime());
                sleep(20);
            }
            return true;
        }

        PipelineReport.Totals totals() {
            long gcCount = 0;
            long gcMillis = 0;
            for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
                gcCount += Math.max(0, gc.getCollectionCount());
                gcMillis += Math.max(0, gc.getCollectionTime());
            }
            return new PipelineReport.Totals(heap.peak(), (int) gcCount, gcMillis / 1000.0,
                    ingestor.problems(), ingestor.polls(), server.totalEntries(),
                    ingestor.published(), probe.assigned(), probe.repeated(), probe.verdicts());
        }

        private Snapshot snapshot() {
            return new Snapshot(System.nanoTime(), server.requests(), server.notModified(),
                    server.newEntries(), ingestor.published(), probe.assigned());
        }

        /** Fails the run when a service died or nothing has moved for {@link #STALL}. */
        private void check(Stall stall, String phase) {
            RuntimeException failure = services.failure() != null ? services.failure()
                    : probe.failure();
            if (failure != null) {
                throw new IllegalStateException(phase + " failed: " + failure.getMessage()
                        + " (" + state() + ")", failure);
            }
            if (stall != null && stall.stuck(ingestor.published() + probe.assigned()
                    + ingestor.polls())) {
                throw new IllegalStateException(phase + " made no progress for "
                        + STALL.toSeconds() + " s (" + state() + ")");
            }
        }

        private void report(String phase, long now) {
            if (now - lastProgress < PROGRESS_EVERY.toNanos()) {
                return;
            }
            lastProgress = now;
            progress.accept(String.format(Locale.ROOT, "%-12s %6.1f s: %s, heap %,d MB", phase,
                    seconds(now - started), state(), heap.used() / (1024 * 1024)));
        }

        private String state() {
            return String.format(Locale.ROOT, "%,d polls (%,d bodies, %,d not modified), %,d "
                    + "published, %,d assigned, %,d problems%s", server.requests(),
                    server.fetched(), server.notModified(), ingestor.published(),
                    probe.assigned(), ingestor.problems(),
                    detector.active() ? "" : ", detector not active");
        }
    }

    /**
     * Has {@code server} add {@code perSecond} entries a second, a share every 100 ms, until
     * the returned executor is shut down.
     */
    static ScheduledExecutorService publishing(FeedServer server, double perSecond) {
        ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "bench-news-ticker");
            t.setDaemon(true);
            return t;
        });
        double[] due = {0};
        ticker.scheduleAtFixedRate(() -> {
            due[0] += perSecond * TICK_MILLIS / 1000.0;
            int n = (int) due[0];
            due[0] -= n;
            server.publish(n);
        }, TICK_MILLIS, TICK_MILLIS, TimeUnit.MILLISECONDS);
        return ticker;
    }

    /** Counters at one moment. */
    private record Snapshot(long nanos, long requests, long notModified, long newEntries,
            long published, long assigned) {
    }

    /** Notices when a sum of counters stops moving. */
    private static final class Stall {
        private long last = -1;
        private long since = System.nanoTime();

        boolean stuck(long progress) {
            long now = System.nanoTime();
            if (progress != last) {
                last = progress;
                since = now;
                return false;
            }
            return now - since > STALL.toNanos();
        }
    }

    private PipelineReport.Setup setup() {
        return new PipelineReport.Setup(settings.feeds(), settings.entries(),
                (int) settings.pollInterval().toSeconds(), settings.newPerSecond(),
                ingest.concurrency(), pipeline.detectorBatch(),
                Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory());
    }

    /** Lists every feed of {@code server} in the registry of {@code cluster}. */
    static void register(KafkaCluster cluster, FeedServer server, Consumer<String> progress) {
        List<FeedSpec> feeds = new ArrayList<>(server.feedCount());
        for (int f = 0; f < server.feedCount(); f++) {
            feeds.add(new FeedSpec(server.url(f), "Bench feed " + f));
        }
        try (FeedRegistry registry = new FeedRegistry(cluster.clientProperties())) {
            registry.importAll(feeds);
        }
        progress.accept(String.format(Locale.ROOT, "registered %,d feeds served on %s",
                feeds.size(), server.url(0).replaceFirst("/feeds/.*", "")));
    }

    /**
     * Every feed due once per interval: min = max interval, so neither news nor quiet moves
     * it. Pages are not fetched: the entries carry their whole text, and their links name
     * hosts that do not exist. The feed server is on 127.0.0.1, one host: private addresses
     * are allowed and every fetch may go to that host at once.
     */
    static IngestConfig benchIngest(IngestConfig c, Duration interval) {
        return new IngestConfig(c.connectTimeout(), c.readTimeout(), c.maxBodyBytes(),
                c.maxRedirects(), c.userAgent(), interval, interval, c.backoffBase(),
                c.backoffMax(), c.concurrency(), false, c.shortSummaryChars(), true, false,
                c.maxArticleChars(), c.maxPageBytes(), c.maxInFlightBytes(), c.concurrency(),
                c.instanceId(), c.sessionTimeout());
    }

    /** The given settings on an embedded broker in {@code dir}. */
    static PipelineConfig benchPipeline(PipelineConfig c, Path dir) {
        return new PipelineConfig(null, dir, 0, c.clientProperties(), c.replicationFactor(),
                c.minInsyncReplicas(), c.partitions(), c.articlesRetention(),
                c.storiesRetention(), c.assignmentsRetention(), c.detectorBatch(),
                c.sessionTimeout(), c.maxDeadLetters(), c.maxAbortBackoff(),
                c.allowTruncatedReplay(), c.requireHistory(), c.acceptEngineChange(),
                c.digestsRetention(), c.checkpointArticles(), c.checkpointInterval());
    }

    /** A directory for a broker of its own: absent (created) or empty. */
    static Path fresh(Path dir) throws IOException {
        if (Files.isDirectory(dir)) {
            try (Stream<Path> files = Files.list(dir)) {
                if (files.findAny().isPresent()) {
                    throw new IllegalArgumentException("bench data directory " + dir
                            + " is not empty: the bench needs a fresh broker");
                }
            }
        }
        return Files.createDirectories(dir);
    }

    static void deleteTree(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete the bench's broker directory " + dir,
                    e);
        }
    }

    private static long processCpuNanos() {
        if (ManagementFactory.getOperatingSystemMXBean()
                instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime();
        }
        return 0;
    }

    private static double loadAverage() {
        return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }

    private static double seconds(long nanos) {
        return nanos / 1e9;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("bench interrupted", e);
        }
    }
}
