package io.storyline.cli;

import static io.storyline.view.Records.assignment;
import static io.storyline.view.Records.bytes;
import static io.storyline.view.Records.story;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.icegreen.greenmail.util.GreenMail;
import io.storyline.digest.DigestLog;
import io.storyline.digest.DigestRecord;
import io.storyline.pipeline.KafkaCluster;
import io.storyline.pipeline.Topics;
import io.storyline.web.Http;
import java.io.IOException;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
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
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code storyline serve} as a separate process schedules the digests of the subscribers file
 * it imports. Killed (SIGKILL) while its SMTP server hangs, after the claim and before any
 * record of the outcome, the restarted server does not send that digest: {@code digest
 * --list} shows the claim unresolved and {@code digest --resend} sends it.
 */
class ServeDigestCrashIT {

    private static final Duration PATIENCE = Duration.ofSeconds(90);
    private static final String ED = "ed@example.org";
    /** The send time: the current minute, so the digest is due as soon as serve starts. */
    private static final Instant AT = Instant.now().truncatedTo(ChronoUnit.MINUTES);
    private static final LocalDate DAY = LocalDate.ofInstant(AT, ZoneOffset.UTC);

    @TempDir
    Path dir;
    private KafkaCluster cluster;
    private GreenMail smtp;
    private ServerSocket blackHole;
    private final List<Socket> swallowed = new CopyOnWriteArrayList<>();
    private final List<Process> processes = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        cluster = DigestTestKit.cluster(dir);
        smtp = DigestTestKit.smtp();
        // An SMTP server that accepts connections and never says a word.
        blackHole = new ServerSocket(0, 10, InetAddress.getByName("127.0.0.1"));
        Thread t = new Thread(() -> {
            try {
                while (true) {
                    swallowed.add(blackHole.accept());
                }
            } catch (IOException e) {
                // closed at the end of the test
            }
        }, "test-black-hole");
        t.setDaemon(true);
        t.start();
        String at = DateTimeFormatter.ofPattern("HH:mm").withZone(ZoneOffset.UTC).format(AT);
        Files.writeString(dir.resolve("digests.yaml"), "subscribers:\n  - email: " + ED
                + "\n    send-at: \"" + at + "\"\n    zone: UTC\n"
                + "    dashboard-url: http://127.0.0.1:8080/\n");
        try (KafkaProducer<String, byte[]> p = new KafkaProducer<>(cluster.clientProperties(),
                new StringSerializer(), new ByteArraySerializer())) {
            Instant fetched = AT.minus(Duration.ofHours(1));
            p.send(new ProducerRecord<>(Topics.ASSIGNMENTS, "a1", bytes(assignment("a1", "s1",
                    null, 1, fetched, "Wire", "Quake in Kyiv")))).get();
            p.send(new ProducerRecord<>(Topics.STORIES, "s1", bytes(story("s1", "open", 1, 0,
                    "Headline s1", 1, fetched, List.of("Wire"), List.of(), null)))).get();
        }
    }

    @AfterEach
    void stop() throws Exception {
        for (Process p : processes) {
            if (p.isAlive()) {
                p.destroyForcibly();
                p.waitFor(30, TimeUnit.SECONDS);
            }
        }
        blackHole.close();
        for (Socket s : swallowed) {
            s.close();
        }
        smtp.stop();
        cluster.close();
    }

    private Process serve(int smtpPort, Path log) throws IOException {
        List<String> command = List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-cp", System.getProperty("java.class.path"),
                "io.storyline.cli.Main", "serve",
                "--subscribers", dir.resolve("digests.yaml").toString(),
                "--set", "kafka.bootstrap.servers=" + cluster.bootstrapServers(),
                "--set", "serve.port=0",
                "--set", "detector.session-timeout.ms=6000",
                "--set", "digest.smtp.host=127.0.0.1",
                "--set", "digest.smtp.port=" + smtpPort,
                "--set", "digest.smtp.security=none",
                "--set", "digest.smtp.from=digest@example.org",
                "--set", "digest.smtp.timeout.ms=600000",
                "--set", "digest.smtp.retries=0");
        Process p = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        processes.add(p);
        return p;
    }

    private static void await(BooleanSupplier condition, String what) throws Exception {
        DigestTestKit.await(condition, PATIENCE, what);
    }

    private DigestRecord record() {
        return new DigestLog(cluster.clientProperties(), Clock.systemUTC()).readAll()
                .get(DigestRecord.key(ED, DAY));
    }

    private static String read(Path log) {
        try {
            return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private int cli(StringWriter out, String... args) {
        return DigestTestKit.run(cluster.bootstrapServers(), smtp.getSmtp().getPort(), out, out, args);
    }

    @Test
    void aServerKilledBetweenClaimAndRecordNeverSendsItAgain() throws Exception {
        Path firstLog = dir.resolve("serve-1.log");
        Process first = serve(blackHole.getLocalPort(), firstLog);
        await(() -> !swallowed.isEmpty() && record() != null,
                "serve to claim the digest and connect to the SMTP server");
        assertEquals(DigestRecord.State.CLAIMED, record().state(), read(firstLog));
        first.destroyForcibly(); // SIGKILL: no outcome is recorded
        assertTrue(first.waitFor(30, TimeUnit.SECONDS));
        assertTrue(read(firstLog).contains("subscribers: new list, 1 subscribers of "),
                read(firstLog));

        Path secondLog = dir.resolve("serve-2.log");
        Process second = serve(smtp.getSmtp().getPort(), secondLog);
        Pattern port = Pattern.compile("dashboard on http://127\\.0\\.0\\.1:(\\d+)/");
        await(() -> port.matcher(read(secondLog)).find(), "the restarted dashboard");
        Matcher m = port.matcher(read(secondLog));
        assertTrue(m.find());
        Http http = new Http(Integer.parseInt(m.group(1)));
        // The restarted owner has read the unresolved claim: the digest is never due again.
        await(() -> http.get("/metrics").body()
                .contains("storyline_digests_claims_unresolved 1.0"),
                "the restarted server to count the unresolved claim");
        assertTrue(read(secondLog).contains("subscribers: the topic already lists 1"),
                read(secondLog));
        String metrics = http.get("/metrics").body();
        assertTrue(metrics.contains("storyline_digests_sent_total 0.0"), metrics);
        assertEquals(0, smtp.getReceivedMessages().length);
        second.destroy();
        assertTrue(second.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, smtp.getReceivedMessages().length);
        assertEquals(DigestRecord.State.CLAIMED, record().state());

        StringWriter out = new StringWriter();
        assertEquals(0, cli(out, "--list"), out.toString());
        assertTrue(out.toString().contains(ED + "\t" + DAY + "\tunresolved claim\t"),
                out.toString());
        assertEquals(0, cli(out, "--resend", "--subscriber", ED, "--date", DAY.toString()),
                out.toString());
        assertTrue(smtp.waitForIncomingEmail(PATIENCE.toMillis(), 1));
        assertEquals(DigestRecord.State.SENT, record().state());
    }
}
