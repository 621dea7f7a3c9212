package io.storyline.digest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.storyline.config.DigestConfig;
import io.storyline.config.Settings;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Delivery through a real SMTP server (GreenMail on 127.0.0.1) that is down at first. */
class MailerIT {

    private static final Subscriber ED = new Subscriber("ed@example.org", "Ed",
            LocalTime.of(7, 0), ZoneId.of("Europe/Paris"), DigestFilter.none(), 10,
            URI.create("https://news.example.org/"));
    private static final Digest DIGEST = new Digest(ED, new SendTime(
            LocalDate.parse("2026-11-20"), Instant.parse("2026-11-20T06:00:00Z")),
            List.of(new Digest.Item("s1", "Quake", ED.storyLink("s1"), "Lead.",
                    "https://example.org/a1", List.of("Wire"), 1, Digest.Marker.NEW, 0, 0,
                    1.0)));

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return s.getLocalPort();
        }
    }

    private static DigestConfig config(int port, int retries) {
        return DigestConfig.from(Settings.of(Map.of(
                "digest.smtp.host", "127.0.0.1",
                "digest.smtp.port", Integer.toString(port),
                "digest.smtp.security", "none",
                "digest.smtp.from", "digest@example.org",
                "digest.smtp.timeout.ms", "5000",
                "digest.smtp.retries", Integer.toString(retries),
                "digest.smtp.backoff.ms", "20",
                "digest.smtp.backoff.max.ms", "200"), "test", w -> { }));
    }

    @Test
    void aFailedSendIsRetriedUntilTheServerTakesIt() throws Exception {
        int port = freePort();
        Mailer mailer = new Mailer(config(port, 100));
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread sender = new Thread(() -> {
            try {
                mailer.send(DIGEST);
            } catch (Throwable e) {
                failure.set(e);
            }
        });
        sender.start();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (mailer.failedAttempts() == 0 && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertTrue(mailer.failedAttempts() > 0, "no attempt failed against a closed port");
        GreenMail smtp = new GreenMail(new ServerSetup(port, "127.0.0.1",
                ServerSetup.PROTOCOL_SMTP));
        smtp.start();
        try {
            assertTrue(smtp.waitForIncomingEmail(Duration.ofSeconds(60).toMillis(), 1));
            sender.join(Duration.ofSeconds(60).toMillis());
            assertNull(failure.get());
            assertEquals(0, mailer.failedSends());
            assertEquals(DigestMail.subject(DIGEST), smtp.getReceivedMessages()[0].getSubject());
        } finally {
            smtp.stop();
        }
    }

    @Test
    void whenEveryAttemptFailsTheSendFailsLoudly() throws Exception {
        int port = freePort();
        Mailer mailer = new Mailer(config(port, 2));
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> mailer.send(DIGEST));
        assertTrue(e.getMessage().startsWith("digest of ed@example.org for 2026-11-20 was not "
                + "sent: 3 attempts to 127.0.0.1:" + port + " failed, the last with: "),
                e.getMessage());
        assertEquals(3, mailer.failedAttempts());
        assertEquals(1, mailer.failedSends());
    }

    @Test
    void sendingNeedsAHostAndAFromAddress() {
        assertEquals("digest.smtp.host is not set: digests cannot be sent (a dry run needs "
                + "none)", assertThrows(IllegalArgumentException.class,
                        () -> new Mailer(DigestConfig.defaults())).getMessage());
    }
}
