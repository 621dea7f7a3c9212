package io.storyline.pipeline;

import io.storyline.article.Article;
import io.storyline.article.Assignment;
import io.storyline.config.EngineConfig;
import io.storyline.engine.Engine;
import java.util.ArrayList;
import java.util.List;

/**
 * The detector's processing step without Kafka: one articles-topic record in, the records for
 * {@code storyline.assignments} and {@code storyline.stories} out. A pure function of the
 * ordered input, so replaying the same articles rebuilds the same state.
 */
final class Detection {

    /** A record to produce. */
    record Output(String topic, String key, byte[] value) {
    }

    /** What one article did: its assignment (null for a repeat) and the records to produce. */
    record Step(Engine.Kind kind, Article article, Assignment assignment,
            List<Output> outputs) {
    }

    private final Engine engine;
    private final StoryBook book = new StoryBook();

    Detection(EngineConfig config) {
        this.engine = new Engine(config);
    }

    /** What {@code message} does; a re-delivered revision produces nothing. */
    Step apply(ArticleMessage message) {
        Engine.Result result = engine.process(message.article(), message.revision(),
                message.fetched());
        if (result.kind() == Engine.Kind.REPEAT) {
            return new Step(result.kind(), message.article(), null, List.of());
        }
        Assignment a = result.assignment();
        List<Output> out = new ArrayList<>(2 + result.events().size());
        out.add(new Output(Topics.ASSIGNMENTS, a.id(),
                Messages.assignment(a, message.revision(), message.fetched())));
        if (result.kind() == Engine.Kind.NEW) {
            for (StoryBook.Update u : book.apply(message.article(), a, result.events())) {
                out.add(new Output(Topics.STORIES, u.story(), u.value()));
            }
        }
        return new Step(result.kind(), message.article(), a, out);
    }

    int openStories() {
        return book.openStories();
    }

    int windowSize() {
        return engine.windowSize();
    }
}
