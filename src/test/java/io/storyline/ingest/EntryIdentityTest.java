package io.storyline.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class EntryIdentityTest {

    private static final String FEED = "https://a.example.com/feed.xml";
    private static final String OTHER_FEED = "https://b.example.com/rss";
    private static final Instant T = Instant.parse("2025-11-03T08:00:00Z");

    private static String id(String feed, String guid, String link, String title,
            Instant published) {
        return EntryIdentity.articleId(feed, guid, link, title, "text", published);
    }

    @Test
    void anIdIsAShortStableString() {
        String id = id(FEED, "guid-1", null, null, null);
        assertTrue(id.matches("a[0-9a-f]{16}"), id);
        assertEquals(id, id(FEED, " guid-1 ", "https://x.example.com/other", "Other", T));
    }

    @Test
    void guidsAreScopedByFeed() {
        assertNotEquals(id(FEED, "1234", null, "T", T), id(OTHER_FEED, "1234", null, "T", T));
        assertEquals("guid\n" + FEED + "\n1234",
                EntryIdentity.key(FEED, "1234", "https://a.example.com/x", "T", "", T));
    }

    @Test
    void withoutAGuidTheCanonicalLinkIdentifiesAcrossFeeds() {
        String plain = id(FEED, null, "https://news.example.com/story/7?page=2", "A", T);
        assertEquals(plain, id(OTHER_FEED, null,
                "HTTPS://News.Example.com:443/story/7?utm_source=rss&page=2&fbclid=x&gclid=y"
                        + "&mc_cid=1&mc_eid=2&ref=feed#comments", "Another title", null));
        assertNotEquals(plain, id(FEED, null, "https://news.example.com/story/7?page=3", "A",
                T), "other query parameters are kept");
        assertEquals("url\nhttps://news.example.com/story/7?page=2", EntryIdentity.key(FEED,
                null, "https://news.example.com/story/7?page=2", "A", "", T));
    }

    @Test
    void withoutGuidOrArticleLinkTitleAndDateIdentifyWithinTheFeed() {
        String id = id(FEED, null, null, "Bridge  reopens", T);
        assertEquals(id, id(FEED, "", "https://a.example.com/", "Bridge reopens", T),
                "a home-page link identifies nothing; spacing is normalised");
        assertNotEquals(id, id(OTHER_FEED, null, null, "Bridge reopens", T));
        assertNotEquals(id, id(FEED, null, null, "Bridge reopens", T.plusSeconds(1)));
        assertEquals("title\n" + FEED + "\nBridge reopens\n",
                EntryIdentity.key(FEED, null, "not a link", "Bridge reopens", "", null));
        assertEquals("title\n" + FEED + "\nOnly text\n",
                EntryIdentity.key(FEED, null, null, " ", "<p>Only <b>text</b></p>", null));
    }

    @Test
    void anEntryWithNothingHasNoId() {
        assertNull(EntryIdentity.articleId(FEED, null, null, "", "  ", T));
    }

    @Test
    void contentHashIgnoresMarkupEntitiesAndSpacing() {
        String hash = EntryIdentity.contentHash("Bridge reopens", "The bridge reopened.");
        assertTrue(hash.matches("[0-9a-f]{64}"), hash);
        assertEquals(hash, EntryIdentity.contentHash(" Bridge\n reopens ",
                "<p>The bridge&#32;reopened.</p><img src=\"https://t.example/px?u=123\">"));
        assertEquals(EntryIdentity.contentHash("Café", ""),
                EntryIdentity.contentHash("Cafe\u0301", ""), "Unicode forms are equal");
        assertNotEquals(hash, EntryIdentity.contentHash("Bridge reopens",
                "The bridge reopened on Monday."));
        assertNotEquals(EntryIdentity.contentHash("a b", ""), EntryIdentity.contentHash("a",
                "b"), "title and text are kept apart");
    }
}
