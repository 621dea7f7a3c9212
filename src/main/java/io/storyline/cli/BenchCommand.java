package io.storyline.cli;

import io.storyline.bench.BenchReport;
import io.storyline.bench.Benchmark;
import io.storyline.bench.PipelineBench;
import io.storyline.bench.PipelineReport;
import io.storyline.bench.ServeBench;
import io.storyline.bench.SoakBench;
import io.storyline.bench.SoakReport;
import io.storyline.bench.TakeoverBench;
import io.storyline.config.EngineConfig;
import io.storyline.config.IngestConfig;
import io.storyline.config.PipelineConfig;
import io.storyline.config.ServeConfig;
import io.storyline.config.Settings;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code storyline bench}: measures the engine on a deterministic synthetic stream, or with
 * {@code --pipeline} the whole pipeline under load, or with {@code --soak} over a long run.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {"Benchmark the engine on a deterministic synthetic stream (Zipf words, "
                + "planted near-duplicates, boilerplate): speed per stage on one thread, heap "
                + "per article, copy recall/precision, candidate-index recall vs exact Jaccard, "
                + "story sizes with and without times (any story over 50 articles flagged).",
            "With --pipeline: a load run of the whole pipeline in this process (a fresh "
                + "embedded broker, a local server of synthetic feeds, the ingestor and the "
                + "detector): backlog and steady-state throughput, fetch-to-assignment "
                + "latency, peak heap.",
            "With --soak: what `run` starts, for --minutes against feeds that keep publishing; "
                + "one row of figures a minute and a stability verdict."})
final class BenchCommand implements Callable<Integer> {

    @Option(names = "--articles", defaultValue = "100000", paramLabel = "N",
            description = "Articles in the stream (default: ${DEFAULT-VALUE}).")
    int articles;

    @Option(names = "--copies", defaultValue = "0.3", paramLabel = "SHARE",
            description = "Share of planted near-duplicates (default: ${DEFAULT-VALUE}).")
    double copies;

    @Option(names = "--seed", defaultValue = "42", description = "Stream seed (default: 42).")
    long seed;

    @Option(names = "--exact-prefix", defaultValue = "20000", paramLabel = "N",
            description = "Articles checked against exact all-pairs Jaccard "
                    + "(default: ${DEFAULT-VALUE}).")
    int exactPrefix;

    @Option(names = "--warmup", defaultValue = "20000", paramLabel = "N",
            description = "Articles run first to warm up the JIT (default: ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--pipeline",
            description = "Run the pipeline load run instead of the engine bench.")
    boolean pipeline;

    @Option(names = "--serve",
            description = "Run the dashboard bench: a read model of --stories synthetic stories "
                    + "(10 articles each), /api/stories latency at --clients concurrent clients,"
                    + " and publish-to-page latency at --sse-clients event-stream clients.")
    boolean serve;

    @Option(names = "--takeover",
            description = "Run the takeover bench: a detector on a fresh embedded broker "
                    + "processes --articles synthetic articles with checkpoints "
                    + "(detector.checkpoint.articles), then one instance takes over from the "
                    + "latest checkpoint and one by a full replay; prints the bytes written per "
                    + "article and both takeover times.")
    boolean takeover;

    @Option(names = "--stories", defaultValue = "50000", paramLabel = "N",
            description = "--serve: stories in the read model (default: ${DEFAULT-VALUE}).")
    int stories;

    @Option(names = "--clients", defaultValue = "50", paramLabel = "N",
            description = "--serve: concurrent /api/stories clients (default: "
                    + "${DEFAULT-VALUE}).")
    int clients;

    @Option(names = "--sse-clients", defaultValue = "200", paramLabel = "N",
            description = "--serve: event-stream clients (default: ${DEFAULT-VALUE}).")
    int sseClients;

    @Option(names = "--hold",
            description = "--serve: fill the read model, print its heap per story, then serve "
                    + "it on 127.0.0.1:--port until Ctrl-C, for a load generator in another "
                    + "process (wrk), instead of measuring in this process.")
    boolean hold;

    @Option(names = "--port", defaultValue = "8080", paramLabel = "PORT",
            description = "--serve --hold: the port (0: a free one; default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--soak",
            description = "Run the soak: what `run` starts (embedded broker, ingestor, "
                    + "detector, dashboard) against a local server of synthetic feeds that "
                    + "publish --rate new entries a second, for --minutes; prints one row a "
                    + "minute (articles in, stories open, window and index size, heap after a "
                    + "full GC, publish-to-assignment latency, threads, open files) and a "
                    + "stability verdict.")
    boolean soak;

    @Option(names = "--minutes", defaultValue = "30", paramLabel = "N",
            description = "--soak: minutes to run (default: ${DEFAULT-VALUE}).")
    int minutes;

