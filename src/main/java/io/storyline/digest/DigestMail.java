package io.storyline.digest;

import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import gg.jte.output.StringOutput;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.io.UnsupportedEncodingException;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Locale;

/**
 * Renders a digest as an email: multipart/alternative with a plain-text part and an HTML part
 * from the precompiled JTE template {@code digest/digest.jte}. Feed text is escaped by the
 * template (and stripped of control characters here); links other than http(s) are dropped.
 */
public final class DigestMail {

    private static final TemplateEngine TEMPLATES =
            TemplateEngine.createPrecompiled(ContentType.Html);
    private static final DateTimeFormatter DATE =
            DateTimeFormatter.ofPattern("EEEE d MMMM uuuu", Locale.ENGLISH);

    private DigestMail() {
    }

    public static String subject(Digest d) {
        int n = d.items().size();
        return "Storyline digest, " + DATE.format(d.when().date()) + ": " + n
                + (n == 1 ? " story" : " stories");
    }

    /** The HTML part. */
    public static String html(Digest d) {
        StringOutput out = new StringOutput();
        TEMPLATES.render("digest/digest.jte", view(d), out);
        return out.toString();
    }

    /** The plain-text part: the headline list, then each story. */
    public static String text(Digest d) {
        StringBuilder out = new StringBuilder();
        MailView v = view(d);
        out.append(v.title()).append("\n").append(v.greeting()).append("\n\n");
        int i = 1;
        for (MailView.Entry e : v.entries()) {
            out.append(i++).append(". ").append(e.headline()).append(" (").append(e.marker())
                    .append(")\n");
        }
        i = 1;
        for (MailView.Entry e : v.entries()) {
            out.append("\n").append(i++).append(". ").append(e.headline()).append("\n");
            out.append("   ").append(e.marker()).append("\n");
            if (e.lead() != null) {
                out.append("   ").append(e.lead()).append("\n");
            }
            out.append("   ").append(e.counts()).append(" - ").append(e.sources()).append("\n");
            if (e.link() != null) {
                out.append("   ").append(e.link()).append("\n");
            }
        }
        out.append("\n-- \n").append(v.footer()).append("\n");
        return out.toString();
    }

    /** The whole message, from {@code from} to the subscriber. */
    public static MimeMessage message(Digest d, InternetAddress from, Session session)
            throws MessagingException {
        MimeMessage m = new MimeMessage(session);
        m.setFrom(from);
        try {
            m.setRecipient(MimeMessage.RecipientType.TO, new InternetAddress(
                    d.subscriber().email(), d.subscriber().name(), "UTF-8"));
        } catch (UnsupportedEncodingException e) {
            throw new IllegalStateException("UTF-8 is always supported", e);
        }
        m.setSubject(subject(d), "UTF-8");
        m.setSentDate(Date.from(d.when().at()));
        MimeBodyPart text = new MimeBodyPart();
        text.setText(text(d), "UTF-8", "plain");
        MimeBodyPart html = new MimeBodyPart();
        html.setText(html(d), "UTF-8", "html");
        // Plain first: clients show the last part they understand.
        MimeMultipart alternative = new MimeMultipart("alternative");
        alternative.addBodyPart(text);
        alternative.addBodyPart(html);
        m.setContent(alternative);
        m.saveChanges();
        return m;
    }

    static MailView view(Digest d) {
        List<MailView.Entry> entries = new ArrayList<>();
        int i = 1;
        for (Digest.Item item : d.items()) {
            String headline = clean(item.headline());
            entries.add(new MailView.Entry("story-" + i++,
                    headline == null ? "(no headline)" : headline, marker(item),
                    clean(item.lead()), counts(item), sources(item.sources()),
                    httpLink(item.link().toString()), httpLink(item.firstUrl())));
        }
        String date = DATE.format(d.when().date());
        return new MailView("Storyline digest, " + date,
                "Good morning " + clean(d.subscriber().name()) + ": " + entries.size()
                        + (entries.size() == 1 ? " story" : " stories")
                        + " of the last 24 hours.",
                "Sent to " + d.subscriber().email() + " by Storyline. Story links open the "
                        + "dashboard at " + d.subscriber().dashboardUrl() + ".",
                entries);
    }

    static String marker(Digest.Item item) {
        if (item.marker() == Digest.Marker.NEW) {
            return "new";
        }
        return "updated: +" + item.addedArticles() + plural(item.addedArticles(), " article")
                + ", +" + item.addedSources() + plural(item.addedSources(), " source");
    }

    private static String counts(Digest.Item item) {
        return item.articles() + plural(item.articles(), " article") + ", "
                + item.sources().size() + plural(item.sources().size(), " source");
    }

    private static String sources(List<String> sources) {
        List<String> names = sources.stream().map(DigestMail::clean).toList();
        if (names.isEmpty()) {
            return "no source named";
        }
        if (names.size() == 1) {
            return names.get(0);
        }
        return names.get(0) + " first, then " + String.join(", ", names.subList(1,
                names.size()));
    }

    private static String plural(int n, String word) {
        return n == 1 ? word : word + "s";
    }

    /** Feed text on one line: control characters (line breaks included) become spaces. */
    static String clean(String s) {
        if (s == null) {
            return null;
        }
        StringBuilder out = new StringBuilder(s.length());
        s.codePoints().forEach(c -> out.appendCodePoint(Character.isISOControl(c) ? ' ' : c));
        String t = out.toString().strip().replaceAll(" {2,}", " ");
        return t.isEmpty() ? null : t;
    }

    /** {@code url} if it is an absolute http(s) URL with a host, else null. */
    static String httpLink(String url) {
        if (url == null) {
            return null;
        }
        try {
            URI u = new URI(url.strip());
            String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
            if ((scheme.equals("http") || scheme.equals("https")) && u.getHost() != null) {
                return u.toASCIIString();
            }
        } catch (URISyntaxException e) {
            // not a link we can vouch for
        }
        return null;
    }
}
