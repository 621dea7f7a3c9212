package io.storyline.cli;

import io.storyline.bench.BenchReport;
import io.storyline.bench.Benchmark;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code storyline bench}: measures the engine on a deterministic synthetic stream. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Benchmark the engine on a deterministic synthetic stream (Zipf words, "
                + "planted near-duplicates, boilerplate): speed per stage on one thread, heap "
                + "per article, copy recall/precision, candidate-index recall vs exact Jaccard.")
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

    @Mixin
    EngineOptions engineOptions;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
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
