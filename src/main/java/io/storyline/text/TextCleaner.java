package io.storyline.text;

import java.text.Normalizer;
import java.util.regex.Pattern;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Element;
import org.jsoup.nodes.Node;
import org.jsoup.nodes.TextNode;
import org.jsoup.parser.Parser;
import org.jsoup.select.NodeVisitor;

/**
 * Turns raw article text (plain or HTML) into plain Unicode NFKC text with one paragraph per
 * line, so that boilerplate can be recognised line by line.
 */
public final class TextCleaner {

    private static final Pattern TAG = Pattern.compile("</?[a-zA-Z][a-zA-Z0-9]*[\\s/>]");

    private TextCleaner() {
    }

    static String clean(String raw) {
        if (raw == null || raw.isEmpty()) {
            return "";
        }
        String text = raw;
        if (raw.indexOf('<') >= 0 && TAG.matcher(raw).find()) {
            text = htmlToText(raw);
        } else if (raw.indexOf('&') >= 0) {
            text = Parser.unescapeEntities(raw, false);
        }
        return nfkc(text);
    }

    static String nfkc(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) >= 0x80) {
                return Normalizer.isNormalized(text, Normalizer.Form.NFKC)
                        ? text : Normalizer.normalize(text, Normalizer.Form.NFKC);
            }
        }
        return text;
    }

    /**
     * Text of an HTML fragment, block elements and line breaks becoming newlines. Public
     * because the detector's reader fields (titles, leads) strip HTML the same way.
     */
    public static String htmlToText(String html) {
        StringBuilder out = new StringBuilder(html.length());
        Element body = Jsoup.parseBodyFragment(html).body();
        body.traverse(new NodeVisitor() {
            @Override
            public void head(Node node, int depth) {
                if (node instanceof TextNode text) {
                    out.append(text.text());
                } else if (node instanceof Element e && (e.isBlock() || e.nameIs("br"))) {
                    out.append('\n');
                }
            }

            @Override
            public void tail(Node node, int depth) {
                if (node instanceof Element e && e.isBlock()) {
                    out.append('\n');
                }
            }
        });
        return out.toString();
    }
}
