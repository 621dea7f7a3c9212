package io.storyline.cli;

import io.storyline.config.EngineConfig;
import io.storyline.config.PipelineConfig;
import io.storyline.config.ServeConfig;
import io.storyline.config.Settings;
import io.storyline.pipeline.Detector;
import io.storyline.pipeline.KafkaCluster;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.storyline.web.MetricsServer;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code storyline detect}: the detector service alone (active, or standby to another). */
@Command(name = "detect", mixinStandardHelpOptions = true,
        description = "Consume storyline.articles, assign each article to a story (exactly once, "
                + "in Kafka transactions) and publish storyline.assignments and "
                + "storyline.stories. A second instance waits as a standby and takes over when "
                + "the first stops. Without kafka.bootstrap.servers an embedded broker is "
                + "started on kafka.data-dir.")
final class DetectCommand implements Callable<Integer> {

    @Mixin
    KafkaOptions kafka;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        Settings settings = kafka.settings(spec.commandLine().getErr());
        PipelineConfig pipeline = PipelineConfig.from(settings);
        EngineConfig engine = EngineConfig.from(settings);
        int metricsPort = ServeConfig.metricsPort(settings);
        settings.rejectUnknown("kafka.", "topics.", "detector.", "window.", "text.", "dedup.",
                "story.", "metrics.");
        Services services = new Services();
        try (services) {
            KafkaCluster cluster = services.add(KafkaCluster.open(pipeline));
            services.failWhenBrokerDies(cluster);
            Detector detector = services.add(new Detector(cluster.clientProperties(), pipeline,
                    engine));
            if (metricsPort != 0) {
                PrometheusMeterRegistry meters = Dashboard.meters();
                detector.bindMetrics(meters);
                services.add(MetricsServer.start("0.0.0.0", metricsPort, meters));
            }
            services.start("storyline-detector", detector::run);
            services.awaitStop();
        }
        return services.exitCode();
    }
}
