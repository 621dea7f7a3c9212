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
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.random.RandomGenerator;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
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
 * published twice (the detector ignores the repeat) but never lose one.
 */
public final class Ingestor implements AutoCloseable {

    /** Consumer group of all ingestor instances. */
    public static final String GROUP = "storyline-ingest";

    private static final Logger LOG = LoggerFactory.getLogger(Ingestor.class);
    /** One line per polled feed, apart so a deployment with many feeds can quiet them. */
    private static final Logger FEEDS_LOG = LoggerFactory.getLogger("io.storyline.feeds");
    private static final Duration POLL = Duration.ofMillis(100);

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
    private final Set<String> inFlight = new HashSet<>();
    /** Owned feeds waiting for their next poll, soonest first (entries go stale, see Due). */
    private final PriorityQueue<Due> due = new PriorityQueue<>();
    private final ConcurrentLinkedQueue<FeedState> done = new ConcurrentLinkedQueue<>();

    private final AtomicLong polls = new AtomicLong();
    private final AtomicLong published = new AtomicLong();
    private final AtomicLong problems = new AtomicLong();
    private volatile boolean running = true;
    private volatile int owned;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile boolean started;

    public Ingestor(Map<String, Object> client, IngestConfig config, Clock clock) {
        this.client = Map.copyOf(client);
        this.config = config;
        this.clock = clock;
        this.consumer = new KafkaConsumer<>(consumerProperties(), new StringDeserializer(),
                new StringDeserializer());
        this.producer = new KafkaProducer<>(producerProperties(), new StringSerializer(),
                new ByteArraySerializer());
        this.fetcher = new FeedFetcher(config);
        this.pages = new ArticlePages(config, fetcher);
        this.schedule = new FeedSchedule(config);
        this.workers = Executors.newFixedThreadPool(config.concurrency(), r -> {
            Thread t = new Thread(r, "storyline-fetch");
            t.setDaemon(true);
            return t;
        });
    }

