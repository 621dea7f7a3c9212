package io.storyline.digest;

/** Delivers one digest, retrying as it sees fit; {@link Mailer} over SMTP. */
public interface DigestSender {

    /**
     * Sends {@code d}.
     *
     * @throws IllegalStateException when it could not be sent
     */
    void send(Digest d);

    /** Attempts that failed and were retried or given up on, for the retries metric. */
    default long failedAttempts() {
        return 0;
    }
}
