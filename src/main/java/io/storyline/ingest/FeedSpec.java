package io.storyline.ingest;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * One feed to follow: its URL (http, https, or file for the offline sample; a relative
 * {@code file:} URL is kept as written and resolved later against the working directory) and
 * a title for people. The URL is the feed's identity everywhere, so it is checked here once.
 */
public record FeedSpec(String url, String title) {

    private static final Set<String> SCHEMES = Set.of("http", "https", "file");

    public FeedSpec {
        Objects.requireNonNull(url, "url");
        url = url.strip();
        title = title == null ? "" : title.strip();
        checkUrl(url);
    }

    private static void checkUrl(String url) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("feed URL '" + url + "' is not a valid URL: "
                    + e.getReason() + " at index " + e.getIndex());
        }
        String scheme = uri.getScheme();
        if (scheme == null || !SCHEMES.contains(scheme.toLowerCase(Locale.ROOT))) {
            throw new IllegalArgumentException(
                    "feed URL '" + url + "' is not http, https or file");
        }
        if (!scheme.equalsIgnoreCase("file") && uri.getHost() == null) {
            throw new IllegalArgumentException("feed URL '" + url + "' has no host");
        }
    }
}
