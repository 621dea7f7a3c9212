package io.storyline.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.icegreen.greenmail.util.GreenMail;
import io.storyline.bench.FeedServer;
import io.storyline.cli.DigestTestKit;
import io.storyline.cli.Main;
import io.storyline.digest.DigestRecord;
import io.storyline.ingest.EntryIdentity;
import io.storyline.pipeline.Topics;
import io.storyline.web.Http;
import jakarta.mail.Address;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;

/**
 * Storyline deployed on a three-broker {@link BrokerCluster} as separate JVMs (two ingestors,
 * a detector and its standby, a server that sends digests) over a feed server that keeps
 * publishing, driven through a plan of SIGKILLs and a broker restart; then, once the pipeline
 * has drained, collects what the topics, the dashboard API and the SMTP server hold. Judging
 * it is the test's job.
 */
final class ClusterRun {

    static final String DETECTOR_GROUP = "storyline-detector";
    private static final TopicPartition ARTICLES = new TopicPartition(Topics.ARTICLES, 0);
    private static final Pattern DASHBOARD =
            Pattern.compile("dashboard of \\S+ on http://127\\.0\\.0\\.1:(\\d+)/");
    private static final Pattern ACTIVE = Pattern.compile("detector active in (\\d+) ms");
    private static final Duration TICK = Duration.ofMillis(100);
    private static final String ADMIN_TOKEN = "cluster-run-admin-token";

    /**
     * What to run and break.
     *
     * @param feeds            feeds on the fixture server
     * @param listed           entries each feed lists at the start (and at most, later)
     * @param perFeed          entries each feed has published by the end; the run has
     *                         {@code feeds * perFeed} articles
     * @param publishPerSecond entries the server adds per second after the start
     * @param pollSeconds      every feed's polling interval
     * @param killBrokerAt     share of the articles assigned when the leader of
     *                         {@code storyline.articles} is killed
     * @param killDetectorAt   ... when the active detector is killed
     * @param restartBrokerAt  ... when the killed broker is started again (negative: never)
     * @param killIngestorAt   ... when one ingestor is killed (negative: never)
     * @param subscribers      digest subscribers, due a minute apart during the run
     * @param patience         longest the run may take from the start to the drained output
     */
    record Plan(String name, int feeds, int listed, int perFeed, int publishPerSecond,
            int pollSeconds, double killBrokerAt, double killDetectorAt,
            double restartBrokerAt, double killIngestorAt, int subscribers,
            Duration patience) {

        int articles() {
            return feeds * perFeed;
        }
    }

    /** A digest that falls due during the run. */
    record Subscription(String email, ZoneId zone, Instant sendAt) {

        LocalDate date() {
            return LocalDate.ofInstant(sendAt, zone);
        }

        String key() {
            return DigestRecord.key(email, date());
        }
    }

    /**
     * What the run left behind.
     *
     * @param expectedIds the article ids of every entry the fixture feeds published
     * @param apiStories  per story id, its article count as {@code /api/stories} lists it
     * @param mails       per recipient, the digest emails the SMTP server received
     * @param survivors   the processes that were not killed, as "name (pid) alive|exited N"
     * @param topicSettings per Storyline topic, "replicas R, min.insync.replicas M" as the
     *                    brokers describe it after the topics were created
     * @param timeline    what happened when, for the report
     */
    record Outcome(Plan plan, Duration elapsed, List<String> expectedIds,
            List<TopicDump.Rec> articles, List<TopicDump.Rec> assignments,
            List<TopicDump.Rec> stories, List<TopicDump.Rec> digests,
            List<TopicDump.Rec> deadLetters, Map<String, Integer> apiStories,
            List<Subscription> subscriptions, Map<String, Integer> mails,
            List<String> survivors, Map<String, String> topicSettings, List<String> timeline,
            Path dir) {
    }

    private final Plan plan;
    private final Path dir;
    private final long start = System.nanoTime();
    private final List<String> timeline = new ArrayList<>();
    private final List<Subscription> subscriptions = new ArrayList<>();

    private ClusterRun(Plan plan, Path dir) {
        this.plan = plan;
        this.dir = dir;
    }

    /** Runs {@code plan} with everything under {@code dir} (created afresh). */
    static Outcome run(Plan plan, Path dir) throws Exception {
        deleteTree(dir);
        Files.createDirectories(dir);
        return new ClusterRun(plan, dir).run();
    }

