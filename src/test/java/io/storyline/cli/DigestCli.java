package io.storyline.cli;

import java.io.PrintWriter;
import java.io.Writer;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;

/** Runs {@code storyline digest} in-process against a test broker and a local SMTP server. */
public final class DigestCli {

    private DigestCli() {
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
}
