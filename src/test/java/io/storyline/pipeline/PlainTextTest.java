package io.storyline.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class PlainTextTest {

    @Test
    void titleStripsTagsAndDecodesEntitiesOnce() {
        assertEquals("Storm closes the port & the airport",
                PlainText.title("Storm <b>closes</b> the port &amp; the <a href=x>airport</a>"));
        assertEquals("Why <b> tags & entities matter",
                PlainText.title("Why &lt;b&gt; tags &amp; entities matter"));
        assertEquals("Encoded twice: &amp; stays &amp;",
                PlainText.title("Encoded twice: &amp;amp; stays &amp;amp;"));
        assertEquals("A < B and C > D", PlainText.title("A < B and C > D"));
    }

    @Test
    void titleFoldsSpacesLineBreaksAndNoBreakSpaces() {
        assertEquals("Quake hits the coast", PlainText.title("  Quake\n hits\t the\u00a0 coast "));
        assertEquals("First line Second line", PlainText.title("<p>First line</p><p>Second"
                + " line</p>"));
    }

    @Test
    void titleOfNothingIsNull() {
        assertNull(PlainText.title(null));
        assertNull(PlainText.title("  "));
        assertNull(PlainText.title("<p> </p>"));
    }

    @Test
    void titleKeepsNoScriptOrHandlerAsMarkup() {
        assertEquals("Hello", PlainText.title("<img src=x onerror=alert(1)>Hello"));
        assertEquals("Hi", PlainText.title("<script>alert(1)</script> Hi"));
    }

    @Test
    void leadIsTheFirstTwoSentences() {
        assertEquals("The port closed on Monday. Ships waited offshore.",
                PlainText.lead("The port closed on Monday. Ships waited offshore. Trade"
                        + " stopped. Nobody knows when it reopens.", "Port closes"));
    }

    @Test
    void leadSkipsBreadcrumbsShareLinesAndTheRepeatedTitle() {
        String html = "<p>Accueil » International » Europe</p>"
                + "<p>Partager sur Facebook Partager sur X</p>"
                + "<p>Le ministre a parlé vendredi. Il a « écrasé » les unités.</p>"
                + "<p>Troisième phrase.</p>";
        assertEquals("Le ministre a parlé vendredi. Il a « écrasé » les unités.",
                PlainText.lead(html, "Titre"));
        assertEquals("First paragraph. Second one.",
                PlainText.lead("Port closes!\nFirst paragraph.\nSecond one.\nThird.",
                        "Port closes!"));
    }

    @Test
    void aLineEndIsASentenceEnd() {
        assertEquals("Ships waited. The minister",
                PlainText.lead("<p>Ships waited.</p><h2>The minister</h2><p>More.</p>", null));
    }

    @Test
    void leadDoesNotSplitAfterInitialsOrTitles() {
        assertEquals("M. Macron a parlé mardi à St. Louis. U.S. officials met Dr. Smith.",
                PlainText.lead("M. Macron a parlé mardi à St. Louis. U.S. officials met Dr."
                        + " Smith. They left.", null));
        assertEquals("J. R. R. Tolkien wrote it. Figures rose 3.5% in 2024.",
                PlainText.lead("J. R. R. Tolkien wrote it. Figures rose 3.5% in 2024. Then.",
                        null));
    }

    @Test
    void leadWithoutProseIsTheTextAsItComes() {
        assertEquals("Live updates", PlainText.lead("<p>Live updates</p>", null));
        assertNull(PlainText.lead("One fact", "One fact"), "the title again adds nothing");
    }

    @Test
    void leadOfNothingIsNull() {
        assertNull(PlainText.lead(null, "T"));
        assertNull(PlainText.lead(" \n ", "T"));
        assertNull(PlainText.lead("<p></p>", "T"));
    }

    @Test
    void aLongLeadIsCutAtAWordWithinTheLimit() {
        String sentence = "word ".repeat(100).strip() + ".";
        String lead = PlainText.lead(sentence + " Second.", null);
        assertEquals("word ".repeat(80).strip() + "…", lead);
        assertEquals(PlainText.LEAD_CHARS, lead.length());
    }

    @Test
    void aWordLongerThanTheLimitIsCutHardButNotInsideASurrogatePair() {
        String word = "a".repeat(398) + "\uD83D\uDCF0" + "b".repeat(10);
        assertEquals("a".repeat(398) + "…", PlainText.cut(word, 400));
        assertEquals("a".repeat(399) + "…", PlainText.cut("a".repeat(500), 400));
        assertEquals("short", PlainText.cut("short", 400));
    }

    @Test
    void aHugeTextGivesTheLeadOfItsStart() {
        String html = "<p>First sentence. Second sentence.</p>" + "<p>filler text.</p>".repeat(
                200_000);
        assertEquals("First sentence. Second sentence.", PlainText.lead(html, null));
    }

    @Test
    void theQuickScanOfATextsStartGivesTheLeadOfTheWholeText() {
        String paragraph = "<p>" + "Some words in a paragraph, with a clause. ".repeat(3)
                + "</p>";
        String[] texts = {
            paragraph.repeat(100),
            "<p>Home » World</p>".repeat(200) + paragraph.repeat(3),
            "<p>A first sentence that is long enough. " + "word ".repeat(500) + "end.</p>",
            "<p>" + "x".repeat(PlainText.QUICK_SCAN_CHARS - 10) + ".</p><p>One. Two.</p>",
            "<p>Only one sentence here.</p>" + "<div>menu</div>".repeat(300),
        };
        for (String text : texts) {
            assertEquals(PlainText.lead(text, null, Integer.MAX_VALUE), PlainText.lead(text,
                    null), text.substring(0, 60));
        }
        for (io.storyline.article.Article a : PipelineTestKit.sample()) {
            String title = PlainText.title(a.title());
            assertEquals(PlainText.lead(a.text(), title, Integer.MAX_VALUE),
                    PlainText.lead(a.text(), title, 200), a.id());
        }
    }
}
