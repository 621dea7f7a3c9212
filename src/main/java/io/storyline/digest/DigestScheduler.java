package io.storyline.digest;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.storyline.pipeline.Topics;
import io.storyline.view.ReadModel;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends the digests of the subscribers this instance owns, at their send times. The instances
 * share {@value Topics#DIGESTS} through the consumer group {@value #GROUP}: an instance owns a
 * subscriber when it is assigned the partition that holds the subscriber's digests. For each
 * owned subscriber it computes the next UTC send time; once it is past (by at most
 * {@code digest.max-lateness.minutes}) and the digest has no record, it builds the digest
 * from the read model and goes through {@link DigestLog#claim}: claimed before sending,
 * recorded as sent (or failed) after. A digest with any record, an unresolved claim included,
 * is never sent again by the scheduler.
 *
 * <p>The loop survives a failure of one subscriber's digest (logged, retried later); a
 * record of a newer format, a fatal Kafka error or a JVM error stops it (it throws).
 */
public final class DigestScheduler implements AutoCloseable {

    public static final String GROUP = "storyline-digest";
    /** Wait after a claim that could not be written, or a digest that failed to build. */
    static final Duration RETRY = Duration.ofSeconds(30);
    /** Records of recent digests kept to know what is done; the claim reads the log anyway. */
    static final int MAX_KNOWN = 200_000;
    /** Days of records kept in {@link #known} (besides unresolved ones): the lateness and more. */
    static final int KEEP_DAYS = 3;
    private static final Duration POLL = Duration.ofMillis(200);
    private static final Logger LOG = LoggerFactory.getLogger(DigestScheduler.class);

    private final DigestLog log;
    private final ReadModel model;
    private final BooleanSupplier modelReady;
    private final DigestSender sender;
    private final Clock clock;
    private final Duration maxLateness;
    private final KafkaConsumer<String, String> group;
    private final KafkaConsumer<String, String> subscribersConsumer;
    private final Map<String, Subscriber> subscribers = new TreeMap<>();
    /** Records of the owned partitions' digests, by key. */
    private final Map<String, DigestRecord> known = new ConcurrentHashMap<>();
    private final Map<String, Instant> retryAt = new HashMap<>();
    private final Set<Integer> owned = ConcurrentHashMap.newKeySet();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong passes = new AtomicLong();
    private volatile String inFlight;
    private volatile boolean running = true;
    private volatile boolean started;
    private Counter sentCounter;
    private Counter failedCounter;

    /**
     * @param modelReady     whether the read model has caught up (no digest is built before)
     * @param sessionTimeout how long a silent instance keeps its subscribers
     */
    public DigestScheduler(Map<String, Object> client, ReadModel model,
            BooleanSupplier modelReady, DigestSender sender, Clock clock, Duration maxLateness,
            Duration sessionTimeout) {
        this.log = new DigestLog(client, clock);
        this.model = model;
        this.modelReady = modelReady;
        this.sender = sender;
        this.clock = clock;
        this.maxLateness = maxLateness;
        Map<String, Object> g = TopicReads.consumerProperties(client);
        g.put("group.id", GROUP);
        g.put("auto.offset.reset", "earliest");
        g.put("session.timeout.ms", (int) sessionTimeout.toMillis());
        g.put("heartbeat.interval.ms", (int) sessionTimeout.toMillis() / 4);
        // Sends happen in the poll loop: a slow SMTP server retried with backoff must not cost
        // the instance its subscribers (another would find the claims and send nothing).
        g.put("max.poll.interval.ms", (int) Duration.ofMinutes(30).toMillis());
        g.put("partition.assignment.strategy",
                "org.apache.kafka.clients.consumer.CooperativeStickyAssignor");
        this.group = new KafkaConsumer<>(g, new StringDeserializer(), new StringDeserializer());
        this.subscribersConsumer = new KafkaConsumer<>(TopicReads.consumerProperties(client),
                new StringDeserializer(), new StringDeserializer());
    }

    /** Counts digests sent, failed and retried, and gauges unresolved claims (no tags). */
    public void bindMetrics(MeterRegistry registry) {
        sentCounter = Counter.builder("storyline.digests.sent")
                .description("Digests the SMTP server took").register(registry);
        failedCounter = Counter.builder("storyline.digests.failed")
                .description("Digests given up on after every attempt failed")
                .register(registry);
        FunctionCounter.builder("storyline.digests.retries", sender,
                DigestSender::failedAttempts)
                .description("Failed SMTP attempts (each retried or given up)")
                .register(registry);
        Gauge.builder("storyline.digests.claims.unresolved", this,
                DigestScheduler::unresolvedClaims)
                .description("Claims of the owned subscribers' digests that nobody resolved")
                .register(registry);
    }

    /** Runs until {@link #close}; throws on a fatal error (see the class comment). */
    public void run() {
        started = true;
        try {
            group.subscribe(List.of(Topics.DIGESTS), new Rebalance());
            List<TopicPartition> subs = TopicReads.partitions(subscribersConsumer,
                    Topics.SUBSCRIBERS);
            subscribersConsumer.assign(subs);
            subscribersConsumer.seekToBeginning(subs);
            while (running) {
                LocalDate old = LocalDate.ofInstant(clock.instant(), java.time.ZoneOffset.UTC)
                        .minusDays(KEEP_DAYS);
                for (ConsumerRecord<String, String> r : group.poll(POLL)) {
                    if (owned.contains(r.partition())) {
                        DigestLog.apply(r, known);
                        // Old digests matter only while unresolved (the metric counts them).
                        DigestRecord d = r.key() == null ? null : known.get(r.key());
                        if (d != null && d.date().isBefore(old) && !d.unresolved()) {
                            known.remove(r.key());
                        }
                    }
                }
                for (ConsumerRecord<String, String> r : subscribersConsumer.poll(
                        Duration.ZERO)) {
                    subscriber(r);
                }
                if (modelReady.getAsBoolean()) {
                    pass(clock.instant());
                }
            }
        } catch (WakeupException e) {
            // close() asked us to stop
        } finally {
            group.close(Duration.ofSeconds(5));
            subscribersConsumer.close(Duration.ofSeconds(5));
            stopped.countDown();
        }
    }

    private void subscriber(ConsumerRecord<String, String> r) {
        if (r.key() != null && r.value() != null && !subscribers.containsKey(r.key())
                && subscribers.size() >= Subscribers.MAX_SUBSCRIBERS) {
            LOG.error("subscriber '{}' skipped: more than {} subscribers in {}",
                    Subscribers.printable(r.key()), Subscribers.MAX_SUBSCRIBERS,
                    Topics.SUBSCRIBERS);
            return;
        }
        SubscriberRegistry.apply(r, subscribers);
    }

    /** One look at every owned subscriber: sends what is due. */
    private void pass(Instant now) {
        if (known.size() > MAX_KNOWN) {
            // Only a shortcut: a claim reads the log, so forgetting costs a read, not a mail.
            LOG.warn("forgetting {} known digest records (more than {})", known.size(),
                    MAX_KNOWN);
            known.clear();
        }
        retryAt.keySet().retainAll(subscribers.keySet());
        for (Map.Entry<String, Subscriber> e : subscribers.entrySet()) {
            Subscriber s = e.getValue();
            if (!running || !owned.contains(log.partitionOf(s.email()))) {
                continue;
            }
            Instant retry = retryAt.get(e.getKey());
            if (retry != null && now.isBefore(retry)) {
                continue;
            }
            SendTime due = due(s, now, maxLateness,
                    d -> known.containsKey(DigestRecord.key(s.email(), d)));
            if (due != null) {
                process(s, due, now);
            }
        }
        passes.incrementAndGet();
    }

    /**
     * The earliest send of {@code s} in the last {@code lateness} up to {@code now} whose date
     * has no record, or null.
     */
    static SendTime due(Subscriber s, Instant now, Duration lateness,
            Predicate<LocalDate> recorded) {
        SendTime t = s.nextSend(now.minus(lateness));
        while (!t.at().isAfter(now)) {
            if (!recorded.test(t.date())) {
                return t;
            }
            t = s.nextSend(t.at());
        }
        return null;
    }

    private void process(Subscriber s, SendTime due, Instant now) {
        String key = DigestRecord.key(s.email(), due.date());
        DigestLog.Claim claim;
        try {
            claim = log.claim(s, due.date(), false,
                    previous -> Selection.select(model, s, due, previous));
        } catch (DigestLog.ClaimFailed e) {
            LOG.warn("{}; trying again in {} s", e.getMessage(), RETRY.toSeconds());
            retryAt.put(SubscriberRegistry.key(s.email()), now.plus(RETRY));
            return;
        } catch (DigestRecord.NewerSchema | DigestLog.Fatal e) {
            throw e;
        } catch (RuntimeException e) {
            // A bug met by one subscriber's digest (or the read model): the others go on.
            LOG.error("the digest of {} for {} could not be built, trying again in {} s: {}",
                    s.email(), due.date(), RETRY.toSeconds(), e.toString(), e);
            retryAt.put(SubscriberRegistry.key(s.email()), now.plus(RETRY));
            return;
        }
        switch (claim.outcome()) {
            case ALREADY -> known.put(key, claim.existing());
            case EMPTY -> {
                LOG.info("digest of {} for {} is empty: not sent", s.email(), due.date());
                known.put(key, record(claim, DigestRecord.State.EMPTY, null));
            }
            case CLAIMED -> deliver(claim, key);
        }
    }

    private void deliver(DigestLog.Claim claim, String key) {
        Digest d = claim.digest();
        known.put(key, record(claim, DigestRecord.State.CLAIMED, null));
        inFlight = key;
        try {
            try {
                sender.send(d);
            } catch (RuntimeException e) {
                failed.incrementAndGet();
                if (failedCounter != null) {
                    failedCounter.increment();
                }
                LOG.error("digest of {} for {} failed; it is not sent again without "
                        + "digest --resend: {}", d.subscriber().email(), d.when().date(),
                        e.getMessage());
                known.put(key, record(claim, DigestRecord.State.FAILED, e.getMessage()));
                log.failed(claim, String.valueOf(e.getMessage()));
                return;
            }
            sent.incrementAndGet();
            if (sentCounter != null) {
                sentCounter.increment();
            }
            known.put(key, record(claim, DigestRecord.State.SENT, null));
            log.sent(claim);
        } catch (DigestLog.ClaimFailed e) {
            known.put(key, record(claim, DigestRecord.State.CLAIMED, null));
            LOG.error(e.getMessage());
        } finally {
            inFlight = null;
        }
    }

    private static DigestRecord record(DigestLog.Claim c, DigestRecord.State state,
            String error) {
        Digest d = c.digest();
        return new DigestRecord(SubscriberRegistry.key(d.subscriber().email()),
                d.when().date(), state, d.when().at(), null, null, false,
                d.items().stream().map(Digest.Item::recorded).toList(), error);
    }

    /** Owned digests whose claim nobody resolved (the one being sent now not counted). */
    public int unresolvedClaims() {
        String current = inFlight;
        return (int) known.entrySet().stream()
                .filter(e -> e.getValue().unresolved() && !e.getKey().equals(current)).count();
    }

    /** Partitions of {@value Topics#DIGESTS} this instance owns now. */
    public Set<Integer> ownedPartitions() {
        return Set.copyOf(owned);
    }

    /** Digests sent so far. */
    public long sent() {
        return sent.get();
    }

    /** Digests given up on so far. */
    public long failed() {
        return failed.get();
    }

    /** Looks at every owned subscriber completed so far (for tests waiting on the loop). */
    public long passes() {
        return passes.get();
    }

    /** What this instance knows of the digest of {@code email} for {@code date}, or null. */
    public DigestRecord known(String email, LocalDate date) {
        return known.get(DigestRecord.key(email, date));
    }

    @Override
    public void close() {
        running = false;
        group.wakeup();
        if (started) {
            try {
                if (!stopped.await(60, TimeUnit.SECONDS)) {
                    LOG.warn("digest scheduler did not stop within 60 s");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        } else {
            group.close(Duration.ofSeconds(5));
            subscribersConsumer.close(Duration.ofSeconds(5));
        }
    }

    /** Reads each assigned partition's records from the start; forgets a lost one's. */
    private final class Rebalance implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            partitions.forEach(tp -> owned.add(tp.partition()));
            group.seekToBeginning(partitions);
            if (!partitions.isEmpty()) {
                LOG.info("digest scheduler owns the subscribers of partitions {} of {}",
                        owned, Topics.DIGESTS);
            }
        }

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            forget(partitions);
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            forget(partitions);
        }

        private void forget(Collection<TopicPartition> partitions) {
            partitions.forEach(tp -> owned.remove(tp.partition()));
            known.values().removeIf(d -> !owned.contains(log.partitionOf(d.subscriber())));
        }
    }
}
