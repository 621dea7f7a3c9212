package io.storyline.bench;

import io.storyline.article.Article;
import io.storyline.article.CanonicalUrl;
import io.storyline.config.EngineConfig;
import io.storyline.dedup.CopyVerdict;
import io.storyline.dedup.DuplicateDetector;
import io.storyline.engine.Engine;
import io.storyline.text.Analysis;
import io.storyline.text.TextAnalyzer;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import org.apache.datasketches.theta.CompactSketch;

/**
 * Runs the engine over a {@link SyntheticCorpus} and measures it: per-stage speed on one
 * thread, heap held per article in the window, copies found against the planted ones, and the
 * candidate index's recall and the estimate bounds' coverage against exact Jaccard.
 */
public final class Benchmark {

    /** Bench settings. */
    public record Settings(int articles, double copyShare, long seed, int exactPrefix,
            int warmup, double exactThreshold) {
    }

    private final Settings settings;
    private final EngineConfig config;
    private final BiConsumer<String, Double> progress;

    /** @param progress told (phase, fraction done) as the bench advances */
    public Benchmark(Settings settings, EngineConfig config,
            BiConsumer<String, Double> progress) {
        this.settings = settings;
        this.config = config;
        this.progress = progress;
    }

    public BenchReport run() {
        warmUp();
        BenchReport.Builder report = new BenchReport.Builder(settings.articles());
        nearDuplicatePath(report);
        wholeEngine(report);
        indexRecall(report);
        storySizesWithoutTimes(report);
        return report.build();
    }

    private void warmUp() {
        Engine engine = new Engine(config);
        SyntheticCorpus corpus = corpus(settings.warmup(), settings.seed() + 1);
        while (corpus.hasNext()) {
            engine.process(corpus.next());
        }
    }

    /** Text, sketch and copy verdict alone: the near-duplicate path. */
    private void nearDuplicatePath(BenchReport.Builder report) {
        TextAnalyzer text = new TextAnalyzer(config);
        DuplicateDetector copies = new DuplicateDetector(config);
        SyntheticCorpus corpus = corpus(settings.articles(), settings.seed());
        long[] nanos = new long[3];
        long windowArticles = config.window().toMillis() / SyntheticCorpus.SPACING_MILLIS;
        int found = 0;
        int correct = 0;
        Batches batches = new Batches(corpus);
        for (long seq = 0; batches.hasNext(); seq++) {
            Article article = batches.next();
            long t0 = System.nanoTime();
            Analysis analysis = text.analyze(article);
            long t1 = System.nanoTime();
            CompactSketch sketch = copies.sketch(analysis);
            long t2 = System.nanoTime();
            CopyVerdict verdict = copies.check(seq, article.id(), CanonicalUrl.of(article.url()),
                    analysis, sketch);
            long t3 = System.nanoTime();
            // The window moves as the engine moves it (articles are evenly spaced in time).
            copies.evictBefore(seq - windowArticles);
            long t4 = System.nanoTime();
            nanos[0] += t1 - t0;
            nanos[1] += t2 - t1;
            nanos[2] += t4 - t2;
            if (verdict.isCopy()) {
                found++;
                String planted = corpus.plantedOriginal(article.id());
                if (planted != null && planted.equals(verdict.originalId())) {
                    correct++;
                }
            }
            tick("near-duplicate path", seq, settings.articles());
        }
        report.nearDuplicateStages(nanos[0], nanos[1], nanos[2]);
        report.copies(corpus.plantedCopies(), found, correct);
        int window = copies.windowSize();
        long withState = usedHeap();
        keepAlive(text, copies);
        text = null;
        copies = null;
        keepAlive(null, null);
        report.copyStateBytes(withState - usedHeap(), window);
    }

    /** The whole engine, stages timed through its probe. */
    private void wholeEngine(BenchReport.Builder report) {
        Map<Engine.Stage, long[]> nanos = new EnumMap<>(Engine.Stage.class);
        long[] last = {0};
        Engine.Stage[] stages = Engine.Stage.values();
        for (Engine.Stage s : stages) {
            nanos.put(s, new long[1]);
        }
        Engine engine = new Engine(config, stage -> {
            long now = System.nanoTime();
            nanos.get(stage)[0] += now - last[0];
            last[0] = now;
        });
        SyntheticCorpus corpus = corpus(settings.articles(), settings.seed());
        Batches batches = new Batches(corpus);
        StorySizes.Tally stories = new StorySizes.Tally(settings.articles());
        for (long seq = 0; batches.hasNext(); seq++) {
            Article article = batches.next();
            last[0] = System.nanoTime();
            Engine.Result result = engine.process(article);
            // After the probe's last reading: a list append, outside every timed stage.
            stories.add(result.assignment().story(), result.events());
            tick("whole engine", seq, settings.articles());
        }
        report.storySizesWithTimes(stories.sizes());
        stories = null; // gone before the heap readings below, so that they do not count it
        Map<Engine.Stage, Long> totals = new EnumMap<>(Engine.Stage.class);
        nanos.forEach((stage, n) -> totals.put(stage, n[0]));
        report.engineStages(totals);
        int window = engine.windowSize();
        long withState = usedHeap();
        keepAlive(engine, null);
        engine = null;
        keepAlive(null, null);
        report.windowStateBytes(withState - usedHeap(), window);
    }

