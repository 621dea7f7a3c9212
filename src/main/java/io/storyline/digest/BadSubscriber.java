package io.storyline.digest;

/**
 * A subscriber that fails validation. The message names where it came from (file and
 * position, or topic and key), the subscriber's email when it has one, and the key at fault,
 * which {@link #key()} gives alone (for the admin API's error answer).
 */
public final class BadSubscriber extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final String key;

    BadSubscriber(String key, String message) {
        super(message);
        this.key = key;
    }

    /** The key at fault, such as {@code zone} or {@code filters.min-sources}. */
    public String key() {
        return key;
    }
}
