package io.storyline.cli;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.storyline.config.PipelineConfig;
import io.storyline.config.Settings;
import io.storyline.pipeline.KafkaCluster;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import picocli.CommandLine;

/** What the digest ITs share: a test broker, a local SMTP server, the digest command, waits. */
public final class DigestTestKit {

    private DigestTestKit() {
    }

    /** An embedded broker with its data under {@code dir} and two partitions per topic. */
    public static KafkaCluster cluster(Path dir) {
        return KafkaCluster.open(PipelineConfig.from(Settings.of(Map.of(
                "kafka.data-dir", dir.resolve("kafka").toString(),
                "topics.partitions", "2"), "test", w -> { })));
    }

    /** A started GreenMail SMTP server on 127.0.0.1, on a free port. */
    public static GreenMail smtp() {
        GreenMail smtp = new GreenMail(new ServerSetup(0, "127.0.0.1",
                ServerSetup.PROTOCOL_SMTP).dynamicPort());
        smtp.start();
        return smtp;
    }

    /**
     * Runs {@code digest} with {@code args} against {@code bootstrap} and an SMTP server on
     * 127.0.0.1 at {@code smtpPort} (no TLS), printing to {@code out} and {@code err};
     * returns the exit status.
     */
    public static int run(String bootstrap, int smtpPort, Writer out, Writer err,
            String... args) {
        CommandLine cli = Main.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        List<String> all = new ArrayList<>(List.of("digest", "--bootstrap-servers", bootstrap,
                "--set", "digest.smtp.host=127.0.0.1",
                "--set", "digest.smtp.port=" + smtpPort,
                "--set", "digest.smtp.security=none",
                "--set", "digest.smtp.from=Storyline <digest@example.org>"));
        all.addAll(List.of(args));
        return cli.execute(all.toArray(String[]::new));
    }

    /** Waits until {@code condition} holds, failing with {@code what} after {@code patience}. */
    public static void await(BooleanSupplier condition, Duration patience, String what)
            throws InterruptedException {
        long deadline = System.nanoTime() + patience.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("waited " + patience.toSeconds() + " s for " + what);
            }
            Thread.sleep(20);
        }
    }
}
