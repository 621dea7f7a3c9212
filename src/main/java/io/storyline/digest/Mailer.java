package io.storyline.digest;

import io.storyline.config.DigestConfig;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends digests over SMTP with Jakarta Mail. A failed attempt is logged and retried after a
 * doubling wait, up to {@code digest.smtp.retries} times; when every attempt failed the send
 * throws, naming the subscriber, the date and the server: a digest is never dropped silently.
 */
public final class Mailer implements DigestSender {

    private static final Logger LOG = LoggerFactory.getLogger(Mailer.class);

    private final DigestConfig config;
    private final Session session;
    private final InternetAddress from;
    private final AtomicLong failedAttempts = new AtomicLong();
    private final AtomicLong failedSends = new AtomicLong();

    public Mailer(DigestConfig config) {
        if (config.host() == null) {
            throw new IllegalArgumentException("digest.smtp.host is not set: digests cannot be "
                    + "sent (a dry run needs none)");
        }
        if (config.from() == null) {
            throw new IllegalArgumentException("digest.smtp.from is not set: digests cannot be "
                    + "sent without a From address");
        }
        try {
            this.from = new InternetAddress(config.from(), true);
        } catch (AddressException e) {
            throw new IllegalArgumentException("digest.smtp.from '" + config.from()
                    + "' is not an email address: " + e.getMessage());
        }
        this.config = config;
        this.session = Session.getInstance(properties(config));
    }

    static Properties properties(DigestConfig c) {
        Properties p = new Properties();
        String timeout = Long.toString(c.timeout().toMillis());
        p.put("mail.transport.protocol", "smtp");
        p.put("mail.smtp.host", c.host());
        p.put("mail.smtp.port", Integer.toString(c.port()));
        p.put("mail.smtp.connectiontimeout", timeout);
        p.put("mail.smtp.timeout", timeout);
        p.put("mail.smtp.writetimeout", timeout);
        p.put("mail.smtp.auth", Boolean.toString(c.username() != null));
        switch (c.security()) {
            case STARTTLS -> {
                p.put("mail.smtp.starttls.enable", "true");
                p.put("mail.smtp.starttls.required", "true");
                p.put("mail.smtp.ssl.checkserveridentity", "true");
            }
            case SSL -> {
                p.put("mail.smtp.ssl.enable", "true");
                p.put("mail.smtp.ssl.checkserveridentity", "true");
            }
            case NONE -> { }
        }
        return p;
    }

    /** Attempts that failed so far (each is logged), for metrics and tests. */
    @Override
    public long failedAttempts() {
        return failedAttempts.get();
    }

    /** Digests given up on after every attempt failed. */
    public long failedSends() {
        return failedSends.get();
    }

    /** The message of {@code d}, from the configured sender. */
    public MimeMessage message(Digest d) throws MessagingException {
        return DigestMail.message(d, from, session);
    }

    /**
     * Sends {@code d}, retrying failed attempts.
     *
     * @throws IllegalStateException when every attempt failed
     */
    @Override
    public void send(Digest d) {
        String what = "digest of " + d.subscriber().email() + " for " + d.when().date();
        Duration wait = config.backoff();
        for (int attempt = 1;; attempt++) {
            try {
                Transport.send(message(d), config.username(), config.password());
                LOG.info("sent {} ({} stories) through {}:{}", what, d.items().size(),
                        config.host(), config.port());
                return;
            } catch (MessagingException e) {
                failedAttempts.incrementAndGet();
                if (attempt > config.retries()) {
                    failedSends.incrementAndGet();
                    throw new IllegalStateException(what + " was not sent: " + attempt
                            + " attempts to " + config.host() + ":" + config.port()
                            + " failed, the last with: " + e.getMessage(), e);
                }
                LOG.warn("sending {} through {}:{} failed (attempt {} of {}): {}; retrying in "
                        + "{} ms", what, config.host(), config.port(), attempt,
                        config.retries() + 1, e.getMessage(), wait.toMillis());
            }
            try {
                Thread.sleep(wait.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(what + " was not sent: interrupted", e);
            }
            wait = wait.multipliedBy(2);
            if (wait.compareTo(config.maxBackoff()) > 0) {
                wait = config.maxBackoff();
            }
        }
    }
}
