package io.storyline.config;

import java.time.Duration;
import java.util.Map;

/**
 * Settings of the dashboard server ({@code storyline serve}, and the same server inside
 * {@code run}): where it listens, how much history its read model keeps, and who may use the
 * admin actions. Immutable; built once from {@link Settings} with every {@code serve.*} value
 * range-checked. Keys, defaults and meanings are listed in {@code config/storyline.properties}
 * and the README.
 *
 * @param host          address the HTTP server binds to
 * @param port          its port (0: a free port, logged at start)
 * @param history       stories whose last activity is older than this leave the read model
 * @param maxStories    most stories held; the least recently active leave first
 * @param maxArticles   most articles held; whole stories leave, least recently active first
 * @param adminToken    bearer token of the admin actions, or null: admin actions are off
 * @param tokenForReads whether reading the API and the page needs the token too
 * @param maxSseClients most {@code /api/stream} clients at once; more get 503
 */
public record ServeConfig(
        String host,
        int port,
        Duration history,
        int maxStories,
        int maxArticles,
        String adminToken,
        boolean tokenForReads,
        int maxSseClients) {

    public static final int PORT = 8080;
    public static final int HISTORY_DAYS = 7;
    public static final int MAX_STORIES = 100_000;
    public static final int MAX_ARTICLES = 1_000_000;
    public static final int MAX_SSE_CLIENTS = 1_000;
    /** The admin token's shortest length: a guessable token is no protection. */
    public static final int MIN_TOKEN_CHARS = 16;

    public static ServeConfig defaults() {
        return from(Settings.of(Map.of(), "defaults", w -> { }));
    }

    /** Reads the {@code serve.*} keys and rejects unknown ones under that prefix. */
    public static ServeConfig from(Settings s) {
        String token = s.string("serve.admin-token", null);
        ServeConfig config = new ServeConfig(
                s.string("serve.host", "127.0.0.1"),
                s.integer("serve.port", PORT, 0, 65_535),
                Duration.ofDays(s.integer("serve.history.days", HISTORY_DAYS, 1, 365)),
                s.integer("serve.max-stories", MAX_STORIES, 1, 10_000_000),
                s.integer("serve.max-articles", MAX_ARTICLES, 1, 100_000_000),
                token,
                s.flag("serve.token-for-reads", false),
                s.integer("serve.max-sse-clients", MAX_SSE_CLIENTS, 1, 100_000));
        s.rejectUnknown("serve.");
        if (token != null && token.length() < MIN_TOKEN_CHARS) {
            throw s.invalid("serve.admin-token", "(hidden)", "is shorter than "
                    + MIN_TOKEN_CHARS + " characters");
        }
        if (config.tokenForReads && token == null) {
            throw s.invalid("serve.token-for-reads", "true", "needs serve.admin-token");
        }
        return config;
    }

    /**
     * {@code metrics.port}: where {@code ingest} and {@code detect} alone serve
     * {@code /metrics} (0: not at all; {@code run} and {@code serve} use the dashboard port).
     */
    public static int metricsPort(Settings s) {
        int port = s.integer("metrics.port", 0, 0, 65_535);
        s.rejectUnknown("metrics.");
        return port;
    }

    @Override
    public String toString() {
        // The token stays out of logs and error messages.
        return "ServeConfig[host=" + host + ", port=" + port + ", history=" + history
                + ", maxStories=" + maxStories + ", maxArticles=" + maxArticles
                + ", adminToken=" + (adminToken == null ? "none" : "set")
                + ", tokenForReads=" + tokenForReads + ", maxSseClients=" + maxSseClients + "]";
    }
}
