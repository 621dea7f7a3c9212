package io.storyline.web;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.storyline.article.Article;
import io.storyline.article.ArticleReader;
import io.storyline.config.EngineConfig;
import io.storyline.config.IngestConfig;
import io.storyline.config.PipelineConfig;
import io.storyline.config.ServeConfig;
import io.storyline.config.Settings;
import io.storyline.digest.SubscriberRegistry;
import io.storyline.ingest.Opml;
import io.storyline.pipeline.ArticleMessage;
import io.storyline.pipeline.Detector;
import io.storyline.pipeline.FeedRegistry;
import io.storyline.pipeline.Ingestor;
import io.storyline.pipeline.KafkaCluster;
import io.storyline.pipeline.Messages;
import io.storyline.pipeline.Topics;
import io.storyline.view.ReadModel;
import io.storyline.view.ViewConsumer;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The real pipeline for dashboard tests: an embedded broker, the detector, optionally an
 * ingestor on the sample feeds, and the dashboard (read model, its consumer, the web server
 * on 127.0.0.1, a free port). The dashboard can be stopped and started again on the same
 * topics (a server restart).
 */
final class DashboardStack implements AutoCloseable {

    static final String TOKEN = "test-admin-token-0123456789";
    static final Duration PATIENCE = Duration.ofSeconds(60);

    final KafkaCluster cluster;
    private final Detector detector;
    private final Ingestor ingestor;
    private final FeedRegistry registry;
    final SubscriberRegistry subscribers;
    private final ServeConfig serve;
    private final AtomicReference<Throwable> fatal = new AtomicReference<>();
    private ReadModel model;
    private ViewConsumer view;
    private WebServer web;
    private Thread viewLoop;
    Http http;

    private DashboardStack(Path dir, boolean ingest) {
        cluster = KafkaCluster.open(PipelineConfig.from(Settings.of(Map.of(
                "kafka.data-dir", dir.resolve("kafka").toString(),
                "topics.partitions", "2",
                "detector.session-timeout.ms", "6000"), "test", w -> { })));
        registry = new FeedRegistry(cluster.clientProperties());
        subscribers = new SubscriberRegistry(cluster.clientProperties(), Clock.systemUTC());
        detector = new Detector(cluster.clientProperties(), cluster.config(),
                EngineConfig.defaults());
        daemon(detector::run, "test-detector");
        if (ingest) {
            registry.importAll(Opml.read(Path.of("config", "feeds.opml"), w -> { }));
            ingestor = new Ingestor(cluster.clientProperties(), IngestConfig.from(Settings.of(
                    Map.of("ingest.allow-file-feeds", "true"), "test", w -> { })),
                    Clock.systemUTC());
            daemon(ingestor::run, "test-ingestor");
        } else {
            ingestor = null;
        }
        serve = ServeConfig.from(Settings.of(Map.of("serve.port", "0",
                "serve.admin-token", TOKEN), "test", w -> { }));
        startDashboard();
    }

    /** A stack whose articles come from {@link #publish}. */
    static DashboardStack withoutIngestor(Path dir) {
        return new DashboardStack(dir, false);
    }

    /** A stack with an ingestor polling the sample feeds of {@code config/feeds.opml}. */
    static DashboardStack withIngestor(Path dir) {
        return new DashboardStack(dir, true);
    }

    void startDashboard() {
        model = new ReadModel(serve, Clock.systemUTC());
        view = new ViewConsumer(cluster.clientProperties(), model);
        PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        view.bindMetrics(meters);
        if (ingestor != null) {
            ingestor.bindMetrics(meters);
        }
        web = new WebServer(serve, model, view::ready, meters, registry, subscribers,
                fatal::set).start();
        viewLoop = daemon(view::run, "test-view");
        http = new Http(web.port());
    }

    void stopDashboard() {
        web.close();
        view.close();
        try {
            viewLoop.join(30_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        model.close();
    }

    int port() {
        return web.port();
    }

    Throwable fatal() {
        return fatal.get();
    }

    /** The sample of {@code seeds/sample.jsonl}: 5 stories, 12 copies. */
    static List<Article> sample() {
        List<Article> articles = new ArrayList<>();
        List<Object> problems = new ArrayList<>();
        new ArticleReader(articles::add, problems::add).read(Path.of("seeds", "sample.jsonl"));
        assertTrue(problems.isEmpty(), problems.toString());
        return articles;
    }

    /** Publishes articles to {@code storyline.articles} as an ingestor would, fetched now. */
    void publish(List<Article> articles) {
        Map<String, Object> p = new HashMap<>(cluster.clientProperties());
        p.put("acks", "all");
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(p,
                new StringSerializer(), new ByteArraySerializer())) {
            for (Article a : articles) {
                producer.send(new ProducerRecord<>(Topics.ARTICLES, a.id(), Messages.article(
                        new ArticleMessage(a, 0, "https://feeds.example/"
                                + (a.source() == null ? "none" : a.source().hashCode()),
                                Instant.now()))));
            }
            producer.flush();
        }
    }

    /** GETs {@code path} until its JSON satisfies {@code condition}; fails after a minute. */
    JsonNode await(String path, Predicate<JsonNode> condition) throws InterruptedException {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        JsonNode last = null;
        while (System.nanoTime() < deadline) {
            var r = http.get(path);
            if (r.statusCode() == 200) {
                last = Http.parse(r.body());
                if (condition.test(last)) {
                    return last;
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError("GET " + path + " never met the condition; last: " + last);
    }

    private static Thread daemon(Runnable loop, String name) {
        Thread t = new Thread(loop, name);
        t.setDaemon(true);
        t.start();
        return t;
    }

    @Override
    public void close() {
        stopDashboard();
        if (ingestor != null) {
            ingestor.close();
        }
        detector.close();
        registry.close();
        subscribers.close();
        cluster.close();
    }
}
