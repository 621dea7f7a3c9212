package io.storyline.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.storyline.article.Article;
import io.storyline.config.EngineConfig;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The bench's stream is deterministic and its quality figures are what the engine finds. */
class BenchmarkTest {

    private static List<Article> stream(long seed, int n) {
        SyntheticCorpus corpus = new SyntheticCorpus(n, 0.3, seed);
        List<Article> articles = new ArrayList<>();
        while (corpus.hasNext()) {
            articles.add(corpus.next());
        }
        return articles;
    }

    @Test
    void sameSeedSameStream() {
        assertEquals(stream(7, 200), stream(7, 200));
        assertNotEquals(stream(7, 200), stream(8, 200));
    }

    @Test
    void plantsTheRequestedShareOfCopiesOfEarlierOriginals() {
        SyntheticCorpus corpus = new SyntheticCorpus(2000, 0.3, 1);
        List<String> ids = new ArrayList<>();
        while (corpus.hasNext()) {
            Article a = corpus.next();
            String original = corpus.plantedOriginal(a.id());
            if (original != null) {
                assertTrue(ids.contains(original), a.id() + " copies an unseen " + original);
            }
            ids.add(a.id());
            int words = a.text().split("\\s+").length;
            assertTrue(words >= 450 && words <= 900, a.id() + " has " + words + " words");
        }
        assertTrue(corpus.plantedCopies() > 500 && corpus.plantedCopies() < 700,
                "planted " + corpus.plantedCopies());
    }

    @Test
    void smallRunFindsPlantedCopiesAndIndexRecallAgainstExactJaccard() {
        Benchmark bench = new Benchmark(new Benchmark.Settings(3000, 0.3, 42, 1500, 0, 0.5),
                EngineConfig.defaults(), (phase, done) -> { });
        BenchReport report = bench.run();

        assertEquals(3000, report.articles());
        assertTrue(report.copyRecall() >= 0.95, "copy recall " + report.copyRecall());
        assertEquals(1.0, report.copyPrecision(), "copy precision");
        assertTrue(report.exactPairs() > 0, "the prefix has pairs with Jaccard >= 0.5");
        assertEquals(1.0, report.indexRecall(), "candidate index recall");
        assertTrue(report.boundsCoverage() >= 0.9, "bounds coverage " + report.boundsCoverage());
        String text = report.format();
        assertTrue(text.contains("near-duplicate path"), text);
        assertTrue(text.contains("whole engine"), text);
        assertTrue(text.contains("pairs with exact Jaccard >= 0.5"), text);
        // Both passes see the whole stream; a story is at least one article.
        for (StorySizes s : List.of(report.storiesWithTimes(), report.storiesWithoutTimes())) {
            assertTrue(s.stories() > 0 && s.stories() <= 3000, "stories " + s);
            assertTrue(s.median() >= 1 && s.median() <= s.p90() && s.p99() <= s.largest(),
                    "sizes " + s);
        }
        assertTrue(text.contains("without times"), text);
        assertTrue(text.contains("no story over 50 articles: "), text);
    }
}
