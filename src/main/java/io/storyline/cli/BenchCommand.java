package io.storyline.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code storyline bench}: placeholder replaced below. */
@Command(name = "bench", mixinStandardHelpOptions = true, description = "Benchmark.")
final class BenchCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        return 0;
    }
}
