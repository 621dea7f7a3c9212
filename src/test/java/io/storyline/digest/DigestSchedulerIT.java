package io.storyline.digest;

import io.storyline.cli.DigestTestKit;

import static io.storyline.view.Records.assignment;
import static io.storyline.view.Records.bytes;
import static io.storyline.view.Records.story;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.icegreen.greenmail.util.GreenMail;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.storyline.config.DigestConfig;
import io.storyline.config.ServeConfig;
import io.storyline.config.Settings;
import io.storyline.pipeline.KafkaCluster;
import io.storyline.pipeline.Topics;
import io.storyline.view.MutableClock;
import io.storyline.view.ReadModel;
import io.storyline.view.ViewConsumer;
import jakarta.mail.Multipart;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jsoup.Jsoup;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The digest scheduler against a real embedded broker and GreenMail on 127.0.0.1, with a
 * clock the test moves: each digest goes out at most once across a crash between the claim
 * and its record (the claim stays unresolved until resent on purpose) and with two instances
 * sharing the subscribers; the second day's digest marks what grew since the first. Every
 * wait is for a condition, never a fixed time.
 */
class DigestSchedulerIT {

    private static final Duration PATIENCE = Duration.ofSeconds(90);
    private static final String ED = "ed@example.org";
    /** The second digest day's send time: two hours ago, on the minute; the first a day before. */
    private static final Instant T2 = Instant.now().truncatedTo(ChronoUnit.MINUTES)
            .minus(Duration.ofHours(2));
    private static final Instant T1 = T2.minus(Duration.ofDays(1));
    private static final LocalDate D1 = LocalDate.ofInstant(T1, ZoneOffset.UTC);
    private static final LocalDate D2 = LocalDate.ofInstant(T2, ZoneOffset.UTC);

    @TempDir
    Path dir;
    private KafkaCluster cluster;
    private GreenMail smtp;
    private SubscriberRegistry subscribers;
    private final List<Instance> instances = new ArrayList<>();

    /** A crash between the claim and the record of its outcome. */
    static final class Crash extends Error {
        private static final long serialVersionUID = 1L;
    }

    /** One scheduling instance: its own read model, consumer and scheduler threads. */
    private final class Instance implements AutoCloseable {
        final ReadModel model = new ReadModel(ServeConfig.defaults(), Clock.systemUTC());
        final ViewConsumer view = new ViewConsumer(cluster.clientProperties(), model);
        final DigestScheduler scheduler;
        final SimpleMeterRegistry meters = new SimpleMeterRegistry();
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        final Thread loop;

        Instance(DigestSender sender, Clock clock) {
            scheduler = new DigestScheduler(cluster.clientProperties(), model, view::ready,
                    sender, clock, Duration.ofMinutes(60), Duration.ofSeconds(6));
            scheduler.bindMetrics(meters);
            Thread v = new Thread(view::run, "test-view");
            v.setDaemon(true);
            v.start();
            loop = new Thread(() -> {
                try {
                    scheduler.run();
                } catch (Throwable e) {
                    failure.set(e);
                }
            }, "test-digest");
            loop.setDaemon(true);
            loop.start();
            instances.add(this);
        }

        boolean settled(int partitions) {
            return view.ready() && scheduler.ownedPartitions().size() == partitions
                    && scheduler.passes() > 0;
        }

        @Override
        public void close() {
            scheduler.close();
            view.close();
            model.close();
        }
    }

    @BeforeEach
    void start() throws Exception {
        cluster = DigestTestKit.cluster(dir);
        smtp = DigestTestKit.smtp();
        subscribers = new SubscriberRegistry(cluster.clientProperties(), Clock.systemUTC());
        script();
    }

    @AfterEach
    void stop() {
        instances.forEach(Instance::close);
        subscribers.close();
        smtp.stop();
        cluster.close();
    }

    private void subscribe(String email) {
        String at = DateTimeFormatter.ofPattern("HH:mm").withZone(ZoneOffset.UTC).format(T2);
        subscribers.add(Subscribers.parse("subscribers:\n  - email: " + email + "\n"
                + "    send-at: \"" + at + "\"\n    zone: UTC\n"
                + "    dashboard-url: http://127.0.0.1:8080/\n", "test").get(0));
    }

