package io.storyline.article;

import java.util.Objects;

/**
 * A change in a story's life, as consumers of the stories topic see it.
 *
 * @param type    what happened
 * @param story   the story it happened to (its stable id: the id of its first article)
 * @param article the article that caused it (null for {@link Type#CLOSED})
 * @param size    the story's number of articles after the change
 * @param into    for {@link Type#MERGED}: the story that absorbed {@code story}; else null
 */
public record StoryEvent(Type type, String story, String article, int size, String into) {

    /** Lifecycle steps. */
    public enum Type {
        /** A new story, opened by its first article. */
        CREATED,
        /** An article joined the story. */
        GREW,
        /** The story's coverage converged with an older story and now continues as that one. */
        MERGED,
        /** Every article of the story left the window: no further article can join it. */
        CLOSED
    }

    public StoryEvent {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(story, "story");
    }
}
