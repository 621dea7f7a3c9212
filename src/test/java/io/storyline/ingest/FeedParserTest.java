package io.storyline.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.storyline.ingest.FeedProblem.Kind;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class FeedParserTest {

    private static final String URL = "https://gazette.example.com/feed.xml";
    private static final Instant FETCHED = Instant.parse("2025-11-04T00:00:00Z");

    private static ParsedFeed parse(String fixture) {
        return parse(fixture, null);
    }

    private static ParsedFeed parse(String fixture, String httpCharset) {
        return FeedParser.parse(URL, FixtureServer.resource("feeds/" + fixture), httpCharset,
                FETCHED);
    }

    private static List<Kind> kinds(ParsedFeed feed) {
        return feed.problems().stream().map(FeedProblem::what).collect(Collectors.toList());
    }

    private static void assertOnlyProblem(ParsedFeed feed, Kind kind, String text) {
        assertEquals(List.of(kind), kinds(feed), feed.problems().toString());
        FeedProblem p = feed.problems().get(0);
        assertEquals(URL, p.feedUrl());
        assertTrue(p.message().contains(URL), p.message());
        assertTrue(p.message().contains(text), p.message());
    }

    @Test
    void readsRss2EntriesInFeedOrder() {
        ParsedFeed feed = parse("rss2.xml");
        assertEquals(List.of(), feed.problems());
        assertEquals("The Harbour Gazette", feed.title());
        assertEquals("en", feed.language());
        assertEquals(3, feed.entries().size());

        FeedEntry bridge = feed.entries().get(0);
        assertEquals("Harbour bridge reopens after two years of repairs", bridge.title());
        assertEquals("https://gazette.example.com/news/bridge-reopens", bridge.url());
        assertTrue(bridge.text().startsWith("<p>The harbour bridge reopened"), bridge.text());
        assertEquals("The Harbour Gazette", bridge.source());
        assertEquals("en", bridge.lang());
        assertEquals(Instant.parse("2025-11-03T08:00:00Z"), bridge.published());
        assertEquals(URL, bridge.feedUrl());
        assertEquals(EntryIdentity.articleId(URL, "gazette-2025-1103-bridge", null, null, null,
                null), bridge.articleId());
        assertEquals(EntryIdentity.contentHash(bridge.title(), bridge.text()),
                bridge.contentHash());

        FeedEntry quotas = feed.entries().get(1);
        assertEquals("Quotas for cod and haddock fall by a fifth, the ministry said.",
                quotas.text());
        assertEquals("https://gazette.example.com/news/quotas?id=42", quotas.url());
        assertEquals(Instant.parse("2025-11-02T16:30:00Z"), quotas.published());
        assertEquals(EntryIdentity.articleId(URL, null,
                "https://gazette.example.com/news/quotas?id=42", null, null, null),
                quotas.articleId(), "no guid: the canonical link identifies it");

        FeedEntry lighthouse = feed.entries().get(2);
        assertEquals("<p>Margaret Hale climbed the 212 steps for the last time.</p>",
                lighthouse.text());
        assertNull(lighthouse.published());
    }

    @Test
    void readsAtomWithItsLanguageAndDates() {
        ParsedFeed feed = parse("atom.xml");
        assertEquals(List.of(), feed.problems());
        assertEquals("Le Courrier du Port", feed.title());
        assertEquals(2, feed.entries().size());
        FeedEntry first = feed.entries().get(0);
        assertEquals("Le pont du port rouvre après deux ans de travaux", first.title());
        assertTrue(first.text().contains("rouvert à la circulation"), first.text());
        assertEquals(Instant.parse("2025-11-03T08:00:00Z"), first.published());
        assertEquals("https://courrier.example.fr/actu/pont-rouvert", first.url());
        FeedEntry second = feed.entries().get(1);
        assertEquals(Instant.parse("2025-11-02T18:00:00Z"), second.published(),
                "updated when there is no published date");
        assertEquals("Les quotas de cabillaud baissent d'un cinquième.", second.text());
    }

    @Test
    void readsRss10() {
        ParsedFeed feed = parse("rss10.xml");
        assertEquals(List.of(), feed.problems());
        assertEquals("de", feed.language());
        assertEquals(List.of("Hafenbrücke wieder offen", "Fangquoten gesenkt"),
                feed.entries().stream().map(FeedEntry::title).collect(Collectors.toList()));
        assertEquals(Instant.parse("2025-11-03T08:00:00Z"), feed.entries().get(0).published());
    }

    @Test
    void readsRss091WithItsNetscapeDoctype() {
        ParsedFeed feed = parse("rss091.xml");
        assertEquals(List.of(), feed.problems());
        assertEquals("Old Netscape Channel", feed.title());
        assertEquals(2, feed.entries().size());
        assertEquals("http://old.example.com/1999/portal.html", feed.entries().get(0).url());
    }

    @Test
    void externalEntitiesAndDtdsAreNeverRead() throws Exception {
        String secret = Files.readString(FixtureServer.secretFile()).strip();
        try (FixtureServer server = FixtureServer.start(2)) {
            String xxe = FixtureServer.xxe(server.url(FixtureServer.XXE_PROBE));
            ParsedFeed feed = FeedParser.parse(URL, xxe.getBytes(StandardCharsets.UTF_8), null,
                    FETCHED);
            String everything = feed.toString();
            assertFalse(everything.contains(secret), everything);
            assertFalse(everything.contains("PROBE-REACHED"), everything);
            assertEquals(0, server.hits(FixtureServer.XXE_PROBE));
            assertEquals(0, server.hits(FixtureServer.XXE_PROBE + ".dtd"));
            assertEquals(1, feed.entries().size(), feed.problems().toString());
            assertTrue(feed.entries().get(0).title().startsWith("Exfiltrate"));
        }
    }

    @Test
    void entityExpansionBombsAreStoppedByTheJdkLimit() {
        StringBuilder doc = new StringBuilder("<?xml version=\"1.0\"?>\n<!DOCTYPE rss [\n"
                + "<!ENTITY l0 \"lol lol lol lol lol lol lol lol lol lol\">\n");
        for (int i = 1; i <= 9; i++) {
            doc.append("<!ENTITY l").append(i).append(" \"")
                    .append(("&l" + (i - 1) + ";").repeat(10)).append("\">\n");
        }
        doc.append("]>\n<rss version=\"2.0\"><channel><title>Bomb</title><item><title>&l9;"
                + "</title><link>https://bomb.example.com/a</link></item></channel></rss>");
        ParsedFeed feed = FeedParser.parse(URL, doc.toString().getBytes(StandardCharsets.UTF_8),
                null, FETCHED);
        assertEquals(List.of(), feed.entries());
        assertOnlyProblem(feed, Kind.MALFORMED, "entity expansions");
    }

    @Test
    void onlyTheFirstThousandEntriesAreReadAndTheRestCounted() {
        List<FixtureServer.Item> items = new java.util.ArrayList<>();
        for (int i = 0; i < 1500; i++) {
            items.add(new FixtureServer.Item("g" + i, "Entry " + i, null, null, null));
        }
        ParsedFeed feed = FeedParser.parse(URL, FixtureServer.rss("Many", "en", items)
                .getBytes(StandardCharsets.UTF_8), null, FETCHED);
        assertEquals(FeedParser.MAX_ENTRIES, feed.entries().size());
        assertEquals("Entry 999", feed.entries().get(999).title());
        assertOnlyProblem(feed, Kind.TOO_LARGE, URL + " lists 1500 entries; only the first "
                + FeedParser.MAX_ENTRIES + " are read");
    }

    @Test
    void deeplyNestedElementsAreMalformedNotAStackOverflow() {
        String doc = "<rss version=\"2.0\"><channel><title>Deep</title><item><title>t</title>"
                + "<description>" + "<b>".repeat(100_000) + "</b>".repeat(100_000)
                + "</description></item></channel></rss>";
        ParsedFeed feed = FeedParser.parse(URL, doc.getBytes(StandardCharsets.UTF_8), null,
                FETCHED);
        assertEquals(List.of(), feed.entries());
        assertOnlyProblem(feed, Kind.MALFORMED, "nested deeper than " + FeedParser.MAX_DEPTH);
    }

    @Test
    void aUtf16DeclarationWrittenInSingleBytesIsNotBelieved() {
        String doc = "<?xml version=\"1.0\" encoding=\"UTF-16\"?><rss version=\"2.0\"><channel>"
                + "<title>T</title><item><title>Caf\u00e9</title></item></channel></rss>";
        ParsedFeed feed = FeedParser.parse(URL, doc.getBytes(StandardCharsets.UTF_8), null,
                FETCHED);
        assertEquals("Caf\u00e9", feed.entries().get(0).title());
        assertOnlyProblem(feed, Kind.ENCODING, "declares UTF-16 but its bytes are not UTF-16");
    }

    @Test
    void aDateBeforeTheYear1800IsNoDate() {
        String doc = "<rss version=\"2.0\"><channel><title>T</title><item><title>Epoch</title>"
                + "<pubDate>1700000000</pubDate></item><item><title>Old</title>"
                + "<pubDate>Mon, 01 Jan 1700 00:00:00 GMT</pubDate></item></channel></rss>";
        ParsedFeed feed = FeedParser.parse(URL, doc.getBytes(StandardCharsets.UTF_8), null,
                FETCHED);
        assertEquals(2, feed.entries().size());
        assertNull(feed.entries().get(0).published());
        assertNull(feed.entries().get(1).published());
    }

    @Test
    void malformedXmlIsAProblem() {
        ParsedFeed feed = parse("malformed.xml");
        assertOnlyProblem(feed, Kind.MALFORMED, URL + " is not well-formed XML: ");
        assertEquals(List.of(), feed.entries());
    }

    @Test
    void anHtmlPageIsNotAFeed() {
        assertOnlyProblem(parse("page.html"), Kind.NOT_A_FEED, URL + " is an HTML page");
        String xhtml = "<?xml version=\"1.0\"?><html xmlns=\"http://www.w3.org/1999/xhtml\">"
                + "<body><p>hi</p></body></html>";
        ParsedFeed feed = FeedParser.parse(URL, xhtml.getBytes(StandardCharsets.UTF_8), null,
                FETCHED);
        assertEquals(List.of(Kind.NOT_A_FEED), kinds(feed));
        String other = "<?xml version=\"1.0\"?><config><a>1</a></config>";
        feed = FeedParser.parse(URL, other.getBytes(StandardCharsets.UTF_8), null, FETCHED);
        assertOnlyProblem(feed, Kind.NOT_A_FEED, "neither RSS nor Atom");
    }

    @Test
    void aLongWhiteSpacePrologIsReadNotAStackOverflow() {
        String rss = FixtureServer.resourceText("feeds/rss2.xml");
        String withoutDeclaration = rss.substring(rss.indexOf("<rss"));
        // Each space was one level of recursion in the old prolog regex: ~2,000 overflowed.
        String spaces = " \n\t ".repeat(5_000);
        ParsedFeed feed = FeedParser.parse(URL, (spaces + withoutDeclaration)
                .getBytes(StandardCharsets.UTF_8), null, FETCHED);
        assertEquals(3, feed.entries().size(), feed.problems().toString());

        String html = spaces.substring(0, 3_000) + "<!-- a -->\n<!-- b -->  <!DOCTYPE html>"
                + "<html><body>x</body></html>";
        assertOnlyProblem(FeedParser.parse(URL, html.getBytes(StandardCharsets.UTF_8), null,
                FETCHED), Kind.NOT_A_FEED, "is an HTML page");
    }

    @Test
    void longTextsAndTitlesAreCutAndMarkedTruncated() {
        String doc = "<rss version=\"2.0\"><channel><title>Long</title>"
                + "<item><guid>long</guid><title>" + "T".repeat(5_000) + "</title><description>"
                + "word ".repeat(50_000) + "</description></item>"
                + "<item><guid>short</guid><title>Short</title><description>A short text."
                + "</description></item></channel></rss>";
        ParsedFeed feed = FeedParser.parse(URL, doc.getBytes(StandardCharsets.UTF_8), null,
                FETCHED, 100_000);
        FeedEntry cut = feed.entries().get(0);
        assertEquals(100_000, cut.text().length());
        assertEquals(FeedEntry.TITLE_CHARS, cut.title().length());
        assertTrue(cut.truncated());
        assertFalse(feed.entries().get(1).truncated());
        assertEquals(EntryIdentity.contentHash(cut.title(), cut.text()), cut.contentHash(),
                "the hash is of what is published");
        assertEquals(1_000, FeedParser.parse(URL, doc.getBytes(StandardCharsets.UTF_8), null,
                FETCHED, 1_000).entries().get(0).text().length());
    }

    @Test
    void aCutNeverSplitsASurrogatePair() {
        String emoji = "ab\uD83D\uDE00cd";
        assertEquals("ab", FeedEntry.cut(emoji, 3));
        assertEquals("ab\uD83D\uDE00", FeedEntry.cut(emoji, 4));
        assertEquals(emoji, FeedEntry.cut(emoji, 10));
    }

    @Test
    void htmlIsRecognisedAfterSpacesAndCommentsOnly() {
        assertTrue(FeedParser.startsLikeHtml("  <!-- x --><HTML lang=en>"));
        assertTrue(FeedParser.startsLikeHtml("<!doctype  html><p>"));
        assertTrue(FeedParser.startsLikeHtml("<html>"));
        assertFalse(FeedParser.startsLikeHtml("<htmlx>"));
        assertFalse(FeedParser.startsLikeHtml("<!-- unclosed <html>"));
        assertFalse(FeedParser.startsLikeHtml("<rss><html></html></rss>"));
        assertFalse(FeedParser.startsLikeHtml(" ".repeat(5_000) + "<html>"));
    }

    @Test
    void emptyBodiesAndFeedsWithoutEntriesAreProblems() {
        ParsedFeed empty = parse("empty.xml");
        assertOnlyProblem(empty, Kind.EMPTY, URL + " has no entries");
        assertEquals("Quiet Channel", empty.title());
        assertOnlyProblem(FeedParser.parse(URL, new byte[0], null, FETCHED), Kind.EMPTY,
                "empty body");
    }

    @Test
    void undeclaredLatin1IsDecodedAndReported() {
        ParsedFeed feed = parse("latin1.xml");
        assertEquals("Le Journal de Québec", feed.title());
        assertEquals("Été record à Montréal", feed.entries().get(0).title());
        assertEquals("fr", feed.language());
        assertOnlyProblem(feed, Kind.ENCODING, "declares no charset and is not UTF-8");
    }

    @Test
    void latin1DeclaredAsUtf8IsDecodedAndReported() {
        ParsedFeed feed = parse("latin1-declared-utf8.xml");
        assertEquals("Été record à Montréal", feed.entries().get(0).title());
        assertOnlyProblem(feed, Kind.ENCODING, "declares UTF-8 but its bytes are not UTF-8");
    }

    @Test
    void theHttpCharsetIsUsedWhenTheDocumentDeclaresNone() {
        ParsedFeed feed = parse("latin1.xml", "ISO-8859-1");
        assertEquals(List.of(), feed.problems());
        assertEquals("Été record à Montréal", feed.entries().get(0).title());
        ParsedFeed unknown = parse("latin1.xml", "x-klingon");
        assertEquals("Été record à Montréal", unknown.entries().get(0).title());
        assertOnlyProblem(unknown, Kind.ENCODING, "declares an unknown charset x-klingon");
    }

    @Test
    void aByteOrderMarkDecides() {
        ParsedFeed feed = parse("utf16-bom.xml");
        assertEquals(List.of(), feed.problems());
        assertEquals("Été record à Montréal", feed.entries().get(0).title());
        byte[] utf8 = ("\uFEFF" + FixtureServer.resourceText("feeds/rss2.xml"))
                .getBytes(StandardCharsets.UTF_8);
        assertEquals(3, FeedParser.parse(URL, utf8, "ISO-8859-1", FETCHED).entries().size());
    }

    @Test
    void badEntriesAreSkippedAndTheOthersKept() {
        ParsedFeed feed = parse("bad-entries.xml");
        assertEquals(List.of("A good entry", "No link, no guid, only a title", "",
                "From the future"),
                feed.entries().stream().map(FeedEntry::title).collect(Collectors.toList()));
        assertOnlyProblem(feed, Kind.BAD_ENTRY, "entry 2 of " + URL
                + " has neither title nor text; skipped");

        FeedEntry noLink = feed.entries().get(1);
        assertNull(noLink.url());
        assertEquals(EntryIdentity.articleId(URL, null, null, "No link, no guid, only a title",
                "", Instant.parse("2025-11-03T06:00:00Z")), noLink.articleId());
        FeedEntry untitled = feed.entries().get(2);
        assertEquals("Text without a title.", untitled.text());
        assertNull(untitled.published(), "an unreadable date is no date");
        assertEquals(FETCHED, feed.entries().get(3).published(), "future dates are clamped");
    }

    @Test
    void relativeLinksAreResolvedAgainstTheFeed() {
        String doc = "<rss version=\"2.0\"><channel><title>T</title>"
                + "<item><title>Rel</title><link>/news/rel?utm_source=x</link></item>"
                + "</channel></rss>";
        ParsedFeed feed = FeedParser.parse(URL, doc.getBytes(StandardCharsets.UTF_8), null,
                FETCHED);
        assertEquals("https://gazette.example.com/news/rel", feed.entries().get(0).url());
    }

    @Test
    void sourceFallsBackToTheHostAndLanguageToNull() {
        String doc = "<rss version=\"2.0\"><channel><language>English</language>"
                + "<item><title>Untitled feed</title></item></channel></rss>";
        ParsedFeed feed = FeedParser.parse(URL, doc.getBytes(StandardCharsets.UTF_8), null,
                FETCHED);
        assertEquals("gazette.example.com", feed.entries().get(0).source());
        assertNull(feed.entries().get(0).lang());
        assertEquals("pt", FeedParser.language("pt_BR"));
        assertNull(FeedParser.language("eng"));
    }

    @Test
    void parsesWhatTheFetcherBrings() {
        try (FixtureServer server = FixtureServer.start(2);
                FeedFetcher fetcher = new FeedFetcher(FeedFetcherTest.config())) {
            for (String path : List.of(FixtureServer.GZIP, FixtureServer.LATIN1,
                    FixtureServer.RSS091, FixtureServer.ATOM, FixtureServer.CHAIN)) {
                FetchResult fetched = fetcher.fetch(server.url(path));
                ParsedFeed feed = FeedParser.parse(fetched, FETCHED);
                assertFalse(feed.entries().isEmpty(), path + ": " + feed.problems());
                assertEquals(server.url(path), feed.feedUrl());
            }
            FeedState state = FeedState.initial(server.url(FixtureServer.GROWING),
                    Duration.ofMinutes(1), FETCHED);
            assertEquals(1, FeedParser.parse(fetcher.fetch(state), FETCHED).entries().size());
            assertEquals(2, FeedParser.parse(fetcher.fetch(state), FETCHED).entries().size());
        }
    }
}
