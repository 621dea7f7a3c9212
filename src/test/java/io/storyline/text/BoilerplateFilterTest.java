package io.storyline.text;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BoilerplateFilterTest {

    private static final String HEADER = "Subscribe to our newsletter";
    private static final String FOOTER = "Copyright Daily Planet all rights reserved";

    private final Tokenizer tokenizer = new Tokenizer();

    /** Outcome of filtering one article: lines dropped, then the kept lines' terms. */
    private record Result(int dropped, List<String> lines) {
    }

    private Result filter(BoilerplateFilter filter, String source, String text) {
        Tokens tokens = tokenizer.tokenize(text);
        int dropped = filter.filter(source, tokens);
        List<String> lines = new ArrayList<>();
        for (int line = 0; line < tokens.lines(); line++) {
            StringBuilder words = new StringBuilder();
            for (int i = tokens.lineStart(line); i < tokens.lineEnd(line); i++) {
                words.append(words.length() == 0 ? "" : " ").append(tokens.term(i));
            }
            lines.add(words.toString());
        }
        return new Result(dropped, lines);
    }

    private static String article(int k) {
        return HEADER + "\nBody of article number " + k + ".\n" + FOOTER;
    }

    private static Result kept(String... lines) {
        return new Result(0, List.of(lines));
    }

    @Test
    void dropsLinesSeenInMinCountEarlierArticlesOfTheSource() {
        BoilerplateFilter filter = new BoilerplateFilter(50, 3, 100);
        for (int k = 1; k <= 3; k++) {
            assertEquals(kept("subscribe to our newsletter", "body of article number " + k,
                    "copyright daily planet all rights reserved"),
                    filter(filter, "planet", article(k)), "article " + k);
        }
        assertEquals(new Result(2, List.of("body of article number 4")),
                filter(filter, "planet", article(4)));
        assertEquals(new Result(2, List.of("body of article number 5")),
                filter(filter, "planet", article(5)));
    }

    @Test
    void recognisesALineDespiteCaseAccentAndPunctuationChanges() {
        BoilerplateFilter filter = new BoilerplateFilter(50, 2, 100);
        filter(filter, "s", "Lire aussi : l’été\nfirst");
        filter(filter, "s", "LIRE AUSSI l'ete\nsecond");
        assertEquals(new Result(1, List.of("third")),
                filter(filter, "s", "Lire aussi... L’Été!\nthird"));
    }

    @Test
    void linesOfOtherSourcesAreNotAffected() {
        BoilerplateFilter filter = new BoilerplateFilter(50, 3, 100);
        for (int k = 1; k <= 3; k++) {
            filter(filter, "planet", article(k));
        }
        assertEquals(kept("subscribe to our newsletter", "body of article number 9",
                "copyright daily planet all rights reserved"),
                filter(filter, "bugle", article(9)));
        assertEquals(2, filter(filter, "planet", article(4)).dropped());
    }

    @Test
    void anArticleMadeOnlyOfRecurringLinesIsKeptWhole() {
        BoilerplateFilter filter = new BoilerplateFilter(50, 3, 100);
        for (int k = 1; k <= 3; k++) {
            filter(filter, "planet", article(k));
        }
        assertEquals(kept("subscribe to our newsletter",
                "copyright daily planet all rights reserved"),
                filter(filter, "planet", HEADER + "\n" + FOOTER));
    }

    @Test
    void nullSourceRemovesNothing() {
        BoilerplateFilter filter = new BoilerplateFilter(50, 3, 100);
        for (int k = 1; k <= 5; k++) {
            assertEquals(0, filter(filter, null, article(k)).dropped(), "article " + k);
        }
        assertEquals(3, filter(filter, null, article(6)).lines().size());
    }

    @Test
    void zeroHistoryRemovesNothing() {
        BoilerplateFilter filter = new BoilerplateFilter(0, 2, 100);
        for (int k = 1; k <= 5; k++) {
            assertEquals(kept("subscribe to our newsletter", "body of article number " + k,
                    "copyright daily planet all rights reserved"),
                    filter(filter, "planet", article(k)), "article " + k);
        }
    }

    @Test
    void aLineRepeatedWithinOneArticleCountsOnce() {
        BoilerplateFilter filter = new BoilerplateFilter(50, 2, 100);
        filter(filter, "s", "Share\nShare\nShare\nbody one");
        assertEquals(kept("share", "body two"), filter(filter, "s", "Share\nbody two"));
    }

    @Test
    void forgetsArticlesOlderThanTheHistory() {
        BoilerplateFilter filter = new BoilerplateFilter(2, 2, 100);
        filter(filter, "s", HEADER + "\nbody one");
        filter(filter, "s", HEADER + "\nbody two");
        // Header seen in two of the last two articles: dropped here.
        assertEquals(new Result(1, List.of("body three")),
                filter(filter, "s", HEADER + "\nbody three"));
        filter(filter, "s", "body four");
        filter(filter, "s", "body five");
        // The last two articles lack the header: it is body text again.
        assertEquals(kept("subscribe to our newsletter", "body six"),
                filter(filter, "s", HEADER + "\nbody six"));
    }

    @Test
    void forgetsAllSourcesWhenTooManyAreTracked() {
        BoilerplateFilter filter = new BoilerplateFilter(50, 2, 1);
        filter(filter, "planet", article(1));
        filter(filter, "planet", article(2));
        filter(filter, "bugle", article(3));
        assertEquals(0, filter(filter, "planet", article(4)).dropped());
        assertEquals(0, filter(filter, "planet", article(5)).dropped());
        assertEquals(2, filter(filter, "planet", article(6)).dropped());
    }

    @Test
    void isDeterministic() {
        List<String[]> stream = List.of(
                new String[] {"planet", article(1)},
                new String[] {"bugle", "Bugle header\nbugle story one"},
                new String[] {"planet", article(2)},
                new String[] {"bugle", "Bugle header\nbugle story two"},
                new String[] {"planet", article(3)},
                new String[] {"bugle", "Bugle header\nbugle story three"},
                new String[] {"planet", article(4)},
                new String[] {"planet", HEADER + "\nshort"});
        List<Result> first = new ArrayList<>();
        List<Result> second = new ArrayList<>();
        BoilerplateFilter a = new BoilerplateFilter(50, 2, 100);
        BoilerplateFilter b = new BoilerplateFilter(50, 2, 100);
        for (String[] item : stream) {
            first.add(filter(a, item[0], item[1]));
        }
        for (String[] item : stream) {
            second.add(filter(b, item[0], item[1]));
        }
        assertEquals(first, second);
        assertEquals(List.of(0, 0, 0, 0, 2, 1, 2, 1),
                first.stream().map(Result::dropped).toList());
    }

    @Test
    void titleSuffixNamingTheSourceIsDropped() {
        BoilerplateFilter filter = new BoilerplateFilter(50, 3, 100);
        assertEquals("Storm hits the coast",
                filter.title("Daily Planet", "Storm hits the coast - Daily Planet"));
        assertEquals("Storm hits the coast",
                filter.title("Daily Planet", "Storm hits the coast | daily planet"));
    }

    @Test
    void titleSuffixRecurringInTheSourcesTitlesIsDroppedFromTheFourthOn() {
        BoilerplateFilter filter = new BoilerplateFilter(50, 3, 100);
        List<String> titles = new ArrayList<>();
        for (int k = 1; k <= 5; k++) {
            titles.add(filter.title("dp", "Headline number " + k + " \u2013 The Planet Online"));
        }
        assertEquals(List.of("Headline number 1 \u2013 The Planet Online",
                "Headline number 2 \u2013 The Planet Online",
                "Headline number 3 \u2013 The Planet Online",
                "Headline number 4", "Headline number 5"), titles);
    }

    @Test
    void titleDashesThatAreNotASiteNameStay() {
        BoilerplateFilter filter = new BoilerplateFilter(50, 3, 100);
        for (int k = 1; k <= 5; k++) {
            String title = "Ukraine - Russia talks resume, round " + k;
            assertEquals(title, filter.title("dp", title));
        }
        String longSuffix = "Storm - what we know so far about the damage and the victims";
        assertEquals(longSuffix, filter.title("Daily Planet", longSuffix));
        assertEquals("No source - Daily Planet", filter.title(null, "No source - Daily Planet"));
    }
}
