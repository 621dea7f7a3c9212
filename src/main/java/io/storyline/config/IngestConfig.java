package io.storyline.config;

import java.time.Duration;
import java.util.Map;

/**
 * Settings of feed ingestion: fetching, polling schedule and article pages. Immutable; built
 * once from {@link Settings} with every {@code ingest.*} value range-checked.
 * Keys, defaults and meanings are listed in {@code config/storyline.properties} and the README.
 */
public record IngestConfig(
        Duration connectTimeout,
        Duration readTimeout,
        int maxBodyBytes,
        int maxRedirects,
        String userAgent,
        Duration minInterval,
        Duration maxInterval,
        Duration backoffBase,
        Duration backoffMax,
        int concurrency,
        boolean fetchPages,
        int shortSummaryChars,
        boolean allowPrivateAddresses,
        boolean allowFileFeeds,
        int maxArticleChars,
        int maxPageBytes,
        int maxInFlightBytes,
        int perHostConcurrency,
        String instanceId,
        Duration sessionTimeout) {

    public static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    public static final Duration READ_TIMEOUT = Duration.ofSeconds(30);
    public static final int MAX_BODY_BYTES = 10 * 1024 * 1024;
    public static final Duration MIN_INTERVAL = Duration.ofMinutes(1);
    public static final Duration MAX_INTERVAL = Duration.ofHours(1);
    public static final Duration BACKOFF_BASE = Duration.ofSeconds(30);
    public static final Duration BACKOFF_MAX = Duration.ofHours(6);
    /** Title and text of one article, together: far below Kafka's default 1 MiB record. */
    public static final int MAX_ARTICLE_CHARS = 100_000;
    /** Article pages are cut here before jsoup parses them. */
    public static final int MAX_PAGE_BYTES = 1024 * 1024;
    public static final int MAX_IN_FLIGHT_BYTES = 256 * 1024 * 1024;
    public static final int PER_HOST_CONCURRENCY = 2;
    /** Kafka's own default: long enough for a static member's restart. */
    public static final Duration SESSION_TIMEOUT = Duration.ofSeconds(45);
    private static final int DAY_SECONDS = 24 * 3600;

    public static IngestConfig defaults() {
        return from(Settings.of(Map.of(), "defaults", w -> { }));
    }

    /** Reads the {@code ingest.*} keys and rejects unknown ones under that prefix. */
    public static IngestConfig from(Settings s) {
        return from(s, false);
    }

    /**
     * As {@link #from(Settings)}, with {@code ingest.allow-file-feeds} on when it is left
     * empty and {@code fileFeedsByDefault}: the all-in-one {@code run} on its embedded broker
     * reads the offline sample feeds; an ingestor serving a cluster does not read local files
     * unless told to.
     */
    public static IngestConfig from(Settings s, boolean fileFeedsByDefault) {
        IngestConfig config = new IngestConfig(
                Duration.ofMillis(s.integer("ingest.connect-timeout.ms",
                        (int) CONNECT_TIMEOUT.toMillis(), 1, 600_000)),
                Duration.ofMillis(s.integer("ingest.read-timeout.ms",
                        (int) READ_TIMEOUT.toMillis(), 1, 3_600_000)),
                s.integer("ingest.max-body.bytes", MAX_BODY_BYTES, 1024, 1 << 30),
                s.integer("ingest.max-redirects", 5, 0, 20),
                s.string("ingest.user-agent", defaultUserAgent()),
                Duration.ofSeconds(s.integer("ingest.min-interval.seconds",
                        (int) MIN_INTERVAL.toSeconds(), 1, DAY_SECONDS)),
                Duration.ofSeconds(s.integer("ingest.max-interval.seconds",
                        (int) MAX_INTERVAL.toSeconds(), 1, 7 * DAY_SECONDS)),
                Duration.ofSeconds(s.integer("ingest.backoff.base.seconds",
                        (int) BACKOFF_BASE.toSeconds(), 1, DAY_SECONDS)),
                Duration.ofSeconds(s.integer("ingest.backoff.max.seconds",
                        (int) BACKOFF_MAX.toSeconds(), 1, 7 * DAY_SECONDS)),
                s.integer("ingest.concurrency", 32, 1, 4096),
                s.flag("ingest.fetch-pages", true),
                s.integer("ingest.short-summary.chars", 400, 0, 100_000),
                s.flag("ingest.allow-private-addresses", false),
                s.flag("ingest.allow-file-feeds", fileFeedsByDefault),
                s.integer("ingest.max-article.chars", MAX_ARTICLE_CHARS, 1_000, 1_000_000),
                s.integer("ingest.max-page.bytes", MAX_PAGE_BYTES, 1024, 1 << 30),
                s.integer("ingest.max-in-flight.bytes", MAX_IN_FLIGHT_BYTES, 1024,
                        Integer.MAX_VALUE),
                s.integer("ingest.per-host-concurrency", PER_HOST_CONCURRENCY, 1, 4096),
                s.string("ingest.instance-id", null),
                Duration.ofMillis(s.integer("ingest.session-timeout.ms",
                        (int) SESSION_TIMEOUT.toMillis(), 6_000, 1_800_000)));
        s.rejectUnknown("ingest.");
        if (config.instanceId != null && !config.instanceId.matches("[A-Za-z0-9._-]{1,200}")) {
            throw s.invalid("ingest.instance-id", config.instanceId, "must be 1 to 200 "
                    + "letters, digits, '.', '_' or '-' (a Kafka group.instance.id)");
        }
        if (config.maxInFlightBytes < config.maxBodyBytes) {
            throw s.invalid("ingest.max-in-flight.bytes",
                    Integer.toString(config.maxInFlightBytes),
                    "is below ingest.max-body.bytes=" + config.maxBodyBytes
                    + " (one largest body must fit)");
        }

        if (config.maxInterval.compareTo(config.minInterval) < 0) {
            throw s.invalid("ingest.max-interval.seconds",
                    Long.toString(config.maxInterval.toSeconds()),
                    "is below ingest.min-interval.seconds=" + config.minInterval.toSeconds());
        }
        if (config.backoffMax.compareTo(config.backoffBase) < 0) {
            throw s.invalid("ingest.backoff.max.seconds",
                    Long.toString(config.backoffMax.toSeconds()),
                    "is below ingest.backoff.base.seconds=" + config.backoffBase.toSeconds());
        }
        if (config.allowPrivateAddresses) {
            s.warn("ingest.allow-private-addresses", "feeds and their links may reach this "
                    + "host and its private network (loopback, link-local, private addresses)");
        }
        if (config.minInterval.compareTo(MIN_INTERVAL) < 0) {
            s.warn("ingest.min-interval.seconds", "polling a feed more often than once a minute"
                    + " burdens its publisher and may get this crawler blocked");
        }
        return config;
    }

    /** {@code Storyline/<version> (+https://github.com/storyline/storyline)}. */
    public static String defaultUserAgent() {
        String version = IngestConfig.class.getPackage().getImplementationVersion();
        return "Storyline/" + (version == null ? "dev" : version)
                + " (+https://github.com/storyline/storyline)";
    }
}