    private Outcome run() throws Exception {
        GreenMail smtp = DigestTestKit.smtp();
        try (BrokerCluster brokers = BrokerCluster.start(dir.resolve("brokers"), 3);
                FeedServer server = FeedServer.start(plan.feeds(), plan.listed(), 4)) {
            mark("3 brokers registered: " + brokers.bootstrapServers());
            List<String> common = List.of(
                    "kafka.bootstrap.servers=" + brokers.bootstrapServers(),
                    "topics.replication-factor=3", "topics.min-insync-replicas=2",
                    "topics.partitions=3");
            importFeeds(server, common);
            Map<String, String> topicSettings = topicSettings(brokers);
            mark("topics created and " + plan.feeds() + " feeds imported: " + topicSettings);
            // No subscriber at the start: each is added, through the admin API, once
            // articles have arrived, so its digest is not empty.
            Files.writeString(dir.resolve("digests.yaml"), "subscribers: []\n");
            Fleet fleet = new Fleet(common, smtp.getSmtp().getPort());
            try {
                fleet.start();
                mark("started " + fleet.all.stream().map(ServiceProcess::name).toList());
                drive(brokers, server, fleet);
                return collect(brokers, server, fleet, smtp, topicSettings);
            } finally {
                // Before the brokers and the feed server go: stopping services wait for them.
                fleet.stop();
            }
        } finally {
            smtp.stop();
        }
    }

    /** The Storyline processes of the run and their settings. */
    private final class Fleet {
        final List<ServiceProcess> all = new ArrayList<>();
        final List<String> common;
        final int smtpPort;
        final Set<ServiceProcess> killed = new HashSet<>();
        ServiceProcess serve;
        final List<ServiceProcess> detectors = new ArrayList<>();
        final List<ServiceProcess> ingestors = new ArrayList<>();

        Fleet(List<String> common, int smtpPort) {
            this.common = common;
            this.smtpPort = smtpPort;
        }

        /** SIGTERM to every process at once, then SIGKILL to any still running in 20 s. */
        void stop() throws InterruptedException {
            long stopping = System.nanoTime();
            for (ServiceProcess p : all) {
                p.stop();
            }
            for (ServiceProcess p : all) {
                p.close();
            }
            mark("stopped the Storyline processes in " + ms(System.nanoTime() - stopping));
        }

        void start() throws IOException {
            List<String> serveArgs = new ArrayList<>(ServiceProcess.command("serve", with(
                    "serve.port=0", "digest.smtp.host=127.0.0.1",
                    "digest.smtp.port=" + smtpPort, "digest.smtp.security=none",
                    "digest.smtp.from=Storyline <digest@example.org>",
                    "serve.admin-token=" + ADMIN_TOKEN)));
            serveArgs.addAll(List.of("--subscribers", dir.resolve("digests.yaml").toString()));
            serve = add(ServiceProcess.start("serve", dir, serveArgs));
            for (int i = 1; i <= 2; i++) {
                detectors.add(add(ServiceProcess.start("detector-" + i, dir,
                        ServiceProcess.command("detect", with(
                                "detector.session-timeout.ms=6000", "detector.batch=200",
                                "detector.checkpoint.articles="
                                        + Math.max(100, plan.articles() / 5))))));
            }
            for (int i = 1; i <= 2; i++) {
                ingestors.add(add(ServiceProcess.start("ingestor-" + i, dir,
                        ServiceProcess.command("ingest", with(
                                "ingest.user-agent=ingestor-" + i,
                                "ingest.min-interval.seconds=" + plan.pollSeconds(),
                                "ingest.max-interval.seconds=" + plan.pollSeconds(),
                                // A feed that failed is tried again soon: the entries it
                                // lists do not stay listed for long.
                                "ingest.backoff.base.seconds=1",
                                "ingest.backoff.max.seconds=10",
                                // Every fixture feed is on one host: the default two
                                // fetches per host would throttle the whole run.
                                "ingest.concurrency=32", "ingest.per-host-concurrency=32",
                                "ingest.fetch-pages=false",
                                "ingest.allow-private-addresses=true",
                                "ingest.session-timeout.ms=10000")))));
            }
        }

        private ServiceProcess add(ServiceProcess p) {
            all.add(p);
            return p;
        }

        private List<String> with(String... more) {
            List<String> out = new ArrayList<>(common);
            out.addAll(List.of(more));
            return out;
        }

        /** Fails naming the process and its log's end if one not killed has stopped. */
        void checkAlive() {
            for (ServiceProcess p : all) {
                if (!killed.contains(p) && !p.alive()) {
                    throw new AssertionError(p + " stopped by itself; its log ends: "
                            + tail(p.log()));
                }
            }
        }

