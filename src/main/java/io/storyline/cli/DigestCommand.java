package io.storyline.cli;

import io.storyline.config.DigestConfig;
import io.storyline.config.PipelineConfig;
import io.storyline.config.ServeConfig;
import io.storyline.config.Settings;
import io.storyline.digest.Digest;
import io.storyline.digest.DigestLog;
import io.storyline.digest.DigestRecord;
import io.storyline.digest.DigestMail;
import io.storyline.digest.Mailer;
import io.storyline.digest.Selection;
import io.storyline.digest.SendTime;
import io.storyline.digest.Subscriber;
import io.storyline.digest.SubscriberRegistry;
import io.storyline.digest.Subscribers;
import io.storyline.pipeline.KafkaCluster;
import io.storyline.pipeline.Topics;
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
import java.util.Locale;
import java.util.Map;
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
 * {@code storyline digest}: lists the subscribers' next send times and the digests needing a
 * decision, imports a subscribers file, or renders or sends (through the same claim as the
 * scheduler) one subscriber's digest of one date from a read model built from the topics.
 */
@Command(name = "digest", mixinStandardHelpOptions = true,
        description = "Daily digest emails. --list prints each subscriber of "
                + "storyline.subscribers with its next send time (local and UTC), then the "
                + "digests whose claim is unresolved or whose sending failed (with "
                + "--subscribers FILE: only checks the file). --import FILE adds the file's "
                + "missing subscribers. --subscriber EMAIL --date YYYY-MM-DD claims that "
                + "digest in storyline.digests and sends it (digest.smtp.*), refusing one "
                + "claimed or sent before unless --resend; --dry-run writes it to --out DIR "
                + "as .eml and .html instead.")
final class DigestCommand implements Callable<Integer> {

    private static final Logger LOG = LoggerFactory.getLogger(DigestCommand.class);
    private static final DateTimeFormatter LOCAL = DateTimeFormatter.ofPattern(
            "yyyy-MM-dd HH:mm xxx");
    /** Longest wait for the read model to catch up with the topics. */
    private static final Duration READ_MODEL_WAIT = Duration.ofMinutes(5);

    @Option(names = "--subscribers", paramLabel = "FILE",
            description = "Take the subscribers from this file instead of the topic "
                    + "storyline.subscribers; with --list, only check the file.")
    Path subscribers;

    @Option(names = "--list", description = "Print each subscriber's next send time, and "
            + "the digests whose claim is unresolved or whose sending failed.")
    boolean list;

    @Option(names = "--import", paramLabel = "FILE",
            description = "Add the subscribers of FILE that storyline.subscribers does not "
                    + "list yet (a listed one is left as it is).")
    Path importFile;

    @Option(names = "--subscriber", paramLabel = "EMAIL",
            description = "The subscriber whose digest to render or send.")
    String subscriber;

    @Option(names = "--date", paramLabel = "YYYY-MM-DD",
            description = "The subscriber's local date of the digest (its send time must be "
                    + "past).")
    LocalDate date;

    @Option(names = "--dry-run", description = "Write the digest instead of sending it.")
    boolean dryRun;

