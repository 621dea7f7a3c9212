package io.storyline.ingest;

import io.storyline.article.CanonicalUrl;
import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.time.Instant;
import java.util.regex.Pattern;
import org.jsoup.Jsoup;

/**
 * The stable article id of a feed entry, and the hash that tells its revisions apart. The id
 * must survive re-fetches, tracking parameters and reordering, so it comes from the most
 * stable thing an entry has: its GUID (scoped by feed, as GUIDs are unique only per feed),
 * else its canonical link, else its title and date (scoped by feed).
 */
public final class EntryIdentity {

    private static final Pattern SPACES = Pattern.compile("\\s+");

    private EntryIdentity() {
    }

    /**
     * {@code "a"} + 16 hex digits of SHA-256 of the identity key, or null when the entry has
     * no GUID, no article link, no title and no text.
     */
    public static String articleId(String feedUrl, String guid, String link, String title,
            String text, Instant published) {
        String key = key(feedUrl, guid, link, title, text, published);
        return key == null ? null : "a" + FeedFetcher.sha256(
                key.getBytes(StandardCharsets.UTF_8)).substring(0, 16);
    }

    /** The string the id is a hash of (package-visible so tests can see which rule applied). */
    static String key(String feedUrl, String guid, String link, String title, String text,
            Instant published) {
        if (guid != null && !guid.isBlank()) {
            return "guid\n" + feedUrl + "\n" + guid.strip();
        }
        String canonical = CanonicalUrl.of(link);
        if (canonical != null) {
            return "url\n" + canonical;
        }
        String words = normalize(title);
        if (words.isEmpty()) {
            words = normalize(visibleText(text));
        }
        if (words.isEmpty()) {
            return null;
        }
        return "title\n" + feedUrl + "\n" + words + "\n" + (published == null ? "" : published);
    }

    /**
     * SHA-256 (hex) of the entry's visible title and text: markup, entities, Unicode form and
     * spacing are normalised away, so a feed that re-renders the same words (or injects a
     * fresh tracking pixel each time) does not look like a revision.
     */
    public static String contentHash(String title, String text) {
        String visible = normalize(visibleText(title)) + "\n" + normalize(visibleText(text));
        return FeedFetcher.sha256(visible.getBytes(StandardCharsets.UTF_8));
    }

    /** The text a reader would see: tags dropped and entities decoded when it is HTML. */
    static String visibleText(String maybeHtml) {
        if (maybeHtml == null) {
            return "";
        }
        if (maybeHtml.indexOf('<') < 0 && maybeHtml.indexOf('&') < 0) {
            return maybeHtml;
        }
        return Jsoup.parseBodyFragment(maybeHtml).text();
    }

    private static String normalize(String s) {
        if (s == null) {
            return "";
        }
        return SPACES.matcher(Normalizer.normalize(s, Normalizer.Form.NFC)).replaceAll(" ")
                .strip();
    }
}