    private Mailer mailer() {
        return new Mailer(DigestConfig.from(Settings.of(Map.of(
                "digest.smtp.host", "127.0.0.1",
                "digest.smtp.port", Integer.toString(smtp.getSmtp().getPort()),
                "digest.smtp.security", "none",
                "digest.smtp.from", "digest@example.org",
                "digest.smtp.retries", "1",
                "digest.smtp.backoff.ms", "20"), "test", w -> { })));
    }

    /** Day one: s1 with a copy and three sources, s2 quieter. Day two: s1 grows, s5 is new. */
    private void script() throws Exception {
        try (KafkaProducer<String, byte[]> p = new KafkaProducer<>(cluster.clientProperties(),
                new StringSerializer(), new ByteArraySerializer())) {
            long seq = 0;
            seq = article(p, seq, "a1", "s1", null, T1.minusSeconds(1800), "Wire",
                    List.of("Wire"));
            seq = article(p, seq, "a2", "s1", "a1", T1.minusSeconds(1740), "Daily",
                    List.of("Wire", "Daily"));
            seq = article(p, seq, "a3", "s1", null, T1.minusSeconds(1680), "Herald",
                    List.of("Wire", "Daily", "Herald"));
            seq = article(p, seq, "b1", "s2", null, T1.minus(Duration.ofHours(10)), "Wire",
                    List.of("Wire"));
            seq = article(p, seq, "a4", "s1", null, T2.minus(Duration.ofHours(2)), "Agence",
                    List.of("Wire", "Daily", "Herald", "Agence"));
            article(p, seq, "e1", "s5", null, T2.minus(Duration.ofHours(3)), "Courrier",
                    List.of("Courrier"));
            p.flush();
        }
    }

    private static long article(KafkaProducer<String, byte[]> p, long seq, String id,
            String story, String copyOf, Instant fetched, String source, List<String> sources)
            throws Exception {
        long s = seq + 1;
        p.send(new ProducerRecord<>(Topics.ASSIGNMENTS, id, bytes(assignment(id, story, copyOf,
                s, fetched, source, "Title " + id)))).get();
        p.send(new ProducerRecord<>(Topics.STORIES, story, bytes(story(story, "open",
                sources.size(), 0, "Headline " + story, s, fetched, sources, List.of(),
                null)))).get();
        return s;
    }

    private static void await(BooleanSupplier condition, String what) throws Exception {
        DigestTestKit.await(condition, PATIENCE, what);
    }

    private static List<String> headlines(MimeMessage m) throws Exception {
        Multipart parts = (Multipart) m.getContent();
        return Jsoup.parse((String) parts.getBodyPart(1).getContent()).select("ol li")
                .eachText();
    }

    private static String address(MimeMessage m) throws Exception {
        return ((InternetAddress) m.getAllRecipients()[0]).getAddress();
    }

    private DigestRecord record(String email, LocalDate date) {
        return new DigestLog(cluster.clientProperties(), Clock.systemUTC()).readAll()
                .get(DigestRecord.key(email, date));
    }

    private int cli(StringWriter out, StringWriter err, String... args) {
        return DigestTestKit.run(cluster.bootstrapServers(), smtp.getSmtp().getPort(), out, err,
                args);
    }

    @Test
    void aClaimLeftUnresolvedByACrashIsNeverResentButCanBeOnPurpose() throws Exception {
        subscribe(ED);
        MutableClock clock = new MutableClock(T2.minusSeconds(60));
        Instance first = new Instance(d -> {
            throw new Crash();
        }, clock);
        await(() -> first.settled(2), "the first instance to own both partitions");
        clock.set(T2.plusSeconds(1));
        await(() -> !first.loop.isAlive(), "the first instance to crash while sending");
        assertTrue(first.failure.get() instanceof Crash, String.valueOf(first.failure.get()));
        assertEquals(DigestRecord.State.CLAIMED, record(ED, D2).state());

        Instance second = new Instance(mailer(), clock);
        await(() -> second.settled(2) && second.scheduler.unresolvedClaims() == 1,
                "the restarted instance to read the unresolved claim");
        long passes = second.scheduler.passes();
        await(() -> second.scheduler.passes() >= passes + 3,
                "three more looks at the subscriber, past its send time");
        assertEquals(0, smtp.getReceivedMessages().length);
        assertEquals(0, second.scheduler.sent());
        assertEquals(1.0, second.meters.get("storyline.digests.claims.unresolved").gauge()
                .value());
        second.close();

        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        assertEquals(0, cli(out, err, "--list"), err.toString());
        assertTrue(out.toString().contains(ED + "\t" + D2 + "\tunresolved claim\t"),
                out.toString());
        assertEquals(1, cli(out, err, "--subscriber", ED, "--date", D2.toString()));
        assertTrue(err.toString().contains("is claimed (unresolved: nobody knows whether it "
                + "went out)"), err.toString());
        assertEquals(0, smtp.getReceivedMessages().length);

        assertEquals(0, cli(out, err, "--resend", "--subscriber", ED, "--date", D2.toString()),
                err.toString());
        assertTrue(smtp.waitForIncomingEmail(PATIENCE.toMillis(), 1));
        assertEquals(List.of("Headline s1 (new)", "Headline s5 (new)"),
                headlines(smtp.getReceivedMessages()[0]));
        assertEquals(DigestRecord.State.SENT, record(ED, D2).state());
        StringWriter after = new StringWriter();
        assertEquals(0, cli(after, err, "--list"), err.toString());
        assertTrue(after.toString().contains("no unresolved claims, no failed digests"),
                after.toString());
    }

