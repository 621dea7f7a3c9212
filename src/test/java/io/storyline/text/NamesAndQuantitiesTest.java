package io.storyline.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
        assertEquals(quantities("en", "Democrats pass the $3.5 trillion budget."),
                quantities("en", "Democrats pass the $3.5T budget."));
        assertEquals(quantities("en", "A $1.2 trillion bill and 60 million doses."),
                quantities("en", "A $1.2tn bill and 60m doses."));
        assertEquals(quantities("en", "Hackers demand $70 million."),
                quantities("en", "Hackers demand $70 mln."));
        assertEquals(quantities("en", "Employers added 266,000 jobs."),
                quantities("en", "Employers added 266K jobs."));
        assertEquals(quantities("fr", "Un plan de 1,2 milliard d'euros."),
                quantities("fr", "Un plan de 1,2 Md€."));
        assertEquals(quantities("fr", "Un plan de 3 millions d'euros."),
                quantities("fr", "Un plan de 3M d'euros."));
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

    @Test
    void germanCapitalisesNounsSoCapitalsMarkNoNames() {
        assertEquals(List.of(), ofKind("de", null,
                "Das Erdbeben zerstörte viele Häuser in der Stadt.", Analysis.NAME));
    }
}
