package io.storyline.pipeline;

import io.storyline.article.Article;
import io.storyline.article.Assignment;
import io.storyline.checkpoint.StateCodec;
import io.storyline.config.EngineConfig;
import io.storyline.engine.Engine;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The detector's processing step without Kafka: one articles-topic record in, the records for
 * {@code storyline.assignments} and {@code storyline.stories} out, in the formats readers use
 * (plain-text titles and leads, input offsets as the order of changes). A pure function of the
 * ordered input, so replaying the same articles rebuilds the same state.
 */
final class Detection {

    /** A record to produce. */
    record Output(String topic, String key, byte[] value) {
    }

    /**
     * What one article (revision {@code revision}) did: its assignment (null for a repeat),
     * its title as plain text, and the records to produce.
     */
    record Step(Engine.Kind kind, Article article, int revision, Assignment assignment,
            String title, List<Output> outputs) {
    }

    private final Engine engine;
    private final StoryBook book = new StoryBook();
    /** Not state: given again to a restored copy (see {@link #restore}). */
    private transient Engine.Probe probe;

    Detection(EngineConfig config) {
        this(config, Engine.Probe.NONE);
    }

    /** With a probe told of each engine stage (tests inject engine failures through it). */
    Detection(EngineConfig config, Engine.Probe probe) {
        this.engine = new Engine(config, probe);
        this.probe = probe;
    }

    /** A codec for this step's whole state made with {@code config}. */
    static StateCodec codec(EngineConfig config) {
        return new StateCodec(Map.of(EngineConfig.class, config));
    }

    /** This step's whole state (engine and open stories) as bytes. */
    StateCodec.Encoded save(StateCodec codec) {
        return codec.write(this);
    }

    /** As {@link #save(StateCodec)}, written to {@code out} as it goes; returns its classes. */
    java.util.Set<String> save(StateCodec codec, java.io.OutputStream out) {
        return codec.write(this, out);
    }

    /** As {@link #restore(StateCodec, byte[])}, from a stream. */
    Detection restore(StateCodec codec, java.io.InputStream state) {
        Detection restored = codec.read(state, Detection.class);
        restored.probe = probe;
        restored.engine.observe(probe);
        return restored;
    }

    /**
     * The step {@link #save} wrote, which goes on exactly as the saved one would have, with
     * this (fresh) step's probe. Throws {@link IllegalArgumentException} if unreadable.
     */
    Detection restore(StateCodec codec, byte[] state) {
        return restore(codec, new java.io.ByteArrayInputStream(state));
    }

    /**
     * What {@code message}, read at offset {@code seq} of the articles topic, does; a
     * re-delivered revision produces nothing. The offset orders every output: an assignment
     * carries its article's, a story record the one of the article that changed it.
     */
    Step apply(ArticleMessage message, long seq) {
        return apply(message, seq, message.fetched());
    }

    /**
     * As {@link #apply(ArticleMessage, long)}, with the window following {@code arrival}
     * (the broker's append time in the pipeline) rather than the ingestor's fetch time.
     */
    Step apply(ArticleMessage message, long seq, Instant arrival) {
        Article article = message.article();
        Engine.Result result = engine.process(article, message.revision(), arrival);
        if (result.kind() == Engine.Kind.REPEAT) {
            return new Step(result.kind(), article, message.revision(), null, null, List.of());
        }
        Assignment a = result.assignment();
        String title = PlainText.title(article.title());
        List<Output> out = new ArrayList<>(2 + result.events().size());
        out.add(new Output(Topics.ASSIGNMENTS, a.id(), Messages.assignment(a, message, seq,
                title, PlainText.lead(article.text(), title))));
        StoryBook.Change change = new StoryBook.Change(seq, message.fetched() != null
                ? message.fetched() : article.published(), article, title);
        List<StoryBook.Update> updates = result.kind() == Engine.Kind.NEW
                ? book.apply(change, a, result.events())
                : book.revise(change, a);
        for (StoryBook.Update u : updates) {
            out.add(new Output(Topics.STORIES, u.story(), u.value()));
        }
        return new Step(result.kind(), article, message.revision(), a, title, out);
    }

    int openStories() {
        return book.openStories();
    }

    int windowSize() {
        return engine.windowSize();
    }

    Engine.Footprint footprint() {
        return engine.footprint();
    }
}