    @Test
    void twoInstancesSendEachSubscriberExactlyOneMail() throws Exception {
        Set<String> emails = new TreeSet<>();
        int[] perPartition = new int[2];
        for (int i = 0; emails.size() < 6; i++) {
            String email = "editor" + i + "@example.org";
            int p = DigestRecord.partition(email, 2);
            if (perPartition[p] < 3) {
                perPartition[p]++;
                emails.add(email);
                subscribe(email);
            }
        }
        MutableClock clock = new MutableClock(T2.minusSeconds(60));
        Instance a = new Instance(mailer(), clock);
        Instance b = new Instance(mailer(), clock);
        await(() -> a.settled(1) && b.settled(1),
                "the two instances to own one partition each");
        clock.set(T2.plusSeconds(1));
        DigestLog log = new DigestLog(cluster.clientProperties(), Clock.systemUTC());
        await(() -> log.readAll().values().stream()
                .filter(r -> r.state() == DigestRecord.State.SENT).count() == 6,
                "six digests recorded as sent");
        long pa = a.scheduler.passes();
        long pb = b.scheduler.passes();
        await(() -> a.scheduler.passes() >= pa + 3 && b.scheduler.passes() >= pb + 3,
                "three more looks by each instance");

        MimeMessage[] mails = smtp.getReceivedMessages();
        assertEquals(6, mails.length);
        Set<String> to = new TreeSet<>();
        for (MimeMessage m : mails) {
            to.add(address(m));
        }
        assertEquals(emails, to);
        assertEquals(6, a.scheduler.sent() + b.scheduler.sent());
        assertTrue(a.scheduler.sent() == 3 && b.scheduler.sent() == 3,
                a.scheduler.sent() + " and " + b.scheduler.sent());
        assertEquals(3.0, a.meters.get("storyline.digests.sent").counter().count());
    }

    @Test
    void theSecondDaysDigestMarksWhatGrewSinceTheFirst() throws Exception {
        subscribe(ED);
        MutableClock clock = new MutableClock(T1.minusSeconds(60));
        Instance one = new Instance(mailer(), clock);
        await(() -> one.settled(2), "the instance to own both partitions");
        clock.set(T1.plusSeconds(1));
        assertTrue(smtp.waitForIncomingEmail(PATIENCE.toMillis(), 1));
        assertEquals(List.of("Headline s1 (new)", "Headline s2 (new)"),
                headlines(smtp.getReceivedMessages()[0]));
        await(() -> one.scheduler.known(ED, D1) != null
                && one.scheduler.known(ED, D1).state() == DigestRecord.State.SENT,
                "day one recorded as sent");

        clock.set(T2.plusSeconds(1));
        assertTrue(smtp.waitForIncomingEmail(PATIENCE.toMillis(), 2));
        // s1 grew by a4 (one article, one source); s2 did not grow and is left out.
        assertEquals(List.of("Headline s1 (updated: +1 article, +1 source)",
                "Headline s5 (new)"), headlines(smtp.getReceivedMessages()[1]));
        DigestRecord two = record(ED, D2);
        assertEquals(DigestRecord.State.SENT, two.state());
        assertEquals(List.of(new Recorded("s1", 4, 4), new Recorded("s5", 1, 1)),
                two.stories());
        for (MimeMessage m : smtp.getReceivedMessages()) {
            assertEquals(ED, address(m));
        }
    }
}
