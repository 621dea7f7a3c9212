package io.storyline.config;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;

/**
 * Settings of digest delivery: the SMTP server and how a failed send is retried. Immutable;
 * built once from {@link Settings} with every {@code digest.*} value checked. Keys, defaults
 * and meanings are listed in {@code config/storyline.properties} and the README.
 *
 * @param host       SMTP server, or null: digests cannot be sent (dry runs still work)
 * @param port       its port
 * @param security   how the connection is protected
 * @param username   SMTP login, or null: no authentication
 * @param password   its password (never logged)
 * @param from       the From address, or null (then sending is refused)
 * @param timeout    connect, read and write timeout of one attempt
 * @param retries    further attempts after a failed send
 * @param backoff    wait after the first failure; doubles after each further one
 * @param maxBackoff longest wait between attempts
 * @param maxLateness how late after its send time a digest still goes out (an instance that
 *                   was down, a subscriber added a moment later); later ones are skipped
 */
public record DigestConfig(
        String host,
        int port,
        Security security,
        String username,
        String password,
        String from,
        Duration timeout,
        int retries,
        Duration backoff,
        Duration maxBackoff,
        Duration maxLateness) {

    public static final int PORT = 587;
    public static final Duration TIMEOUT = Duration.ofSeconds(30);
    public static final int RETRIES = 4;
    public static final Duration BACKOFF = Duration.ofSeconds(5);
    public static final Duration MAX_BACKOFF = Duration.ofMinutes(5);
    public static final Duration MAX_LATENESS = Duration.ofMinutes(60);

    /** Transport security of the SMTP connection. */
    public enum Security {
        /** Plain connection upgraded with STARTTLS, which is required (port 587). */
        STARTTLS,
        /** TLS from the first byte (port 465). */
        SSL,
        /** No encryption: only for a relay on the same host or a test server. */
        NONE
    }

    public static DigestConfig defaults() {
        return from(Settings.of(Map.of(), "defaults", w -> { }));
    }

    /** Reads the {@code digest.*} keys and rejects unknown ones under that prefix. */
    public static DigestConfig from(Settings s) {
        String security = s.string("digest.smtp.security", "starttls");
        Security sec;
        try {
            sec = Security.valueOf(security.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw s.invalid("digest.smtp.security", security, "must be starttls, ssl or none");
        }
        String username = s.string("digest.smtp.username", null);
        String password = s.string("digest.smtp.password", null);
        DigestConfig c = new DigestConfig(
                s.string("digest.smtp.host", null),
                s.integer("digest.smtp.port", PORT, 1, 65_535),
                sec,
                username,
                password,
                s.string("digest.smtp.from", null),
                Duration.ofMillis(s.integer("digest.smtp.timeout.ms", (int) TIMEOUT.toMillis(),
                        100, 600_000)),
                s.integer("digest.smtp.retries", RETRIES, 0, 100),
                Duration.ofMillis(s.integer("digest.smtp.backoff.ms", (int) BACKOFF.toMillis(),
                        1, 3_600_000)),
                Duration.ofMillis(s.integer("digest.smtp.backoff.max.ms",
                        (int) MAX_BACKOFF.toMillis(), 1, 86_400_000)),
                // Below a day: a digest never competes with the next day's.
                Duration.ofMinutes(s.integer("digest.max-lateness.minutes",
                        (int) MAX_LATENESS.toMinutes(), 1, 23 * 60)));
        s.rejectUnknown("digest.");
        if (password != null && username == null) {
            throw s.invalid("digest.smtp.password", "(hidden)", "needs digest.smtp.username");
        }
        if (username != null && sec == Security.NONE) {
            s.warn("digest.smtp.security", "is none while digest.smtp.username is set: the "
                    + "password crosses the network in clear");
        }
        return c;
    }

    @Override
    public String toString() {
        // The password stays out of logs and error messages.
        return "DigestConfig[host=" + host + ", port=" + port + ", security=" + security
                + ", username=" + username + ", password=" + (password == null ? "none" : "set")
                + ", from=" + from + ", timeout=" + timeout + ", retries=" + retries
                + ", backoff=" + backoff + ", maxBackoff=" + maxBackoff + ", maxLateness="
                + maxLateness + "]";
    }
}