        List<String> survivors() {
            return all.stream().filter(p -> !killed.contains(p)).map(Object::toString)
                    .toList();
        }
    }

    /**
     * Publishes the rest of the entries at the plan's rate and breaks things at the planned
     * points, until every entry is published, every failure has happened and been recovered
     * from, and the detector has committed the whole articles log.
     */
    private void drive(BrokerCluster brokers, FeedServer server, Fleet fleet) throws Exception {
        long toPublish = (long) (plan.perFeed() - plan.listed()) * plan.feeds();
        long published = 0;
        long publishStart = -1;
        long deadline = start + plan.patience().toNanos();
        Progress progress = new Progress(brokers.admin());
        Failures failures = new Failures(brokers, fleet);
        long nextReport = 0;
        while (true) {
            long now = System.nanoTime();
            if (now > deadline) {
                throw new AssertionError("the run took over " + plan.patience().toSeconds()
                        + " s: " + progress + ", published " + published + " of " + toPublish
                        + "; timeline: " + timeline + "; processes: " + fleet.all);
            }
            fleet.checkAlive();
            progress.refresh();
            if (publishStart < 0 && progress.end >= (long) plan.feeds() * plan.listed()) {
                // Only now: an entry published before its feed's first poll could drop off
                // the feed's list unseen, which would be the fixture's loss, not Storyline's.
                publishStart = System.currentTimeMillis();
                mark("the entries listed at the start are in the log: publishing the rest, "
                        + plan.publishPerSecond() + " a second");
                subscribe(new Http(dashboardPort(fleet.serve)));
            }
            long due = publishStart < 0 ? 0 : Math.min(toPublish,
                    (System.currentTimeMillis() - publishStart) * plan.publishPerSecond() / 1000);
            if (due > published) {
                server.publish((int) (due - published));
                published = due;
            }
            if (now > nextReport) {
                mark("progress: " + progress + ", fixture entries " + server.totalEntries());
                nextReport = now + Duration.ofSeconds(10).toNanos();
            }
            failures.advance(progress);
            if (published == toPublish && failures.done() && progress.end >= plan.articles()
                    && progress.committed == progress.end) {
                mark("drained: " + progress);
                return;
            }
            Thread.sleep(TICK.toMillis());
        }
    }

    /**
     * The plan's failures, each when the detector has committed its share of the articles
     * and the one before has happened, and the recoveries they wait for: the standby active,
     * the restarted broker's replicas in sync.
     */
    private final class Failures {
        private final BrokerCluster brokers;
        private final Fleet fleet;
        private int killedBroker = -1;
        private boolean detectorKilled;
        private boolean brokerRestarted = plan.restartBrokerAt() < 0;
        private boolean brokerBack = brokerRestarted;
        private boolean ingestorKilled = plan.killIngestorAt() < 0;
        /** The standby, until its log says it took over. */
        private ServiceProcess standby;
        private long standbyLogAtKill;
        private long detectorKilledAt;
        private long nextIsrCheck;

        Failures(BrokerCluster brokers, Fleet fleet) {
            this.brokers = brokers;
            this.fleet = fleet;
        }

        void advance(Progress progress) throws Exception {
            double share = (double) progress.committed / plan.articles();
            if (killedBroker < 0 && share >= plan.killBrokerAt()) {
                killedBroker = brokers.leader(Topics.ARTICLES, 0);
                brokers.kill(killedBroker);
                mark("SIGKILL broker " + killedBroker + " (leader of " + ARTICLES + ") at "
                        + progress);
            } else if (killedBroker > 0 && !detectorKilled && share >= plan.killDetectorAt()) {
                killActiveDetector(progress);
            } else if (detectorKilled && !brokerRestarted && share >= plan.restartBrokerAt()) {
                brokers.restart(killedBroker);
                brokerRestarted = true;
                mark("restarted broker " + killedBroker + " at " + progress);
            } else if (detectorKilled && brokerRestarted && !ingestorKilled
                    && share >= plan.killIngestorAt()) {
                ServiceProcess victim = fleet.ingestors.get(0);
                victim.kill();
                fleet.killed.add(victim);
                ingestorKilled = true;
                mark("SIGKILL " + victim + " at " + progress);
            }
            watchTakeover();
            watchRestartedBroker();
        }

        boolean done() {
            return detectorKilled && standby == null && brokerBack && ingestorKilled;
        }

