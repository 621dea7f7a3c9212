package io.storyline.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TokenizerTest {

    private final Tokenizer tokenizer = new Tokenizer();

    /** Folded terms of {@code text}, checking that every hash is the hash of its term. */
    private List<String> terms(String text) {
        Tokens tokens = tokenizer.tokenize(text);
        List<String> out = new ArrayList<>();
        for (int i = 0; i < tokens.size(); i++) {
            String term = tokens.term(i);
            assertEquals(Hashing.of(term), tokens.hash(i), "hash of token " + i + " " + term);
            out.add(term);
        }
        return out;
    }

    private long onlyHash(String text) {
        Tokens tokens = tokenizer.tokenize(text);
        assertEquals(1, tokens.size(), "tokens of " + text);
        return tokens.hash(0);
    }

    /** Pairs [lineStart, lineEnd) of every recorded line. */
    private List<List<Integer>> lines(String text) {
        Tokens tokens = tokenizer.tokenize(text);
        List<List<Integer>> out = new ArrayList<>();
        for (int line = 0; line < tokens.lines(); line++) {
            out.add(List.of(tokens.lineStart(line), tokens.lineEnd(line)));
        }
        return out;
    }

    @Test
    void lowerCasesAndSplitsOnSpacesAndPunctuation() {
        assertEquals(List.of("missile", "strike", "hits", "kyiv"),
                terms("Missile STRIKE hits Kyiv!"));
    }

    @Test
    void emptyTextHasNoTokensAndNoLines() {
        Tokens tokens = tokenizer.tokenize("");
        assertEquals(0, tokens.size());
        assertEquals(0, tokens.lines());
        assertEquals(0, tokenizer.tokenize(" \n\t… — ").size());
    }

    @Test
    void foldsAccentsSoThatAccentedAndPlainWordsHashAlike() {
        assertEquals(List.of("ete"), terms("Été"));
        assertEquals(onlyHash("ete"), onlyHash("Été"));
        assertEquals(Hashing.of("ete"), onlyHash("ÉTÉ"));
        assertEquals(List.of("kyiv"), terms("Kyiv"));
        assertEquals(List.of("strasse", "oeuvre", "aeon", "zurich"),
                terms("Straße Œuvre Æon Zürich"));
    }

    @Test
    void foldsCombiningAccentsLikePrecomposedOnes() {
        assertEquals(List.of("ete"), terms("e\u0301te\u0301"));
        assertEquals(Hashing.of("ete"), onlyHash("E\u0301TE"));
        assertEquals(onlyHash("Été"), onlyHash("E\u0301te\u0301"));
    }

    @Test
    void keepsNonLatinWordsWholeAndLowerCased() {
        assertEquals(List.of("київ"), terms("Київ"));
        assertEquals(Hashing.of("київ"), onlyHash("КИЇВ"));
        assertEquals(List.of("київ", "та", "львів"), terms("Київ та Львів"));
    }

    @Test
    void dropsFrenchElidedArticlesWithEitherApostrophe() {
        assertEquals(List.of("ukraine"), terms("l’Ukraine"));
        assertEquals(List.of("ukraine"), terms("l'Ukraine"));
        assertEquals(List.of("ukraine"), terms("L’UKRAINE"));
        assertEquals(List.of("ukraine"), terms("l\u2018Ukraine"));
        assertEquals(List.of("ukraine"), terms("l\u02bcUkraine"));
        assertEquals(List.of("il"), terms("qu’il"));
        assertEquals(List.of("a"), terms("jusqu’à"));
        assertEquals(List.of("une"), terms("d’une"));
        assertEquals(List.of("il"), terms("s’il"));
        assertEquals(onlyHash("ukraine"), onlyHash("l’Ukraine"));
    }

    @Test
    void keepsTheLetterWhenTheApostropheIsNotFollowedByALetter() {
        assertEquals(List.of("rock", "n", "roll"), terms("rock ’n’ roll"));
        assertEquals(List.of("l"), terms("l’"));
    }

    @Test
    void dropsEnglishPossessive() {
        assertEquals(List.of("biden", "plan"), terms("Biden’s plan"));
        assertEquals(List.of("biden", "plan"), terms("Biden's plan"));
        assertEquals(List.of("biden"), terms("Biden’s"));
        assertEquals(List.of("it", "it", "is"), terms("It’s… it is"));
    }

    @Test
    void keepsDecimalNumbersWholeWithAPoint() {
        assertEquals(List.of("2.5"), terms("2,5 %"));
        assertEquals(List.of("2.5"), terms("2.5"));
        assertEquals(onlyHash("2.5"), onlyHash("2,5"));
        assertEquals(Hashing.of("2.5"), onlyHash("2,5"));
    }

    @Test
    void readsAFigureWithThousandsSeparatorsAsOneNumber() {
        // French and SI typography group digits with a (narrow, no-break) space, English with
        // a comma, German with a point: one figure, one token, or "29 000 ans" shares a
        // spurious "000" with every large French figure and none with "29,000 years".
        assertEquals(List.of("29000", "ans"), terms("29 000 ans"));
        assertEquals(List.of("1234567"), terms("1\u202f234\u00a0567"));
        assertEquals(onlyHash("29000"), onlyHash("29 000"));
        assertEquals(onlyHash("29000"), onlyHash("29,000"));
        assertEquals(onlyHash("29000"), onlyHash("29.000"));
        assertEquals(Hashing.of("1234567"), onlyHash("1,234,567"));
        assertEquals(List.of("114000.5"), terms("114,000.5"));
        // Not thousands: a year before a figure, a group of two or four digits, a letter.
        assertEquals(List.of("2021", "100"), terms("2021 100"));
        assertEquals(List.of("12", "50"), terms("12 50"));
        assertEquals(List.of("3", "1000"), terms("3 1000"));
        assertEquals(List.of("a380", "000"), terms("A380 000"));
        assertEquals(List.of("6.25"), terms("6,25"));
        assertEquals(List.of("1", "234"), terms("1, 234"));
        // A combining mark inside a figure is folded away, before and after the figure is
        // read again from its term (jqwik found "2\u03001.234,5" read as 21.234.5, then as
        // 21234.5).
        assertEquals(List.of("21234.5"), terms("2\u03001.234,5"));
        assertEquals(List.of("21234.5"), terms("21.234,5"));
    }

    @Test
    void treatsPointsAndCommasOutsideNumbersAsSeparators() {
        assertEquals(List.of("3", "4"), terms("3, 4"));
        assertEquals(List.of("in", "2024"), terms("In 2024."));
        assertEquals(List.of("u", "s"), terms("U.S."));
        assertEquals(List.of("a", "1"), terms("a.1"));
        assertEquals(List.of("5"), terms(",5"));
    }

    @Test
    void splitsOnHyphens() {
        assertEquals(List.of("anti", "missile", "system"), terms("anti-missile system"));
        assertEquals(List.of("saint", "etienne"), terms("Saint‑Étienne"));
    }

    @Test
    void recordsOneLineStartPerNonEmptyLine() {
        Tokens tokens = tokenizer.tokenize("a\n\nb c\n\n\nd");
        assertEquals(4, tokens.size());
        assertEquals(3, tokens.lines());
        assertEquals(List.of(List.of(0, 1), List.of(1, 3), List.of(3, 4)),
                lines("a\n\nb c\n\n\nd"));
    }

    @Test
    void ignoresLeadingAndTrailingBlankLines() {
        assertEquals(List.of(List.of(0, 2), List.of(2, 3)),
                lines("\n\n  first one\nsecond\n \n"));
    }

    @Test
    void aLineWhoseOnlyTokenIsDroppedRecordsNoLine() {
        assertEquals(List.of("x", "y"), terms("x\n’s\ny"));
        assertEquals(List.of(List.of(0, 1), List.of(1, 2)), lines("x\n’s\ny"));
    }

    @Test
    void punctuationOnlyLinesRecordNoLine() {
        assertEquals(List.of(List.of(0, 1), List.of(1, 2)), lines("one\n* * *\n— two —"));
    }

    @Test
    void reusesItsTokensObjectAndForgetsThePreviousText() {
        Tokens first = tokenizer.tokenize("one two three\nfour");
        Tokens second = tokenizer.tokenize("five");
        assertSame(first, second);
        assertEquals(List.of("five"), terms("five"));
        assertEquals(1, second.lines());
    }

    @Test
    void handlesTextsLongerThanItsInitialBuffers() {
        String text = "word ".repeat(6000) + "\nlast";
        Tokens tokens = tokenizer.tokenize(text);
        assertEquals(6001, tokens.size());
        assertEquals(2, tokens.lines());
        assertEquals(6000, tokens.lineStart(1));
        assertEquals("last", tokens.term(6000));
        assertEquals(Hashing.of("word"), tokens.hash(5999));
    }

    @Test
    void hashesReturnsACopyOfTheTokenHashesInOrder() {
        Tokens tokens = tokenizer.tokenize("Élan vital");
        assertArrayEquals(new long[] {Hashing.of("elan"), Hashing.of("vital")}, tokens.hashes());
    }

    @Test
    void foldsLatinExtendedAdditionalLetters() {
        assertEquals(List.of("strasse"), terms("STRAẞE"));
        assertEquals(List.of("nguyen"), terms("Nguyễn"));
    }
}
