package io.storyline.pipeline;

import io.storyline.config.IngestConfig;
import io.storyline.ingest.ArticlePages;
import io.storyline.ingest.EntryTracker;
import io.storyline.ingest.FeedEntry;
import io.storyline.ingest.FeedFetcher;
import io.storyline.ingest.FeedParser;
import io.storyline.ingest.FeedProblem;
import io.storyline.ingest.FeedSchedule;
import io.storyline.ingest.FeedState;
import io.storyline.ingest.FetchResult;
import io.storyline.ingest.ParsedFeed;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.random.RandomGenerator;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiFunction;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.RecordBatchTooLargeException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ingestor service: polls the feeds of the {@code storyline.feeds} partitions this
 * instance is assigned (a consumer group splits them between instances and hands a dead
 * instance's feeds to the others), and publishes every new entry and revision to
 * {@code storyline.articles} with an idempotent producer.
 *
 * <p>A feed's state (validators, interval, seen entries) goes to {@code storyline.feed-state}
 * only after its articles are acknowledged, so a crash or a broker outage can make an entry be
 * published twice (the detector ignores the repeat) but never lose one. A feed changes hands
 * in a rebalance only once its poll under way has saved its state, so the next owner goes on
 * from there.
 */
public final class Ingestor implements AutoCloseable {

    /** Consumer group of all ingestor instances. */
    public static final String GROUP = "storyline-ingest";

    private static final Logger LOG = LoggerFactory.getLogger(Ingestor.class);
    /** One line per polled feed, apart so a deployment with many feeds can quiet them. */
    private static final Logger FEEDS_LOG = LoggerFactory.getLogger("io.storyline.feeds");
    private static final Duration POLL = Duration.ofMillis(100);
    /** Time a poll handed over may take to publish once its fetch is done. */
    private static final Duration HANDOVER_PUBLISH = Duration.ofSeconds(30);
    /** Longest wait for a handover: well within the group's max.poll.interval.ms (5 min). */
    private static final Duration HANDOVER_MAX = Duration.ofMinutes(2);
    /** A feed's unchanged health is published again at most this often. */
    static final Duration HEALTH_EVERY = Duration.ofMinutes(1);

    private final Map<String, Object> client;
    private final IngestConfig config;
    private final Clock clock;
    private final KafkaConsumer<String, String> consumer;
    private final KafkaProducer<String, byte[]> producer;
    private final FeedFetcher fetcher;
    private final ArticlePages pages;
    private final FeedSchedule schedule;
    private final ExecutorService workers;

    /** Feeds of the owned partitions, by URL, with the partition that holds them. */
    private final Map<String, Integer> feeds = new HashMap<>();
    private final Map<String, FeedState> states = new HashMap<>();
    /** Polls under way, by feed URL. */
    private final Map<String, Future<?>> inFlight = new HashMap<>();
    private final ConcurrentLinkedQueue<FeedState> done = new ConcurrentLinkedQueue<>();
    /**
     * What was last published of each owned feed's health, so a change goes out at once and
     * the rest at most once a minute. Bounded by the owned feeds (see Rebalance#forget).
     */
    private final Map<String, Health> health = new HashMap<>();
    /** Feeds polled on request: their next health goes out whatever the minute rule says. */
    private final Set<String> asked = new HashSet<>();
    /** Feeds removed from the registry while a poll of theirs was under way (at most those). */
    private final Set<String> removedInFlight = new HashSet<>();
    /** "Poll now" commands of all feeds; read without a group, from the end at start. */
    private final KafkaConsumer<String, String> commands;
    private volatile MeterRegistry meters = new CompositeMeterRegistry();

    private final AtomicLong polls = new AtomicLong();
    private final AtomicLong published = new AtomicLong();
    private final AtomicLong problems = new AtomicLong();
    private final Set<Integer> ownedPartitions = ConcurrentHashMap.newKeySet();
    private final AtomicLong partitionsGivenUp = new AtomicLong();
    private volatile boolean running = true;
    private volatile int owned;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile boolean started;
    /** What stopped the ingestor for good (see {@link #run}), or null. */
    private final AtomicReference<IllegalStateException> fatal = new AtomicReference<>();
    private final BiFunction<FetchResult, Instant, ParsedFeed> parser;

    public Ingestor(Map<String, Object> client, IngestConfig config, Clock clock) {
        this(client, config, clock,
                (result, at) -> FeedParser.parse(result, at, config.maxArticleChars()));
    }

    /** With another parser: tests make a poll fail in ways no fixture feed can. */
    Ingestor(Map<String, Object> client, IngestConfig config, Clock clock,
            BiFunction<FetchResult, Instant, ParsedFeed> parser) {
        this.parser = parser;
        this.client = Map.copyOf(client);
        this.config = config;
        this.clock = clock;
        this.consumer = new KafkaConsumer<>(consumerProperties(), new StringDeserializer(),
                new StringDeserializer());
        this.producer = new KafkaProducer<>(producerProperties(), new StringSerializer(),
                new ByteArraySerializer());
        this.commands = new KafkaConsumer<>(commandsProperties(), new StringDeserializer(),
                new StringDeserializer());
        this.fetcher = new FeedFetcher(config);
        this.pages = new ArticlePages(config, fetcher);
        this.schedule = new FeedSchedule(config);
        this.workers = Executors.newFixedThreadPool(config.concurrency(), r -> {
            Thread t = new Thread(r, "storyline-fetch");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Runs until {@link #close}, or until a poll meets a {@link VirtualMachineError} other than
     * a stack overflow (out of memory, an internal JVM error): the process is then in no state
     * to go on, so the ingestor stops and this method throws, naming the feed and the error;
     * the command running it exits with a non-zero status.
     *
     * @throws IllegalStateException after such a fatal error, the error as its cause
     */
    public void run() {
        started = true;
        consumer.subscribe(List.of(Topics.FEEDS), new Rebalance());
        listenForCommands();
        try {
            while (running) {
                for (ConsumerRecord<String, String> r : consumer.poll(POLL)) {
                    registryChange(r);
                }
                for (ConsumerRecord<String, String> r : commands.poll(Duration.ZERO)) {
                    command(r);
                }
                collectDone();
                dispatchDue();
            }
        } catch (WakeupException e) {
            // close() asked us to stop
        } finally {
            shutdown();
            stopped.countDown();
        }
        IllegalStateException failure = fatal.get();
        if (failure != null) {
            throw failure;
        }
    }

    /** The fatal error that stopped this ingestor, if one did. */
    public Optional<Throwable> failure() {
        return Optional.ofNullable(fatal.get());
    }

    /**
     * Counts polls by outcome, times fetches and counts published articles in
     * {@code registry} (call before {@link #run}); without it they go nowhere.
     */
    public void bindMetrics(MeterRegistry registry) {
        this.meters = registry;
        registry.gauge("storyline.ingest.feeds.owned", this, Ingestor::ownedFeeds);
    }

    /** Feed polls completed so far (fetched, unchanged or failed). */
    public long polls() {
        return polls.get();
    }

    /** Articles and revisions published and acknowledged so far. */
    public long published() {
        return published.get();
    }

    /** Feed problems seen so far. */
    public long problems() {
        return problems.get();
    }

    /** Body bytes fetched and not yet done with ({@code ingest.max-in-flight.bytes}). */
    public long bodyBytesInFlight() {
        return fetcher.bytesInFlight();
    }

    /** Feeds this instance currently polls. */
    public int ownedFeeds() {
        return owned;
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        if (started) {
            try {
                stopped.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        } else {
            shutdown();
        }
    }

    private void registryChange(ConsumerRecord<String, String> r) {
        String url = r.key();
        if (url == null) {
            return;
        }
        if (r.value() == null) {
            if (feeds.remove(url) != null) {
                LOG.info("feed {} removed from the registry: no longer polled", url);
                health.remove(url);
                asked.remove(url);
                states.remove(url);
                producer.send(new ProducerRecord<>(Topics.FEED_HEALTH, url, null),
                        (meta, e) -> healthNotSent(url, e));
                forgetState(url);
                if (inFlight.containsKey(url)) {
                    removedInFlight.add(url); // its poll will save a state: forget that too
                }
            }
        } else if (feeds.put(url, r.partition()) == null) {
            states.computeIfAbsent(url, u -> schedule.initial(u, clock.instant()));
        }
        owned = feeds.size();
    }

    private void collectDone() {
        FeedState state;
        while ((state = done.poll()) != null) {
            inFlight.remove(state.url());
            if (feeds.containsKey(state.url())) {
                states.put(state.url(), state);
                publishHealth(state);
            } else if (removedInFlight.remove(state.url())) {
                forgetState(state.url());
            }
        }
    }

    /** What was published of a feed's health: what makes its status, and when. */
    private record Health(String status, Instant at) {
    }

    /**
     * Publishes the feed's health when its status or last problem changed, else at most once
     * every {@link #HEALTH_EVERY}; a failed send is logged, and the next poll tries again.
     */
    private void publishHealth(FeedState state) {
        Instant now = clock.instant();
        String status = state.consecutiveFailures() + " " + state.lastProblem()
                + (state.lastPoll() == null ? " new" : "");
        Health last = health.get(state.url());
        if (!asked.remove(state.url()) && last != null && last.status().equals(status)
                && Duration.between(last.at(), now).compareTo(HEALTH_EVERY) < 0) {
            return;
        }
        health.put(state.url(), new Health(status, now));
        String url = state.url();
        producer.send(new ProducerRecord<>(Topics.FEED_HEALTH, url, Messages.feedHealth(state)),
                (meta, e) -> healthNotSent(url, e));
    }

    private void healthNotSent(String url, Exception e) {
        if (e != null) {
            LOG.warn("feed {}: health not published to {}: {}", url, Topics.FEED_HEALTH,
                    e.getMessage());
        }
    }

    /** Reads "poll now" commands from their end (older ones are history by now). */
    private void listenForCommands() {
        List<TopicPartition> parts = new ArrayList<>();
        List<org.apache.kafka.common.PartitionInfo> infos =
                commands.partitionsFor(Topics.FEED_COMMANDS);
        if (infos == null || infos.isEmpty()) {
            LOG.warn("topic {} does not exist: 'poll now' commands are not heard",
                    Topics.FEED_COMMANDS);
            return;
        }
        infos.forEach(i -> parts.add(new TopicPartition(i.topic(), i.partition())));
        commands.assign(parts);
        commands.seekToEnd(parts);
        parts.forEach(commands::position); // fix the start now, before any command is sent
    }

    /**
     * A "poll now" command: an owned feed not being polled falls due at once, a gone one
     * (410) too, for one more try.
     */
    private void command(ConsumerRecord<String, String> r) {
        String url = r.key();
        FeedState state = url == null ? null : states.get(url);
        if (state == null || !feeds.containsKey(url) || inFlight.containsKey(url)) {
            return; // another instance's feed, or polled right now anyway
        }
        states.put(url, state.dueAt(clock.instant()));
        asked.add(url);
        LOG.info("feed {}: poll asked for, polling now", url);
    }

    /** Starts the polls that are due, never more at once than the worker pool can run. */
    private void dispatchDue() {
        int room = 2 * config.concurrency() - inFlight.size();
        if (room <= 0) {
            return;
        }
        for (FeedState state : due(feeds.keySet(), states, inFlight.keySet(), clock.instant(),
                room, config.perHostConcurrency())) {
            inFlight.put(state.url(), workers.submit(() -> pollAndRelease(state)));
        }
    }

    /** One poll; whatever it throws, its slot is handed back, or the feed stays in flight. */
    private void pollAndRelease(FeedState state) {
        FeedState next = state;
        try {
            next = pollSafely(state);
        } finally {
            done.add(next);
        }
    }

    /**
     * At most {@code room} of the feeds due at {@code now}, not gone (410) and not in flight,
     * the longest overdue first. When more feeds are due than the workers can fetch, taking
     * them in map order would serve the same feeds again and again (each falls due anew
     * before the end of the map is reached) and starve the rest; oldest-due-first polls every
     * feed in turn.
     */
    static List<FeedState> due(Collection<String> feeds, Map<String, FeedState> states,
            Set<String> inFlight, Instant now, int room) {
        return due(feeds, states, inFlight, now, room, Integer.MAX_VALUE);
    }

    /**
     * As above, and never more than {@code perHost} polls at once of feeds on one host and
     * port: the fetcher would hold the others back anyway ({@code ingest.per-host-concurrency}),
     * each on a worker that feeds on other hosts could use. A feed passed over stays due.
     */
    static List<FeedState> due(Collection<String> feeds, Map<String, FeedState> states,
            Set<String> inFlight, Instant now, int room, int perHost) {
        List<FeedState> due = new ArrayList<>();
        for (String url : feeds) {
            FeedState state = states.get(url);
            if (state != null && !state.gone() && !inFlight.contains(url)
                    && !state.nextPoll().isAfter(now)) {
                due.add(state);
            }
        }
        due.sort(Comparator.comparing(FeedState::nextPoll).thenComparing(FeedState::url));
        Map<String, Integer> perHostBusy = new HashMap<>();
        for (String url : inFlight) {
            String host = FeedFetcher.hostKey(url);
            if (host != null) {
                perHostBusy.merge(host, 1, Integer::sum);
            }
        }
        List<FeedState> chosen = new ArrayList<>(Math.min(room, due.size()));
        for (FeedState state : due) {
            if (chosen.size() >= room) {
                break;
            }
            String host = FeedFetcher.hostKey(state.url());
            if (host == null || perHostBusy.getOrDefault(host, 0) < perHost) {
                chosen.add(state);
                if (host != null) {
                    perHostBusy.merge(host, 1, Integer::sum);
                }
            }
        }
        return chosen;
    }

    /**
     * {@link #poll}, with every failure of it kept to its feed: a bug, a library's exception
     * or a stack overflow becomes a problem of that feed, which backs off. Other
     * {@link VirtualMachineError}s leave the JVM unfit to go on and stop the ingestor.
     */
    private FeedState pollSafely(FeedState state) {
        try {
            return poll(state);
        } catch (StackOverflowError e) {
            return unexpected(state, e);
        } catch (VirtualMachineError e) {
            fatal(state.url(), e);
            return state;
        } catch (Throwable e) {
            return unexpected(state, e);
        }
    }

    private FeedState unexpected(FeedState state, Throwable e) {
        if (stopping() || !running) {
            return state; // cut short by our own shutdown: polled again after a restart
        }
        Instant now = clock.instant();
        FeedProblem problem = new FeedProblem(state.url(), FeedProblem.Kind.INTERNAL,
                "feed " + state.url() + ": unexpected failure: " + e, now);
        problem(problem);
        LOG.debug("feed {}: unexpected failure", state.url(), e);
        return finish(state, schedule.failed(state, failure(state, problem), now, jitter()),
                now, "failed: " + problem.message());
    }

    /** Stops the ingestor for good: the run loop ends and {@link #run} throws. */
    private void fatal(String url, VirtualMachineError e) {
        IllegalStateException failure = new IllegalStateException("ingestor stopped: fatal "
                + "error while polling feed " + url + ": " + e, e);
        if (fatal.compareAndSet(null, failure)) {
            LOG.error("{}", failure.getMessage());
        }
        running = false;
        consumer.wakeup();
    }

    /**
     * Whether close() has interrupted this worker. A poll cut short by our own shutdown says
     * nothing about the feed: nothing is counted or saved, so whoever polls the feed next
     * does so on time instead of backing off from a failure that was not the feed's.
     */
    private static boolean stopping() {
        return Thread.currentThread().isInterrupted();
    }

    /** Randomness that spreads polls and retries (per worker thread). */
    private static RandomGenerator jitter() {
        return ThreadLocalRandom.current();
    }

    /** A failed result that keeps the feed's old validators, so the next poll refetches. */
    private static FetchResult failure(FeedState state, FeedProblem problem) {
        return new FetchResult(state.url(), FetchResult.Status.FAILED, 0, null, null, null,
                state.etag(), state.lastModified(), state.contentHash(), null, problem,
                state.url());
    }

    /** One poll of one feed: fetch, parse, publish what is new, then save the feed's state. */
    private FeedState poll(FeedState state) {
        Instant fetchedAt = clock.instant();
        long start = System.nanoTime();
        FetchResult result = fetcher.fetch(state);
        meters.timer("storyline.ingest.fetch").record(System.nanoTime() - start,
                TimeUnit.NANOSECONDS);
        try {
            return poll(state, result, fetchedAt);
        } finally {
            fetcher.release(result); // its body counted in ingest.max-in-flight.bytes till now
        }
    }

    private FeedState poll(FeedState state, FetchResult result, Instant fetchedAt) {
        if (stopping()) {
            return state;
        }
        FeedState next;
        String outcome;
        switch (result.status()) {
            case FAILED -> {
                problem(result.problem());
                // Retry-After and backoff run from the answer: a server that takes a minute
                // to say "in two minutes" means three minutes after we asked.
                next = schedule.failed(state, result, clock.instant(), jitter());
                outcome = "failed: " + result.problem().message();
            }
            case NOT_MODIFIED -> {
                next = schedule.succeeded(state, result, 0, fetchedAt, jitter());
                outcome = "not modified";
            }
            default -> {
                ParsedFeed feed = parser.apply(result, fetchedAt);
                feed.problems().forEach(this::problem);
                if (feed.entries().isEmpty() && !feed.problems().isEmpty()) {
                    // Not a feed, malformed or empty: back off, and fetch it whole next time.
                    FeedProblem first = feed.problems().get(0);
                    next = schedule.failed(state, failure(state, first), fetchedAt, jitter());
                    return finish(state, next, fetchedAt, "failed: " + first.message());
                }
                EntryTracker.Tracked tracked = EntryTracker.track(state, feed.entries());
                List<FeedProblem> entryProblems = new ArrayList<>();
                int sent;
                try {
                    sent = publish(tracked, fetchedAt, entryProblems);
                } catch (PublishException e) {
                    if (stopping() || !running) {
                        return state;
                    }
                    FeedProblem failed = new FeedProblem(state.url(), FeedProblem.Kind.PUBLISH,
                            "feed " + state.url() + ": publishing failed, fetched again later: "
                            + e.getMessage(), fetchedAt);
                    problem(failed);
                    next = schedule.failed(state, failure(state, failed), fetchedAt, jitter());
                    return finish(state, next, fetchedAt, "failed: " + failed.message());
                }
                next = schedule.succeeded(tracked.state(), result, tracked.newEntries(),
                        fetchedAt, jitter());
                if (!feed.problems().isEmpty()) {
                    next = next.withProblem(feed.problems().get(0));
                }
                if (!entryProblems.isEmpty()) {
                    next = next.withProblem(entryProblems.get(entryProblems.size() - 1));
                }
                outcome = tracked.newEntries() + " new, "
                        + (tracked.changed().size() - tracked.newEntries()) + " revised of "
                        + feed.entries().size() + " entries" + (sent < tracked.changed().size()
                                ? " (" + (tracked.changed().size() - sent) + " skipped)" : "");
            }
        }
        return finish(state, next, fetchedAt, outcome);
    }

    /**
     * Saves the feed's new state, unless only its schedule changed (a 304 or an unchanged
     * body: most polls), and logs the poll's one line.
     */
    private FeedState finish(FeedState state, FeedState next, Instant fetchedAt,
            String outcome) {
        if (!next.sameBesidesSchedule(state)) {
            saveState(next);
        }
        polls.incrementAndGet();
        meters.counter("storyline.ingest.polls", "outcome", outcome.startsWith("failed")
                ? "failed" : outcome.equals("not modified") ? "not_modified" : "fetched")
                .increment();
        if (next.gone()) {
            FEEDS_LOG.warn("feed {}: {}; gone for good: not polled again unless asked",
                    state.url(), outcome);
            return next;
        }
        String moved = next.location() != null && !next.location().equals(state.location())
                ? "; moved permanently to " + next.location() + ", polled there from now on"
                : "";
        FEEDS_LOG.info("feed {}: {}{}; next poll in {} s", state.url(), outcome, moved,
                Math.max(0, Duration.between(fetchedAt, next.nextPoll()).toSeconds()));
        return next;
    }

    /** One entry sent, and its acknowledgement to come. */
    private record Sent(FeedEntry entry, Future<RecordMetadata> ack) {
    }

    /**
     * Publishes the new entries and revisions and waits for the broker's acknowledgements.
     * What goes wrong with one entry (its page, its message, a record Kafka refuses for what
     * it is, such as one over the size limit) is a problem of that entry, logged with its id:
     * the others are published and the feed's state is saved. Any other failure (the broker
     * away, a timeout, no permission to write) fails the whole poll, so the feed is fetched
     * again later and no entry is given up for it.
     *
     * @param problems where the entries' problems go
     * @return the entries acknowledged
     */
    private int publish(EntryTracker.Tracked tracked, Instant fetchedAt,
            List<FeedProblem> problems) {
        List<Sent> sent = new ArrayList<>();
        for (EntryTracker.Decision change : tracked.changed()) {
            FeedEntry entry = change.entry();
            byte[] value;
            try {
                entry = pages.complete(entry);
                value = Messages.article(new ArticleMessage(entry.toArticle(), change.revision(),
                        entry.feedUrl(), fetchedAt, entry.truncated()));
            } catch (RuntimeException e) {
                problems.add(entryProblem(entry, fetchedAt, e));
                continue;
            }
            try {
                sent.add(new Sent(entry, producer.send(new ProducerRecord<>(Topics.ARTICLES,
                        entry.articleId(), value))));
            } catch (KafkaException | IllegalStateException e) {
                throw new PublishException(e.getMessage());
            }
        }
        int acknowledged = 0;
        for (Sent s : sent) {
            try {
                s.ack().get();
                acknowledged++;
            } catch (ExecutionException e) {
                if (!refusedForItself(e.getCause())) {
                    throw new PublishException(e.getCause().getMessage());
                }
                problems.add(entryProblem(s.entry(), fetchedAt, e.getCause()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new PublishException("interrupted");
            }
        }
        published.addAndGet(acknowledged);
        meters.counter("storyline.ingest.articles").increment(acknowledged);
        return acknowledged;
    }

    /** Whether Kafka refused a record for what it is, so sending it again cannot help. */
    private static boolean refusedForItself(Throwable e) {
        return e instanceof RecordTooLargeException || e instanceof RecordBatchTooLargeException
                || e instanceof InvalidRecordException || e instanceof SerializationException;
    }

    private FeedProblem entryProblem(FeedEntry entry, Instant at, Throwable e) {
        String reason = e.getMessage() == null ? e.toString() : e.getMessage();
        FeedProblem p = new FeedProblem(entry.feedUrl(), FeedProblem.Kind.BAD_ENTRY, "feed "
                + entry.feedUrl() + ": entry " + entry.articleId()
                + (entry.url() == null ? "" : " (" + entry.url() + ")")
                + " not published: " + reason, at);
        problem(p);
        return p;
    }

    /**
     * Writes a tombstone for a removed feed's state: without it the compacted feed-state
     * topic, and every ingestor that loads it, kept the state of every feed ever polled.
     */
    private void forgetState(String url) {
        producer.send(new ProducerRecord<>(Topics.FEED_STATE, url, null), (meta, e) -> {
            if (e != null) {
                LOG.warn("feed {}: removed, but its state stays in {}: {}", url,
                        Topics.FEED_STATE, e.getMessage());
            }
        });
    }

    /**
     * Saves the state and waits for it to be acknowledged: a poll is over only when its
     * state can be read back, so the next owner of the feed starts from it (see
     * {@link #finishPolls}).
     */
    private void saveState(FeedState state) {
        Future<RecordMetadata> ack = producer.send(new ProducerRecord<>(Topics.FEED_STATE,
                state.url(), state.toJson().getBytes(StandardCharsets.UTF_8)));
        try {
            ack.get();
        } catch (ExecutionException e) {
            LOG.warn("feed {}: state not saved to {}, a new owner may publish its latest"
                    + " entries again: {}", state.url(), Topics.FEED_STATE,
                    e.getCause().getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Waits for the polls under way of feeds in {@code partitions}, which this instance is
     * giving up. Until such a poll ends, what it published is not yet in the feed's saved
     * state: the next owner would load the older state, poll the feed at once and publish the
     * same entries again (two instances polling one feed). Bounded, because the group waits
     * for this instance: a fetch ends within the read timeout, publishing within seconds.
     */
    private void finishPolls(Set<Integer> partitions) {
        if (!running) {
            return;  // close() has stopped the workers; their polls will not finish
        }
        long deadline = System.nanoTime() + handoverWait().toNanos();
        for (Map.Entry<String, Future<?>> poll : inFlight.entrySet()) {
            Integer partition = feeds.get(poll.getKey());
            if (partition == null || !partitions.contains(partition)) {
                continue;
            }
            try {
                poll.getValue().get(Math.max(0, deadline - System.nanoTime()),
                        TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                LOG.warn("feed {}: poll still under way after {} s; handing the feed over"
                        + " anyway", poll.getKey(), handoverWait().toSeconds());
            } catch (ExecutionException e) {
                // pollSafely reports its own failures
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        collectDone();
    }

    /** The read timeout plus time to publish, within the group's patience. */
    private Duration handoverWait() {
        Duration wait = config.readTimeout().plus(HANDOVER_PUBLISH);
        return wait.compareTo(HANDOVER_MAX) < 0 ? wait : HANDOVER_MAX;
    }

    private void problem(FeedProblem p) {
        problems.incrementAndGet();
        LOG.warn("{}", p);
    }

    /** Loads the saved states of the feeds in newly assigned partitions. */
    private void loadStates(Collection<TopicPartition> assigned) {
        List<TopicPartition> parts = new ArrayList<>();
        for (TopicPartition tp : assigned) {
            parts.add(new TopicPartition(Topics.FEED_STATE, tp.partition()));
        }
        int loaded = 0;
        Map<String, Object> props = new HashMap<>(client);
        try (KafkaConsumer<String, String> reader = new KafkaConsumer<>(props,
                new StringDeserializer(), new StringDeserializer())) {
            reader.assign(parts);
            reader.seekToBeginning(parts);
            Map<TopicPartition, Long> end = reader.endOffsets(parts);
            while (parts.stream().anyMatch(tp -> reader.position(tp) < end.get(tp))) {
                for (ConsumerRecord<String, String> r : reader.poll(POLL)) {
                    if (r.value() == null) {
                        states.remove(r.key());
                        continue;
                    }
                    try {
                        states.put(r.key(), FeedState.fromJson(r.value()));
                        loaded++;
                    } catch (IllegalArgumentException e) {
                        LOG.warn("ignoring saved state of feed {} at {}-{} offset {}: {}",
                                r.key(), r.topic(), r.partition(), r.offset(), e.getMessage());
                    }
                }
            }
        }
        LOG.info("ingestor assigned feed partitions {} ({} saved feed states)",
                assigned.stream().map(TopicPartition::partition).sorted().toList(), loaded);
    }

    /** Lets polls under way finish publishing (a few seconds at most), then stops. */
    private void shutdown() {
        workers.shutdown();
        try {
            if (!workers.awaitTermination(10, TimeUnit.SECONDS)) {
                workers.shutdownNow();
                workers.awaitTermination(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        producer.close(Duration.ofSeconds(10));
        consumer.close(Duration.ofSeconds(5));
        commands.close(Duration.ofSeconds(5));
        fetcher.close();
        LOG.info("ingestor stopped after {} polls, {} articles published, {} problems",
                polls.get(), published.get(), problems.get());
    }

    private Map<String, Object> consumerProperties() {
        Map<String, Object> p = new HashMap<>(client);
        p.put("group.id", GROUP);
        p.put("enable.auto.commit", "false");
        p.put("auto.offset.reset", "earliest");
        // Eager rebalancing revoked every feed of every instance whenever one joined or
        // left (each poll under way waited for, each state reloaded). Cooperative-sticky
        // moves only the partitions that change owner.
        p.put("partition.assignment.strategy",
                "org.apache.kafka.clients.consumer.CooperativeStickyAssignor");
        // A silent instance's feeds go to the others after this (and a static member's
        // restart within it moves nothing). Kafka's default, 45 s, unless configured.
        p.put("session.timeout.ms", (int) config.sessionTimeout().toMillis());
        p.put("heartbeat.interval.ms", (int) config.sessionTimeout().toMillis() / 4);
        if (config.instanceId() != null) {
            // Static membership: a restart within the session timeout moves nothing.
            p.put("group.instance.id", config.instanceId());
        }
        return p;
    }

    /** The feeds-topic partitions this instance holds now. */
    Set<Integer> ownedPartitions() {
        return Set.copyOf(ownedPartitions);
    }

    /** How many partitions this instance has given up (revoked or lost) since it started. */
    long partitionsGivenUp() {
        return partitionsGivenUp.get();
    }

    private Map<String, Object> commandsProperties() {
        Map<String, Object> p = new HashMap<>(client);
        p.remove("group.id");
        p.put("enable.auto.commit", "false");
        p.put("allow.auto.create.topics", "false");
        return p;
    }

    private Map<String, Object> producerProperties() {
        Map<String, Object> p = new HashMap<>(client);
        p.put("enable.idempotence", "true");
        p.put("acks", "all");
        p.put("linger.ms", 5);
        p.put("compression.type", "lz4");
        // Ride out a broker restart: keep retrying sends for up to ten minutes.
        p.put("delivery.timeout.ms", (int) Duration.ofMinutes(10).toMillis());
        p.put("max.block.ms", (int) Duration.ofMinutes(10).toMillis());
        return p;
    }

    /** The registry is re-read from the start of each assigned partition. */
    private final class Rebalance implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            if (partitions.isEmpty()) {
                return;
            }
            loadStates(partitions);
            consumer.seekToBeginning(partitions);
            partitions.forEach(tp -> ownedPartitions.add(tp.partition()));
        }

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            Set<Integer> gone = partitionNumbers(partitions);
            finishPolls(gone);
            forget(gone, partitions);
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            // Another instance may already poll these feeds: nothing to hand over.
            forget(partitionNumbers(partitions), partitions);
        }

        private Set<Integer> partitionNumbers(Collection<TopicPartition> partitions) {
            Set<Integer> numbers = new HashSet<>();
            partitions.forEach(tp -> numbers.add(tp.partition()));
            return numbers;
        }

        private void forget(Set<Integer> gone, Collection<TopicPartition> partitions) {
            ownedPartitions.removeAll(gone);
            partitionsGivenUp.addAndGet(gone.size());
            feeds.values().removeIf(gone::contains);
            states.keySet().retainAll(feeds.keySet());
            health.keySet().retainAll(feeds.keySet());
            asked.retainAll(feeds.keySet());
            owned = feeds.size();
            if (!partitions.isEmpty()) {
                LOG.info("ingestor gave up feed partitions {}", gone);
            }
        }
    }

    private static final class PublishException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        PublishException(String message) {
            super(message);
        }
    }
}
