package io.storyline.ingest;

import com.rometools.opml.feed.opml.Attribute;
import com.rometools.opml.feed.opml.Outline;
import com.rometools.rome.feed.WireFeed;
import com.rometools.rome.io.FeedException;
import com.rometools.rome.io.ParsingFeedException;
import com.rometools.rome.io.WireFeedInput;
import com.rometools.rome.io.WireFeedOutput;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Reads and writes feed lists as OPML, the format every feed reader exports. Categories are
 * flattened: Storyline groups articles by story, not by the reader's folders.
 */
public final class Opml {

    private static final String FEED_TYPE = "opml_2.0";
    private static final String DOCUMENT_TITLE = "Storyline feeds";

    private Opml() {
    }

    /**
     * The feeds of an OPML 1.0 or 2.0 file, in document order. A URL listed twice is kept once
     * and reported to {@code warnings}; an outline without a feed URL and without children
     * (an empty folder, a plain link) is skipped with a warning.
     *
     * @throws IllegalArgumentException naming the file when it is missing, not XML, not OPML,
     *     or lists a feed URL that is not http, https or file
     */
    public static List<FeedSpec> read(Path file, Consumer<String> warnings) {
        com.rometools.opml.feed.opml.Opml opml = parse(file);
        Map<String, FeedSpec> feeds = new LinkedHashMap<>();
        collect(file, opml.getOutlines(), feeds, warnings);
        return List.copyOf(feeds.values());
    }

    /** Writes {@code feeds} as OPML 2.0, in the order given. */
    public static void write(List<FeedSpec> feeds, Writer out) throws IOException {
        com.rometools.opml.feed.opml.Opml opml = new com.rometools.opml.feed.opml.Opml();
        opml.setFeedType(FEED_TYPE);
        opml.setTitle(DOCUMENT_TITLE);
        List<Outline> outlines = new ArrayList<>();
        for (FeedSpec feed : feeds) {
            outlines.add(outline(feed));
        }
        opml.setOutlines(outlines);
        try {
            new WireFeedOutput().output(opml, out, true);
        } catch (FeedException e) {
            // Our own document always fits the generator: a failure here is a bug.
            throw new IllegalStateException("cannot generate OPML: " + e.getMessage(), e);
        }
    }

    /** Writes {@code feeds} as OPML 2.0 to {@code file}, replacing it. */
    public static void write(List<FeedSpec> feeds, Path file) {
        try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            write(feeds, out);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write OPML file " + file, e);
        }
    }

    private static com.rometools.opml.feed.opml.Opml parse(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("OPML file " + file + " does not exist");
        }
        WireFeed feed;
        try {
            // No DOCTYPE, no external entities: WireFeedInput's defaults, kept on purpose.
            feed = new WireFeedInput(false, Locale.ROOT).build(file.toFile());
        } catch (ParsingFeedException e) {
            throw new IllegalArgumentException("OPML file " + file + " is not XML (line "
                    + e.getLineNumber() + "): " + rootMessage(e));
        } catch (FeedException e) {
            throw new IllegalArgumentException("OPML file " + file + " is not valid OPML: "
                    + rootMessage(e));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("OPML file " + file
                    + " is not OPML (no <opml> root element of version 1.0 or 2.0)");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read OPML file " + file, e);
        }
        if (!(feed instanceof com.rometools.opml.feed.opml.Opml opml)) {
            throw new IllegalArgumentException("OPML file " + file + " is not OPML but a "
                    + feed.getFeedType() + " feed");
        }
        return opml;
    }

    private static void collect(Path file, List<Outline> outlines, Map<String, FeedSpec> feeds,
            Consumer<String> warnings) {
        for (Outline outline : outlines) {
            String url = outline.getXmlUrl();
            if (url != null && !url.isBlank()) {
                FeedSpec feed = feed(file, outline, url);
                if (feeds.putIfAbsent(feed.url(), feed) != null) {
                    warnings.accept("OPML file " + file + ": feed URL '" + feed.url()
                            + "' is listed again (outline '" + name(outline) + "'), kept once");
                }
            } else if (outline.getChildren().isEmpty()) {
                warnings.accept("OPML file " + file + ": outline '" + name(outline)
                        + "' has no xmlUrl and no children, skipped");
            }
            collect(file, outline.getChildren(), feeds, warnings);
        }
    }

    private static FeedSpec feed(Path file, Outline outline, String url) {
        String title = name(outline);
        if (title.equals(url.strip())) {
            title = ""; // what write() puts in text when a feed has no title
        }
        try {
            return new FeedSpec(url, title);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("OPML file " + file + ": outline '"
                    + name(outline) + "': " + e.getMessage());
        }
    }

    /** What a person sees for an outline: its title, else its text (OPML 1.0 has only text). */
    private static String name(Outline outline) {
        String title = outline.getTitle();
        if (title != null && !title.isBlank()) {
            return title.strip();
        }
        return outline.getText() == null ? "" : outline.getText().strip();
    }

    private static Outline outline(FeedSpec feed) {
        Outline outline = new Outline();
        // OPML 2.0 requires text; readers show it, so it falls back to the URL.
        outline.setText(feed.title().isEmpty() ? feed.url() : feed.title());
        if (!feed.title().isEmpty()) {
            outline.setTitle(feed.title());
        }
        outline.setType("rss");
        List<Attribute> attributes = new ArrayList<>();
        attributes.add(new Attribute("xmlUrl", feed.url()));
        outline.setAttributes(attributes);
        return outline;
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage();
    }
}