        private void killActiveDetector(Progress progress) throws InterruptedException {
            ServiceProcess active = active(fleet.detectors);
            if (active == null) {
                return; // a rebalance under way: asked again at the next tick
            }
            standby = fleet.detectors.get(1 - fleet.detectors.indexOf(active));
            standbyLogAtKill = standby.logSize();
            active.kill();
            fleet.killed.add(active);
            detectorKilled = true;
            detectorKilledAt = System.nanoTime();
            mark("SIGKILL the active detector " + active + " at " + progress);
        }

        private void watchTakeover() {
            if (standby == null) {
                return;
            }
            Matcher m = ACTIVE.matcher(standby.logFrom(standbyLogAtKill));
            if (m.find()) {
                mark(standby.name() + " took over " + ms(System.nanoTime() - detectorKilledAt)
                        + " after the kill (" + m.group(0) + ")");
                standby = null;
            }
        }

        private void watchRestartedBroker() {
            long now = System.nanoTime();
            if (!brokerRestarted || brokerBack || now < nextIsrCheck) {
                return;
            }
            nextIsrCheck = now + Duration.ofSeconds(2).toNanos();
            if (brokers.registered().contains(killedBroker)
                    && brokers.underReplicated("").isEmpty()) {
                brokerBack = true;
                mark("broker " + killedBroker + " registered and every replica of every "
                        + "topic in sync again (ISR 3)");
            }
        }
    }

    /**
     * The running detector whose log says last that it is active (not standing by after a
     * rebalance took its partition), or null.
     */
    private static ServiceProcess active(List<ServiceProcess> detectors) {
        for (ServiceProcess d : detectors) {
            String log = d.log();
            if (d.alive() && log.lastIndexOf("detector active")
                    > log.lastIndexOf("detector standing by")) {
                return d;
            }
        }
        return null;
    }

    /** The articles log's end and the detector group's committed offset, as last read. */
    private static final class Progress {
        private final Admin admin;
        long end;
        long committed;

        Progress(Admin admin) {
            this.admin = admin;
        }

        /** Reads both again; while a broker is away a read may fail: the last values stay. */
        void refresh() {
            try {
                ListOffsetsResult ends = admin.listOffsets(Map.of(ARTICLES, OffsetSpec.latest()));
                end = ends.partitionResult(ARTICLES).get(5, TimeUnit.SECONDS).offset();
                OffsetAndMetadata c = admin.listConsumerGroupOffsets(DETECTOR_GROUP)
                        .partitionsToOffsetAndMetadata().get(5, TimeUnit.SECONDS)
                        .get(ARTICLES);
                committed = c == null ? 0 : c.offset();
            } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
                // Asked again at the next tick.
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }

        @Override
        public String toString() {
            return "articles log " + end + ", committed by the detector " + committed;
        }
    }

    /**
     * Waits (with deadlines) until every fixture entry is in the articles log, the API lists
     * the stories of the stories topic and every digest has an outcome, then reads it all.
     */
    private Outcome collect(BrokerCluster brokers, FeedServer server, Fleet fleet,
            GreenMail smtp, Map<String, String> topicSettings)
            throws Exception {
        String bootstrap = brokers.bootstrapServers();
        List<String> expected = expectedIds(server);
        List<TopicDump.Rec> articles = awaitValue("every fixture entry in " + Topics.ARTICLES,
                () -> TopicDump.read(bootstrap, Topics.ARTICLES),
                log -> missing(expected, log).isEmpty(),
                log -> missing(expected, log).size() + " entries missing, first "
                        + missing(expected, log).stream().limit(3).toList());
        List<TopicDump.Rec> assignments = TopicDump.read(bootstrap, Topics.ASSIGNMENTS);
        List<TopicDump.Rec> stories = TopicDump.read(bootstrap, Topics.STORIES);
        Map<String, Integer> open = openStories(stories);
        Http http = new Http(dashboardPort(fleet.serve));
        Map<String, Integer> api = awaitValue("the dashboard API to list the "
                + open.size() + " open stories of " + Topics.STORIES, () -> apiStories(http),
                open::equals, a -> a.size() + " stories listed");
        mark("the dashboard lists " + api.size() + " stories");
        Set<String> keys = new HashSet<>(subscriptions.stream().map(Subscription::key)
                .toList());
        List<TopicDump.Rec> digests = awaitValue("an outcome for the digests " + keys,
                () -> TopicDump.read(bootstrap, Topics.DIGESTS),
                d -> resolved(d).containsAll(keys), d -> "resolved: " + resolved(d));
        mark("digests resolved: " + digests.stream().map(r -> r.key() + " "
                + state(r.value())).toList());
        List<TopicDump.Rec> dead = TopicDump.read(bootstrap, Topics.DEAD_LETTERS);
        fleet.checkAlive();
        List<String> cpu = new ArrayList<>();
        brokers.ids().forEach(id -> cpu.add("broker-" + id + " " + seconds(brokers.cpu(id))));
        fleet.all.forEach(p -> cpu.add(p.name() + " " + seconds(p.cpu())));
        mark("processor time: " + String.join(", ", cpu) + "; this JVM " + seconds(
                ProcessHandle.current().info().totalCpuDuration().orElse(Duration.ZERO)));
        return new Outcome(plan, Duration.ofNanos(System.nanoTime() - start), expected,
                articles, assignments, stories, digests, dead, api, subscriptions,
                mails(smtp), fleet.survivors(), topicSettings, List.copyOf(timeline), dir);
    }

