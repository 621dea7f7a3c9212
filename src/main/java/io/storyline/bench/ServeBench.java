package io.storyline.bench;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.storyline.article.Article;
import io.storyline.config.EngineConfig;
import io.storyline.config.PipelineConfig;
import io.storyline.config.ServeConfig;
import io.storyline.config.Settings;
import io.storyline.pipeline.ArticleMessage;
import io.storyline.pipeline.Detector;
import io.storyline.pipeline.KafkaCluster;
import io.storyline.pipeline.Messages;
import io.storyline.pipeline.Topics;
import io.storyline.view.ReadModel;
import io.storyline.view.ViewConsumer;
import io.storyline.web.WebServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Flow;
import java.util.function.Consumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * {@code bench --serve}: the dashboard under load. Fills a read model with synthetic stories
 * (deterministic), measures its heap per story, then serves it on 127.0.0.1 and times
 * {@code /api/stories} at many concurrent clients, and the way from publishing an article to
 * {@code storyline.articles} through the detector, the read model and {@code /api/stream} to
 * every one of many event-stream clients (an embedded broker in a temporary directory).
 */
public final class ServeBench {

    /**
     * @param stories      stories in the read model
     * @param perStory     articles per story (one in three a copy)
     * @param clients      concurrent {@code /api/stories} clients
     * @param duration     how long they are timed (after a tenth as long of warm-up)
     * @param sseClients   event-stream clients
     * @param live         articles published through the pipeline, five a second
     */
    public record Settings(int stories, int perStory, int clients, Duration duration,
            int sseClients, int live) {
    }

    private static final String[] QUERIES = {"", "?sort=new", "?sort=size&limit=100",
        "?q=%s", "?lang=en&minSources=2", "?source=Source%%2012", "?q=%s%%20%s&sort=new"};

    private static final int WARM_UP = 10;

    private final Settings settings;
    private final Consumer<String> progress;
    private final StringBuilder report = new StringBuilder();

    public ServeBench(Settings settings, Consumer<String> progress) {
        this.settings = settings;
        this.progress = progress;
    }

    /** Runs the bench; returns its report. */
    public String run() throws Exception {
        long before = usedHeap();
        ServeConfig serve = config(0);
        Path dir = Files.createTempDirectory("storyline-serve-bench-");
        try (ReadModel model = new ReadModel(serve, Clock.systemUTC())) {
            load(model, before);
            try (KafkaCluster cluster = KafkaCluster.open(PipelineConfig.from(
                    io.storyline.config.Settings.of(Map.of("kafka.data-dir",
                            dir.resolve("kafka").toString()), "bench", w -> { })))) {
                pipeline(cluster, serve, model);
            }
        } finally {
            PipelineBench.deleteTree(dir);
        }
        return report.toString();
    }

