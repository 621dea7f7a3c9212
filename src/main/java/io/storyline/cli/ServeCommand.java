package io.storyline.cli;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.storyline.config.DigestConfig;
import io.storyline.config.PipelineConfig;
import io.storyline.config.ServeConfig;
import io.storyline.config.Settings;
import io.storyline.digest.Subscribers;
import io.storyline.pipeline.KafkaCluster;
import io.storyline.web.WebServer;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code storyline serve}: the dashboard alone, on the output topics of a cluster. */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = "Serve the dashboard and its JSON API (serve.port, default 8080): a read "
                + "model built from storyline.assignments, storyline.stories and "
                + "storyline.feed-health, rebuilt at every start. Each instance builds its own; "
                + "run as many as you like against one cluster. With digest.smtp.host set, also "
                + "sends the daily digests of the subscribers its partitions of "
                + "storyline.digests hold.")
final class ServeCommand implements Callable<Integer> {

    private static final Logger LOG = LoggerFactory.getLogger(ServeCommand.class);

    @Mixin
    KafkaOptions kafka;

    @Option(names = "--subscribers", paramLabel = "FILE",
            description = "Digest subscribers to list on first start, when "
                    + "storyline.subscribers is new (default: config/digests.yaml if it "
                    + "exists).")
    Path subscribers;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        Settings settings = kafka.settings(spec.commandLine().getErr());
        PipelineConfig pipeline = PipelineConfig.from(settings);
        ServeConfig serve = ServeConfig.from(settings);
        DigestConfig digest = DigestConfig.from(settings);
        settings.rejectUnknown("kafka.", "topics.", "serve.", "digest.");
        Services services = new Services();
        try (services) {
            KafkaCluster cluster = services.add(KafkaCluster.open(pipeline));
            PrometheusMeterRegistry meters = Dashboard.meters();
            WebServer web = Dashboard.start(services, cluster, serve, meters,
                    new Dashboard.Digests(digest, subscribers == null ? Subscribers.DEFAULT_FILE
                            : subscribers, subscribers != null));
            LOG.info("dashboard of {} on http://{}:{}/; Ctrl-C stops it",
                    cluster.bootstrapServers(), serve.host(), web.port());
            services.awaitStop();
        }
        return services.exitCode();
    }
}
