package io.storyline.ingest;

import com.rometools.rome.feed.atom.Entry;
import com.rometools.rome.feed.rss.Item;
import com.rometools.rome.feed.synd.SyndContent;
import com.rometools.rome.feed.synd.SyndEntry;
import com.rometools.rome.feed.synd.SyndFeed;
import com.rometools.rome.feed.synd.SyndFeedImpl;
import com.rometools.rome.io.FeedException;
import com.rometools.rome.io.SAXBuilder;
import com.rometools.rome.io.WireFeedInput;
import io.storyline.article.CanonicalUrl;
import io.storyline.config.IngestConfig;
import io.storyline.ingest.FeedProblem.Kind;
import java.io.StringReader;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.StandardCharsets;
import java.nio.charset.UnsupportedCharsetException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.xml.sax.Attributes;
import org.xml.sax.SAXException;
import org.xml.sax.helpers.XMLFilterImpl;

/**
 * Turns the bytes of an RSS (0.9x, 1.0, 2.0) or Atom document into a {@link ParsedFeed}. Never
 * throws for bad input: malformed XML, an HTML page, a wrong encoding, an empty feed or a bad
 * entry become {@link FeedProblem}s, and one bad entry never drops the others. External
 * entities and DTDs are never fetched (Rome's parser settings; proven by FeedParserTest).
 */
public final class FeedParser {

    private static final Pattern XML_ENCODING = Pattern.compile(
            "^\\s*<\\?xml[^>]*?encoding\\s*=\\s*[\"']([A-Za-z0-9._:-]+)[\"']");
    /** How far into a body the HTML sniffing looks. */
    private static final int HTML_PROLOG_CHARS = 4096;
    private static final Pattern LANGUAGE = Pattern.compile("([a-zA-Z]{2})([-_].*)?");
    private static final Charset WINDOWS_1252 = Charset.forName("windows-1252");
    /** The earliest time the article format reads (its years are 1800 to 2200). */
    private static final Instant EARLIEST = Instant.parse("1800-01-01T00:00:00Z");
    /**
     * Entries read per document, in document order (feeds list the newest first). A state
     * remembers every entry of the latest fetch ({@link EntryTracker}): a feed of 100,000
     * entries made a state larger than a Kafka record, and Rome's objects for it a fifth of
     * a 512 MB heap.
     */
    public static final int MAX_ENTRIES = EntryTracker.SEEN_LIMIT;
    /**
     * Elements nested deeper than this make the document unreadable: Rome writes element
     * content back out recursively, and 100,000 nested tags overflowed the stack.
     */
    static final int MAX_DEPTH = 256;

    private FeedParser() {
    }

    /** Parses a fetched body (its charset from the Content-Type, if any). */
    public static ParsedFeed parse(FetchResult fetched, Instant fetchedAt) {
        return parse(fetched, fetchedAt, IngestConfig.MAX_ARTICLE_CHARS);
    }

    /** As {@link #parse(FetchResult, Instant)}, texts cut at {@code maxTextChars}. */
    public static ParsedFeed parse(FetchResult fetched, Instant fetchedAt, int maxTextChars) {
        return parse(fetched.url(), fetched.body(), fetched.charset(), fetchedAt, maxTextChars);
    }

    /** As below, texts cut at the default {@code ingest.max-article.chars}. */
    public static ParsedFeed parse(String feedUrl, byte[] body, String httpCharset,
            Instant fetchedAt) {
        return parse(feedUrl, body, httpCharset, fetchedAt, IngestConfig.MAX_ARTICLE_CHARS);
    }

