package io.storyline.pipeline;

import io.storyline.article.Article;
import java.time.Instant;
import java.util.Objects;

/**
 * One record of {@code storyline.articles}: an article (or a revision of one) as an ingestor
 * published it.
 *
 * @param article  the article in the engine's input format
 * @param revision 0 for the first version; each change of the entry's content adds one
 * @param feed     the feed it came from, or null (articles published by other tools)
 * @param fetched  when the ingestor fetched it (for latency figures; never read by the engine)
 * @param truncated whether the ingestor cut the title or text to its limits
 *                 ({@code ingest.max-article.chars})
 */
public record ArticleMessage(Article article, int revision, String feed, Instant fetched,
        boolean truncated) {

    /** An article published whole. */
    public ArticleMessage(Article article, int revision, String feed, Instant fetched) {
        this(article, revision, feed, fetched, false);
    }

    public ArticleMessage {
        Objects.requireNonNull(article, "article");
        if (revision < 0) {
            throw new IllegalArgumentException("article " + article.id()
                    + " has a negative revision " + revision);
        }
    }
}
