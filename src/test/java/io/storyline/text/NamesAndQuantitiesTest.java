package io.storyline.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.storyline.article.Article;
import io.storyline.config.EngineConfig;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which terms the text stage calls names and quantities, in English and French. */
class NamesAndQuantitiesTest {

    private final TextAnalyzer analyzer = new TextAnalyzer(EngineConfig.defaults());

    private List<String> ofKind(String lang, String title, String text, byte kind) {
        Analysis a = analyzer.countTerms(analyzer.analyze(
                new Article("a", null, null, lang, title, text, null)));
        List<String> out = new ArrayList<>();
        for (int i = 0; i < a.termCount(); i++) {
            if (a.kind(i) == kind) {
                out.add(a.label(i));
            }
        }
        return out;
    }

    @Test
    void capitalisedWordsInsideSentencesAreNamesInEnglish() {
        assertEquals(List.of("Hokkaido", "Japan", "Sapporo"), ofKind("en", null,
                "A strong earthquake struck Hokkaido in northern Japan on Tuesday. Residents"
                        + " of Sapporo fled their homes.", Analysis.NAME));
    }

    @Test
    void aCapitalAtTheStartOfASentenceOrQuoteSaysNothing() {
        assertEquals(List.of(), ofKind("en", null,
                "Residents fled. \"Buildings shook,\" said one. Rescuers arrived.",
                Analysis.NAME));
    }

    @Test
    void aTitleInTitleCaseGivesNoNamesButAWordKnownAsANameStaysOne() {
        assertEquals(List.of("Chile"), ofKind("en",
                "Powerful Earthquake Strikes Northern Chile",
                "The quake hit Chile overnight and buildings collapsed.", Analysis.NAME));
    }

    @Test
    void frenchNamesAfterAnElisionAndAcronymsAreNames() {
        assertEquals(List.of("Ukraine", "BCE", "Francfort"), ofKind("fr", null,
                "La guerre en l'Ukraine inquiète la BCE, qui se réunit à Francfort jeudi.",
                Analysis.NAME));
    }

    @Test
    void weekdaysAndMonthsAreNotNamesThoughWrittenWithACapital() {
        assertEquals(List.of("Bank", "England"), ofKind("en", null,
                "The Bank of England held rates on Thursday in March.", Analysis.NAME));
    }

    @Test
    void aFigureIsCountedWithTheWordItCountsNextOrElseBefore() {
        assertEquals(List.of("100 missiles", "magnitude 6.1"), ofKind("en", null,
                "Russia fired 100 missiles. Then a quake of magnitude 6.1. Rescuers left.",
                Analysis.QUANTITY));
    }

    @Test
    void frenchDecimalCommaMakesOneFigure() {
        assertEquals(List.of("magnitude 6,1", "12 morts"), ofKind("fr", null,
                "Un séisme de magnitude 6,1 a fait 12 morts au Maroc.", Analysis.QUANTITY));
    }

    @Test
    void aScaleWrittenShortIsTheScaleWrittenOut() {
        sameQuantities("en", "Democrats pass the $3.5 trillion budget.",
                "Democrats pass the $3.5T budget.");
        sameQuantities("en", "A $1.2 trillion bill and 60 million doses.",
                "A $1.2tn bill and 60m doses.");
        sameQuantities("en", "Hackers demand $70 million.", "Hackers demand $70 mln.");
        sameQuantities("en", "Employers added 266,000 jobs.", "Employers added 266K jobs.");
        sameQuantities("fr", "Un plan de 1,2 milliard d'euros.", "Un plan de 1,2 Md€.");
        sameQuantities("fr", "Un plan de 3 millions d'euros.", "Un plan de 3M d'euros.");
        assertEquals(List.of("60m"), ofKind("en", null, "They gave 60m doses.",
                Analysis.QUANTITY));
        assertEquals(List.of("70 mln"), ofKind("en", null, "Hackers demand $70 mln.",
                Analysis.QUANTITY));
    }

    @Test
    void aPercentSignCountsAShareInEveryLanguage() {
        List<Long> rate = quantities("en", "The bank held its rate at 6.75% on Thursday.");
        assertEquals(1, rate.size());
        assertEquals(rate, quantities("en", "Rates stay at 6.75 percent, the bank said."));
        assertEquals(rate, quantities("fr", "La banque maintient son taux à 6,75\u00A0% jeudi."));
        assertNotEquals(rate, quantities("en", "The bank held its rate at 6.5% on Thursday."));
        assertEquals(List.of("6.75%"), ofKind("en", null, "Rates held at 6.75% after the vote.",
                Analysis.QUANTITY));
        // A sign after the next word is that word's: the figure counts the word.
        assertEquals(List.of("4 points", "50%"), ofKind("en", null,
                "Support rose 4 points to 50% in the poll.", Analysis.QUANTITY));
    }

    @Test
    void aFigureWithAnotherScaleOrLetterIsAnotherQuantity() {
        List<Long> trillion = quantities("en", "A $3.5 trillion budget.");
        assertNotEquals(trillion, quantities("en", "A $3.5bn budget."));
        assertNotEquals(trillion, quantities("en", "A $35T budget."));
        assertNotEquals(quantities("en", "Employers added 266 jobs."),
                quantities("en", "Employers added 266K jobs."));
        // A letter that is no scale keeps the token as written: "4x4 vehicles".
        assertEquals(List.of("4x4 vehicles"), ofKind("en", null, "Police seized 4x4 vehicles.",
                Analysis.QUANTITY));
    }

