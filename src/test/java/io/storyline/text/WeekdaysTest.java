package io.storyline.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.storyline.article.Article;
import io.storyline.config.EngineConfig;
import org.junit.jupiter.api.Test;

/** The days of the week an article names, and when two sets of days lie apart. */
class WeekdaysTest {

    private static final int MONDAY = 1;
    private static final int TUESDAY = 1 << 1;
    private static final int WEDNESDAY = 1 << 2;
    private static final int THURSDAY = 1 << 3;
    private static final int FRIDAY = 1 << 4;
    private static final int SATURDAY = 1 << 5;
    private static final int SUNDAY = 1 << 6;

    private final TextAnalyzer analyzer = new TextAnalyzer(EngineConfig.defaults());

    private int days(String lang, String title, String text) {
        return analyzer.countTerms(analyzer.analyze(
                new Article("a", null, null, lang, title, text, null))).weekdays();
    }

    @Test
    void englishDaysAreReadWhereverTheyStandAndHoweverTheyAreWritten() {
        assertEquals(TUESDAY | THURSDAY, days("en", "Quake toll rises on Thursday",
                "The earthquake struck on Tuesday. THURSDAY's aftershocks toppled houses."));
        assertEquals(SATURDAY | SUNDAY, days("en", null,
                "Talks resumed Saturday and ran into Sunday night."));
    }

    @Test
    void frenchDaysAreReadInLowerCaseAndAfterElision() {
        assertEquals(MONDAY | WEDNESDAY, days("fr", "Grève : le trafic reprend mercredi",
                "La grève a commencé lundi matin. Le mouvement s'arrêtera d'ici mercredi."));
        assertEquals(FRIDAY | SUNDAY, days("fr", null,
                "Le scrutin a lieu dimanche ; la campagne s'achève vendredi à minuit."));
    }

    @Test
    void textsWithoutDaysAndAbbreviationsNameNone() {
        assertEquals(0, days("en", "Central bank holds rates",
                "The bank left rates unchanged, citing sticky inflation in the sun belt."));
        assertEquals(0, days("fr", null, "La banque centrale maintient ses taux."));
    }

    @Test
    void daysLieApartOnlyWhenEveryPairIsMoreThanADayApart() {
        assertFalse(Weekdays.apart(TUESDAY, TUESDAY));
        assertFalse(Weekdays.apart(TUESDAY, WEDNESDAY), "the next day's news");
        assertFalse(Weekdays.apart(WEDNESDAY, TUESDAY), "the day before");
        assertFalse(Weekdays.apart(SUNDAY, MONDAY), "the week wraps around");
        assertFalse(Weekdays.apart(MONDAY, SUNDAY), "the week wraps around");
        assertTrue(Weekdays.apart(FRIDAY, TUESDAY));
        assertTrue(Weekdays.apart(MONDAY, THURSDAY | SATURDAY));
        assertFalse(Weekdays.apart(MONDAY | FRIDAY, THURSDAY), "Friday is next to Thursday");
        assertFalse(Weekdays.apart(0, FRIDAY), "an article naming no day conflicts with none");
        assertFalse(Weekdays.apart(FRIDAY, 0), "a story naming no day conflicts with none");
    }

    @Test
    void daysAreNamedInTheArticlesLanguage() {
        assertEquals("Tuesday", Weekdays.name(1, "en"));
        assertEquals("vendredi", Weekdays.name(4, "fr"));
        assertEquals("Sunday", Weekdays.name(6, "de"), "other languages: English");
    }
}
