package io.storyline.bench;

import io.storyline.article.Article;
import io.storyline.config.EngineConfig;
import io.storyline.config.PipelineConfig;
import io.storyline.pipeline.ArticleMessage;
import io.storyline.pipeline.Detector;
import io.storyline.pipeline.KafkaCluster;
import io.storyline.pipeline.Messages;
import io.storyline.pipeline.Topics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * What checkpoints cost and what they save: a detector on a fresh embedded broker processes
 * a synthetic stream with checkpoints, then a second instance takes over (from the latest
 * checkpoint), then a third with the checkpoints deleted (a full replay of the log). Prints
 * the bytes written per article and both takeover times.
 */
public final class TakeoverBench {

    private static final Duration STALL = Duration.ofMinutes(10);

    private final int articles;
    private final double copies;
    private final long seed;
    private final PipelineConfig pipeline;
    private final EngineConfig engine;
    private final Consumer<String> progress;

    public TakeoverBench(int articles, double copies, long seed, PipelineConfig pipeline,
            EngineConfig engine, Consumer<String> progress) {
        this.articles = articles;
        this.copies = copies;
        this.seed = seed;
        this.pipeline = pipeline;
        this.engine = engine;
        this.progress = progress;
    }

    /**
     * What the bench measured: {@code restoredBytes} is the checkpoint the first takeover
     * restored, {@code fullReplayRestoredBytes} what the second did (0: it replayed).
     */
    public record Report(int articles, int window, int interval, double detectSeconds,
            long checkpoints, long bytes, long restoredBytes, double fromCheckpointSeconds,
            long fullReplayRestoredBytes, double fullReplaySeconds) {

        public String format() {
            return String.format(Locale.ROOT, """
                    Detector takeover (%,d synthetic articles, window %,d articles, checkpoint \
                    every %,d articles)
                      processing with checkpoints     %,.0f articles/s (%.1f s)
                      checkpoints written             %d, %,d bytes in all
                      bytes written per article       %,.0f
                      latest checkpoint               %,d bytes (%.0f per article in the \
                    window)
                      takeover from the checkpoint    %,.0f ms
                      takeover by full replay         %,.0f ms
                    """, articles, window, interval, articles / detectSeconds, detectSeconds,
                    checkpoints, bytes, (double) bytes / articles, restoredBytes,
                    (double) restoredBytes / Math.min(articles, window),
                    fromCheckpointSeconds * 1000, fullReplaySeconds * 1000);
        }
    }

    public Report run() throws Exception {
        Path dir = Files.createTempDirectory("storyline-takeover-");
        try (KafkaCluster cluster = KafkaCluster.open(PipelineBench.benchPipeline(pipeline,
                dir))) {
            Map<String, Object> client = cluster.clientProperties();
            progress.accept("publishing " + articles + " synthetic articles");
            publish(client);

            progress.accept("detecting with checkpoints every "
                    + pipeline.checkpointArticles() + " articles");
            long start = System.nanoTime();
            long bytes;
            long checkpoints;
            try (ServiceThreads services = new ServiceThreads()) {
                Detector first = services.start("storyline-detector", new Detector(client,
                        pipeline, engine), Detector::run);
                await(() -> first.committedArticles() >= articles, services, "processing");
                bytes = first.checkpointBytes();
                checkpoints = first.checkpoints();
            }
            double detectSeconds = (System.nanoTime() - start) / 1e9;

            progress.accept("taking over from the latest checkpoint");
            Takeover fromCheckpoint = takeover(client);
            try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(client,
                    new StringSerializer(), new ByteArraySerializer())) {
                // Without its manifest no checkpoint is there to restore.
                producer.send(new ProducerRecord<>(Topics.DETECTOR_STATE, "manifest", null))
                        .get();
            }
            progress.accept("taking over without a checkpoint (a full replay)");
            Takeover fullReplay = takeover(client);

            return new Report(articles, engine.maxWindowArticles(),
                    pipeline.checkpointArticles(), detectSeconds, checkpoints, bytes,
                    fromCheckpoint.restoredBytes(), fromCheckpoint.seconds(),
                    fullReplay.restoredBytes(), fullReplay.seconds());
        } finally {
            PipelineBench.deleteTree(dir);
        }
    }

    private record Takeover(double seconds, long restoredBytes) {
    }

    /** How long until a new instance is active (state rebuilt, ready to read on). */
    private Takeover takeover(Map<String, Object> client) {
        try (ServiceThreads services = new ServiceThreads()) {
            long start = System.nanoTime();
            Detector next = services.start("storyline-detector", new Detector(client, pipeline,
                    engine), Detector::run);
            await(next::active, services, "the takeover");
            return new Takeover((System.nanoTime() - start) / 1e9, next.restoredBytes());
        }
    }

    private static void await(BooleanSupplier done, ServiceThreads services, String what) {
        long deadline = System.nanoTime() + STALL.toNanos();
        while (!done.getAsBoolean()) {
            if (services.failure() != null) {
                throw services.failure();
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(what + " did not finish in " + STALL);
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    private void publish(Map<String, Object> client) {
        Map<String, Object> p = new HashMap<>(client);
        p.put("acks", "all");
        p.put("enable.idempotence", "true");
        p.put("linger.ms", 20);
        p.put("compression.type", "lz4");
        SyntheticCorpus corpus = new SyntheticCorpus(articles, copies, seed);
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(p,
                new StringSerializer(), new ByteArraySerializer())) {
            while (corpus.hasNext()) {
                Article a = corpus.next();
                producer.send(new ProducerRecord<>(Topics.ARTICLES, a.id(), Messages.article(
                        new ArticleMessage(a, 0, "file:synthetic", a.published()))));
            }
            producer.flush();
        }
    }
}
