package io.storyline.cli;

import io.storyline.config.IngestConfig;
import io.storyline.config.PipelineConfig;
import io.storyline.config.ServeConfig;
import io.storyline.config.Settings;
import io.storyline.pipeline.Ingestor;
import io.storyline.pipeline.KafkaCluster;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.storyline.web.MetricsServer;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code storyline ingest}: one ingestor instance, sharing the feeds with the others. */
@Command(name = "ingest", mixinStandardHelpOptions = true,
        description = "Poll the feeds of storyline.feeds and publish new entries and revisions "
                + "to storyline.articles. Several instances split the feeds between them (a "
                + "consumer group on storyline.feeds) and take over a stopped one's feeds.")
final class IngestCommand implements Callable<Integer> {

    @Mixin
    KafkaOptions kafka;

    @Option(names = "--feeds", paramLabel = "FILE.opml",
            description = "Feeds to list first if the registry is new (first start); a "
                    + "registry that exists is left as it is.")
    Path feeds;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        Settings settings = kafka.settings(spec.commandLine().getErr());
        PipelineConfig pipeline = PipelineConfig.from(settings);
        IngestConfig ingest = IngestConfig.from(settings);
        int metricsPort = ServeConfig.metricsPort(settings);
        settings.rejectUnknown("kafka.", "topics.", "ingest.", "metrics.");
        Services services = new Services();
        try (services) {
            KafkaCluster cluster = services.add(KafkaCluster.open(pipeline));
            services.failWhenBrokerDies(cluster);
            if (feeds != null) {
                RunCommand.importFeeds(cluster, feeds, spec.commandLine().getErr());
            }
            Ingestor ingestor = services.add(new Ingestor(cluster.clientProperties(), ingest,
                    Clock.systemUTC()));
            if (metricsPort != 0) {
                PrometheusMeterRegistry meters = Dashboard.meters();
                ingestor.bindMetrics(meters);
                services.add(MetricsServer.start("0.0.0.0", metricsPort, meters));
            }
            services.start("storyline-ingest", ingestor::run);
            services.awaitStop();
        }
        return services.exitCode();
    }
}
