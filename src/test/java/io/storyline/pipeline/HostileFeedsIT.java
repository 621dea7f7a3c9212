package io.storyline.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.storyline.ingest.FeedProblem;
import io.storyline.ingest.FeedSpec;
import io.storyline.ingest.FeedState;
import io.storyline.ingest.FetchResult;
import io.storyline.ingest.FixtureServer;
import io.storyline.ingest.HostileCorpus;
import io.storyline.ingest.HostileCorpus.Fixture;
import io.storyline.pipeline.IngestTestKit.Saved;
import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole hostile corpus ({@code src/test/resources/ingest/hostile/}) and ten valid feeds,
 * all served at once to a real {@code storyline ingest} in a JVM of its own with
 * {@code -Xmx512m}, against a real broker. The run happens once, before the tests: the
 * ingestor polls until every fixture shows its expected outcome (or a deadline passes), its
 * heap is measured after a GC, then every feed is removed and its fetch threads must go idle
 * within five seconds of the read timeout. Each test then checks one part of what was seen.
 */
class HostileFeedsIT {

    private static final long READ_TIMEOUT_MS = 3000;
    /** Polls of each valid feed before the run may end: proof that the others had time. */
    private static final int VALID_POLLS = 5;
    private static final Duration RUN_LIMIT = Duration.ofSeconds(150);
    private static final long HEAP_LIMIT = 256L * 1024 * 1024;
    private static final Pattern G1_USED = Pattern.compile(
            "garbage-first heap\\s+total \\d+K, used (\\d+)K");
    private static final Pattern CLAUSE = Pattern.compile(
            "([a-z-]+)(>=)?\\s*([A-Z_]+)?\\s*(\\d+)?\\s*(/\\S+)?\\s*(?:'(.*)')?");

    @TempDir
    static Path dir;

    private static KafkaCluster cluster;
    private static Map<String, Object> client;
    private static FixtureServer server;
    private static HostileCorpus corpus;
    private static Process ingestor;
    private static Path log;

    /** What the run left: read once, checked by every test. */
    private static Map<String, List<ArticleMessage>> articles;
    private static Map<String, FeedState> states;
    private static Map<String, Integer> hits;
    private static boolean aliveAtEnd;
    private static long heapAfterGc = -1;
    private static List<String> busyFetchThreads = List.of("(not measured)");
    private static Duration runTime;
    private static long started;
    /** Fetch threads in the last thread dump, busy or idle: proof that the names still fit. */
    private static int fetchThreads;

    @BeforeAll
    static void run() throws Exception {
        cluster = KafkaCluster.open(PipelineTestKit.config(dir.resolve("kafka")));
        client = cluster.clientProperties();
        server = FixtureServer.start(64);
        corpus = HostileCorpus.serve(server, READ_TIMEOUT_MS);
        List<FeedSpec> feeds = new ArrayList<>();
        for (Fixture f : corpus.fixtures()) {
            if (f.isFeed()) {
                feeds.add(new FeedSpec(corpus.url(f), f.name()));
            }
        }
        try (FeedRegistry registry = new FeedRegistry(client)) {
            registry.importAll(feeds);
        }
        log = dir.resolve("ingestor.log");
        ingestor = startIngestor();

        started = System.nanoTime();
        long deadline = started + RUN_LIMIT.toNanos();
        do {
            Thread.sleep(2000);
            snapshot();
        } while (System.nanoTime() < deadline && ingestor.isAlive() && !settled());
        runTime = elapsed();
        aliveAtEnd = ingestor.isAlive();
        if (aliveAtEnd) {
            heapAfterGc = heapAfterGc(ingestor.pid());
            stopPolling();
        }
        System.out.printf("hostile feeds: settled=%s after %d s, heap after GC %d MB, "
                + "busy fetch threads %d; ingestor log in %s%n", settled(),
                runTime.toSeconds(), heapAfterGc / (1024 * 1024), busyFetchThreads.size(),
                keptLog());
    }

    private static Duration elapsed() {
        return Duration.ofNanos(System.nanoTime() - started);
    }

