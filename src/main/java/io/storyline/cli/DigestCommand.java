package io.storyline.cli;

import io.storyline.config.DigestConfig;
import io.storyline.config.PipelineConfig;
import io.storyline.config.ServeConfig;
import io.storyline.config.Settings;
import io.storyline.digest.Digest;
import io.storyline.digest.DigestMail;
import io.storyline.digest.Mailer;
import io.storyline.digest.Selection;
import io.storyline.digest.SendTime;
import io.storyline.digest.Subscriber;
import io.storyline.digest.Subscribers;
import io.storyline.pipeline.KafkaCluster;
import io.storyline.view.ReadModel;
import io.storyline.view.ViewConsumer;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.common.KafkaException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code storyline digest}: lists the subscribers' next send times, or renders or sends one
 * subscriber's digest of one date from a read model built from the output topics.
 */
@Command(name = "digest", mixinStandardHelpOptions = true,
        description = "Daily digest emails. --list checks the subscribers file and prints "
                + "each subscriber's next send time (local and UTC). --subscriber EMAIL --date "
                + "YYYY-MM-DD sends that digest now (digest.smtp.*), or with --dry-run writes "
                + "it to --out DIR as .eml and .html.")
final class DigestCommand implements Callable<Integer> {

    private static final Logger LOG = LoggerFactory.getLogger(DigestCommand.class);
    private static final DateTimeFormatter LOCAL = DateTimeFormatter.ofPattern(
            "yyyy-MM-dd HH:mm xxx");
    /** Longest wait for the read model to catch up with the topics. */
    private static final Duration READ_MODEL_WAIT = Duration.ofMinutes(5);

    @Option(names = "--subscribers", paramLabel = "FILE",
            description = "Subscribers file (default: config/digests.yaml).")
    Path subscribers = Subscribers.DEFAULT_FILE;

    @Option(names = "--list", description = "Print each subscriber's next send time.")
    boolean list;

    @Option(names = "--subscriber", paramLabel = "EMAIL",
            description = "The subscriber whose digest to render or send.")
    String subscriber;

    @Option(names = "--date", paramLabel = "YYYY-MM-DD",
            description = "The subscriber's local date of the digest (its send time must be "
                    + "past).")
    LocalDate date;

    @Option(names = "--dry-run", description = "Write the digest instead of sending it.")
    boolean dryRun;

    @Option(names = "--out", paramLabel = "DIR",
            description = "Where --dry-run writes EMAIL-DATE.eml and EMAIL-DATE.html.")
    Path out;

