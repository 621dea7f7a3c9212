package io.storyline.pipeline;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@code storyline detect} service in a JVM of its own, so a test can kill it with SIGKILL
 * (no shutdown hook, no clean close) exactly as a crash would.
 */
final class DetectorProcess implements AutoCloseable {

    private final Process process;
    private final Path log;

    private DetectorProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    static DetectorProcess start(String bootstrap, Path log, String... settings)
            throws IOException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-cp", System.getProperty("java.class.path"),
                "io.storyline.cli.Main", "detect",
                "--config", "config" + File.separator + "storyline.properties",
                "--set", "kafka.bootstrap.servers=" + bootstrap,
                "--set", "detector.session-timeout.ms=6000",
                "--set", "detector.batch=100"));
        for (String s : settings) {
            command.add("--set");
            command.add(s);
        }
        Process p = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        return new DetectorProcess(p, log);
    }

    /** SIGKILL: the process gets no chance to commit, abort or leave the group. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    /** The exit status once the process has ended by itself, or -1 if it still runs then. */
    int awaitExit(java.time.Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
            return -1;
        }
        return process.exitValue();
    }

    boolean alive() {
        return process.isAlive();
    }

    long pid() {
        return process.pid();
    }

    /** Whether the log says this instance became the active detector. */
    boolean becameActive() throws IOException {
        return Files.exists(log) && Files.readString(log, StandardCharsets.UTF_8)
                .contains("detector active");
    }

    /** SIGTERM, then SIGKILL if it has not stopped: a test never leaves a JVM behind. */
    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
                kill();
            }
        }
    }
}
