package io.storyline.story;

import io.storyline.article.StoryEvent;
import io.storyline.article.Why;
import java.util.List;

/**
 * The story tier's answer for one article.
 *
 * @param story      the story it joined or opened
 * @param matchedSeq the member it resembled most (-1 when it opened a new story)
 * @param similarity the verified similarity behind the link (0 for a new story)
 * @param events     lifecycle events caused by this article (created, grew, merged)
 * @param why        the evidence behind a link to an existing story, else null
 */
public record StoryDecision(String story, long matchedSeq, double similarity,
        List<StoryEvent> events, Why why) {

    public StoryDecision {
        events = List.copyOf(events);
    }
}
