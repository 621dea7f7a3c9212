package io.storyline.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.StringWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OpmlTest {

    private static final Path FIXTURES = Path.of("src", "test", "resources", "ingest");

    @TempDir
    Path dir;

    private final List<String> warnings = new ArrayList<>();

    private String readError(Path file) {
        return assertThrows(IllegalArgumentException.class,
                () -> Opml.read(file, warnings::add)).getMessage();
    }

    @Test
    void nestedOutlinesAreFlattenedInDocumentOrderAndDuplicatesKeptOnce() {
        Path file = FIXTURES.resolve("nested.opml");
        List<FeedSpec> feeds = Opml.read(file, warnings::add);
        assertEquals(List.of(
                new FeedSpec("https://horizon-info.example/feeds/monde.atom", "Horizon Info"),
                new FeedSpec("http://www.leveilleur.example/feeds/monde.atom",
                        "Le Veilleur - Monde"),
                new FeedSpec("file:seeds/feeds/le-veilleur.atom.xml", "Local sample")), feeds);
        assertEquals(List.of(
                "OPML file " + file + ": outline 'Empty folder' has no xmlUrl and no children,"
                        + " skipped",
                "OPML file " + file + ": feed URL 'https://horizon-info.example/feeds/monde.atom'"
                        + " is listed again (outline 'Horizon Info again'), kept once"),
                warnings);
    }

    @Test
    void writeThenReadGivesTheSameListInTheSameOrder() throws IOException {
        List<FeedSpec> feeds = List.of(
                new FeedSpec("https://b.example/feed.xml", "Bé & <co>"),
                new FeedSpec("file:seeds/feeds/le-veilleur.atom.xml", "Le Veilleur - Monde"),
                new FeedSpec("http://a.example/rss", ""));
        Path file = dir.resolve("out.opml");
        Opml.write(feeds, file);
        assertEquals(feeds, Opml.read(file, warnings::add));
        assertEquals(List.of(), warnings);
        assertTrue(Files.readString(file, StandardCharsets.UTF_8).contains("version=\"2.0\""));
    }

    @Test
    void writingIsDeterministic() throws IOException {
        List<FeedSpec> feeds = List.of(new FeedSpec("https://a.example/feed", "A"));
        StringWriter first = new StringWriter();
        StringWriter second = new StringWriter();
        Opml.write(feeds, first);
        Opml.write(feeds, second);
        assertEquals(first.toString(), second.toString());
    }

    @Test
    void relativeFileUrlsAreKeptAsWritten() {
        List<FeedSpec> feeds = Opml.read(FIXTURES.resolve("nested.opml"), warnings::add);
        assertEquals("file:seeds/feeds/le-veilleur.atom.xml", feeds.get(2).url());
    }

    @Test
    void aMissingFileIsNamed() {
        Path file = dir.resolve("nope.opml");
        assertEquals("OPML file " + file + " does not exist", readError(file));
    }

    @Test
    void aFileThatIsNotXmlIsNamedWithTheLine() {
        Path file = FIXTURES.resolve("not-xml.opml");
        String message = readError(file);
        assertTrue(message.startsWith("OPML file " + file + " is not XML (line 6)"), message);
    }

    @Test
    void aFeedIsNotAFeedList() {
        Path file = FIXTURES.resolve("rss-not-opml.opml");
        assertEquals("OPML file " + file + " is not OPML but a rss_2.0 feed", readError(file));
    }

    @Test
    void otherXmlIsNotOpml() {
        Path file = FIXTURES.resolve("html-not-opml.opml");
        assertEquals("OPML file " + file
                + " is not OPML (no <opml> root element of version 1.0 or 2.0)", readError(file));
    }

    @Test
    void aFeedUrlOfAnotherSchemeNamesTheFileAndTheOutline() {
        Path file = FIXTURES.resolve("ftp-feed.opml");
        assertEquals("OPML file " + file + ": outline 'Archive': feed URL "
                + "'ftp://archive.example/feed.xml' is not http, https or file", readError(file));
    }

    @Test
    void theShippedFeedListNamesTheNineSampleFeedsAndTheyExist() {
        List<FeedSpec> feeds = Opml.read(Path.of("config", "feeds.opml"), warnings::add);
        assertEquals(9, feeds.size());
        assertEquals(List.of(), warnings);
        for (FeedSpec feed : feeds) {
            assertTrue(feed.url().startsWith("file:seeds/feeds/"), feed.url());
            assertTrue(!feed.title().isEmpty(), feed.url());
            Path path = Path.of(URI.create(feed.url()).getSchemeSpecificPart());
            assertTrue(Files.isRegularFile(path), feed.url() + " names no file");
        }
        try (var files = Files.list(Path.of("seeds", "feeds"))) {
            assertEquals(9, files.count(), "one outline per file in seeds/feeds");
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