    @Mixin
    KafkaOptions kafka;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        Settings settings = kafka.settings(err); // a bad settings file fails here too
        if (!list && (subscriber == null || date == null)) {
            throw new ParameterException(spec.commandLine(),
                    "Missing option: --list, or --subscriber with --date");
        }
        if (dryRun && out == null) {
            throw new ParameterException(spec.commandLine(), "--dry-run needs --out DIR");
        }
        if (!Files.exists(subscribers)) {
            throw new IllegalArgumentException("subscribers file " + subscribers
                    + " does not exist");
        }
        List<Subscriber> all = Subscribers.load(subscribers);
        if (list) {
            print(all, Instant.now(), spec.commandLine().getOut());
            return 0;
        }
        return one(settings, find(all), err);
    }

    private Subscriber find(List<Subscriber> all) {
        return all.stream().filter(s -> s.email().equalsIgnoreCase(subscriber.strip()))
                .findFirst().orElseThrow(() -> new IllegalArgumentException("--subscriber '"
                        + subscriber + "' is not in " + subscribers + " (listed: "
                        + String.join(", ", all.stream().map(Subscriber::email).toList())
                        + ")"));
    }

    private int one(Settings settings, Subscriber s, PrintWriter err) {
        PipelineConfig pipeline = PipelineConfig.from(settings);
        ServeConfig serve = ServeConfig.from(settings);
        DigestConfig smtp = DigestConfig.from(settings);
        settings.rejectUnknown("kafka.", "topics.", "serve.", "digest.");
        SendTime when = s.sendTime(date);
        if (when.at().isAfter(Instant.now())) {
            throw new IllegalArgumentException("--date " + date + ": the digest of "
                    + s.email() + " is sent at " + when.at() + ", which is still to come");
        }
        Mailer mailer = dryRun ? null : new Mailer(smtp); // a missing setting fails here
        Digest digest;
        try {
            digest = select(pipeline, serve, s, when);
        } catch (IllegalStateException | KafkaException e) {
            err.println("error: " + e.getMessage());
            return 1;
        }
        PrintWriter stdout = spec.commandLine().getOut();
        if (digest.isEmpty()) {
            LOG.info("digest of {} for {} is empty: not sent", s.email(), date);
            stdout.println("digest of " + s.email() + " for " + date + " is empty: not sent");
            return 0;
        }
        if (dryRun) {
            write(digest, out, smtp.from() == null ? "digest@localhost" : smtp.from());
            stdout.println("wrote " + out.resolve(baseName(digest) + ".eml") + " and "
                    + out.resolve(baseName(digest) + ".html") + " (" + digest.items().size()
                    + " stories)");
            return 0;
        }
        try {
            mailer.send(digest);
        } catch (IllegalStateException e) {
            err.println("error: " + e.getMessage());
            return 1;
        }
        stdout.println("sent the digest of " + s.email() + " for " + date + " ("
                + digest.items().size() + " stories)");
        return 0;
    }

    /**
     * Builds a read model from the topics, waits until it has caught up, and picks the
     * digest. Without the record of earlier digests, every story is marked new.
     */
    private static Digest select(PipelineConfig pipeline, ServeConfig serve, Subscriber s,
            SendTime when) {
        try (KafkaCluster cluster = KafkaCluster.open(pipeline);
                ReadModel model = new ReadModel(serve, Clock.systemUTC())) {
            ViewConsumer view = new ViewConsumer(cluster.clientProperties(), model);
            AtomicReference<Throwable> failed = new AtomicReference<>();
            Thread loop = new Thread(() -> {
                try {
                    view.run();
                } catch (Throwable e) {
                    failed.set(e);
                }
            }, "storyline-digest-view");
            loop.start();
            try {
                awaitReady(view, failed, loop);
                return Selection.select(model, s, when, List.of());
            } finally {
                view.close();
            }
        }
    }

    private static void awaitReady(ViewConsumer view, AtomicReference<Throwable> failed,
            Thread loop) {
        long deadline = System.nanoTime() + READ_MODEL_WAIT.toNanos();
        while (!view.ready()) {
            if (failed.get() != null || !loop.isAlive()) {
                Throwable e = failed.get();
                throw new IllegalStateException("the read model stopped: "
                        + (e == null ? "no reason given" : e.getMessage()), e);
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the read model did not catch up with the "
                        + "topics within " + READ_MODEL_WAIT.toMinutes() + " minutes");
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted waiting for the read model", e);
            }
        }
    }

    static String baseName(Digest d) {
        return d.subscriber().email().replaceAll("[^A-Za-z0-9@._-]", "_") + "-"
                + d.when().date();
    }

    /** Writes the message as {@code .eml} and its HTML part as {@code .html}, for previews. */
    static void write(Digest d, Path dir, String from) {
        try {
            Files.createDirectories(dir);
            MimeMessage m = DigestMail.message(d, new InternetAddress(from),
                    Session.getInstance(new Properties()));
            try (OutputStream o = Files.newOutputStream(dir.resolve(baseName(d) + ".eml"))) {
                m.writeTo(o);
            }
            Files.writeString(dir.resolve(baseName(d) + ".html"), DigestMail.html(d),
                    StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the digest to " + dir, e);
        } catch (MessagingException e) {
            throw new IllegalStateException("cannot render the digest of "
                    + d.subscriber().email() + ": " + e.getMessage(), e);
        }
    }

    /** One subscriber a line, tab-separated, in file order. */
    static void print(List<Subscriber> all, Instant now, PrintWriter out) {
        out.println("EMAIL\tNAME\tZONE\tDIGEST OF\tNEXT SEND (LOCAL)\tNEXT SEND (UTC)");
        for (Subscriber s : all) {
            SendTime next = s.nextSend(now);
            out.println(s.email() + "\t" + s.name() + "\t" + s.zone() + "\t" + next.date() + "\t"
                    + LOCAL.format(next.at().atZone(s.zone())) + "\t" + next.at());
        }
        out.println(all.size() + (all.size() == 1 ? " subscriber" : " subscribers"));
        out.flush();
    }
}