    /**
     * Fills the read model as {@link #run} does, then serves it on 127.0.0.1:{@code port} (0: a
     * free port) until the returned server is closed, for a load generator in another process
     * ({@code wrk}): a client sharing the server's JVM, as {@link #run}'s do, takes the
     * cores and the collector's pauses from the server it measures. No broker and no detector:
     * the model does not change while it is held.
     */
    public Held hold(int port) {
        long before = usedHeap();
        ServeConfig serve = config(port);
        ReadModel model = new ReadModel(serve, Clock.systemUTC());
        try {
            load(model, before);
            WebServer web = new WebServer(serve, model, () -> true,
                    new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), null,
                    e -> progress.accept("fatal: " + e)).start();
            line("serving the read model on http://127.0.0.1:%d/ (/api/stories) until "
                    + "stopped (Ctrl-C)", web.port());
            return new Held(model, web);
        } catch (RuntimeException | Error e) {
            model.close();
            throw e;
        }
    }

    /** The read model of {@link #hold} and its server. */
    public record Held(ReadModel model, WebServer web) implements AutoCloseable {
        public int port() {
            return web.port();
        }

        @Override
        public void close() {
            try {
                web.close();
            } finally {
                model.close();
            }
        }
    }

    private ServeConfig config(int port) {
        return ServeConfig.from(io.storyline.config.Settings.of(Map.of(
                "serve.port", Integer.toString(port),
                "serve.max-stories", Integer.toString(settings.stories * 2),
                "serve.max-articles", Integer.toString(settings.stories * settings.perStory * 2),
                "serve.max-sse-clients", Integer.toString(settings.sseClients + 10)),
                "bench", w -> { }));
    }

    /** Fills {@code model} and reports the heap it took ({@code before}: used heap before). */
    private void load(ReadModel model, long before) {
        long start = System.nanoTime();
        fill(model);
        long after = usedHeap();
        line("read model: %,d stories, %,d articles loaded in %.1f s", settings.stories,
                settings.stories * settings.perStory, (System.nanoTime() - start) / 1e9);
        line("heap used by the read model: %,d MB, %,d B per story (with its %d "
                + "articles and their search index)", (after - before) >> 20,
                (after - before) / settings.stories, settings.perStory);
    }

    private void pipeline(KafkaCluster cluster, ServeConfig serve, ReadModel model)
            throws Exception {
        try (Detector detector = new Detector(cluster.clientProperties(), cluster.config(),
                EngineConfig.defaults());
                ViewConsumer view = new ViewConsumer(cluster.clientProperties(), model);
                WebServer web = new WebServer(serve, model, view::ready,
                        new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), null,
                        e -> { })) {
            daemon(detector::run, "bench-detector");
            daemon(view::run, "bench-view");
            web.start();
            String base = "http://127.0.0.1:" + web.port();
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                    .build();
            storiesLatency(http, base);
            fanOut(http, base, cluster, detector);
        }
    }

    /** Synthetic stories: titles and leads from a small vocabulary, arrivals over 6 days. */
    void fill(ReadModel model) {
        SplittableRandom random = new SplittableRandom(42);
        long now = System.currentTimeMillis();
        long span = Duration.ofDays(6).toMillis();
        long seq = 0;
        for (int s = 0; s < settings.stories; s++) {
            String story = "s" + s;
            long t0 = now - span + span * s / settings.stories;
            String headline = words(random, 8);
            for (int a = 0; a < settings.perStory; a++) {
                String id = a == 0 ? story : story + "-" + a;
                String original = a % 3 == 2 ? story : null;
                Instant fetched = Instant.ofEpochMilli(t0 + a * 60_000L);
                String json = String.format(Locale.ROOT, "{\"schema\":3,\"id\":\"%s\","
                        + "\"story\":\"%s\",\"duplicateOf\":%s,\"similarity\":0.5,\"lower\":0.4,"
                        + "\"upper\":0.6,\"matched\":null,\"verdict\":\"%s\",\"revision\":0,"
                        + "\"fetched\":\"%s\",\"seq\":%d,\"title\":\"%s\",\"url\":"
                        + "\"https://example.org/%s\",\"source\":\"Source %d\",\"feed\":"
                        + "\"https://example.org/feed%d\",\"lang\":\"en\",\"published\":\"%s\","
                        + "\"lead\":\"%s\"}", id, story,
                        original == null ? "null" : "\"" + original + "\"",
                        a == 0 ? "new_story" : original == null ? "story" : "near_duplicate",
                        fetched, seq++, a == 0 ? headline : words(random, 8), id,
                        random.nextInt(200), random.nextInt(200), fetched, words(random, 30));
                model.applyAssignment(json.getBytes(StandardCharsets.UTF_8), fetched);
            }
            Instant updated = Instant.ofEpochMilli(t0 + (settings.perStory - 1) * 60_000L);
            model.applyStory(String.format(Locale.ROOT, "{\"schema\":2,\"story\":\"%s\","
                    + "\"status\":\"open\",\"size\":%d,\"copies\":%d,\"headline\":\"%s\","
                    + "\"sources\":[\"Source 1\",\"Source 2\"],\"seq\":%d,\"sourceCount\":%d,"
                    + "\"absorbed\":[],\"updated\":\"%s\"}", story, settings.perStory,
                    settings.perStory / 3, headline, seq - 1, 2 + s % 5, updated)
                    .getBytes(StandardCharsets.UTF_8));
            if (s % 5_000 == 4_999) {
                model.publishChanges();
                progress.accept(String.format(Locale.ROOT, "read model: %,d stories", s + 1));
            }
        }
        model.publishChanges();
    }

    private static String words(SplittableRandom random, int n) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < n; i++) {
            out.append(i == 0 ? "" : " ").append(word(random.nextInt(2_000)));
        }
        return out.toString();
    }

    private static String word(int i) {
        String[] syllables = {"ka", "lo", "mi", "ne", "ru", "sa", "ti", "vo", "ba", "de"};
        return syllables[i % 10] + syllables[(i / 10) % 10] + syllables[(i / 100) % 10]
                + (i >= 1000 ? "n" : "");
    }

    /** {@code settings.clients} threads GET /api/stories in a loop; latency percentiles. */
    private void storiesLatency(HttpClient http, String base) throws InterruptedException {
        long warm = settings.duration.toNanos() / 10;
        long end = System.nanoTime() + warm + settings.duration.toNanos();
        List<long[]> perThread = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < settings.clients; c++) {
            long[] times = new long[1 << 20];
            perThread.add(times);
            int client = c;
            Thread t = daemon(() -> {
                SplittableRandom random = new SplittableRandom(client);
                long timed = System.nanoTime() + warm;
                int n = 0;
                while (System.nanoTime() < end) {
                    String q = String.format(Locale.ROOT,
                            QUERIES[random.nextInt(QUERIES.length)],
                            word(random.nextInt(2_000)), word(random.nextInt(2_000)));
                    long t0 = System.nanoTime();
                    get(http, base + "/api/stories" + q);
                    long took = System.nanoTime() - t0;
                    if (t0 > timed && n < times.length - 1) {
                        times[++n] = took;
                    }
                }
                times[0] = n;
            }, "bench-client-" + c);
            threads.add(t);
        }
        for (Thread t : threads) {
            t.join();
        }
        int total = 0;
        for (long[] t : perThread) {
            total += (int) t[0];
        }
        long[] all = new long[total];
        int i = 0;
        for (long[] t : perThread) {
            System.arraycopy(t, 1, all, i, (int) t[0]);
            i += (int) t[0];
        }
        Arrays.sort(all);
        line("/api/stories at %d concurrent clients: %,d requests in %d s (%,.0f/s), "
                + "p50 %.1f ms, p99 %.1f ms, max %.1f ms (goal: p99 < 50 ms)", settings.clients,
                total, settings.duration.toSeconds(), total / (double) settings.duration
                        .toSeconds(), pct(all, 0.50), pct(all, 0.99),
                all.length == 0 ? 0 : all[all.length - 1] / 1e6);
    }

    /**
     * Opens the event-stream clients, publishes {@code settings.live} articles to the articles
     * topic five a second (after {@value #WARM_UP} untimed), and times each from its
     * publication to its event at every client.
     */
    private void fanOut(HttpClient http, String base, KafkaCluster cluster, Detector detector)
            throws Exception {
        Map<String, Long> sent = new ConcurrentHashMap<>();
        ConcurrentLinkedQueue<Long> latencies = new ConcurrentLinkedQueue<>();
        for (int c = 0; c < settings.sseClients; c++) {
            HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/api/stream"))
                    .header("Accept", "text/event-stream").build();
            http.sendAsync(request, HttpResponse.BodyHandlers.fromLineSubscriber(
                    new Lines(line -> {
                        int at = line.indexOf("\"id\":\"live-");
                        if (line.startsWith("data: ") && at >= 0) {
                            String id = line.substring(at + 6, line.indexOf('"', at + 6));
                            Long t = sent.get(id);
                            if (t != null) {
                                latencies.add(System.nanoTime() - t);
                            }
                        }
                    })));
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!detector.active() && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        Map<String, Object> p = new HashMap<>(cluster.clientProperties());
        p.put("acks", "all");
        p.put("linger.ms", 0);
        SplittableRandom random = new SplittableRandom(7);
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(p,
                new StringSerializer(), new ByteArraySerializer())) {
            // The first ones warm the path up (a detector's first transactions): not timed.
            for (int i = -WARM_UP; i < settings.live; i++) {
                String id = i < 0 ? "warm" + i : "live-" + i;
                Article a = new Article(id, "https://live.example/" + id, "Live " + i % 7, "en",
                        words(random, 10), words(random, 120), Instant.now());
                if (i >= 0) {
                    sent.put(id, System.nanoTime());
                }
                producer.send(new ProducerRecord<>(Topics.ARTICLES, id, Messages.article(
                        new ArticleMessage(a, 0, "https://live.example/feed", Instant.now()))));
                Thread.sleep(200);
            }
        }
        long expected = (long) settings.live * settings.sseClients;
        deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (latencies.size() < expected && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        long[] all = latencies.stream().mapToLong(Long::longValue).sorted().toArray();
        line("publish-to-page (articles topic → detector → read model → /api/stream) at %d "
                + "event-stream clients: %,d of %,d events, p50 %.0f ms, p99 %.0f ms, max "
                + "%.0f ms (goal: p99 < 2 s)", settings.sseClients, all.length, expected,
                pct(all, 0.50), pct(all, 0.99), all.length == 0 ? 0 : all[all.length - 1] / 1e6);
    }

    private static double pct(long[] sorted, double p) {
        if (sorted.length == 0) {
            return 0;
        }
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)] / 1e6;
    }

    private static void get(HttpClient http, String url) {
        try {
            HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(URI.create(url)).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            if (r.statusCode() != 200) {
                throw new IllegalStateException("GET " + url + ": HTTP " + r.statusCode());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("GET " + url, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private void line(String format, Object... args) {
        String text = String.format(Locale.ROOT, format, args);
        report.append(text).append('\n');
        progress.accept(text);
    }

    private static long usedHeap() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        t.start();
        return t;
    }

    /** Hands each line of an event stream to a consumer. */
    private record Lines(Consumer<String> each) implements Flow.Subscriber<String> {
        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            subscription.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(String item) {
            each.accept(item);
        }

        @Override
        public void onError(Throwable throwable) {
        }

        @Override
        public void onComplete() {
        }
    }
}
