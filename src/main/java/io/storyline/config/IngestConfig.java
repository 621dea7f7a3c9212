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
        int shortSummaryChars) {

    public static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    public static final Duration READ_TIMEOUT = Duration.ofSeconds(30);
    public static final int MAX_BODY_BYTES = 10 * 1024 * 1024;
    public static final Duration MIN_INTERVAL = Duration.ofMinutes(1);
    public static final Duration MAX_INTERVAL = Duration.ofHours(1);
    public static final Duration BACKOFF_BASE = Duration.ofSeconds(30);
    public static final Duration BACKOFF_MAX = Duration.ofHours(6);
    private static final int DAY_SECONDS = 24 * 3600;

    public static IngestConfig defaults() {
        return from(Settings.of(Map.of(), "defaults", w -> { }));
    }

    /** Reads the {@code ingest.*} keys and rejects unknown ones under that prefix. */
    public static IngestConfig from(Settings s) {
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
                s.integer("ingest.short-summary.chars", 400, 0, 100_000));
        s.rejectUnknown("ingest.");

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
