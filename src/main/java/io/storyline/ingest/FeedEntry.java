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
 * @param truncated   whether the title or text was cut to the ingest limits
 *                    ({@link #TITLE_CHARS}, {@code ingest.max-article.chars})
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
        String contentHash,
        boolean truncated) {

    /** Titles are cut here: a headline, not a text. */
    public static final int TITLE_CHARS = 1_000;

    public FeedEntry {
        Objects.requireNonNull(articleId, "articleId");
        Objects.requireNonNull(feedUrl, "feedUrl");
        Objects.requireNonNull(contentHash, "contentHash");
        title = title == null ? "" : title;
        text = text == null ? "" : text;
    }

    /** An entry whose title and text are within the limits. */
    public FeedEntry(String articleId, String feedUrl, String url, String title, String text,
            String source, String lang, Instant published, String contentHash) {
        this(articleId, feedUrl, url, title, text, source, lang, published, contentHash, false);
    }

    /** The same entry with the text of its article page, cut to {@code maxChars}. */
    public FeedEntry withText(String pageText, int maxChars) {
        String cut = cut(pageText, maxChars);
        return new FeedEntry(articleId, feedUrl, url, title, cut, source, lang, published,
                contentHash, truncated || cut.length() < pageText.length());
    }

    /**
     * The first {@code maxChars} characters of {@code s} (one fewer rather than half a
     * surrogate pair), or {@code s} itself when it is short enough or null.
     */
    public static String cut(String s, int maxChars) {
        if (s == null || s.length() <= maxChars) {
            return s;
        }
        int end = Character.isHighSurrogate(s.charAt(maxChars - 1)) ? maxChars - 1 : maxChars;
        return s.substring(0, end);
    }

    /** The engine's input record for this entry. */
    public Article toArticle() {
        return new Article(articleId, url, source, lang, title, text, published);
    }
}
