package io.storyline.cli;

import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.storyline.config.ServeConfig;
import io.storyline.pipeline.FeedRegistry;
import io.storyline.pipeline.KafkaCluster;
import io.storyline.view.ReadModel;
import io.storyline.view.ViewConsumer;
import io.storyline.web.WebServer;
import java.time.Clock;

/** Wires the dashboard: read model, its consumer and the web server, as services. */
final class Dashboard {

    private Dashboard() {
    }

    static PrometheusMeterRegistry meters() {
        PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new JvmMemoryMetrics().bindTo(meters);
        return meters;
    }

    /** Starts the dashboard on {@code cluster}; returns the server (its port is known). */
    static WebServer start(Services services, KafkaCluster cluster, ServeConfig serve,
            PrometheusMeterRegistry meters) {
        ReadModel model = services.add(new ReadModel(serve, Clock.systemUTC()));
        ViewConsumer view = services.add(new ViewConsumer(cluster.clientProperties(), model));
        view.bindMetrics(meters);
        FeedRegistry registry = serve.adminToken() == null ? null
                : services.add(new FeedRegistry(cluster.clientProperties()));
        WebServer web = services.add(new WebServer(serve, model, view::ready, meters, registry,
                e -> services.fail("storyline-web", e)));
        try {
            web.start();
        } catch (IllegalStateException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        services.start("storyline-view", view::run);
        return web;
    }
}
