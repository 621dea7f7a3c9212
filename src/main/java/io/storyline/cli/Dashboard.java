package io.storyline.cli;

import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.storyline.config.DigestConfig;
import io.storyline.config.ServeConfig;
import io.storyline.digest.DigestScheduler;
import io.storyline.digest.Mailer;
import io.storyline.digest.SubscriberRegistry;
import io.storyline.digest.Subscribers;
import io.storyline.pipeline.FeedRegistry;
import io.storyline.pipeline.KafkaCluster;
import io.storyline.view.ReadModel;
import io.storyline.view.ViewConsumer;
import io.storyline.web.WebServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wires the dashboard (read model, its consumer and the web server) and the digest scheduler
 * on the same read model, as services.
 */
final class Dashboard {

    private static final Logger LOG = LoggerFactory.getLogger(Dashboard.class);

    private Dashboard() {
    }

    /**
     * The digests side of {@code run} and {@code serve}.
     *
     * @param subscribers the subscribers file imported on first start
     * @param explicit    whether the file was given on the command line (then it must exist)
     */
    record Digests(DigestConfig config, Path subscribers, boolean explicit) {
    }

    static PrometheusMeterRegistry meters() {
        PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new JvmMemoryMetrics().bindTo(meters);
        return meters;
    }

    /** Starts the dashboard on {@code cluster}; returns the server (its port is known). */
    static WebServer start(Services services, KafkaCluster cluster, ServeConfig serve,
            PrometheusMeterRegistry meters, Digests digests) {
        // A missing setting fails before anything starts.
        Mailer mailer = digests.config().host() == null ? null : new Mailer(digests.config());
        importSubscribers(cluster, digests);
        ReadModel model = services.add(new ReadModel(serve, Clock.systemUTC()));
        ViewConsumer view = services.add(new ViewConsumer(cluster.clientProperties(), model));
        view.bindMetrics(meters);
        FeedRegistry registry = serve.adminToken() == null ? null
                : services.add(new FeedRegistry(cluster.clientProperties()));
        SubscriberRegistry subscribers = serve.adminToken() == null ? null
                : services.add(new SubscriberRegistry(cluster.clientProperties(),
                        Clock.systemUTC()));
        WebServer web = services.add(new WebServer(serve, model, view::ready, meters, registry,
                subscribers, e -> services.fail("storyline-web", e)));
        try {
            web.start();
        } catch (IllegalStateException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        services.start("storyline-view", view::run);
        if (mailer == null) {
            LOG.info("digests are not scheduled: digest.smtp.host is not set");
        } else {
            DigestScheduler scheduler = services.add(new DigestScheduler(
                    cluster.clientProperties(), model, view::ready, mailer, Clock.systemUTC(),
                    digests.config().maxLateness(), cluster.config().sessionTimeout()));
            scheduler.bindMetrics(meters);
            services.start("storyline-digest", scheduler::run);
        }
        return web;
    }

    /**
     * Lists the subscribers of the file when {@code storyline.subscribers} is new (first
     * start), as {@code run} does with the feeds: from then on the topic is the list, so a
     * subscriber removed through the admin API stays removed. A default file that does not
     * exist is no error; one given on the command line is.
     */
    static int importSubscribers(KafkaCluster cluster, Digests digests) {
        Path file = digests.subscribers();
        if (!Files.exists(file)) {
            if (digests.explicit()) {
                throw new IllegalArgumentException("subscribers file " + file
                        + " does not exist");
            }
            return 0;
        }
        try (SubscriberRegistry registry = new SubscriberRegistry(cluster.clientProperties(),
                Clock.systemUTC())) {
            if (!registry.isNew()) {
                LOG.info("subscribers: the topic already lists {}; {} is read only on first "
                        + "start (storyline digest --import {} adds its missing subscribers)",
                        registry.list().size(), file, file);
                return 0;
            }
            SubscriberRegistry.ImportResult r = registry.importAll(Subscribers.load(file));
            LOG.info("subscribers: new list, {} subscribers of {} listed", r.added(), file);
            return r.added();
        }
    }
}
