package io.storyline.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class FeedSpecTest {

    private static String error(String url) {
        return assertThrows(IllegalArgumentException.class, () -> new FeedSpec(url, "t"))
                .getMessage();
    }

    @Test
    void acceptsHttpHttpsAndFileAndTrims() {
        assertEquals("https://a.example/rss", new FeedSpec(" https://a.example/rss ", null).url());
        assertEquals("", new FeedSpec("HTTP://a.example/rss", null).title());
        assertEquals("file:seeds/feeds/x.xml", new FeedSpec("file:seeds/feeds/x.xml", "X").url());
        assertEquals("Title", new FeedSpec("file:///srv/x.xml", " Title ").title());
    }

    @Test
    void otherSchemesAndNonUrlsAreRejectedNamingTheUrl() {
        assertEquals("feed URL 'ftp://a.example/rss' is not http, https or file",
                error("ftp://a.example/rss"));
        assertEquals("feed URL 'a.example/rss' is not http, https or file",
                error("a.example/rss"));
        assertEquals("feed URL 'https:/rss' has no host", error("https:/rss"));
        assertEquals("feed URL 'http://a b' is not a valid URL: Illegal character in authority"
                + " at index 7", error("http://a b"));
    }
}
