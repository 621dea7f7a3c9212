package io.storyline.engine;

import io.storyline.article.Article;
import io.storyline.article.Assignment;
import io.storyline.article.Assignment.Verdict;
import io.storyline.article.CanonicalUrl;
import io.storyline.article.StoryEvent;
import io.storyline.config.EngineConfig;
import io.storyline.dedup.CopyVerdict;
import io.storyline.dedup.DuplicateDetector;
import io.storyline.story.StoryDecision;
import io.storyline.story.StoryTier;
import io.storyline.text.Analysis;
import io.storyline.text.TextAnalyzer;
import io.storyline.window.SeqRing;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.datasketches.theta.CompactSketch;

/**
 * The whole detection engine as a plain object: feed it articles in stream order, get back one
 * assignment and the story lifecycle events per article. No clock, no I/O, no randomness:
 * event time is the article's own, and an article without one takes the latest event time
 * seen (arrival order). The window is bounded by time and by article count.
 */
public final class Engine {

    private final EngineConfig config;
    private final TextAnalyzer text;
    private final DuplicateDetector copies;
    private final StoryTier stories;
    private final SeqRing<Arrival> window = new SeqRing<>();
    private final Map<String, Arrival> byId = new HashMap<>();
    private final long windowMillis;
    /** Not state: a restored engine is given its probe again ({@link #observe}). */
    private transient Probe probe;
    private long nextSeq;
    private final Watermark watermark;

    /** What the engine itself remembers of an article in the window. */
    private static final class Arrival {
        final String id;
        final long time;
        Assignment assignment;
        int revision;

        Arrival(String id, long time, int revision) {
            this.id = id;
            this.time = time;
            this.revision = revision;
        }
    }

    /** How an article relates to what the engine has already seen. */
    public enum Kind {
        /** First sight of this article id: decided by the tiers. */
        NEW,
        /** A newer revision of an article in the window: it keeps its assignment. */
        REVISION,
        /** The same or an older revision seen again (a re-delivery): nothing to emit. */
        REPEAT
    }

    /** Engine stages, in processing order, as reported to a {@link Probe}. */
    public enum Stage { TEXT, SKETCH, COPY, STORY }

    /**
     * Observer told when each stage of an article is done (the bench times stages with it).
     * The engine never reads a clock itself; the default probe does nothing.
     */
    @FunctionalInterface
    public interface Probe {
        Probe NONE = stage -> { };

        void stageDone(Stage stage);
    }

    /** The engine's output for one article. */
    public record Result(Kind kind, Assignment assignment, List<StoryEvent> events) {
        public Result {
            events = List.copyOf(events);
        }
    }

    public Engine(EngineConfig config) {
        this(config, Probe.NONE);
    }

    public Engine(EngineConfig config, Probe probe) {
        this.config = config;
        this.probe = probe;
        this.text = new TextAnalyzer(config);
        this.copies = new DuplicateDetector(config);
        this.stories = new StoryTier(config);
        this.windowMillis = config.window().toMillis();
        this.watermark = new Watermark(windowMillis);
    }

    /** Tells {@code probe} when each stage of an article is done from now on. */
    public void observe(Probe probe) {
        this.probe = probe;
    }

    public Result process(Article article) {
        return process(article, 0, null);
    }

