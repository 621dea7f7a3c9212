package io.storyline.pipeline;

/** The names of Storyline's Kafka topics. */
public final class Topics {

    /** The feed registry: compacted, key = feed URL, a tombstone removes a feed. */
    public static final String FEEDS = "storyline.feeds";
    /** What the ingestors know of each feed (validators, seen entries): compacted, key = URL. */
    public static final String FEED_STATE = "storyline.feed-state";
    /**
     * Each feed's health (last poll, status, last problem, next poll) as the ingestor that
     * owns it last published it: compacted, key = feed URL, a tombstone when it is removed.
     */
    public static final String FEED_HEALTH = "storyline.feed-health";
    /**
     * Commands for the ingestor that owns a feed ("poll now"), key = feed URL; every ingestor
     * reads them all and acts on the feeds it owns.
     */
    public static final String FEED_COMMANDS = "storyline.feed-commands";
    /** Every article and revision, key = article id; one partition: the engine's input order. */
    public static final String ARTICLES = "storyline.articles";
    /** The detector's verdict per article (and revision), key = article id. */
    public static final String ASSIGNMENTS = "storyline.assignments";
    /** Latest snapshot and lifecycle event per story: compacted, key = story id. */
    public static final String STORIES = "storyline.stories";
    /**
     * Records of {@code storyline.articles} the detector could not process, with the reason,
     * key = the record's key; written in the transaction that moves past them.
     */
    public static final String DEAD_LETTERS = "storyline.dead-letters";

    /**
     * The detector's checkpoints: its whole state after the articles before an offset, as
     * chunk records and a manifest written in the transaction that commits that offset;
     * compacted, one partition.
     */
    public static final String DETECTOR_STATE = "storyline.detector-state";

    /**
     * The digest subscribers: compacted, key = email in lower case, a tombstone removes one.
     */
    public static final String SUBSCRIBERS = "storyline.subscribers";
    /**
     * Where each subscriber's digest of each local date stands (claimed, sent, failed, empty):
     * compacted, key = email|date, every digest of a subscriber in one partition.
     */
    public static final String DIGESTS = "storyline.digests";

    private Topics() {
    }
}