    private void sameQuantities(String lang, String text, String other) {
        assertEquals(quantities(lang, text), quantities(lang, other), other);
    }

    private List<Long> quantities(String lang, String text) {
        TextAnalyzer fresh = new TextAnalyzer(EngineConfig.defaults());
        Analysis a = fresh.countTerms(fresh.analyze(
                new Article("a", null, null, lang, null, text, null)));
        List<Long> out = new ArrayList<>();
        for (int i = 0; i < a.termCount(); i++) {
            if (a.kind(i) == Analysis.QUANTITY) {
                out.add(a.termKey(i));
            }
        }
        assertTrue(!out.isEmpty(), text);
        out.sort(null);
        return out;
    }

    /** Analyses {@code texts} in order as one stream; the keys of the last one's names. */
    private List<Long> namesAfter(String lang, String... texts) {
        return termsAfter(lang, Analysis.NAME, texts);
    }

    /** As {@link #namesAfter}, for terms of kind {@code kind}. */
    private List<Long> termsAfter(String lang, byte kind, String... texts) {
        TextAnalyzer stream = new TextAnalyzer(EngineConfig.defaults());
        Analysis a = null;
        for (String text : texts) {
            a = stream.countTerms(stream.analyze(
                    new Article("a", null, null, lang, null, text, null)));
            stream.countDocument(a);
        }
        List<Long> out = new ArrayList<>();
        for (int i = 0; i < a.termCount(); i++) {
            if (a.kind(i) == kind) {
                out.add(a.termKey(i));
            }
        }
        return out;
    }

    private long nameKey(String lang, String text) {
        List<Long> names = namesAfter(lang, text);
        assertEquals(1, names.size(), text);
        return names.get(0);
    }

    @Test
    void aDottedAcronymIsTheAcronymAndOneThatSpellsAStopWordIsKept() {
        long us = nameKey("en", "Rates rose in the US on Monday.");
        assertEquals(us, nameKey("en", "Rates rose in the U.S. on Monday."));
        assertEquals(List.of("U.S."), ofKind("en", null, "Rates rose in the U.S. on Monday.",
                Analysis.NAME));
        assertEquals(List.of("IT"), ofKind("en", null, "Spending on IT rose.", Analysis.NAME));
        // The stop word stays one, and so do capitals that shout.
        assertEquals(List.of("Spending", "rose"), ofKind("en", null, "Spending on it rose.",
                Analysis.WORD));
        long it = nameKey("en", "Spending on IT rose.");
        assertTrue(!namesAfter("en", "They said: DO IT NOW, FOLKS.").contains(it));
    }

    @Test
    void aRunOfCapitalisedWordsMeetsTheAcronymTheStreamUses() {
        long sarb = nameKey("en", "Analysts expect the SARB to hold.");
        List<Long> expanded = namesAfter("en", "Analysts expect the SARB to hold.",
                "Analysts expect the South African Reserve Bank to hold.");
        assertTrue(expanded.contains(sarb), expanded.toString());
        long us = nameKey("en", "Rates rose in the US on Monday.");
        assertTrue(namesAfter("en", "Rates rose in the US on Monday.",
                "Rates rose in the United States on Monday.").contains(us));
        // Initials that no one writes are no term: the run's words are the evidence.
        assertEquals(3, namesAfter("en", "Voters backed Joe Biden in Ohio.").size());
        // A bracket ends a name: "Bank (SARB)" is not the run "Bank SARB".
        assertEquals(List.of("South", "African", "Reserve", "Bank", "SARB"), ofKind("en", null,
                "Analysts expect the South African Reserve Bank (SARB) to hold.",
                Analysis.NAME));
    }

    @Test
    void initialsTheStreamWritesInLowerCaseAreNoName() {
        // "pm" is mostly a time here: "Prime Minister" does not become it.
        long pm = termsAfter("en", Analysis.WORD, "At 5 pm.").get(0);
        List<Long> words = termsAfter("en", Analysis.WORD, "Polls close at 5 pm and at 9 pm.",
                "Doors open at 7 pm. The PM spoke.", "The Prime Minister spoke on Monday.");
        assertFalse(words.contains(pm), words.toString());
        // Where the stream writes PM as a name, the run meets it.
        long named = nameKey("en", "Officials said the PM spoke.");
        assertTrue(namesAfter("en", "Officials said the PM spoke.",
                "Officials said the Prime Minister spoke.").contains(named));
    }

    @Test
    void frenchRunsMeetTheirAcronymsAndTheirStopWords() {
        long rn = nameKey("fr", "Les électeurs du RN sont mobilisés.");
        assertTrue(namesAfter("fr", "Les électeurs du RN sont mobilisés.",
                "Les électeurs du Rassemblement National sont mobilisés.").contains(rn));
        // "UE" spells no French stop word; "EU" does (eu), and still names the Union.
        long eu = nameKey("fr", "Les ministres de l'EU se réunissent.");
        assertTrue(namesAfter("fr", "Les ministres de l'EU se réunissent.",
                "Les ministres des États-Unis se réunissent.").contains(eu));
    }

    @Test
    void germanCapitalisesNounsSoCapitalsMarkNoNames() {
        assertEquals(List.of(), ofKind("de", null,
                "Das Erdbeben zerstörte viele Häuser in der Stadt.", Analysis.NAME));
    }
}