    /**
     * Processes revision {@code revision} of an article. An id already in the window is an
     * update of that article, never a new story or a copy: a higher revision keeps its
     * assignment ({@link Kind#REVISION}); the same or a lower one is a re-delivery
     * ({@link Kind#REPEAT}). An id that has left the window is processed as new.
     *
     * <p>{@code arrival}, when not null, is when the article reached the stream (the pipeline
     * gives the fetch time): the window then follows arrival times, while the time between
     * articles in the story tier stays their published times. Feeds' dates are often wrong,
     * and a first poll brings entries from weeks or years apart in any order; windowed by
     * those dates, a copy fetched a second after its original could find it already gone.
     */
    public Result process(Article article, int revision, Instant arrival) {
        Arrival known = byId.get(article.id());
        if (known != null) {
            if (revision <= known.revision) {
                return new Result(Kind.REPEAT, known.assignment, List.of());
            }
            known.revision = revision;
            return new Result(Kind.REVISION, known.assignment, List.of());
        }
        long seq = nextSeq++;
        Instant windowTime = arrival != null ? arrival : article.published();
        if (windowTime != null) {
            watermark.observe(windowTime.toEpochMilli());
        }
        long stamp = windowTime == null ? watermark.value() : windowTime.toEpochMilli();
        long time = article.published() != null ? article.published().toEpochMilli() : stamp;
        // The window moves first: an article is only compared with articles inside it.
        List<StoryEvent> events = new ArrayList<>(evict());
        Analysis analysis = text.analyze(article);
        probe.stageDone(Stage.TEXT);
        CompactSketch sketch = copies.sketch(analysis);
        probe.stageDone(Stage.SKETCH);
        CopyVerdict copy = copies.check(seq, article.id(), CanonicalUrl.of(article.url()),
                analysis, sketch);
        probe.stageDone(Stage.COPY);
        if (!copy.isCopy()) {
            text.countTerms(analysis);
        }
        StoryDecision decision = stories.assign(seq, time, article.id(), analysis,
                copy.isCopy() ? copy.matchedSeq() : -1);
        if (!copy.isCopy()) {
            text.countDocument(analysis); // copies would inflate the frequency of their words
        }
        Arrival entry = new Arrival(article.id(), stamp, revision);
        window.add(seq, entry);
        byId.put(article.id(), entry);
        Assignment assignment = assignment(article.id(), copy, decision);
        entry.assignment = assignment;
        events.addAll(decision.events());
        probe.stageDone(Stage.STORY);
        return new Result(Kind.NEW, assignment, events);
    }

    private Assignment assignment(String id, CopyVerdict copy, StoryDecision decision) {
        if (copy.isCopy()) {
            Verdict verdict = copy.kind() == CopyVerdict.Kind.EXACT
                    ? Verdict.EXACT_DUPLICATE : Verdict.NEAR_DUPLICATE;
            return new Assignment(id, decision.story(), copy.originalId(),
                    copy.similarity(), copy.lower(), copy.upper(), copy.matchedId(),
                    verdict);
        }
        if (decision.matchedSeq() < 0) {
            return new Assignment(id, decision.story(), null, 0, 0, 0, null, Verdict.NEW_STORY);
        }
        double s = decision.similarity();
        return new Assignment(id, decision.story(), null, s, s, s, idOf(decision.matchedSeq()),
                Verdict.STORY, decision.why());
    }

    private String idOf(long seq) {
        return window.get(seq).id;
    }

    /**
     * Makes room for the next article: drops articles older than the window or beyond its
     * size; returns the stories that closed. Articles without a time that came before any
     * timed one count as of the first time seen; an article still dated more than a window
     * ahead of the stream when its turn comes (a typo) goes too, rather than hold the others.
     */
    private List<StoryEvent> evict() {
        int evicted = 0;
        while (window.size() > 0 && (window.size() >= config.maxWindowArticles()
                || outsideWindow(window.oldest()))) {
            byId.remove(window.oldest().id);
            window.removeOldest();
            evicted++;
        }
        if (evicted == 0) {
            return List.of();
        }
        long minSeq = window.firstSeq();
        copies.evictBefore(minSeq);
        return stories.evictBefore(minSeq);
    }

    private boolean outsideWindow(Arrival a) {
        long now = watermark.value();
        if (now == Watermark.UNKNOWN) {
            return false;
        }
        long time = a.time == Watermark.UNKNOWN ? watermark.first() : a.time;
        return time < now - windowMillis || time > now + windowMillis;
    }

    /** Articles currently in the window. */
    public int windowSize() {
        return window.size();
    }

    /**
     * What the window holds (one pass over the story index's terms: for a soak's once a
     * minute, not per article).
     *
     * @param articles       articles in the window
     * @param postings       postings of the window's articles in the copy tier's candidate
     *                       index and the story tier's retrieval index
     * @param postingsHeld   postings the two hold, those of departed articles that a rebuild
     *                       or sweep has not dropped yet included
     * @param terms          keys of the story tier's retrieval index (terms)
     * @param vocabulary     terms of the document-frequency vocabulary (outlives the window;
     *                       bounded by {@code story.max-vocabulary})
     */
    public record Footprint(int articles, long postings, long postingsHeld, int terms,
            int vocabulary) {
    }

    /** See {@link Footprint}. */
    public Footprint footprint() {
        var story = stories.index();
        return new Footprint(window.size(), copies.indexPostings() + story.livePostings(),
                copies.indexPostingsHeld() + story.postings(), story.keys(),
                text.vocabularySize());
    }
}
