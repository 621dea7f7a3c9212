package io.storyline.article;

import java.time.Instant;
import java.util.Objects;

/**
 * One news article as it enters the engine: the stable input format of Storyline.
 *
 * <p>Only {@code id} and one of {@code title}/{@code text} are required; {@code text} may be
 * HTML. A null {@code published} means the article has no event time and is placed by arrival
 * order.
 */
public record Article(
        String id,
        String url,
        String source,
        String lang,
        String title,
        String text,
        Instant published) {

    public Article {
        Objects.requireNonNull(id, "id");
        if (id.isBlank()) {
            throw new IllegalArgumentException("id is blank");
        }
        if (isBlank(title) && isBlank(text)) {
            throw new IllegalArgumentException("article " + id + " has neither title nor text");
        }
    }

    /** Convenience for tests and tools: an article with only a title, text and time. */
    public static Article of(String id, String title, String text, Instant published) {
        return new Article(id, null, null, null, title, text, published);
    }

    private static boolean isBlank(String s) {
        return s == null || s.isBlank();
    }
}
