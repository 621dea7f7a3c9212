package io.storyline.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.storyline.config.IngestConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PageExtractorTest {

    @TempDir
    Path dir;

    private static String extract(String page) {
        return PageExtractor.extract(FixtureServer.resourceText("pages/" + page),
                "https://example.com/" + page);
    }

    private static void assertKeeps(String text, String... phrases) {
        for (String phrase : phrases) {
            assertTrue(text.contains(phrase), "lost \"" + phrase + "\" from:\n" + text);
        }
    }

    private static void assertDrops(String text, String... phrases) {
        for (String phrase : phrases) {
            assertFalse(text.contains(phrase), "kept \"" + phrase + "\" in:\n" + text);
        }
    }

    @Test
    void englishNewsKeepsTheStoryAndDropsTheChrome() {
        String text = extract("en-news.html");
        List<String> paragraphs = List.of(text.split("\n\n"));
        assertEquals(6, paragraphs.size(), text);
        assertEquals("The harbour bridge reopened to traffic on Monday morning, two years after"
                + " engineers closed it when divers found cracks in two of its six granite"
                + " piers.", paragraphs.get(0));
        assertKeeps(text, "\"It has been a long two years,\" said Ruth Calloway",
                "Cyclists, however, will have to wait until spring");
        assertDrops(text, "We use cookies", "Share on Facebook", "Related stories",
                "Bridge repair bill doubles", "Finally! I have been taking the ferry",
                "Typical of this council", "morning briefing", "All rights reserved", "Sport",
                "Served by cache node");
    }

    @Test
    void frenchNewsKeepsTheStoryAndDropsTheChrome() {
        String text = extract("fr-news.html");
        assertEquals(5, text.split("\n\n").length, text);
        assertKeeps(text, "Le Conseil constitutionnel a été saisi mardi",
                "« Nous ne demandons pas au Conseil de juger l'opportunité de la réforme",
                "Les neuf membres du Conseil disposent d'un mois");
        assertDrops(text, "nos partenaires et nous utilisons des cookies", "Partager sur",
                "À lire aussi", "Grève du 12 décembre", "Encore une réforme passée en force",
                "Les plus lus", "Tempête", "Mentions légales", "Accueil");
    }

    @Test
    void blogWithDivParagraphsAndLongCommentsKeepsThePost() {
        String text = extract("en-blog.html");
        assertKeeps(text, "Now that the bridge is open again, the council wants to cut",
                "The figures the council published last week count tickets, not people",
                "So here is my proposal");
        assertDrops(text, "I work nights at the hospital", "Sentiment is not a budget",
                "Popular posts", "Ten walks", "Share this", "Powered by", "Archive");
    }

    @Test
    void aSectionFrontHasNoArticle() {
        assertNull(extract("fr-index.html"));
        assertNull(PageExtractor.extract("<html><body><p>Too short.</p></body></html>", null));
        assertNull(PageExtractor.extract("", "https://example.com/"));
    }

    @Test
    void bytesAreDecodedByTheirMetaCharset() {
        String html = FixtureServer.resourceText("pages/fr-news.html")
                .replace("<meta charset=\"utf-8\">", "<meta charset=\"iso-8859-1\">");
        byte[] latin1 = html.getBytes(StandardCharsets.ISO_8859_1);
        String text = PageExtractor.extract(latin1, null, "https://example.fr/a");
        assertKeeps(text, "Le Conseil constitutionnel a été saisi mardi");
    }

    @Test
    void articlePagesCompleteShortSummariesOfHttpFeedsOnly() throws Exception {
        Instant now = Instant.parse("2025-11-04T00:00:00Z");
        try (FixtureServer server = FixtureServer.start(4);
                FeedFetcher fetcher = new FeedFetcher(FeedFetcherTest.config())) {
            ArticlePages pages = new ArticlePages(FeedFetcherTest.config(), fetcher);
            String feedUrl = server.url(FixtureServer.WITH_PAGES);
            List<FeedEntry> entries = FeedParser.parse(fetcher.fetch(feedUrl), now).entries();
            FeedEntry en = entries.get(0);
            assertEquals("The bridge reopened on Monday.", en.text());
            FeedEntry completed = pages.complete(en);
            assertTrue(completed.text().startsWith("The harbour bridge reopened to traffic"),
                    completed.text());
            assertEquals(en.contentHash(), completed.contentHash());
            assertTrue(pages.complete(entries.get(1)).text()
                    .contains("Le Conseil constitutionnel a été saisi mardi"));

            // The same feed read from a file: its links point at the server, but a local
            // feed never makes us fetch pages.
            Path file = dir.resolve("with-pages.xml");
            Files.write(file, fetcher.fetch(feedUrl).body());
            int hits = server.hits(FixtureServer.ARTICLES + "en-news.html");
            FeedEntry local = FeedParser.parse(fetcher.fetch(file.toUri().toString()), now)
                    .entries().get(0);
            assertSame(local, pages.complete(local));
            assertEquals(hits, server.hits(FixtureServer.ARTICLES + "en-news.html"));

            IngestConfig off = FeedFetcherTest.config("ingest.fetch-pages", "false");
            assertSame(en, new ArticlePages(off, fetcher).complete(en));
            IngestConfig shortOnly = FeedFetcherTest.config("ingest.short-summary.chars", "10");
            assertFalse(new ArticlePages(shortOnly, fetcher).wanted(en));
            FeedEntry missing = new FeedEntry("a1", feedUrl,
                    server.url(FixtureServer.ARTICLES + "gone.html"), "T", "short", "S", null,
                    null, "h");
            assertSame(missing, pages.complete(missing));
        }
    }

    @Test
    void aPageIsCutBeforeJsoupAndItsTextToTheArticleLimit() {
        String paragraph = "<p>The harbour bridge reopened to traffic on Monday, with new lanes,"
                + " after two years of repairs paid for by the city and the port.</p>\n";
        byte[] html = ("<html><body><article>" + paragraph.repeat(400)
                + "<p>THE END</p></article></body></html>").getBytes(StandardCharsets.UTF_8);
        try (FixtureServer server = FixtureServer.start(2)) {
            server.route("/long.html", r -> FixtureServer.Response.ok("text/html", html));
            IngestConfig config = FeedFetcherTest.config("ingest.max-page.bytes", "16384",
                    "ingest.max-article.chars", "1000");
            try (FeedFetcher fetcher = new FeedFetcher(config)) {
                FeedEntry entry = new FeedEntry("a1", "https://news.example.com/feed.xml",
                        server.url("/long.html"), "Bridge", "It reopened.", "News", "en", null,
                        "h");
                FeedEntry completed = new ArticlePages(config, fetcher).complete(entry);
                assertEquals(1000, completed.text().length());
                assertTrue(completed.truncated());
                assertEquals(0, fetcher.bytesInFlight(), "the page released once read");

                FetchResult page = fetcher.fetchPage(server.url("/long.html"));
                assertEquals(16384, page.body().length, "jsoup gets the head of the page only");
                fetcher.release(page);
            }
        }
    }

    @Test
    void aLinkToAPrivateAddressIsNeverFetched() {
        IngestConfig strict = FeedFetcherTest.config("ingest.allow-private-addresses", "false");
        try (FixtureServer server = FixtureServer.start(2);
                FeedFetcher fetcher = new FeedFetcher(strict)) {
            String page = FixtureServer.ARTICLES + "en-news.html";
            FeedEntry entry = new FeedEntry("a1", "https://news.example.com/feed.xml",
                    server.url(page), "Bridge", "The bridge reopened on Monday.", "News",
                    "en", null, "h");
            assertSame(entry, new ArticlePages(strict, fetcher).complete(entry));
            assertEquals(0, server.hits(page));
        }
    }

    @Test
    void twoBlocksThatScoreAlikeGiveTheFirstOnEveryParse() {
        String paragraph = "<p>%s one, two, three, four and five words here to make a"
                + " paragraph long enough to count as the text of an article.</p>";
        String block = "<div class=\"story\">" + paragraph + paragraph + paragraph + "</div>";
        String page = "<html><body>" + String.format(block, "Alpha", "Alpha", "Alpha")
                + String.format(block, "Bravo", "Bravo", "Bravo") + "</body></html>";
        for (int k = 0; k < 50; k++) {
            String text = PageExtractor.extract(page, "https://example.com/tie");
            assertKeeps(text, "Alpha one");
            assertDrops(text, "Bravo");
        }
    }
}
