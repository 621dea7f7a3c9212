package io.storyline.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.storyline.article.Article;
import io.storyline.article.Assignment;
import io.storyline.article.Assignment.Verdict;
import io.storyline.config.EngineConfig;
import io.storyline.engine.Engine;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class StoryLogTest {

    private static final Instant FETCHED = Instant.parse("2024-11-23T06:00:00Z");

    private static Article article(String id, String source, String url, String title) {
        return new Article(id, url, source, "fr", title, "Texte de l'article " + id + ".",
                Instant.parse("2022-11-15T16:40:00Z"));
    }

    private static Detection.Step step(Engine.Kind kind, Article a, int revision,
            Assignment assignment) {
        return new Detection.Step(kind, a, revision, assignment, PlainText.title(a.title()),
                List.of());
    }

    private static Detection.Step fresh(Article a, Assignment assignment) {
        return step(Engine.Kind.NEW, a, 0, assignment);
    }

    @Test
    void aNewStoryNamesItsHeadlineSourceAndLink() {
        Article a = article("s1", "Le Quotidien du Matin", "https://lqm.example/ukraine",
                "Ukraine : Poutine lance 100 missiles, Kyiv plongée dans le noir");
        assertEquals("new story s1: Ukraine : Poutine lance 100 missiles, Kyiv plongée dans le"
                + " noir (Le Quotidien du Matin) https://lqm.example/ukraine",
                StoryLog.line(fresh(a, new Assignment("s1", "s1", null, 0, 0, 0, null,
                        Verdict.NEW_STORY))));
    }

    @Test
    void aCopyNamesItsOriginalTheJaccardAndTheCopysOwnHeadlineSourceAndLink() {
        Article a = article("c1", "La Voix des Régions", "https://lvr.example/c1",
                "Ukraine : <b>une centaine</b> de missiles &amp; le noir");
        assertEquals("  story s1 gets a copy of s1 (Jaccard 0.94): Ukraine : une centaine de"
                + " missiles & le noir (La Voix des Régions) https://lvr.example/c1",
                StoryLog.line(fresh(a, new Assignment("c1", "s1", "s1", 0.9375, 0.79, 0.99,
                        "s1", Verdict.NEAR_DUPLICATE))));
        assertEquals("  story s1 gets a copy of s1 (exact): Ukraine : une centaine de missiles"
                + " & le noir (La Voix des Régions) https://lvr.example/c1",
                StoryLog.line(fresh(a, new Assignment("c1", "s1", "s1", 1, 1, 1, "s1",
                        Verdict.EXACT_DUPLICATE))));
    }

    @Test
    void anArticleJoiningAStoryNamesItsScore() {
        Article a = article("j1", "Horizon Info", "https://hi.example/j1", "Kyiv dans le noir");
        assertEquals("  story s1 grows (score 0.31): Kyiv dans le noir (Horizon Info)"
                + " https://hi.example/j1", StoryLog.line(fresh(a, new Assignment("j1", "s1",
                        null, 0.3125, 0.3125, 0.3125, "s1", Verdict.STORY))));
    }

    @Test
    void aRevisionLogsALine() {
        Article a = article("j1", "Horizon Info", "https://hi.example/j1",
                "Kyiv dans le noir, 12 morts");
        assertEquals("  story s1: j1 revised (revision 2): Kyiv dans le noir, 12 morts (Horizon"
                + " Info) https://hi.example/j1", StoryLog.line(step(Engine.Kind.REVISION, a, 2,
                        new Assignment("j1", "s1", null, 0.31, 0.31, 0.31, "s1",
                                Verdict.STORY))));
    }

    @Test
    void missingPartsAreLeftOutAndALongHeadlineIsCutAtAWord() {
        Article bare = new Article("b1", null, null, null, null, "Only text.", null);
        assertEquals("new story b1: b1", StoryLog.line(fresh(bare, new Assignment("b1", "b1",
                null, 0, 0, 0, null, Verdict.NEW_STORY))));
        Article longTitle = article("l1", " ", null, "mot ".repeat(40));
        assertEquals("new story l1: " + "mot ".repeat(25).strip() + "…",
                StoryLog.line(fresh(longTitle, new Assignment("l1", "l1", null, 0, 0, 0, null,
                        Verdict.NEW_STORY))));
    }

    @Test
    void feedTextCannotForgeALogLine() {
        Article a = article("x1", "Evil\n[INFO] stories - new story fake",
                "https://e.example/\r\nx", "Title\n[INFO] forged");
        assertEquals("new story x1: Title [INFO] forged (Evil [INFO] stories - new story fake)"
                + " https://e.example/  x", StoryLog.line(fresh(a, new Assignment("x1", "x1",
                        null, 0, 0, 0, null, Verdict.NEW_STORY))));
    }

    @Test
    void aRedeliveryLogsNothing() {
        Article a = article("s1", "Src", null, "T");
        assertNull(StoryLog.line(step(Engine.Kind.REPEAT, a, 0, null)));
    }

    @Test
    void theDetectionStepsOfARevisionAreLoggedWithTheNewTitle() {
        Detection d = new Detection(EngineConfig.defaults());
        Article first = article("s1", "Src", "https://src.example/s1", "Port closes");
        d.apply(new ArticleMessage(first, 0, null, FETCHED), 0);
        Article revised = article("s1", "Src", "https://src.example/s1",
                "Port closes, <i>ships</i> wait");
        assertEquals("  story s1: s1 revised (revision 1): Port closes, ships wait (Src)"
                + " https://src.example/s1", StoryLog.line(d.apply(new ArticleMessage(revised,
                        1, null, FETCHED), 1)));
    }
}