    /**
     * Parses {@code body}, decoded by its byte-order mark, else its XML declaration, else
     * {@code httpCharset}, else as UTF-8 if it is valid UTF-8, else as windows-1252.
     *
     * @param fetchedAt    entries dated after it are clamped to it
     * @param maxTextChars longer entry texts are cut here (titles at
     *                     {@link FeedEntry#TITLE_CHARS}) before anything else reads them
     */
    public static ParsedFeed parse(String feedUrl, byte[] body, String httpCharset,
            Instant fetchedAt, int maxTextChars) {
        List<FeedProblem> problems = new ArrayList<>();
        if (body == null || body.length == 0) {
            return ParsedFeed.failed(feedUrl, problem(feedUrl, Kind.EMPTY,
                    feedUrl + " has an empty body"));
        }
        String text = decode(feedUrl, body, httpCharset, problems);
        if (startsLikeHtml(text)) {
            problems.add(problem(feedUrl, Kind.NOT_A_FEED, feedUrl
                    + " is an HTML page, not a feed"));
            return new ParsedFeed(feedUrl, null, null, List.of(), problems);
        }
        SyndFeed feed;
        EntryCap cap = new EntryCap();
        try {
            // Rome's own SyndFeedInput, but for the filter: the same parser settings.
            // Preserving the wire feed: its entries say whether an RSS item really has a
            // <guid> (Rome's SyndEntry uri falls back to the link when it has not).
            feed = new SyndFeedImpl(new CappedInput(cap).build(new StringReader(text)), true);
        } catch (FeedException e) {
            problems.add(problem(feedUrl, Kind.MALFORMED, feedUrl + " is not well-formed XML: "
                    + rootMessage(e)));
            return new ParsedFeed(feedUrl, null, null, List.of(), problems);
        } catch (IllegalArgumentException e) {
            problems.add(problem(feedUrl, Kind.NOT_A_FEED, feedUrl
                    + " is XML but neither RSS nor Atom"));
            return new ParsedFeed(feedUrl, null, null, List.of(), problems);
        } catch (RuntimeException e) {
            problems.add(problem(feedUrl, Kind.MALFORMED, feedUrl + " cannot be parsed: "
                    + rootMessage(e)));
            return new ParsedFeed(feedUrl, null, null, List.of(), problems);
        }
        if (cap.entries > MAX_ENTRIES) {
            problems.add(problem(feedUrl, Kind.TOO_LARGE, feedUrl + " lists " + cap.entries
                    + " entries; only the first " + MAX_ENTRIES + " are read"));
        }
        return entries(feedUrl, feed, fetchedAt, maxTextChars, problems);
    }

    /**
     * Whether the document opens, after white space and comments, with an HTML doctype or an
     * {@code <html>} tag. A plain loop: a regex with a repeated alternation recursed once per
     * character of white space and overflowed the stack on a prolog of ~2,000 spaces.
     */
    static boolean startsLikeHtml(String text) {
        int end = Math.min(text.length(), HTML_PROLOG_CHARS);
        int i = 0;
        while (i < end) {
            if (Character.isWhitespace(text.charAt(i))) {
                i++;
            } else if (text.startsWith("<!--", i)) {
                int close = text.indexOf("-->", i + 4);
                if (close < 0 || close >= end) {
                    return false;
                }
                i = close + 3;
            } else {
                break;
            }
        }
        return tagAt(text, i, "<!doctype", true) || tagAt(text, i, "<html", false);
    }

    /** {@code name} at {@code at}, case-insensitively, followed by white space (or '>'). */
    private static boolean tagAt(String text, int at, String name, boolean spaceOnly) {
        int after = at + name.length();
        if (!text.regionMatches(true, at, name, 0, name.length()) || after >= text.length()) {
            return false;
        }
        char next = text.charAt(after);
        if (!spaceOnly) {
            return Character.isWhitespace(next) || next == '>';
        }
        int j = after;
        while (j < text.length() && Character.isWhitespace(text.charAt(j))) {
            j++;
        }
        return j > after && text.regionMatches(true, j, "html", 0, 4);
    }

    /**
     * Rome's feed input with {@link EntryCap} between the XML parser and the document. RSS 0.91
     * feeds carry the Netscape DOCTYPE. Allowing a DOCTYPE does not make Rome read external
     * entities or DTDs: it turns off external general and parameter entities and external DTD
     * loading, resolves *.dtd to nothing, and does not expand entity references into the
     * document.
     */
    private static final class CappedInput extends WireFeedInput {
        private final EntryCap cap;

        CappedInput(EntryCap cap) {
            super(false, Locale.US);
            this.cap = cap;
            setAllowDoctypes(true);
        }

        @Override
        protected SAXBuilder createSAXBuilder() {
            SAXBuilder builder = super.createSAXBuilder();
            builder.setXMLFilter(cap);
            return builder;
        }
    }

    /**
     * Drops the entries (RSS {@code item}, Atom {@code entry}) after the first
     * {@link #MAX_ENTRIES} before they become objects, counting them all, and refuses
     * elements nested deeper than {@link #MAX_DEPTH}.
     */
    private static final class EntryCap extends XMLFilterImpl {
        int entries;
        private int depth;
        /** Depth of the entry being dropped, or 0. */
        private int dropping;

        @Override
        public void startElement(String uri, String localName, String qName, Attributes atts)
                throws SAXException {
            depth++;
            if (depth > MAX_DEPTH) {
                throw new SAXException("elements are nested deeper than " + MAX_DEPTH);
            }
            if (dropping == 0 && depth <= 3
                    && (localName.equals("item") || localName.equals("entry"))
                    && ++entries > MAX_ENTRIES) {
                dropping = depth;
            }
            if (dropping == 0) {
                super.startElement(uri, localName, qName, atts);
            }
        }

        @Override
        public void endElement(String uri, String localName, String qName)
                throws SAXException {
            if (dropping == 0) {
                super.endElement(uri, localName, qName);
            } else if (dropping == depth) {
                dropping = 0;
            }
            depth--;
        }

