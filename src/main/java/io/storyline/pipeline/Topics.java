package io.storyline.pipeline;

/** The names of Storyline's Kafka topics, kept in one place so producers and consumers agree. */
public final class Topics {

    /** The feed list: compacted, key = feed URL, value = feed JSON, a tombstone removes. */
    public static final String FEEDS = "storyline.feeds";
    /** Normalized articles from the ingestors: key = article id. */
    public static final String ARTICLES = "storyline.articles";
    /** The detector's verdict per article (story, duplicate-of): key = article id. */
    public static final String ASSIGNMENTS = "storyline.assignments";
    /** Story snapshots and lifecycle events: compacted, key = story id. */
    public static final String STORIES = "storyline.stories";
    /** Per-feed polling state (validators, backoff): compacted, key = feed URL. */
    public static final String FEED_STATE = "storyline.feed-state";

    private Topics() {
    }
}