    /** What {@code read} returns once {@code done} holds, or fails after two minutes. */
    private static <T> T awaitValue(String what, java.util.function.Supplier<T> read,
            java.util.function.Predicate<T> done,
            java.util.function.Function<T, String> state) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (true) {
            T value = read.get();
            if (done.test(value)) {
                return value;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("waited 120 s for " + what + ": " + state.apply(value));
            }
            Thread.sleep(1000);
        }
    }

    /** Writes the feed list as OPML and imports it with {@code storyline feeds import}. */
    private void importFeeds(FeedServer server, List<String> common) throws IOException {
        StringBuilder opml = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                + "<opml version=\"2.0\"><head><title>cluster run</title></head><body>\n");
        for (String url : server.urls()) {
            opml.append("<outline type=\"rss\" text=\"").append(url).append("\" xmlUrl=\"")
                    .append(url).append("\"/>\n");
        }
        opml.append("</body></opml>\n");
        Path file = dir.resolve("feeds.opml");
        Files.writeString(file, opml);
        List<String> args = new ArrayList<>(List.of("feeds", "import", file.toString()));
        for (String s : common) {
            args.add("--set");
            args.add(s);
        }
        StringWriter out = new StringWriter();
        int status = Main.commandLine().setOut(new PrintWriter(out, true))
                .setErr(new PrintWriter(out, true)).execute(args.toArray(String[]::new));
        if (status != 0) {
            throw new AssertionError("feeds import exited " + status + ": " + out);
        }
    }

    /**
     * Adds the plan's subscribers through the admin API: the first digest due at the next
     * minute at least 10 s away, each further one a minute later, in alternating zones.
     */
    private void subscribe(Http http) {
        Instant first = Instant.now().plusSeconds(10 + 59).truncatedTo(ChronoUnit.MINUTES);
        DateTimeFormatter hhmm = DateTimeFormatter.ofPattern("HH:mm");
        for (int i = 0; i < plan.subscribers(); i++) {
            ZoneId zone = ZoneId.of(i % 2 == 0 ? "UTC" : "Asia/Kolkata");
            Subscription s = new Subscription("reader" + (i + 1) + "@example.org", zone,
                    first.plus(Duration.ofMinutes(i)));
            String body = "{\"email\":\"" + s.email() + "\",\"send-at\":\""
                    + hhmm.format(s.sendAt().atZone(zone)) + "\",\"zone\":\"" + zone.getId()
                    + "\",\"dashboard-url\":\"http://127.0.0.1:8080/\"}";
            var answer = http.post("/api/admin/subscribers", body, "Authorization",
                    "Bearer " + ADMIN_TOKEN, "Content-Type", "application/json");
            if (answer.statusCode() != 201) {
                throw new AssertionError("adding " + s.email() + ": " + answer.statusCode()
                        + " " + answer.body());
            }
            subscriptions.add(s);
        }
        mark("digests due at " + subscriptions.stream().map(s -> s.email() + " " + s.sendAt())
                .toList());
    }

    /** Per Storyline topic, its replicas per partition and its min.insync.replicas. */
    private static Map<String, String> topicSettings(BrokerCluster brokers) throws Exception {
        Admin admin = brokers.admin();
        List<String> names = admin.listTopics().names().get(20, TimeUnit.SECONDS).stream()
                .filter(t -> t.startsWith("storyline.")).sorted().toList();
        Map<String, String> out = new TreeMap<>();
        Map<ConfigResource, Config> configs = admin.describeConfigs(names.stream()
                .map(t -> new ConfigResource(ConfigResource.Type.TOPIC, t)).toList()).all()
                .get(20, TimeUnit.SECONDS);
        brokers.describe(names).forEach((name, d) -> {
            Set<Integer> replicas = new TreeSet<>();
            d.partitions().forEach(p -> replicas.add(p.replicas().size()));
            out.put(name, "replicas " + replicas.stream().map(String::valueOf)
                    .collect(Collectors.joining("|")) + ", min.insync.replicas " + configs.get(
                            new ConfigResource(ConfigResource.Type.TOPIC, name))
                            .get("min.insync.replicas").value());
        });
        return out;
    }

    private List<String> expectedIds(FeedServer server) {
        List<String> ids = new ArrayList<>(plan.articles());
        for (int f = 0; f < plan.feeds(); f++) {
            for (int n = 0; n < plan.perFeed(); n++) {
                // The guid SyntheticFeeds gives entry n of feed f; the ingestor scopes it by feed.
                ids.add(EntryIdentity.articleId(server.url(f), "bench-feed-" + f + "-entry-" + n,
                        null, null, null, null));
            }
        }
        return ids;
    }

    private static List<String> missing(List<String> expected, List<TopicDump.Rec> log) {
        Set<String> in = new HashSet<>();
        log.forEach(r -> in.add(r.key()));
        return expected.stream().filter(id -> !in.contains(id)).toList();
    }

    /** The latest snapshot of each story that is open, as story id and size. */
    static Map<String, Integer> openStories(List<TopicDump.Rec> stories) {
        Map<String, JsonNode> latest = new TreeMap<>();
        for (TopicDump.Rec r : stories) {
            latest.put(r.key(), Http.parse(r.value()));
        }
        Map<String, Integer> open = new TreeMap<>();
        latest.forEach((id, s) -> {
            if (s.path("status").asText().equals("open")) {
                open.put(id, s.path("size").asInt());
            }
        });
        return open;
    }

    /** Every story {@code /api/stories} lists, page by page, with its article count. */
    private static Map<String, Integer> apiStories(Http http) {
        Map<String, Integer> out = new TreeMap<>();
        String cursor = null;
        do {
            JsonNode page = http.json("/api/stories?limit=500" + (cursor == null ? ""
                    : "&cursor=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8)), 200);
            for (JsonNode s : page.path("stories")) {
                out.put(s.path("id").asText(), s.path("articles").asInt());
            }
            cursor = page.path("next").isTextual() ? page.path("next").asText() : null;
        } while (cursor != null);
        return out;
    }

    private static int dashboardPort(ServiceProcess serve) throws InterruptedException {
        BrokerCluster.await("the dashboard's port in " + serve.logFile(),
                () -> DASHBOARD.matcher(serve.log()).find(), () -> tail(serve.log()));
        Matcher m = DASHBOARD.matcher(serve.log());
        m.find();
        return Integer.parseInt(m.group(1));
    }

    /** The digests whose latest record is an outcome, not a claim. */
    private static Set<String> resolved(List<TopicDump.Rec> digests) {
        Map<String, String> latest = new TreeMap<>();
        digests.forEach(r -> latest.put(r.key(), state(r.value())));
        Set<String> out = new HashSet<>();
        latest.forEach((k, s) -> {
            if (!s.equals("claimed")) {
                out.add(k);
            }
        });
        return out;
    }

    static String state(String digestValue) {
        return digestValue == null ? "tombstone" : Http.parse(digestValue).path("state").asText();
    }

    private static Map<String, Integer> mails(GreenMail smtp) throws MessagingException {
        Map<String, Integer> out = new TreeMap<>();
        for (MimeMessage m : smtp.getReceivedMessages()) {
            for (Address a : m.getAllRecipients()) {
                out.merge(((InternetAddress) a).getAddress(), 1, Integer::sum);
            }
        }
        return out;
    }

    private void mark(String what) {
        String line = String.format(Locale.ROOT, "%7.1f s  %s",
                (System.nanoTime() - start) / 1e9, what);
        timeline.add(line);
        System.out.println("[cluster " + plan.name() + "] " + line);
    }

    private static String seconds(Duration d) {
        return String.format(Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
    }

    private static String ms(long nanos) {
        return String.format(Locale.ROOT, "%.1f s", nanos / 1e9);
    }

    private static String tail(String log) {
        return log.length() <= 3000 ? log : "..." + log.substring(log.length() - 3000);
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
