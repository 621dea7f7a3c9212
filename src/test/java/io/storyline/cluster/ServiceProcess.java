package io.storyline.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One Storyline command ({@code ingest}, {@code detect}, {@code serve}) in a JVM of its own,
 * its output appended to a log file, so a test can kill it with SIGKILL as a crash would.
 */
final class ServiceProcess implements AutoCloseable {

    private final String name;
    private final Process process;
    private final Path log;
    private volatile Duration cpuAtKill = Duration.ZERO;

    private ServiceProcess(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
    }

    /**
     * Starts {@code io.storyline.cli.Main} with {@code arguments} (the command and its
     * options), its output in {@code dir/name.log}.
     */
    static ServiceProcess start(String name, Path dir, List<String> arguments)
            throws IOException {
        Path log = dir.resolve(name + ".log");
        List<String> line = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx768m", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"),
                "io.storyline.cli.Main"));
        line.addAll(arguments);
        Process p = new ProcessBuilder(line).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        return new ServiceProcess(name, p, log);
    }

    /** {@code --set KEY=VALUE} for each of {@code settings}, after {@code command}. */
    static List<String> command(String command, List<String> settings) {
        List<String> out = new ArrayList<>(List.of(command));
        for (String s : settings) {
            out.add("--set");
            out.add(s);
        }
        return out;
    }

    /** The processor time the process has used (up to its kill, once killed). */
    Duration cpu() {
        return process.isAlive() ? process.info().totalCpuDuration().orElse(Duration.ZERO)
                : cpuAtKill;
    }

    String name() {
        return name;
    }

    long pid() {
        return process.pid();
    }

    boolean alive() {
        return process.isAlive();
    }

    /** SIGKILL: no shutdown hook runs, nothing is committed, aborted or left cleanly. */
    void kill() throws InterruptedException {
        cpuAtKill = cpu();
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new AssertionError(name + " (pid " + process.pid() + ") survived SIGKILL");
        }
    }

    /** What the process has written so far. */
    String log() {
        try {
            return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + log, e);
        }
    }

    /** What the process has written from byte {@code offset} of its log on. */
    String logFrom(long offset) {
        try (java.io.RandomAccessFile f = new java.io.RandomAccessFile(log.toFile(), "r")) {
            long length = f.length();
            byte[] bytes = new byte[(int) Math.max(0, length - offset)];
            f.seek(Math.min(offset, length));
            f.readFully(bytes);
            return new String(bytes, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + log, e);
        }
    }

    /** The log's length in bytes so far. */
    long logSize() {
        try {
            return Files.exists(log) ? Files.size(log) : 0;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + log, e);
        }
    }

    Path logFile() {
        return log;
    }

    /** "name (pid N) alive", or its exit status: what a failure message needs to say. */
    @Override
    public String toString() {
        return name + " (pid " + process.pid() + ") " + (process.isAlive() ? "alive"
                : "exited " + process.exitValue());
    }

    /** SIGTERM without waiting: several processes then stop side by side. */
    void stop() {
        process.destroy();
    }

    /** SIGTERM, then SIGKILL if it has not stopped: a test never leaves a JVM behind. */
    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                kill();
            }
        }
    }
}
