package io.storyline.text;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.storyline.article.Article;
import io.storyline.config.EngineConfig;
import io.storyline.config.Settings;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Any string at all goes through the text pipeline without an exception, and its
 * normalizations are idempotent: a second pass changes nothing.
 */
class TextPropertiesTest {

    @Property(tries = 500)
    void anyStringIsCleanedAndTokenized(@ForAll("text") String raw) {
        String clean = TextCleaner.clean(raw);
        Tokens tokens = new Tokenizer().tokenize(clean);
        for (int i = 0; i < tokens.size(); i++) {
            tokens.term(i);
        }
    }

    @Property(tries = 300)
    void anyArticleIsAnalyzed(@ForAll("text") String title, @ForAll("text") String body) {
        TextAnalyzer analyzer = new TextAnalyzer(EngineConfig.from(Settings.of(Map.of(), "test",
                w -> { })));
        // An article needs a title or a text (Article refuses one with neither).
        analyzer.countTerms(analyzer.analyze(new Article("a1", null, "source", null, "T " + title,
                body, null)));
    }

    @Property(tries = 500)
    void nfkcIsIdempotent(@ForAll("text") String raw) {
        String once = TextCleaner.nfkc(raw);
        assertEquals(once, TextCleaner.nfkc(once));
    }

    /** The terms of a text, tokenized again, are the same terms. */
    @Property(tries = 500)
    void tokenizingTheTermsAgainGivesTheSameTerms(@ForAll("text") String raw) {
        List<String> terms = terms(TextCleaner.clean(raw));
        // Joined by " ; ", not a space: "1" and "221" joined by a space are one figure, 1 221.
        assertEquals(terms, terms(String.join(" ; ", terms)));
    }

    private static List<String> terms(String text) {
        Tokens tokens = new Tokenizer().tokenize(text);
        List<String> out = new ArrayList<>(tokens.size());
        for (int i = 0; i < tokens.size(); i++) {
            out.add(tokens.term(i));
        }
        return out;
    }

    /** News-like text: words, figures, accents, apostrophes, markup, and any char at all. */
    @Provide
    Arbitrary<String> text() {
        Arbitrary<String> pieces = Arbitraries.oneOf(
                Arbitraries.of("l'Ukraine", "Biden's", "29 000", "3,5", "1.234,5", "café",
                        "ÉTÉ", "ﬁn", "<p>", "</p>", "<br>", "&amp;", "&lt;b&gt;", "&nbsp;",
                        "\n", " ", "’", "-", ".", "qu’il", "Straße", "İstanbul", "½", "²"),
                Arbitraries.strings().ofMaxLength(12),
                Arbitraries.strings().all().ofMaxLength(6));
        return pieces.list().ofMaxSize(30).map(l -> String.join("", l));
    }
}
