package io.storyline.pipeline;

import io.storyline.text.TextCleaner;
import java.text.BreakIterator;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;




import org.jsoup.parser.Parser;


/**
 * Titles and leads as a reader sees them. Feeds send HTML, or text with entities, in titles
 * and bodies; the output topics carry plain text, decoded and stripped here exactly once, so
 * no consumer decodes again (a title about {@code &amp;lt;b&amp;gt;} stays about it) and no
 * consumer ever receives markup to render.
 */
final class PlainText {

    /** A lead is at most this many characters, an ellipsis included. */
    static final int LEAD_CHARS = 400;
    /** A lead is the first this many sentences of the text. */
    static final int LEAD_SENTENCES = 2;

    /** What makes a text HTML rather than text that merely contains a '<'. */
    private static final Pattern TAG = Pattern.compile("</?[a-zA-Z][a-zA-Z0-9]*[\\s/>]");
    /** Only the start of a text can reach the lead: bounds the work on long articles. */
    private static final int LEAD_SCAN_CHARS = 8 * LEAD_CHARS;
    /** The most of a raw text (markup included) ever parsed for a lead. */
    private static final int MAX_SCAN_CHARS = 4 * LEAD_SCAN_CHARS;
    /** The part of a raw text tried first; most leads lie within it. */
    static final int QUICK_SCAN_CHARS = 2048;
    /**
     * Words after which a period ends no sentence ("M. Macron", "Mr. Smith", "St. Louis");
     * single letters (initials) are caught apart.
     */
    private static final Set<String> ABBREVIATIONS = Set.of("mr", "mrs", "ms", "dr", "st",
            "mt", "jr", "sr", "gen", "gov", "sen", "rep", "lt", "col", "sgt", "capt", "prof",
            "rev", "hon", "pres", "mme", "mmes", "mlle", "mgr", "vs", "sra", "hr", "nr", "bzw",
            "vgl");

    private PlainText() {
    }

    /**
     * {@code html} as one line of plain text: tags stripped, entities decoded, runs of
     * spaces and line breaks folded into one space. Null for null or blank.
     */
    static String title(String html) {
        if (html == null) {
            return null;
        }
        String flat = fold(String.join(" ", lines(html)));
        return flat.isEmpty() ? null : flat;
    }

    /**
     * The first {@value #LEAD_SENTENCES} sentences of {@code html}'s text, at most
     * {@value #LEAD_CHARS} characters, cut at a word (with an ellipsis) when longer. Leading
     * lines that are not prose (a breadcrumb, "Share on Facebook", the title repeated) are
     * skipped: a line counts as prose when it ends a sentence. Null when there is no text.
     */
    static String lead(String html, String title) {
        return lead(html, title, QUICK_SCAN_CHARS);
    }

    /**
     * {@link #lead(String, String)}, trying the first {@code quickScan} characters of
     * {@code html} first: most leads lie in the first paragraphs, and parsing a whole page of
     * HTML would cost the detector as much as the engine does.
     */
    static String lead(String html, String title, int quickScan) {
        if (html == null || html.isBlank()) {
            return null;
        }
        if (html.length() > quickScan) {
            String quick = leadOf(html.substring(0, quickScan), title, true);
            if (quick != null) {
                return quick;
            }
        }
        return leadOf(html.length() > MAX_SCAN_CHARS ? html.substring(0, MAX_SCAN_CHARS) : html,
                title, false);
    }

    /**
     * The lead of {@code html}; for a {@code prefix} of a longer text, only when it lies
     * wholly before the prefix's last line (which the cut may have shortened), else null.
     */
    private static String leadOf(String html, String title, boolean prefix) {
        List<String> lines = new ArrayList<>();
        int chars = 0;
        for (String line : lines(html)) {
            String flat = fold(line);
            if (!flat.isEmpty() && chars < LEAD_SCAN_CHARS) {
                lines.add(flat);
                chars += flat.length();
            }
        }
        if (prefix && !lines.isEmpty()) {
            lines.remove(lines.size() - 1);
        }
        if (!lines.isEmpty() && title != null && lines.get(0).equalsIgnoreCase(title)) {
            lines.remove(0);
        }
        int start = 0;
        while (start < lines.size() && !endsSentence(lines.get(start))) {
            start++;
        }
        if (start == lines.size()) {
            if (prefix) {
                return null; // the prose may start after the cut
            }
            start = 0; // no line reads as prose: the text as it comes
        }
        List<String> sentences = new ArrayList<>();
        BreakIterator it = BreakIterator.getSentenceInstance(Locale.ROOT);
        for (int i = start; i < lines.size() && sentences.size() < LEAD_SENTENCES; i++) {
            for (String s : sentences(lines.get(i), it)) {
                if (sentences.size() < LEAD_SENTENCES) {
                    sentences.add(s);
                }
            }
        }
        if (prefix && sentences.size() < LEAD_SENTENCES) {
            return null; // the rest may be after the cut
        }
        return sentences.isEmpty() ? null : cut(String.join(" ", sentences), LEAD_CHARS);
    }