    /** Candidate recall and bound coverage against exact Jaccard on a prefix of the stream. */
    private void indexRecall(BenchReport.Builder report) {
        int n = Math.min(settings.exactPrefix(), settings.articles());
        TextAnalyzer text = new TextAnalyzer(config);
        DuplicateDetector copies = new DuplicateDetector(config);
        SyntheticCorpus corpus = corpus(n, settings.seed());
        List<long[]> sets = new ArrayList<>(n);
        List<long[]> candidates = new ArrayList<>(n);
        List<double[]> reported = new ArrayList<>();
        for (int seq = 0; seq < n; seq++) {
            Article article = corpus.next();
            Analysis analysis = text.analyze(article);
            CompactSketch sketch = copies.sketch(analysis);
            sets.add(copies.exactShingles(analysis));
            candidates.add(copies.candidates(sketch));
            CopyVerdict v = copies.check(seq, article.id(), CanonicalUrl.of(article.url()),
                    analysis, sketch);
            if (v.kind() == CopyVerdict.Kind.NEAR) {
                reported.add(new double[] {seq, v.matchedSeq(), v.lower(), v.upper()});
            }
            tick("exact-Jaccard prefix", seq, n);
        }
        List<AllPairs.Pair> pairs = AllPairs.join(sets, settings.exactThreshold());
        int returned = 0;
        for (AllPairs.Pair p : pairs) {
            if (java.util.Arrays.binarySearch(candidates.get(p.b()), p.a()) >= 0) {
                returned++;
            }
        }
        int inside = 0;
        for (double[] r : reported) {
            double exact = AllPairs.jaccard(sets.get((int) r[0]), sets.get((int) r[1]));
            if (exact >= r[2] - 1e-9 && exact <= r[3] + 1e-9) {
                inside++;
            }
        }
        report.indexRecall(n, pairs.size(), returned, reported.size(), inside);
    }

    /**
     * The same stream with every article's time removed, as {@code cluster} sees a file
     * without times: the window then ends only at its article limit. A pass of its own,
     * without the probe, so that the timed figures stay those of the stream with times.
     */
    private void storySizesWithoutTimes(BenchReport.Builder report) {
        Engine engine = new Engine(config);
        SyntheticCorpus corpus = corpus(settings.articles(), settings.seed());
        StorySizes.Tally stories = new StorySizes.Tally(settings.articles());
        for (int seq = 0; corpus.hasNext(); seq++) {
            Article a = corpus.next();
            Engine.Result result = engine.process(new Article(a.id(), a.url(), a.source(),
                    a.lang(), a.title(), a.text(), null));
            stories.add(result.assignment().story(), result.events());
            tick("stories without times", seq, settings.articles());
        }
        report.storySizesWithoutTimes(stories.sizes());
    }

    /**
     * Hands out the stream in batches generated ahead, as a consumer polls records, so that
     * generating an article does not sit between two timed ones and evict the engine's data
     * from the CPU caches.
     */
    private static final class Batches {
        private static final int SIZE = 1000;
        private final SyntheticCorpus corpus;
        private final List<Article> batch = new ArrayList<>(SIZE);
        private int next;

        Batches(SyntheticCorpus corpus) {
            this.corpus = corpus;
        }

        boolean hasNext() {
            return next < batch.size() || corpus.hasNext();
        }

        Article next() {
            if (next == batch.size()) {
                batch.clear();
                next = 0;
                while (batch.size() < SIZE && corpus.hasNext()) {
                    batch.add(corpus.next());
                }
            }
            return batch.get(next++);
        }
    }

    private SyntheticCorpus corpus(int articles, long seed) {
        return new SyntheticCorpus(articles, settings.copyShare(), seed);
    }

    private void tick(String phase, long seq, int total) {
        long step = Math.max(1, total / 100);
        if ((seq + 1) % step == 0 || seq + 1 == total) {
            progress.accept(phase, (seq + 1) / (double) total);
        }
    }

    private static long usedHeap() {
        Runtime rt = Runtime.getRuntime();
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return rt.totalMemory() - rt.freeMemory();
    }

    private static volatile Object sink;

    /**
     * Keeps measured state reachable until the first heap reading; the state's size is the
     * difference once it is dropped (so the synthetic stream's own memory is not counted).
     */
    private static void keepAlive(Object a, Object b) {
        sink = a;
        sink = b;
    }
}