    @Option(names = "--resend", description = "Send the digest even though it was claimed, "
            + "sent or failed before (an unresolved claim is sent only so).")
    boolean resend;

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
        if (!list && importFile == null && (subscriber == null || date == null)) {
            throw new ParameterException(spec.commandLine(),
                    "Missing option: --list, --import FILE, or --subscriber with --date");
        }
        if (dryRun && out == null) {
            throw new ParameterException(spec.commandLine(), "--dry-run needs --out DIR");
        }
        if (dryRun && resend) {
            throw new ParameterException(spec.commandLine(), "--dry-run sends nothing: "
                    + "--resend goes without it");
        }
        List<Subscriber> fromFile = subscribers == null ? null : load(subscribers);
        if (list && fromFile != null) {
            print(fromFile, Instant.now(), spec.commandLine().getOut());
            return 0;
        }
        List<Subscriber> imported = importFile == null ? null : load(importFile);
        PipelineConfig pipeline = PipelineConfig.from(settings);
        ServeConfig serve = ServeConfig.from(settings);
        DigestConfig smtp = DigestConfig.from(settings);
        settings.rejectUnknown("kafka.", "topics.", "serve.", "digest.");
        Mailer mailer = dryRun || subscriber == null ? null : new Mailer(smtp); // fails early
        try (KafkaCluster cluster = KafkaCluster.open(pipeline)) {
            if (imported != null) {
                importAll(cluster, imported);
            }
            if (list) {
                listAll(cluster);
            }
            if (subscriber == null || date == null) {
                return 0;
            }
            Subscriber s = fromFile != null ? find(fromFile) : find(cluster);
            return one(cluster, serve, smtp, mailer, s, err);
        } catch (IllegalStateException | KafkaException e) {
            err.println("error: " + e.getMessage());
            return 1;
        }
    }

    private static List<Subscriber> load(Path file) {
        if (!Files.exists(file)) {
            throw new IllegalArgumentException("subscribers file " + file + " does not exist");
        }
        return Subscribers.load(file);
    }

    private void importAll(KafkaCluster cluster, List<Subscriber> all) {
        try (SubscriberRegistry registry = new SubscriberRegistry(cluster.clientProperties(),
                Clock.systemUTC())) {
            SubscriberRegistry.ImportResult r = registry.importAll(all);
            spec.commandLine().getOut().println("imported " + importFile + ": " + r.added()
                    + " added, " + r.alreadyPresent() + " already listed");
        }
    }

    /** The topic's subscribers with their next send, then the digests needing a decision. */
    private void listAll(KafkaCluster cluster) {
        List<Subscriber> all;
        try (SubscriberRegistry registry = new SubscriberRegistry(cluster.clientProperties(),
                Clock.systemUTC())) {
            all = List.copyOf(registry.list().values());
        }
        PrintWriter stdout = spec.commandLine().getOut();
        print(all, Instant.now(), stdout);
        printUnresolved(new DigestLog(cluster.clientProperties(), Clock.systemUTC())
                .readAll().values(), stdout);
    }

    /** The digests whose claim is unresolved or whose sending failed, by key. */
    static void printUnresolved(java.util.Collection<DigestRecord> records, PrintWriter out) {
        List<DigestRecord> open = records.stream()
                .filter(r -> r.unresolved() || r.state() == DigestRecord.State.FAILED).toList();
        if (open.isEmpty()) {
            out.println("no unresolved claims, no failed digests");
            out.flush();
            return;
        }
        out.println("SUBSCRIBER\tDIGEST OF\tSTATE\tSINCE\tBY\tERROR");
        for (DigestRecord r : open) {
            out.println(r.subscriber() + "\t" + r.date() + "\t"
                    + (r.unresolved() ? "unresolved claim" : "failed") + "\t"
                    + (r.at() == null ? "-" : r.at()) + "\t" + (r.by() == null ? "-" : r.by())
                    + "\t" + (r.error() == null ? "-" : r.error()));
        }
        out.println(open.size() + (open.size() == 1 ? " digest" : " digests") + " unresolved "
                + "or failed, never sent again by itself: storyline digest --resend "
                + "--subscriber EMAIL --date DATE sends one on purpose");
        out.flush();
    }

    private Subscriber find(List<Subscriber> all) {
        return all.stream().filter(s -> s.email().equalsIgnoreCase(subscriber.strip()))
                .findFirst().orElseThrow(() -> new IllegalArgumentException("--subscriber '"
                        + subscriber + "' is not in " + subscribers + " (listed: "
                        + String.join(", ", all.stream().map(Subscriber::email).toList())
                        + ")"));
    }

    private Subscriber find(KafkaCluster cluster) {
        try (SubscriberRegistry registry = new SubscriberRegistry(cluster.clientProperties(),
                Clock.systemUTC())) {
            Map<String, Subscriber> all = registry.list();
            Subscriber s = all.get(SubscriberRegistry.key(subscriber));
            if (s == null) {
                throw new IllegalArgumentException("--subscriber '" + subscriber + "' is not "
                        + "in " + Topics.SUBSCRIBERS + " (" + all.size() + " listed; "
                        + "storyline digest --list shows them, --subscribers FILE takes one "
                        + "from a file)");
            }
            return s;
        }
    }

    private int one(KafkaCluster cluster, ServeConfig serve, DigestConfig smtp, Mailer mailer,
            Subscriber s, PrintWriter err) {
        SendTime when = s.sendTime(date);
        if (when.at().isAfter(Instant.now())) {
            throw new IllegalArgumentException("--date " + date + ": the digest of "
                    + s.email() + " is sent at " + when.at() + ", which is still to come");
        }
        PrintWriter stdout = spec.commandLine().getOut();
        try (ReadModel model = new ReadModel(serve, Clock.systemUTC())) {
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
                DigestLog log = new DigestLog(cluster.clientProperties(), Clock.systemUTC());
                if (dryRun) {
                    Digest digest = Selection.select(model, s, when,
                            log.previous(s.email(), date));
                    if (empty(digest, stdout)) {
                        return 0;
                    }
                    write(digest, out, smtp.from() == null ? "digest@localhost" : smtp.from());
                    stdout.println("wrote " + out.resolve(baseName(digest) + ".eml") + " and "
                            + out.resolve(baseName(digest) + ".html") + " ("
                            + digest.items().size() + " stories)");
                    return 0;
                }
                DigestLog.Claim claim = log.claim(s, date, resend,
                        previous -> Selection.select(model, s, when, previous));
                return deliver(log, claim, mailer, s, stdout, err);
            } finally {
                view.close();
            }
        }
    }

    private int deliver(DigestLog log, DigestLog.Claim claim, Mailer mailer, Subscriber s,
            PrintWriter stdout, PrintWriter err) {
        switch (claim.outcome()) {
            case ALREADY -> {
                DigestRecord r = claim.existing();
                err.println("error: the digest of " + s.email() + " for " + date + " is "
                        + (r.unresolved() ? "claimed (unresolved: nobody knows whether it "
                                + "went out)" : r.state().name().toLowerCase(Locale.ROOT))
                        + (r.at() == null ? "" : " since " + r.at())
                        + (r.by() == null ? "" : " by " + r.by())
                        + ": not sent again; --resend sends it anyway");
                return 1;
            }
            case EMPTY -> {
                empty(claim.digest(), stdout);
                return 0;
            }
            default -> {
                Digest digest = claim.digest();
                try {
                    mailer.send(digest);
                } catch (IllegalStateException e) {
                    log.failed(claim, e.getMessage());
                    err.println("error: " + e.getMessage());
                    return 1;
                }
                log.sent(claim);
                stdout.println("sent the digest of " + s.email() + " for " + date + " ("
                        + digest.items().size() + " stories)");
                return 0;
            }
        }
    }

    private boolean empty(Digest digest, PrintWriter stdout) {
        if (!digest.isEmpty()) {
            return false;
        }
        LOG.info("digest of {} for {} is empty: not sent", digest.subscriber().email(), date);
        stdout.println("digest of " + digest.subscriber().email() + " for " + date
                + " is empty: not sent");
        return true;
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
