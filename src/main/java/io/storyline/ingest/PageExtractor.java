package io.storyline.ingest;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Comment;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.jsoup.nodes.Node;
import org.jsoup.select.Elements;

/**
 * Extracts the main text of an article page, readability-style: strips navigation, chrome and
 * reader comments, scores block containers by the paragraphs they hold (length, commas, minus
 * link text), and returns the best block's paragraphs joined by blank lines.
 */
public final class PageExtractor {

    /** Less text than this is no article (a section front, a paywall teaser). */
    static final int MIN_CHARS = 200;
    /** Shorter paragraphs do not vote for their container. */
    private static final int MIN_PARAGRAPH = 25;

    private static final Set<String> CHROME_TAGS = Set.of("nav", "header", "footer", "aside",
            "form", "menu", "dialog");
    private static final String JUNK_TAGS = "script, style, noscript, template, iframe, object,"
            + " embed, svg, canvas, button, input, select, textarea, label, figure, [hidden]";
    private static final Set<String> CHROME_ROLES = Set.of("navigation", "banner", "contentinfo",
            "complementary", "dialog", "alertdialog", "search");
    /** Class or id words that mark something other than the article, whatever else they say. */
    private static final Pattern NOT_ARTICLE = Pattern.compile("(^|[^a-z])(comment(?!ary)"
            + "|commentaire|reaction|share|sharing|partage|social|cookie|consent|gdpr|related"
            + "|a-lire|lire-aussi|newsletter|signup|subscribe|paywall|outbrain|taboola|sponsor"
            + "|breadcrumb|fil-ariane|popup|modal|disqus)");
    /** Class or id words that mark chrome unless the same element also looks like content. */
    private static final Pattern CHROME = Pattern.compile("(^|[^a-z])(header|footer|menu|nav"
            + "|navigation|sidebar|widget|banner|masthead|tags?|ads?|advert|pub|promo|popular"
            + "|pagination|pager|most-read|plus-lus|colonne-droite|rail|bandeau)([^a-z]|$)");
    private static final Pattern CONTENT = Pattern.compile("article|body|content|entry|main"
            + "|post|story|text|texte|corps");
    private static final String PARAGRAPHS = "p, pre, blockquote, h2, h3, h4, li, div";
    private static final Set<String> BLOCKS = Set.of("address", "article", "aside",
            "blockquote", "div", "dl", "fieldset", "figure", "footer", "form", "h1", "h2", "h3",
            "h4", "h5", "h6", "header", "hr", "li", "main", "nav", "ol", "p", "pre", "section",
            "table", "ul");

    private PageExtractor() {
    }

    /** Main text of a page given as bytes; {@code charset} may be null (then detected). */
    public static String extract(byte[] body, String charset, String url) {
        try {
            return extract(Jsoup.parse(new ByteArrayInputStream(body), charset, url));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the page " + url, e);
        }
    }

    /** Main text of a page, or null when it has nothing substantial. */
    public static String extract(String html, String url) {
        return extract(Jsoup.parse(html, url == null ? "" : url));
    }

    private static String extract(Document doc) {
        Element body = doc.body();
        if (body == null) {
            return null;
        }
        clean(body);
        Element best = best(body);
        if (best == null) {
            return null;
        }
        String text = String.join("\n\n", paragraphs(best));
        return text.length() < MIN_CHARS ? null : text;
    }

    private static void clean(Element body) {
        List<Node> comments = new ArrayList<>();
        body.forEachNode(n -> {
            if (n instanceof Comment) {
                comments.add(n);
            }
        });
        comments.forEach(Node::remove);
        body.select(JUNK_TAGS).remove();
        int pageText = paragraphText(body);
        for (Element e : body.getAllElements()) {
            if (e != body && e.parent() != null && isChrome(e, pageText)) {
                e.remove();
            }
        }
    }