    @Option(names = "--feeds", paramLabel = "N",
            description = "--pipeline: feeds on the local server (default: 10000; --soak: "
                    + SOAK_FEEDS + ").")
    Integer feeds;

    @Option(names = "--entries", paramLabel = "N",
            description = "--pipeline: entries per feed (default: 20; --soak: " + SOAK_ENTRIES
                    + ").")
    Integer entries;

    @Option(names = "--duration", defaultValue = "90", paramLabel = "SECONDS",
            description = "--pipeline: steady-state seconds measured; a multiple of --interval "
                    + "counts every feed's polls whole (default: ${DEFAULT-VALUE}).")
    int duration;

    @Option(names = "--interval", paramLabel = "SECONDS",
            description = "--pipeline: every feed's polling interval (default: 30: twice the "
                    + "10,000 feeds per minute goal at 10,000 feeds; --soak: " + SOAK_INTERVAL
                    + ").")
    Integer interval;

    @Option(names = "--rate", paramLabel = "PER_SECOND",
            description = "--pipeline: new entries the server adds per second in the steady "
                    + "state (default: 20); --soak: for the whole run (default: " + SOAK_RATE
                    + ").")
    Double rate;

    /** Few feeds, each past the ingestor's 1,000 remembered entries well before minute 15. */
    static final int SOAK_FEEDS = 50;
    /** Three polls' worth of news per feed at the default rate: a late poll loses nothing. */
    static final int SOAK_ENTRIES = 30;
    static final int SOAK_INTERVAL = 5;
    static final int SOAK_RATE = 100;

    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "--pipeline, --soak: the broker's directory, absent or empty, kept "
                    + "afterwards (default: a temporary directory, deleted at the end).")
    Path dataDir;

    @Mixin
    EngineOptions engineOptions;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        if (pipeline) {
            return pipeline();
        }
        if (soak) {
            return soak();
        }
        if (serve) {
            return serve();
        }
        if (takeover) {
            return takeover();
        }
        if (articles < 1 || copies < 0 || copies >= 1) {
            spec.commandLine().getErr().println(
                    "error: --articles must be >= 1 and --copies in [0, 1)");
            return 2;
        }
        PrintWriter err = spec.commandLine().getErr();
        Benchmark bench = new Benchmark(
                new Benchmark.Settings(articles, copies, seed, exactPrefix, warmup, 0.5),
                engineOptions.engineConfig(err), (phase, done) -> progress(err, phase, done));
        BenchReport report = bench.run();
        PrintWriter out = spec.commandLine().getOut();
        out.print(report.format());
        out.flush();
        return 0;
    }

    private int pipeline() {
        PrintWriter err = spec.commandLine().getErr();
        int feeds = this.feeds == null ? 10_000 : this.feeds;
        int entries = this.entries == null ? 20 : this.entries;
        int interval = this.interval == null ? 30 : this.interval;
        double rate = this.rate == null ? 20 : this.rate;
        if (feeds < 1 || entries < 1 || duration < 0 || interval < 1 || rate < 0) {
            err.println("error: --feeds, --entries and --interval must be >= 1, --duration and "
                    + "--rate >= 0");
            return 2;
        }
        // One line per polled feed and per story change would bury the progress lines.
        System.setProperty("org.slf4j.simpleLogger.log.io.storyline.feeds", "warn");
        System.setProperty("org.slf4j.simpleLogger.log.io.storyline.stories", "warn");
        Settings settings = engineOptions.settings(err);
        PipelineConfig pipelineConfig = PipelineConfig.from(settings);
        IngestConfig ingest = IngestConfig.from(settings);
        EngineConfig engine = EngineConfig.from(settings);
        settings.rejectUnknown("kafka.", "topics.", "detector.", "ingest.", "window.", "text.",
                "dedup.", "story.");
        if (!pipelineConfig.embedded()) {
            err.println("error: bench --pipeline starts its own broker; kafka.bootstrap.servers"
                    + " must not be set");
            return 2;
        }
        PipelineBench bench = new PipelineBench(new PipelineBench.Settings(feeds, entries,
                Duration.ofSeconds(duration), Duration.ofSeconds(interval), rate, 4, dataDir),
                pipelineConfig, ingest, engine, line -> {
                    err.println(line);
                    err.flush();
                });
        PipelineReport report = bench.run();
        PrintWriter out = spec.commandLine().getOut();
        out.print(report.format());
        out.flush();
        return 0;
    }

    private int soak() {
        PrintWriter err = spec.commandLine().getErr();
        PrintWriter out = spec.commandLine().getOut();
        System.setProperty("org.slf4j.simpleLogger.log.io.storyline.feeds", "warn");
        System.setProperty("org.slf4j.simpleLogger.log.io.storyline.stories", "warn");
        // The dashboard of the soak listens on a free port unless told otherwise.
        engineOptions.overrides.putIfAbsent("serve.port", "0");
        Settings settings = engineOptions.settings(err);
        PipelineConfig pipelineConfig = PipelineConfig.from(settings);
        IngestConfig ingest = IngestConfig.from(settings);
        EngineConfig engine = EngineConfig.from(settings);
        ServeConfig serve = ServeConfig.from(settings);
        settings.rejectUnknown("kafka.", "topics.", "detector.", "ingest.", "window.", "text.",
                "dedup.", "story.", "serve.");
        if (!pipelineConfig.embedded()) {
            err.println("error: bench --soak starts its own broker; kafka.bootstrap.servers"
                    + " must not be set");
            return 2;
        }
        SoakBench.Settings soak;
        try {
            soak = new SoakBench.Settings(minutes, rate == null ? SOAK_RATE : rate,
                    feeds == null ? SOAK_FEEDS : feeds, entries == null ? SOAK_ENTRIES : entries,
                    Duration.ofSeconds(interval == null ? SOAK_INTERVAL : interval),
                    Duration.ofMinutes(1), dataDir);
        } catch (IllegalArgumentException e) {
            err.println("error: " + e.getMessage());
            return 2;
        }
        SoakReport report = new SoakBench(soak, pipelineConfig, ingest, engine, serve,
                line -> {
                    err.println(line);
                    err.flush();
                }, line -> {
                    out.println(line);
                    out.flush();
                }).run();
        out.print(report.verdictText());
        out.flush();
        return report.stopped() == null ? 0 : 1;
    }

    private int takeover() {
        PrintWriter err = spec.commandLine().getErr();
        if (articles < 1 || copies < 0 || copies >= 1) {
            err.println("error: --articles must be >= 1 and --copies in [0, 1)");
            return 2;
        }
        System.setProperty("org.slf4j.simpleLogger.log.io.storyline.stories", "warn");
        Settings settings = engineOptions.settings(err);
        PipelineConfig pipelineConfig = PipelineConfig.from(settings);
        EngineConfig engine = EngineConfig.from(settings);
        settings.rejectUnknown("kafka.", "topics.", "detector.", "window.", "text.", "dedup.",
                "story.");
        if (!pipelineConfig.embedded()) {
            err.println("error: bench --takeover starts its own broker; "
                    + "kafka.bootstrap.servers must not be set");
            return 2;
        }
        String report;
        try {
            report = new TakeoverBench(articles, copies, seed, pipelineConfig, engine, line -> {
                err.println(line);
                err.flush();
            }).run().format();
        } catch (Exception e) {
            err.println("error: bench --takeover failed: " + e);
            return 1;
        }
        PrintWriter out = spec.commandLine().getOut();
        out.print(report);
        out.flush();
        return 0;
    }

    private int serve() {
        PrintWriter err = spec.commandLine().getErr();
        if (stories < 1 || clients < 1 || sseClients < 1 || duration < 1) {
            err.println("error: --stories, --clients, --sse-clients and --duration must be "
                    + ">= 1");
            return 2;
        }
        if (port < 0 || port > 65_535) {
            err.println("error: --port must be in [0, 65535]");
            return 2;
        }
        System.setProperty("org.slf4j.simpleLogger.log.io.storyline.stories", "warn");
        ServeBench bench = new ServeBench(new ServeBench.Settings(stories, 10, clients,
                Duration.ofSeconds(Math.min(duration, 600)), sseClients, 100), line -> {
                    err.println(line);
                    err.flush();
                });
        if (hold) {
            return hold(bench, err);
        }
        String report;
        try {
            report = bench.run();
        } catch (Exception e) {
            err.println("error: bench --serve failed: " + e);
            return 1;
        }
        PrintWriter out = spec.commandLine().getOut();
        out.print(report);
        out.flush();
        return 0;
    }

    /** Serves the filled read model until Ctrl-C. */
    private int hold(ServeBench bench, PrintWriter err) {
        Services services = new Services();
        try (services) {
            services.add(bench.hold(port));
            services.awaitStop();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            err.println("error: bench --serve --hold failed: " + e.getMessage());
            return 1;
        }
        return services.exitCode();
    }

    /** A bar redrawn in place on a terminal; one line per finished phase otherwise. */
    private static void progress(PrintWriter err, String phase, double done) {
        if (System.console() == null) {
            if (done >= 1) {
                err.println(phase + " done");
                err.flush();
            }
            return;
        }
        int width = 40;
        int filled = (int) Math.round(done * width);
        err.printf(Locale.ROOT, "\r%-22s [%s%s] %3.0f%%", phase, "#".repeat(filled),
                ".".repeat(width - filled), done * 100);
        if (done >= 1) {
            err.println();
        }
        err.flush();
    }
}
