package io.storyline.engine;

import io.storyline.article.StoryEvent;
import java.util.HashMap;
import java.util.Map;

/**
 * Follows {@link StoryEvent.Type#MERGED} events so that a story id recorded earlier can be
 * mapped to the story it continues as today: what any consumer of the stories topic does.
 */
public final class MergeResolver {

    private final Map<String, String> mergedInto = new HashMap<>();

    public void accept(StoryEvent event) {
        if (event.type() == StoryEvent.Type.MERGED) {
            mergedInto.put(event.story(), event.into());
        }
    }

    /** The current id of story {@code story}. */
    public String resolve(String story) {
        String current = story;
        String next;
        while ((next = mergedInto.get(current)) != null) {
            current = next;
        }
        if (!current.equals(story)) {
            mergedInto.put(story, current); // path compression
        }
        return current;
    }
}
