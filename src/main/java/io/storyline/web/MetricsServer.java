package io.storyline.web;

import io.javalin.Javalin;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@code /metrics} alone, for {@code ingest} and {@code detect} ({@code metrics.port}). */
public final class MetricsServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(MetricsServer.class);

    private final Javalin app;

    private MetricsServer(Javalin app) {
        this.app = app;
    }

    /** Serves {@code registry} on {@code host:port}; fails naming {@code metrics.port}. */
    public static MetricsServer start(String host, int port, PrometheusMeterRegistry registry) {
        Javalin app = Javalin.create(c -> {
            c.startup.showJavalinBanner = false;
            c.jetty.host = host;
            c.jetty.port = port;
            c.routes.get("/metrics", ctx -> ctx
                    .contentType("text/plain; version=0.0.4; charset=utf-8")
                    .result(registry.scrape()));
        });
        try {
            app.start();
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("cannot serve metrics on " + host + ":" + port
                    + " (setting metrics.port): " + e.getMessage(), e);
        }
        LOG.info("metrics on http://{}:{}/metrics", host, app.port());
        return new MetricsServer(app);
    }

    public int port() {
        return app.port();
    }

    @Override
    public void close() {
        app.stop();
    }
}