    /** The visible text of {@code raw}: one line per HTML block, or its own lines. */
    static List<String> lines(String raw) {
        String text;
        if (raw.indexOf('<') >= 0 && TAG.matcher(raw).find()) {
            text = TextCleaner.htmlToText(raw);
        } else if (raw.indexOf('&') >= 0) {
            text = Parser.unescapeEntities(raw, false);
        } else {
            text = raw;
        }
        return text.lines().toList();
    }

    /** {@code text} cut to at most {@code max} characters at a word, "…" marking the cut. */
    static String cut(String text, int max) {
        if (text.length() <= max) {
            return text;
        }
        int end = text.lastIndexOf(' ', max - 1);
        if (end <= 0) {
            end = max - 1; // one word longer than the limit
            if (Character.isHighSurrogate(text.charAt(end - 1))) {
                end--; // half an emoji would reach consumers as a lone surrogate
            }
        }
        return text.substring(0, end).stripTrailing() + "…";
    }

    /** Whitespace of any kind (no-break spaces included) folded to single spaces, trimmed. */
    private static String fold(String s) {
        StringBuilder out = new StringBuilder(s.length());
        boolean space = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isWhitespace(c) || Character.isSpaceChar(c)) {
                space = out.length() > 0;
            } else if (!Character.isISOControl(c)) {
                if (space) {
                    out.append(' ');
                    space = false;
                }
                out.append(c);
            }
        }
        return out.toString();
    }

    /** Whether {@code line} ends a sentence: final punctuation, maybe inside quotes. */
    private static boolean endsSentence(String line) {
        for (int i = line.length() - 1; i >= 0; i--) {
            char c = line.charAt(i);
            if (c == '.' || c == '!' || c == '?' || c == '…') {
                return true;
            }
            if ("\"'»”’)]".indexOf(c) < 0 && c != ' ') {
                return false;
            }
        }
        return false;
    }

    /**
     * The sentences of one line, not split after an initial or a title ("M.", "Dr."). Only
     * the line's first {@code 2 * LEAD_CHARS} characters are split: a sentence that reaches
     * past them makes the lead longer than {@link #LEAD_CHARS}, which is then cut before them.
     */
    private static List<String> sentences(String line, BreakIterator it) {
        String text = line.length() > 2 * LEAD_CHARS ? line.substring(0, 2 * LEAD_CHARS) : line;
        it.setText(text);
        List<String> out = new ArrayList<>();
        StringBuilder pending = new StringBuilder();
        int start = it.first();
        for (int end = it.next(); end != BreakIterator.DONE; start = end, end = it.next()) {
            pending.append(text, start, end);
            if (!endsInAbbreviation(pending)) {
                out.add(pending.toString().strip());
                pending.setLength(0);
            }
        }
        if (!pending.isEmpty()) {
            out.add(pending.toString().strip());
        }
        out.removeIf(String::isEmpty);
        return out;
    }

    private static boolean endsInAbbreviation(CharSequence s) {
        int end = s.length();
        while (end > 0 && s.charAt(end - 1) == ' ') {
            end--;
        }
        if (end == 0 || s.charAt(end - 1) != '.') {
            return false;
        }
        int start = end - 1;
        while (start > 0 && Character.isLetter(s.charAt(start - 1))) {
            start--;
        }
        if (start > 0 && s.charAt(start - 1) != ' ' && s.charAt(start - 1) != '.'
                && s.charAt(start - 1) != '(') {
            return false;
        }
        String word = s.subSequence(start, end - 1).toString();
        return word.length() == 1 && Character.isUpperCase(word.charAt(0))
                || ABBREVIATIONS.contains(word.toLowerCase(Locale.ROOT));
    }
}
