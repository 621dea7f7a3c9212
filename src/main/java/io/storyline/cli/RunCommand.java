package io.storyline.cli;

import io.storyline.config.EngineConfig;
import io.storyline.config.IngestConfig;
import io.storyline.config.DigestConfig;
import io.storyline.config.PipelineConfig;
import io.storyline.config.ServeConfig;
import io.storyline.config.Settings;
import io.storyline.ingest.FeedSpec;
import io.storyline.ingest.Opml;
import io.storyline.pipeline.Detector;
import io.storyline.pipeline.FeedRegistry;
import io.storyline.pipeline.Ingestor;
import io.storyline.digest.Subscribers;
import io.storyline.pipeline.KafkaCluster;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.storyline.web.WebServer;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code storyline run}: the all-in-one job (broker, ingestor and detector in one process). */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Start everything in one process: the embedded Kafka broker (unless "
                + "kafka.bootstrap.servers names a cluster), an ingestor polling the feeds of "
                + "--feeds, the detector, and the dashboard on serve.port "
                + "(http://127.0.0.1:8080/), and with digest.smtp.host set the digest "
                + "scheduler. Logs one line per polled feed and per story "
                + "change; Ctrl-C stops it cleanly.")
final class RunCommand implements Callable<Integer> {

    static final Path DEFAULT_FEEDS = Path.of("config", "feeds.opml");
    private static final Logger LOG = LoggerFactory.getLogger(RunCommand.class);

    @Mixin
    KafkaOptions kafka;

    @Option(names = "--feeds", paramLabel = "FILE.opml",
            description = "Feeds to list on first start, when the registry is new (default: "
                    + "${DEFAULT-VALUE}). Later starts leave the registry as `storyline feeds` "
                    + "left it.")
    Path feeds = DEFAULT_FEEDS;

    @Option(names = "--subscribers", paramLabel = "FILE",
            description = "Digest subscribers to list on first start, when "
                    + "storyline.subscribers is new (default: config/digests.yaml if it "
                    + "exists).")
    Path subscribers;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        Settings settings = kafka.settings(err);
        PipelineConfig pipeline = PipelineConfig.from(settings);
        // The sample feeds are file: URLs; run reads them unless told not to (on its own
        // broker only: against a cluster, run is an ingestor like any other).
        IngestConfig ingest = IngestConfig.from(settings, pipeline.embedded());
        EngineConfig engine = EngineConfig.from(settings);
        ServeConfig serve = ServeConfig.from(settings);
        DigestConfig digest = DigestConfig.from(settings);
        if (ServeConfig.metricsPort(settings) != 0) {
            settings.warn("metrics.port", "run serves /metrics on the dashboard port "
                    + "(serve.port); metrics.port is for ingest and detect alone");
        }
        settings.rejectUnknown("kafka.", "topics.", "detector.", "ingest.", "window.", "text.",
                "dedup.", "story.", "serve.", "metrics.", "digest.");
        List<FeedSpec> listed = Opml.read(feeds, w -> err.println("warning: " + w));
        Services services = new Services();
        try (services) {
            KafkaCluster cluster = services.add(KafkaCluster.open(pipeline));
            services.failWhenBrokerDies(cluster);
            importFeeds(cluster, listed, feeds);
            PrometheusMeterRegistry meters = Dashboard.meters();
            Detector detector = services.add(new Detector(cluster.clientProperties(), pipeline,
                    engine));
            detector.bindMetrics(meters);
            services.start("storyline-detector", detector::run);
            Ingestor ingestor = services.add(new Ingestor(cluster.clientProperties(), ingest,
                    Clock.systemUTC()));
            ingestor.bindMetrics(meters);
            services.start("storyline-ingest", ingestor::run);
            WebServer web = Dashboard.start(services, cluster, serve, meters,
                    new Dashboard.Digests(digest, subscribers == null ? Subscribers.DEFAULT_FILE
                            : subscribers, subscribers != null));
            LOG.info("storyline running on {}; dashboard on http://{}:{}/; Ctrl-C stops it",
                    cluster.bootstrapServers(), serve.host(), web.port());
            services.awaitStop();
        }
        return services.exitCode();
    }

    /**
     * Lists the feeds of an OPML file in a new registry (see {@link #importFeeds(KafkaCluster,
     * List, Path)}); returns how many were added.
     */
    static int importFeeds(KafkaCluster cluster, Path file, PrintWriter err) {
        return importFeeds(cluster, Opml.read(file, w -> err.println("warning: " + w)), file);
    }

    /**
     * Lists {@code listed} when the registry is new (first start) and does nothing otherwise:
     * from then on the registry is the feed list, so a feed removed with {@code storyline
     * feeds remove} stays removed however often the job restarts with the same file.
     */
    private static int importFeeds(KafkaCluster cluster, List<FeedSpec> listed, Path file) {
        try (FeedRegistry registry = new FeedRegistry(cluster.clientProperties())) {
            if (!registry.isNew()) {
                LOG.info("feeds: the registry already lists {} feeds; {} is read only on first"
                        + " start (storyline feeds import {} adds its missing feeds)",
                        registry.list().size(), file, file);
                return 0;
            }
            FeedRegistry.ImportResult r = registry.importAll(listed);
            LOG.info("feeds: new registry, {} feeds of {} listed", r.added(), file);
            return r.added();
        }
    }
}
