package io.storyline.ingest;

import java.util.List;
import java.util.Objects;

/**
 * A feed document turned into entries, with everything that went wrong on the way. A feed that
 * could not be parsed at all has no entries and at least one problem.
 *
 * @param title    the feed's title, or null
 * @param language the feed's language as two lower-case letters, or null
 * @param entries  in feed order
 */
public record ParsedFeed(
        String feedUrl,
        String title,
        String language,
        List<FeedEntry> entries,
        List<FeedProblem> problems) {

    public ParsedFeed {
        Objects.requireNonNull(feedUrl, "feedUrl");
        entries = List.copyOf(entries);
        problems = List.copyOf(problems);
    }

    static ParsedFeed failed(String feedUrl, FeedProblem problem) {
        return new ParsedFeed(feedUrl, null, null, List.of(), List.of(problem));
    }
}