    /** A copy of the ingestor's log under target/, where it outlives the temporary dir. */
    private static Path keptLog() throws IOException {
        Path kept = Path.of("target", "hostile-feeds-ingestor.log");
        Files.copy(log, kept, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        return kept;
    }

    @AfterAll
    static void stop() throws Exception {
        if (ingestor != null && ingestor.isAlive()) {
            ingestor.destroy();
            if (!ingestor.waitFor(30, TimeUnit.SECONDS)) {
                ingestor.destroyForcibly().waitFor();
            }
        }
        if (corpus != null) {
            corpus.close();
        }
        if (server != null) {
            server.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    @TestFactory
    Stream<DynamicTest> everyFixtureEndsAsItsNoteSays() {
        return corpus.fixtures().stream().filter(Fixture::isFeed)
                .map(f -> DynamicTest.dynamicTest(f.name() + ": " + f.note(),
                        () -> assertEquals(List.of(), unmet(f), f.name() + " (" + f.serve()
                                + ") expected " + f.expect() + "; state "
                                + states.get(corpus.url(f)))));
    }

    @Test
    void theCorpusHasFiftyHostileFixturesAndTenValidFeeds() {
        assertTrue(corpus.fixtures().stream().filter(f -> f.kind().equals("hostile")).count()
                >= 50);
        assertEquals(10, corpus.fixtures().stream().filter(f -> f.kind().equals("valid"))
                .count());
    }

    @Test
    void everyValidFeedIsIngestedWhole() {
        for (Fixture f : corpus.fixtures()) {
            if (f.kind().equals("valid")) {
                assertTrue(hits("/" + f.name()) >= VALID_POLLS, f.name() + " polled "
                        + hits("/" + f.name()) + " times in " + runTime);
                assertEquals(List.of(), unmet(f), f.name());
            }
        }
    }

    @Test
    void theIngestorNeverCrashedNorMetAnUnexpectedFailure() throws IOException {
        assertTrue(aliveAtEnd, "the ingestor died; its log:\n" + tail());
        String text = Files.readString(log, StandardCharsets.UTF_8);
        for (String sign : List.of("ERROR", "OutOfMemoryError", "StackOverflowError",
                "unexpected failure", "Exception in thread")) {
            assertFalse(text.contains(sign), sign + " in the ingestor's log:\n" + tail());
        }
        for (FeedState s : states.values()) {
            FeedProblem p = s.lastProblem();
            assertTrue(p == null || p.what() != FeedProblem.Kind.INTERNAL, p + "");
        }
    }

    @Test
    void theHeapAfterAGcStaysUnder256MegabytesOf512() {
        assertTrue(heapAfterGc >= 0, "heap not measured: the ingestor died");
        assertTrue(heapAfterGc < HEAP_LIMIT, "heap after GC " + heapAfterGc / (1024 * 1024)
                + " MB");
    }

    @Test
    void noFetchThreadIsBusyFiveSecondsAfterTheReadTimeout() {
        assertTrue(fetchThreads >= 16, "the dump shows " + fetchThreads + " fetch threads");
        assertEquals(List.of(), busyFetchThreads);
    }

    /** Whether every fixture shows its outcome and every valid feed was polled enough. */
    private static boolean settled() {
        for (Fixture f : corpus.fixtures()) {
            if (f.isFeed() && (!unmet(f).isEmpty() || (f.kind().equals("valid")
                    && hits("/" + f.name()) < VALID_POLLS))) {
                return false;
            }
        }
        return true;
    }

    private static void snapshot() {
        articles = new HashMap<>();
        for (ArticleMessage m : IngestTestKit.articles(client)) {
            articles.computeIfAbsent(m.feed(), k -> new ArrayList<>()).add(m);
        }
        states = new HashMap<>();
        IngestTestKit.states(client).forEach((url, saved) -> states.put(url,
                saved.get(saved.size() - 1).state()));
        hits = new HashMap<>();
        for (Fixture f : corpus.fixtures()) {
            hits.put("/" + f.name(), corpus.hits("/" + f.name()));
        }
        for (String probe : List.of("/probe", "/probe.dtd", "/probe-system.dtd")) {
            hits.put(probe, corpus.hits(probe));
        }
    }

    private static int hits(String path) {
        return hits.getOrDefault(path, corpus.hits(path));
    }

    /** The clauses of a fixture's expected outcome that the run does not show. */
    static List<String> unmet(Fixture f) {
        List<String> unmet = new ArrayList<>();
        for (String clause : f.clauses()) {
            if (!holds(f, clause)) {
                unmet.add(clause);
            }
        }
        return unmet;
    }

    private static boolean holds(Fixture f, String clause) {
        Matcher m = CLAUSE.matcher(clause);
        if (!m.matches()) {
            throw new IllegalArgumentException("fixtures.tsv line " + f.line() + " ("
                    + f.name() + "): cannot read the clause '" + clause + "'");
        }
        String url = corpus.url(f);
        FeedState s = states.get(url);
        List<ArticleMessage> published = articles.getOrDefault(url, List.of());
        String word = m.group(1);
        String kind = m.group(3);
        long n = m.group(4) == null ? -1 : Long.parseLong(m.group(4));
        String path = m.group(5);
        String text = m.group(6);
        int own = hits("/" + f.name());
        return switch (word) {
            case "ingested" -> published.size() == n && s != null
                    && s.consecutiveFailures() == 0
                    && published.stream().map(a -> a.article().id()).distinct().count() == n;
            case "failed" -> s != null && s.consecutiveFailures() >= 1 && published.isEmpty()
                    && problem(s, kind, text);
            case "problem" -> s != null && s.consecutiveFailures() == 0 && problem(s, kind, text);
            case "recovered" -> s != null && s.consecutiveFailures() == 0
                    && s.lastProblem() != null && s.lastProblem().message().contains(text);
            case "no-problem" -> s != null && s.lastProblem() == null;
            case "failures" -> s != null && s.consecutiveFailures() >= n;
            case "polled" -> own >= n;
            case "gone" -> s != null && s.gone() && own == 1;
            // At most one request per n seconds of the run, the last one scheduling the next
            // n seconds or more ahead.
            case "backoff" -> s != null && own >= 1 && own <= 1 + elapsed().toSeconds() / n
                    && s.lastPoll() != null
                    && Duration.between(s.lastPoll(), s.nextPoll()).toSeconds() >= n;
            case "moved" -> s != null && corpus.url(path).equals(s.location()) && own == 1
                    && hits(path) >= 2;
            case "not-moved" -> s != null && s.location() == null;
            case "text" -> published.stream().anyMatch(a -> a.article().title().contains(text)
                    || a.article().text().contains(text));
            case "no-text" -> published.stream().noneMatch(a -> contains(a, text));
            case "no-secret" -> published.stream().noneMatch(a -> contains(a,
                    HostileCorpus.secret()));
            case "untouched" -> hits(path) == 0;
            case "undated" -> published.stream().allMatch(a -> a.article().published() == null);
            case "not-future" -> published.stream().allMatch(a -> a.article().published() != null
                    && !a.article().published().isAfter(a.fetched()));
            case "truncated" -> published.stream().allMatch(a -> a.truncated()
                    && a.article().title().length() <= 1000);
            case "urls-http" -> published.stream().allMatch(a -> a.article().url() == null
                    || a.article().url().startsWith("http"));
            default -> throw new IllegalArgumentException("fixtures.tsv line " + f.line()
                    + " (" + f.name() + "): unknown clause '" + clause + "'");
        };
    }

    private static boolean problem(FeedState s, String kind, String text) {
        FeedProblem p = s.lastProblem();
        return p != null && (kind == null || p.what().name().equals(kind))
                && (text == null || p.message().contains(text));
    }

    private static boolean contains(ArticleMessage a, String text) {
        return a.article().title().contains(text) || a.article().text().contains(text)
                || a.article().source().contains(text);
    }

    /**
     * {@code storyline ingest} with a 512 MB heap. Its names resolve from a hosts file of
     * 127.0.0.1 alone, so the {@code .invalid} host fails without a DNS query leaving the
     * machine. Timeouts and intervals are short so that the run takes a minute or two.
     */
    private static Process startIngestor() throws IOException {
        Path hosts = dir.resolve("hosts");
        Files.writeString(hosts, "127.0.0.1 localhost " + InetAddress.getLocalHost()
                .getHostName() + "\n");
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-XX:+UseG1GC", "-Djdk.net.hosts.file=" + hosts,
                "-cp", System.getProperty("java.class.path"),
                "io.storyline.cli.Main", "ingest",
                "--config", "config" + File.separator + "storyline.properties"));
        Map<String, String> settings = Map.ofEntries(
                Map.entry("kafka.bootstrap.servers", (String) client.get("bootstrap.servers")),
                Map.entry("topics.partitions", "2"),
                Map.entry("ingest.connect-timeout.ms", "2000"),
                Map.entry("ingest.read-timeout.ms", Long.toString(READ_TIMEOUT_MS)),
                Map.entry("ingest.min-interval.seconds", "1"),
                Map.entry("ingest.max-interval.seconds", "1"),
                Map.entry("ingest.backoff.base.seconds", "1"),
                Map.entry("ingest.backoff.max.seconds", "600"),
                Map.entry("ingest.concurrency", "16"),
                Map.entry("ingest.per-host-concurrency", "16"),
                Map.entry("ingest.fetch-pages", "false"),
                Map.entry("ingest.allow-private-addresses", "true"));
        settings.forEach((k, v) -> {
            command.add("--set");
            command.add(k + "=" + v);
        });
        return new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
    }

    /** Used heap after a full GC, from {@code jcmd} (G1's heap line). */
    private static long heapAfterGc(long pid) throws Exception {
        jcmd(pid, "GC.run");
        String info = jcmd(pid, "GC.heap_info");
        Matcher m = G1_USED.matcher(info);
        if (!m.find()) {
            throw new IllegalStateException("no G1 heap line in jcmd GC.heap_info:\n" + info);
        }
        return Long.parseLong(m.group(1)) * 1024;
    }

    /**
     * Removes every feed, then waits until no fetch thread of the ingestor works any more:
     * a fetch under way ends within the read timeout, and five seconds are left for
     * publishing its state.
     */
    private static void stopPolling() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(READ_TIMEOUT_MS)
                + TimeUnit.SECONDS.toNanos(5);
        try (FeedRegistry registry = new FeedRegistry(client)) {
            for (Fixture f : corpus.fixtures()) {
                if (f.isFeed()) {
                    registry.remove(corpus.url(f));
                }
            }
        }
        String dump;
        do {
            dump = jcmd(ingestor.pid(), "Thread.print");
            busyFetchThreads = busyFetchThreads(dump);
        } while (!busyFetchThreads.isEmpty() && System.nanoTime() < deadline
                && sleep(200));
        fetchThreads = (int) dump.lines().filter(l -> l.startsWith("\"storyline-fetch")).count();
    }

    private static boolean sleep(long ms) throws InterruptedException {
        Thread.sleep(ms);
        return true;
    }

    /**
     * The fetch threads of a thread dump that are not idle in their pool: the ingestor's
     * workers ({@code storyline-fetch}), the fetcher's pool ({@code storyline-fetch-N}) and
     * the HTTP client's ({@code storyline-http-N}).
     */
    static List<String> busyFetchThreads(String dump) {
        List<String> busy = new ArrayList<>();
        for (String block : dump.split("\n\\s*\n")) {
            String b = block.strip();
            if ((b.startsWith("\"storyline-fetch") || b.startsWith("\"storyline-http"))
                    && !b.contains("ThreadPoolExecutor.getTask")) {
                busy.add(b.lines().limit(8).reduce((x, y) -> x + "\n" + y).orElse(b));
            }
        }
        return busy;
    }

    private static String jcmd(long pid, String command) throws Exception {
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd")
                .toString(), Long.toString(pid), command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException("jcmd " + pid + " " + command + " failed:\n" + out);
        }
        return out;
    }

    private static String tail() throws IOException {
        List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    }
}