    private static boolean isChrome(Element e, int pageText) {
        String tag = e.normalName();
        if (tag.equals("article") || tag.equals("main")) {
            return false;
        }
        if (CHROME_TAGS.contains(tag) || CHROME_ROLES.contains(e.attr("role").toLowerCase(
                Locale.ROOT))) {
            // Some sites wrap the whole page in a <form> or <header>: keep a wrapper that
            // holds most of the page's paragraphs.
            return paragraphText(e) * 2 < pageText;
        }
        String names = names(e);
        if (names.isEmpty()) {
            return false;
        }
        return NOT_ARTICLE.matcher(names).find()
                || (CHROME.matcher(names).find() && !CONTENT.matcher(names).find());
    }

    /** The container whose paragraphs score highest. */
    private static Element best(Element body) {
        Map<Element, Double> scores = new IdentityHashMap<>();
        // Candidates in document order: a tie goes to the first, not to an identity hash
        // that differs from run to run (the same page must give the same text).
        List<Element> order = new ArrayList<>();
        for (Element p : body.select(PARAGRAPHS)) {
            if (!isParagraph(p)) {
                continue;
            }
            String text = p.text();
            if (text.length() < MIN_PARAGRAPH) {
                continue;
            }
            double score = 1 + commas(text) + Math.min(text.length() / 100.0, 3);
            Element parent = p.parent();
            if (parent != null) {
                add(scores, order, parent, score);
                Element grandparent = parent.parent();
                if (grandparent != null) {
                    add(scores, order, grandparent, score / 2);
                }
            }
        }
        Element best = null;
        double bestScore = 0;
        for (Element e : order) {
            double score = (scores.get(e) + weight(e)) * (1 - linkDensity(e));
            if (score > bestScore) {
                best = e;
                bestScore = score;
            }
        }
        return best;
    }

    private static void add(Map<Element, Double> scores, List<Element> order, Element e,
            double score) {
        if (scores.putIfAbsent(e, score) == null) {
            order.add(e);
        } else {
            scores.merge(e, score, Double::sum);
        }
    }

    /** Tag and class hints, as readability weighs them. */
    private static double weight(Element e) {
        double w = switch (e.normalName()) {
            case "article", "main" -> 10;
            case "div", "section" -> 5;
            case "pre", "td", "blockquote" -> 3;
            case "ol", "ul", "dl", "li", "form" -> -3;
            default -> 0;
        };
        String names = names(e);
        if (CONTENT.matcher(names).find()) {
            w += 25;
        }
        return w;
    }

    /** The best block's paragraphs in page order, without link lists and nested repeats. */
    private static List<String> paragraphs(Element best) {
        List<String> out = new ArrayList<>();
        Set<Element> taken = new HashSet<>();
        Elements candidates = best.select(PARAGRAPHS);
        for (Element p : candidates) {
            if (!isParagraph(p) || hasTakenAncestor(p, best, taken)) {
                continue;
            }
            String text = p.text().strip();
            if (text.isEmpty() || linkDensity(p) > 0.5 || (p.normalName().equals("li")
                    && text.length() < MIN_PARAGRAPH)) {
                continue;
            }
            taken.add(p);
            out.add(text);
        }
        return out;
    }

    private static boolean hasTakenAncestor(Element p, Element best, Set<Element> taken) {
        for (Element a = p.parent(); a != null && a != best; a = a.parent()) {
            if (taken.contains(a)) {
                return true;
            }
        }
        return false;
    }

    /** A div counts as a paragraph only when it holds text and no blocks. */
    private static boolean isParagraph(Element e) {
        if (!e.normalName().equals("div")) {
            return true;
        }
        for (Element child : e.children()) {
            if (BLOCKS.contains(child.normalName())) {
                return false;
            }
        }
        return !e.ownText().isBlank();
    }

    private static int paragraphText(Element e) {
        int chars = 0;
        for (Element p : e.select("p")) {
            chars += p.text().length();
        }
        return chars;
    }

    private static double linkDensity(Element e) {
        int total = e.text().length();
        if (total == 0) {
            return 0;
        }
        int links = 0;
        for (Element a : e.select("a")) {
            links += a.text().length();
        }
        return Math.min(1, (double) links / total);
    }

    private static int commas(String text) {
        int n = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == ',' || c == '\uFF0C' || c == '\u060C') {
                n++;
            }
        }
        return n;
    }

    private static String names(Element e) {
        return (e.className() + " " + e.id()).toLowerCase(Locale.ROOT).strip();
    }
}