        @Override
        public void characters(char[] ch, int start, int length) throws SAXException {
            if (dropping == 0) {
                super.characters(ch, start, length);
            }
        }

        @Override
        public void ignorableWhitespace(char[] ch, int start, int length)
                throws SAXException {
            if (dropping == 0) {
                super.ignorableWhitespace(ch, start, length);
            }
        }
    }

    private static ParsedFeed entries(String feedUrl, SyndFeed feed, Instant fetchedAt,
            int maxTextChars, List<FeedProblem> problems) {
        String title = blankToNull(feed.getTitle());
        String language = language(feed.getLanguage());
        String source = title != null ? title : host(feedUrl);
        URI base = base(feedUrl, feed.getLink());
        List<SyndEntry> syndEntries = feed.getEntries();
        if (syndEntries.isEmpty()) {
            problems.add(problem(feedUrl, Kind.EMPTY, feedUrl + " has no entries"));
        }
        List<FeedEntry> entries = new ArrayList<>(syndEntries.size());
        for (int i = 0; i < syndEntries.size(); i++) {
            String where = "entry " + (i + 1) + " of " + feedUrl;
            try {
                FeedEntry entry = entry(feedUrl, syndEntries.get(i), base, source, language,
                        fetchedAt, maxTextChars);
                if (entry == null) {
                    problems.add(problem(feedUrl, Kind.BAD_ENTRY, where
                            + " has neither title nor text; skipped"));
                } else {
                    entries.add(entry);
                }
            } catch (RuntimeException e) {
                problems.add(problem(feedUrl, Kind.BAD_ENTRY, where + " cannot be read ("
                        + rootMessage(e) + "); skipped"));
            }
        }
        return new ParsedFeed(feedUrl, title, language, entries, problems);
    }

    private static FeedEntry entry(String feedUrl, SyndEntry e, URI base, String source,
            String language, Instant fetchedAt, int maxTextChars) {
        String fullTitle = strip(e.getTitle());
        String fullText = text(e);
        // Cut first: jsoup (visible text, content hash) and Kafka see bounded texts only.
        String title = FeedEntry.cut(fullTitle, FeedEntry.TITLE_CHARS);
        String text = FeedEntry.cut(fullText, maxTextChars);
        boolean truncated = title.length() < fullTitle.length()
                || text.length() < fullText.length();
        if (EntryIdentity.visibleText(title).isBlank()
                && EntryIdentity.visibleText(text).isBlank()) {
            return null;
        }
        String link = resolve(base, blankToNull(e.getLink()));
        Instant published = published(e, fetchedAt);
        String id = EntryIdentity.articleId(feedUrl, guid(e), link, title, text, published);
        return new FeedEntry(id, feedUrl, CanonicalUrl.of(link), title,
                text, source, language, published, EntryIdentity.contentHash(title, text),
                truncated);
    }

    /** The GUID (RSS) or id (Atom) the entry really declares, or null. */
    private static String guid(SyndEntry e) {
        Object wire = e.getWireEntry();
        if (wire instanceof Item item) {
            return item.getGuid() == null ? null : blankToNull(item.getGuid().getValue());
        }
        if (wire instanceof Entry atom) {
            return blankToNull(atom.getId());
        }
        return null;
    }

    private static String text(SyndEntry e) {
        StringBuilder content = new StringBuilder();
        for (SyndContent c : e.getContents()) {
            if (c.getValue() != null && !c.getValue().isBlank()) {
                content.append(content.length() == 0 ? "" : "\n").append(c.getValue().strip());
            }
        }
        if (content.length() > 0) {
            return content.toString();
        }
        SyndContent description = e.getDescription();
        return description == null ? "" : strip(description.getValue());
    }

    private static Instant published(SyndEntry e, Instant fetchedAt) {
        Date date = e.getPublishedDate() != null ? e.getPublishedDate() : e.getUpdatedDate();
        if (date == null) {
            return null;
        }
        Instant at = date.toInstant();
        if (at.isBefore(EARLIEST)) {
            // Rome reads "1700000000" as a year 53 million years BC; the article format
            // refuses such a time, so the detector would have dead-lettered the article.
            return null;
        }
        // Clocks and time zones are wrong often enough that a date in the future is noise;
        // left alone it would keep the entry "newest" for days.
        return fetchedAt != null && at.isAfter(fetchedAt) ? fetchedAt : at;
    }

    /** Links are resolved against the feed's site link, else the feed's own http(s) URL. */
    private static URI base(String feedUrl, String siteLink) {
        for (String candidate : new String[] {siteLink, feedUrl}) {
            try {
                URI uri = candidate == null ? null : new URI(candidate.strip());
                if (uri != null && FeedFetcher.isHttp(uri.getScheme()) && uri.getHost() != null) {
                    return uri;
                }
            } catch (URISyntaxException e) {
                // try the next one
            }
        }
        return null;
    }