    /** Runs until {@link #close}. */
    public void run() {
        started = true;
        consumer.subscribe(List.of(Topics.FEEDS), new Rebalance());
        try {
            while (running) {
                for (ConsumerRecord<String, String> r : consumer.poll(POLL)) {
                    registryChange(r);
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
            }
        } else if (feeds.put(url, r.partition()) == null) {
            FeedState state = states.computeIfAbsent(url,
                    u -> schedule.initial(u, clock.instant()));
            if (!inFlight.contains(url)) {
                due.add(new Due(state.nextPoll(), url));
            }
        }
        owned = feeds.size();
    }

    private void collectDone() {
        FeedState state;
        while ((state = done.poll()) != null) {
            inFlight.remove(state.url());
            if (feeds.containsKey(state.url())) {
                states.put(state.url(), state);
                due.add(new Due(state.nextPoll(), state.url()));
            }
        }
    }

    /**
     * Starts the polls that are due, most overdue first, never more at once than the worker
     * pool can run. Due order keeps polling fair when more is due than there is room for:
     * feeds fetched early must not be re-polled ahead of feeds not fetched at all.
     */
    private void dispatchDue() {
        Instant now = clock.instant();
        int room = 2 * config.concurrency() - inFlight.size();
        while (room > 0 && !due.isEmpty() && !due.peek().at().isAfter(now)) {
            Due next = due.poll();
            FeedState state = states.get(next.url());
            if (state == null || !state.nextPoll().equals(next.at())
                    || !feeds.containsKey(next.url()) || inFlight.contains(next.url())) {
                continue; // stale: removed, revoked or rescheduled since it was queued
            }
            inFlight.add(next.url());
            workers.execute(() -> done.add(pollSafely(state)));
            room--;
        }
    }

    /**
     * A feed's place in the polling queue. Entries are not removed when a feed is dropped or
     * rescheduled; they are skipped when they come up and no longer match the feed's state.
     */
    private record Due(Instant at, String url) implements Comparable<Due> {
        @Override
        public int compareTo(Due other) {
            int c = at.compareTo(other.at);
            return c != 0 ? c : url.compareTo(other.url);
        }
    }

    private FeedState pollSafely(FeedState state) {
        try {
            return poll(state);
        } catch (RuntimeException e) {
            // A bug or an unexpected library failure on one feed must not stop the others.
            Instant now = clock.instant();
            problems.incrementAndGet();
            LOG.warn("feed {}: unexpected failure, backing off: {}", state.url(), e.toString());
            return schedule.failed(state, failure(state, e.toString(), now), now, jitter());
        }
    }

    /** Randomness that spreads polls and retries (per worker thread). */
    private static RandomGenerator jitter() {
        return ThreadLocalRandom.current();
    }

    /** A failed result that keeps the feed's old validators, so the next poll refetches. */
    private static FetchResult failure(FeedState state, String why, Instant at) {
        FeedProblem problem = new FeedProblem(state.url(), FeedProblem.Kind.PUBLISH,
                "feed " + state.url() + ": " + why, at);
        return new FetchResult(state.url(), FetchResult.Status.FAILED, 0, null, null, null,
                state.etag(), state.lastModified(), state.contentHash(), null, problem,
                state.url());
    }

    /** One poll of one feed: fetch, parse, publish what is new, then save the feed's state. */
    private FeedState poll(FeedState state) {
        Instant fetchedAt = clock.instant();
        FetchResult result = fetcher.fetch(state);
        FeedState next;
        String outcome;
        switch (result.status()) {
            case FAILED -> {
                problem(result.problem());
                next = schedule.failed(state, result, fetchedAt, jitter());
                outcome = "failed: " + result.problem().message();
            }
            case NOT_MODIFIED -> {
                next = schedule.succeeded(state, result, 0, fetchedAt, jitter());
                outcome = "not modified";
            }
            default -> {
                ParsedFeed feed = FeedParser.parse(result, fetchedAt);
                feed.problems().forEach(this::problem);
                EntryTracker.Tracked tracked = EntryTracker.track(state, feed.entries());
                int sent;
                try {
                    sent = publish(tracked, fetchedAt);
                } catch (PublishException e) {
                    problems.incrementAndGet();
                    LOG.warn("feed {}: publishing failed, will fetch again: {}", state.url(),
                            e.getMessage());
                    return schedule.failed(state, failure(state, "publishing failed: "
                            + e.getMessage(), fetchedAt), fetchedAt, jitter());
                }
                next = schedule.succeeded(tracked.state(), result, tracked.newEntries(),
                        fetchedAt, jitter());
                outcome = tracked.newEntries() + " new, " + (sent - tracked.newEntries())
                        + " revised of " + feed.entries().size() + " entries";
            }
        }
        saveState(next);
        polls.incrementAndGet();
        FEEDS_LOG.info("feed {}: {}; next poll in {} s", state.url(), outcome,
                Math.max(0, Duration.between(fetchedAt, next.nextPoll()).toSeconds()));
        return next;
    }

    /** Publishes the new entries and revisions and waits for the broker's acknowledgements. */
    private int publish(EntryTracker.Tracked tracked, Instant fetchedAt) {
        List<Future<RecordMetadata>> acks = new ArrayList<>();
        for (EntryTracker.Decision change : tracked.changed()) {
            FeedEntry entry = pages.complete(change.entry());
            ArticleMessage message;
            try {
                message = new ArticleMessage(entry.toArticle(), change.revision(),
                        entry.feedUrl(), fetchedAt);
            } catch (IllegalArgumentException e) {
                problem(new FeedProblem(entry.feedUrl(), FeedProblem.Kind.BAD_ENTRY, "feed "
                        + entry.feedUrl() + ": entry " + entry.articleId() + " skipped: "
                        + e.getMessage(), fetchedAt));
                continue;
            }
            acks.add(producer.send(new ProducerRecord<>(Topics.ARTICLES,
                    entry.articleId(), Messages.article(message))));
        }
        for (Future<RecordMetadata> ack : acks) {
            try {
                ack.get();
            } catch (ExecutionException e) {
                throw new PublishException(e.getCause().getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new PublishException("interrupted");
            }
        }
        published.addAndGet(acks.size());
        return acks.size();
    }

    private void saveState(FeedState state) {
        producer.send(new ProducerRecord<>(Topics.FEED_STATE, state.url(),
                state.toJson().getBytes(StandardCharsets.UTF_8)));
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

    private void shutdown() {
        workers.shutdownNow();
        try {
            workers.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        producer.close(Duration.ofSeconds(10));
        consumer.close(Duration.ofSeconds(5));
        fetcher.close();
        LOG.info("ingestor stopped after {} polls, {} articles published, {} problems",
                polls.get(), published.get(), problems.get());
    }

    private Map<String, Object> consumerProperties() {
        Map<String, Object> p = new HashMap<>(client);
        p.put("group.id", GROUP);
        p.put("enable.auto.commit", "false");
        p.put("auto.offset.reset", "earliest");
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
        }

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            Set<Integer> gone = new HashSet<>();
            partitions.forEach(tp -> gone.add(tp.partition()));
            feeds.values().removeIf(gone::contains);
            states.keySet().retainAll(feeds.keySet());
            owned = feeds.size();
            if (!partitions.isEmpty()) {
                LOG.info("ingestor gave up feed partitions {}", gone);
            }
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            onPartitionsRevoked(partitions);
        }
    }

    private static final class PublishException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        PublishException(String message) {
            super(message);
        }
    }
}
