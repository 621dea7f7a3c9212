package io.storyline.digest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.storyline.digest.Digest.Item;
import io.storyline.digest.Digest.Marker;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Properties;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.Test;

class DigestMailTest {

    private static final Subscriber ED = new Subscriber("ed@example.org", "Ed <Desk>",
            LocalTime.of(7, 0), ZoneId.of("Europe/Paris"), DigestFilter.none(), 10,
            URI.create("https://news.example.org/"));
    private static final SendTime WHEN = new SendTime(LocalDate.parse("2026-11-20"),
            Instant.parse("2026-11-20T06:00:00Z"));

    private static Digest digest() {
        Item hostile = new Item("s1", "<script>alert(1)</script> Quake & \"aftershocks\"",
                ED.storyLink("s1"), "Lead with <b>tags</b>\r\nand a line break.",
                "javascript:alert(2)", List.of("Wire", "Daily <Mail>"), 3, Marker.NEW, 0, 0,
                4.2);
        Item updated = new Item("s2", "Floods in Valencia", ED.storyLink("s2"),
                "Rain keeps falling.", "https://example.org/b1", List.of("Herald"), 5,
                Marker.UPDATED, 2, 1, 1.5);
        return new Digest(ED, WHEN, List.of(hostile, updated));
    }

    private static MimeMessage roundTrip(MimeMessage m) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        m.writeTo(bytes);
        return new MimeMessage(Session.getInstance(new Properties()),
                new ByteArrayInputStream(bytes.toByteArray()));
    }

    @Test
    void aMultipartAlternativeWithTextThenHtml() throws Exception {
        MimeMessage m = roundTrip(DigestMail.message(digest(),
                new InternetAddress("digest@example.org"),
                Session.getInstance(new Properties())));
        assertEquals("Storyline digest, Friday 20 November 2026: 2 stories", m.getSubject());
        assertEquals("\"Ed <Desk>\" <ed@example.org>",
                m.getRecipients(MimeMessage.RecipientType.TO)[0].toString());
        assertTrue(m.isMimeType("multipart/alternative"), m.getContentType());
        Multipart parts = (Multipart) m.getContent();
        assertEquals(2, parts.getCount());
        Part text = parts.getBodyPart(0);
        Part html = parts.getBodyPart(1);
        assertTrue(text.isMimeType("text/plain"), text.getContentType());
        assertTrue(html.isMimeType("text/html"), html.getContentType());
        assertTrue(text.getContentType().toLowerCase().contains("charset=utf-8"));
        assertTrue(((String) text.getContent()).contains("2. Floods in Valencia (updated: "
                + "+2 articles, +1 source)"));
        assertEquals(DigestMail.html(digest()), html.getContent());
    }

    @Test
    void feedTextIsEscapedInTheHtml() {
        String html = DigestMail.html(digest());
        assertFalse(html.contains("<script>"), html);
        assertFalse(html.contains("<b>tags"), html);
        // In text, quotes need no escaping; no feed text goes into an attribute.
        assertTrue(html.contains("&lt;script&gt;alert(1)&lt;/script&gt; Quake &amp; "
                + "\"aftershocks\""), html);
        Document doc = Jsoup.parse(html);
        assertEquals(0, doc.select("script").size());
        assertEquals("<script>alert(1)</script> Quake & \"aftershocks\"",
                doc.select("h2").first().text());
        assertEquals("Lead with <b>tags</b> and a line break.",
                doc.select("h2").first().nextElementSibling().text());
    }

    @Test
    void onlyHttpLinksLeaveTheDigest() {
        Document doc = Jsoup.parse(DigestMail.html(digest()));
        assertFalse(doc.html().toLowerCase().contains("javascript:"));
        for (Element a : doc.select("a[href]")) {
            String href = a.attr("href");
            assertTrue(href.startsWith("https://") || href.startsWith("#story-"), href);
        }
        assertEquals(List.of("#story-1", "#story-2", "https://news.example.org/#/story/s1",
                "https://news.example.org/#/story/s2", "https://example.org/b1"),
                doc.select("a[href]").eachAttr("href"));
        assertFalse(DigestMail.text(digest()).contains("javascript:"));
    }

    @Test
    void headlineListFirstThenStoriesInTables() {
        Document doc = Jsoup.parse(DigestMail.html(digest()));
        assertEquals(List.of("<script>alert(1)</script> Quake & \"aftershocks\" (new)",
                "Floods in Valencia (updated: +2 articles, +1 source)"),
                doc.select("ol li").eachText());
        assertEquals("dark", doc.select("meta[name=color-scheme]").attr("content")
                .replace("light ", ""));
        assertTrue(doc.select("table[role=presentation]").size() >= 2);
        assertEquals("5 articles, 1 source · Herald · earliest article",
                doc.select("h2").get(1).nextElementSibling().nextElementSibling().text());
        assertEquals("3 articles, 2 sources · Wire first, then Daily <Mail>",
                doc.select("h2").get(0).nextElementSibling().nextElementSibling().text());
    }

    @Test
    void theTextPartListsHeadlinesThenStories() {
        assertEquals("""
                Storyline digest, Friday 20 November 2026
                Good morning Ed <Desk>: 2 stories of the last 24 hours.

                1. <script>alert(1)</script> Quake & "aftershocks" (new)
                2. Floods in Valencia (updated: +2 articles, +1 source)

                1. <script>alert(1)</script> Quake & "aftershocks"
                   new
                   Lead with <b>tags</b> and a line break.
                   3 articles, 2 sources - Wire first, then Daily <Mail>
                   https://news.example.org/#/story/s1

                2. Floods in Valencia
                   updated: +2 articles, +1 source
                   Rain keeps falling.
                   5 articles, 1 source - Herald
                   https://news.example.org/#/story/s2

                --\s
                Sent to ed@example.org by Storyline. Story links open the dashboard at \
                https://news.example.org/.
                """, DigestMail.text(digest()));
    }
}