    private static String resolve(URI base, String link) {
        if (link == null || base == null) {
            return link;
        }
        try {
            URI uri = new URI(link.strip());
            return uri.isAbsolute() ? link : base.resolve(uri).toString();
        } catch (URISyntaxException | IllegalArgumentException e) {
            return link;
        }
    }

    /**
     * Decodes by BOM, XML declaration, HTTP charset, then valid UTF-8, then windows-1252 (a
     * superset of Latin-1 and what undeclared non-UTF-8 feeds almost always are). A declared
     * charset that does not fit the bytes is reported; the entries are still read.
     */
    static String decode(String feedUrl, byte[] body, String httpCharset,
            List<FeedProblem> problems) {
        Charset bom = bom(body);
        if (bom != null) {
            int skip = bom == StandardCharsets.UTF_8 ? 3 : 2;
            return new String(body, skip, body.length - skip, bom);
        }
        if (body.length >= 4 && body[0] == 0 && body[1] == '<' && body[2] == 0) {
            return new String(body, StandardCharsets.UTF_16BE);
        }
        if (body.length >= 4 && body[0] == '<' && body[1] == 0 && body[3] == 0) {
            return new String(body, StandardCharsets.UTF_16LE);
        }
        String head = new String(body, 0, Math.min(body.length, 512), StandardCharsets.ISO_8859_1);
        Matcher declaration = XML_ENCODING.matcher(head);
        List<String> declared = new ArrayList<>(2);
        if (declaration.find()) {
            String name = declaration.group(1);
            if (name.regionMatches(true, 0, "UTF-16", 0, 6)
                    || name.regionMatches(true, 0, "UTF-32", 0, 6)) {
                // A declaration that reads as single bytes is not in UTF-16 or UTF-32 (those
                // were recognised above by their BOM or zero bytes); decoding by it turned
                // every pair of ASCII bytes into one CJK character.
                problems.add(problem(feedUrl, Kind.ENCODING, feedUrl + " declares " + name
                        + " but its bytes are not " + name));
            } else {
                declared.add(name);
            }
        }
        if (httpCharset != null) {
            declared.add(httpCharset);
        }
        for (String name : declared) {
            Charset charset = charset(name);
            if (charset == null) {
                problems.add(problem(feedUrl, Kind.ENCODING, feedUrl
                        + " declares an unknown charset " + name));
                continue;
            }
            String text = strictly(body, charset);
            if (text != null) {
                return text;
            }
            problems.add(problem(feedUrl, Kind.ENCODING, feedUrl + " declares " + name
                    + " but its bytes are not " + name));
        }
        String utf8 = strictly(body, StandardCharsets.UTF_8);
        if (utf8 != null) {
            return utf8;
        }
        if (declared.isEmpty()) {
            problems.add(problem(feedUrl, Kind.ENCODING, feedUrl + " declares no charset and"
                    + " is not UTF-8; read as windows-1252"));
        }
        return new String(body, WINDOWS_1252);
    }

    private static Charset bom(byte[] b) {
        if (b.length >= 3 && (b[0] & 0xff) == 0xef && (b[1] & 0xff) == 0xbb
                && (b[2] & 0xff) == 0xbf) {
            return StandardCharsets.UTF_8;
        }
        if (b.length >= 2 && (b[0] & 0xff) == 0xfe && (b[1] & 0xff) == 0xff) {
            return StandardCharsets.UTF_16BE;
        }
        if (b.length >= 2 && (b[0] & 0xff) == 0xff && (b[1] & 0xff) == 0xfe) {
            return StandardCharsets.UTF_16LE;
        }
        return null;
    }

    private static Charset charset(String name) {
        try {
            return Charset.forName(name.strip());
        } catch (IllegalCharsetNameException | UnsupportedCharsetException e) {
            return null;
        }
    }

    private static String strictly(byte[] body, Charset charset) {
        try {
            return charset.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(body)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    /** "en-GB" → "en"; null unless it starts with a two-letter code. */
    static String language(String declared) {
        if (declared == null) {
            return null;
        }
        Matcher m = LANGUAGE.matcher(declared.strip());
        return m.matches() ? m.group(1).toLowerCase(Locale.ROOT) : null;
    }

    private static String host(String feedUrl) {
        try {
            String host = new URI(feedUrl).getHost();
            return host == null ? feedUrl : host;
        } catch (URISyntaxException e) {
            return feedUrl;
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage() == null ? root.toString() : root.getMessage();
        return message.length() > 300 ? message.substring(0, 300) + "…" : message;
    }

    private static String strip(String s) {
        return s == null ? "" : s.strip();
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }

    private static FeedProblem problem(String feedUrl, Kind kind, String message) {
        return FeedProblem.of(feedUrl, kind, message);
    }
}
