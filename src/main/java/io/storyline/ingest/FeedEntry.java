package io.storyline.ingest;

import io.storyline.article.Article;
import java.time.Instant;
import java.util.Objects;

/**
 * One entry of a parsed feed: what crosses the ingest edge, with no Rome types.
 *
 * @param articleId   stable id ({@link EntryIdentity#articleId})
 * @param feedUrl     the feed it came from, as configured
 * @param url         the entry's canonical link, or null
 * @param title       the title, or "" when it has none
 * @param text        the content, else the description, else ""; may be HTML, kept as is
 * @param source      the feed's title, else its host
 * @param lang        the feed's language as two lower-case letters, or null
 * @param published   published, else updated; never after the fetch; null when undated
 * @param contentHash {@link EntryIdentity#contentHash} of the feed's title and text; kept when
 *                    the text is replaced by the article page's, so revisions are judged on
 *                    what the feed says
 */
public record FeedEntry(
        String articleId,
        String feedUrl,
        String url,
        String title,
        String text,
        String source,
        String lang,
        Instant published,
        String contentHash) {

    public FeedEntry {
        Objects.requireNonNull(articleId, "articleId");
        Objects.requireNonNull(feedUrl, "feedUrl");
        Objects.requireNonNull(contentHash, "contentHash");
        title = title == null ? "" : title;
        text = text == null ? "" : text;
    }

    /** The same entry with the text of its article page. */
    public FeedEntry withText(String pageText) {
        return new FeedEntry(articleId, feedUrl, url, title, pageText, source, lang, published,
                contentHash);
    }

    /** The engine's input record for this entry. */
    public Article toArticle() {
        return new Article(articleId, url, source, lang, title, text, published);
    }
}
