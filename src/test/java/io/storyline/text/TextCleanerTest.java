package io.storyline.text;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class TextCleanerTest {

    /** The non-blank lines of the cleaned text, stripped. */
    private static List<String> lines(String raw) {
        return Arrays.stream(TextCleaner.clean(raw).split("\n"))
                .map(String::strip)
                .filter(line -> !line.isEmpty())
                .toList();
    }

    @Test
    void nullAndEmptyBecomeEmpty() {
        assertEquals("", TextCleaner.clean(null));
        assertEquals("", TextCleaner.clean(""));
    }

    @Test
    void plainTextKeepsItsLinesUnchanged() {
        assertEquals("First line.\n\nSecond line.",
                TextCleaner.clean("First line.\n\nSecond line."));
    }

    @Test
    void htmlParagraphsBecomeLines() {
        assertEquals(List.of("a", "b"), lines("<p>a</p><p>b</p>"));
        assertEquals(List.of("Up", "Down"), lines("<P>Up</P><DIV>Down</DIV>"));
        assertEquals(List.of("one", "two"), lines("<div><p>one</p></div>two"));
        assertEquals(List.of("i1", "i2"), lines("<ul><li>i1</li><li>i2</li></ul>"));
    }

    @Test
    void lineBreakTagsBecomeLines() {
        assertEquals(List.of("a", "b", "c"), lines("a<br>b<br/>c"));
    }

    @Test
    void inlineTagsStayOnTheirLine() {
        assertEquals(List.of("a bold and italic word"),
                lines("a <b>bold</b> and <i>italic</i> <a href=\"/x\">word</a>"));
    }

    @Test
    void htmlCollapsesWhitespaceInsideText() {
        assertEquals(List.of("spaced out"), lines("<p>  spaced \n  out  </p>"));
    }

    @Test
    void scriptAndStyleContentsDoNotBecomeText() {
        assertEquals(List.of("x", "y"),
                lines("<p>x</p><script>var leak = 1;</script><style>p { color: red }</style>"
                        + "<p>y</p>"));
    }

    @Test
    void entitiesAreDecodedInPlainText() {
        assertEquals("a & b", TextCleaner.clean("a &amp; b"));
        assertEquals("AT&T & co", TextCleaner.clean("AT&T &amp; co"));
        assertEquals("x <p> y", TextCleaner.clean("x &lt;p&gt; y"));
        assertEquals("caf\u00e9 \u00e9t\u00e9", TextCleaner.clean("caf&eacute; &#233;t&#xE9;"));
    }

    @Test
    void entitiesAreDecodedInHtml() {
        assertEquals(List.of("a & b \u00e9"), lines("<p>a &amp; b &eacute;</p>"));
    }

    @Test
    void aLessThanSignThatStartsNoTagLeavesTextPlain() {
        assertEquals("a < b and 3<5", TextCleaner.clean("a < b and 3<5"));
    }

    @Test
    void appliesNfkc() {
        assertEquals("final", TextCleaner.clean("\ufb01nal"));
        assertEquals("fin de", TextCleaner.clean("\ufb01n\u00a0de"));
        assertEquals("AB 12", TextCleaner.clean("\uff21\uff22 \uff11\uff12"));
        assertEquals(" x", TextCleaner.clean("&nbsp;x"));
    }

    @Test
    void composesDecomposedAccents() {
        assertEquals("caf\u00e9", TextCleaner.clean("cafe\u0301"));
    }

    @Test
    void appliesNfkcToHtmlText() {
        assertEquals(List.of("fin de partie"), lines("<p>\ufb01n\u00a0de partie</p>"));
    }
}
