package io.storyline.digest;

import java.util.Objects;

/**
 * A story as a sent digest showed it: the counts the next digest's "updated: +N articles,
 * +M sources" markers are measured against.
 */
public record Recorded(String story, int articles, int sources) {

    public Recorded {
        Objects.requireNonNull(story, "story");
    }
}
