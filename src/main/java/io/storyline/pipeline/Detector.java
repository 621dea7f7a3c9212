package io.storyline.pipeline;

import io.storyline.checkpoint.StateCodec;
import io.storyline.config.EngineConfig;
import io.storyline.config.PipelineConfig;
import io.storyline.engine.Engine;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.UnsupportedVersionException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The detector service: consumes {@code storyline.articles} (read_committed), runs the engine,
 * and produces assignments and story records in Kafka transactions together with the consumed
 * offsets, so each article's output is committed exactly once.
 *
 * <p>Instances share one consumer group on the single-partition articles topic: the one that
 * holds the partition is active, the others wait as standbys. On taking the partition an
 * instance first creates its transactional producer, which fences any earlier instance and
 * aborts its open transaction, then rebuilds its engine and continues from the committed
 * offset. Every {@code detector.checkpoint.articles} articles (or
 * {@code detector.checkpoint.minutes}) the transaction that commits an offset also writes the
 * whole state after it to {@code storyline.detector-state} ({@link Checkpoints}); a takeover
 * restores the latest checkpoint and replays only the articles after it, so the state equals
 * that of a run without interruption even when retention has deleted the log's beginning, and
 * a takeover's cost is bounded by the checkpoint interval, not by retention. Without a usable
 * checkpoint it replays the retained log from its start (the engine is a pure function of the
 * ordered input).
 */
public final class Detector implements AutoCloseable {

    /** Consumer group and transactional id shared by all detector instances. */
    public static final String GROUP = "storyline-detector";

    private static final Logger LOG = LoggerFactory.getLogger(Detector.class);
    /** Story lines, apart so a large deployment can quiet them (log level of "stories"). */
    private static final Logger STORIES_LOG = LoggerFactory.getLogger("io.storyline.stories");
    private static final TopicPartition ARTICLES = new TopicPartition(Topics.ARTICLES, 0);
    private static final Duration POLL = Duration.ofMillis(200);
    private static final Duration FIRST_BACKOFF = Duration.ofMillis(100);
    private static final String ENGINE_PREFIX = "engine-config ";

    private final Map<String, Object> clientProperties;
    private final PipelineConfig pipeline;
    /** Committed with every offset: the engine configuration that made the output. */
    private final String offsetMetadata;
    private final DeadLetters deadLetters;
    private final KafkaConsumer<String, byte[]> consumer;
    private KafkaProducer<String, byte[]> producer;
    private Detection detection;
    private volatile boolean running = true;
    private volatile boolean active;
    private volatile long committedArticles;
    private final CountDownLatch done = new CountDownLatch(1);
    private final CountDownLatch closing = new CountDownLatch(1);
    private volatile boolean started;
    private int abortsInARow;
    /** The offset this detector's history starts at (0 unless it began on a trimmed log). */
    private long startsAt;
    private volatile long abortedTransactions;
    private volatile CompletableFuture<Footprint> footprintAsked;
    /** Articles not yet read by this instance (-1 before it knows), for metrics. */
    private volatile long lag = -1;
    private KafkaClientMetrics clientMetrics;
    private final StateCodec codec;
    private final EngineRebuild rebuilds;
    private final String engineFingerprint;
    /** Chunks of the latest committed checkpoint (the next one deletes its extra ones). */
    private int checkpointChunks;
    /** Articles read since the latest checkpoint, and when it was written (or activation). */
    private long sinceCheckpoint;
    private long checkpointNanos;
    private volatile long checkpointBytes;
    private volatile long checkpoints;
    private volatile long restoredBytes;
    /** The offset of the checkpoint the engine was last rebuilt from, or -1. */
    private long restoredFrom = -1;
    /** When the checkpoint last restored was written (epoch ms). */
    private long restoredWrittenMillis;
    /** Whether the group has a committed offset (else checkpoints belong to another run). */
    private boolean hasCommitted;

    public Detector(Map<String, Object> clientProperties, PipelineConfig pipeline,
            EngineConfig engine) {
        this(clientProperties, pipeline, engine, () -> new Detection(engine));
    }

    /**
     * With the processing step made by {@code newDetection} (a fresh one per rebuild), which
     * must use {@code engine}.
     */
    Detector(Map<String, Object> clientProperties, PipelineConfig pipeline,
            EngineConfig engine, Supplier<Detection> newDetection) {
        this.clientProperties = Map.copyOf(clientProperties);
        this.pipeline = pipeline;
        this.engineFingerprint = fingerprint(engine);
        this.offsetMetadata = ENGINE_PREFIX + engineFingerprint;
        this.codec = Detection.codec(engine);
        this.deadLetters = new DeadLetters(pipeline.maxDeadLetters());
        this.rebuilds = new EngineRebuild(pipeline, newDetection, codec, engineFingerprint,
                deadLetters, this::reader);
        this.consumer = new KafkaConsumer<>(consumerProperties(true),
                new StringDeserializer(), new ByteArrayDeserializer());
    }

    /**
     * Runs until {@link #close}; throws on a fatal error (fenced by another instance, a record
     * in a newer format, a broker refusing this principal, too many dead letters, a JVM
     * error), after closing its clients, so that the process exits with a failure status.
     */
    public void run() {
        started = true;
        try {
            consumer.subscribe(List.of(Topics.ARTICLES), new Rebalance());
            while (running) {
                ConsumerRecords<String, byte[]> records = consumer.poll(POLL);
                if (active) {
                    consumer.currentLag(ARTICLES).ifPresent(l -> lag = l);
                }
                if (!records.isEmpty() && detection != null) {
                    processBatch(records.records(ARTICLES));
                }
                answerFootprint();
            }
        } catch (WakeupException e) {
            if (running) {
                throw e;
            }
            // close() asked us to stop
        } finally {
            stop();
            done.countDown();
        }
    }

    /**
     * Publishes the detector's lag (articles not yet read), committed articles and its Kafka
     * consumer's client metrics in {@code registry}; call before {@link #run}.
     */
    public void bindMetrics(MeterRegistry registry) {
        registry.gauge("storyline.detector.lag", this, d -> d.lag);
        registry.gauge("storyline.detector.committed", this, Detector::committedArticles);
        registry.more().counter("storyline.detector.checkpoints", List.of(), this,
                d -> d.checkpoints);
        registry.more().counter("storyline.detector.checkpoint.bytes", List.of(), this,
                d -> d.checkpointBytes);
        clientMetrics = new KafkaClientMetrics(consumer);
        clientMetrics.bindTo(registry);
    }

    /**
     * The size of the detector's state (open stories, the engine's window and indexes), read
     * by the detector's own thread between two batches, since the engine is single-threaded;
     * null when this instance is a standby or the loop did not answer within {@code timeout}.
     */
    public Footprint footprint(Duration timeout) throws InterruptedException {
        CompletableFuture<Footprint> asked = new CompletableFuture<>();
        footprintAsked = asked;
        try {
            return asked.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
            return null;
        }
    }

    /** See {@link #footprint}. */
    public record Footprint(int openStories, Engine.Footprint engine) {
    }

    private void answerFootprint() {
        CompletableFuture<Footprint> asked = footprintAsked;
        if (asked != null) {
            footprintAsked = null;
            asked.complete(detection == null ? null
                    : new Footprint(detection.openStories(), detection.footprint()));
        }
    }

    /** Whether this instance holds the articles partition (is not a standby). */
    public boolean active() {
        return active;
    }

    /** Articles whose output this instance has committed since it became active. */
    public long committedArticles() {
        return committedArticles;
    }

    /** Checkpoints this instance wrote (and saw committed) since it started. */
    public long checkpoints() {
        return checkpoints;
    }

    /** State bytes of those checkpoints. */
    public long checkpointBytes() {
        return checkpointBytes;
    }

    /** Size of the checkpoint this instance last restored its state from (0: none). */
    public long restoredBytes() {
        return restoredBytes;
    }

    /** Transactions this instance aborted since it started. */
    public long abortedTransactions() {
        return abortedTransactions;
    }

    /** Stops the loop and waits until it has committed or aborted and left the group. */
    @Override
    public void close() {
        running = false;
        closing.countDown();
        consumer.wakeup();
        if (started) {
            try {
                done.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        } else {
            consumer.close(Duration.ZERO);
        }
    }

    /** How a batch ended: the next offset to read, and whether the engine must be rebuilt. */
    private record Batch(long next, boolean engineFailed, RuntimeException stop,
            List<Detection.Step> steps) {
    }

    /**
     * One transaction: the batch's outputs and dead letters and the offset after them. After
     * an engine failure the batch ends at that record (its dead letter included) and the
     * engine is rebuilt without it before the next one; a record in a newer format ends the
     * batch before it, and the detector stops after committing what came before.
     */
    private void processBatch(List<ConsumerRecord<String, byte[]>> records) {
        Batch batch;
        try {
            producer.beginTransaction();
            batch = send(records);
            if (batch.next > records.get(0).offset()) {
                // A failed engine's state is thrown away, never checkpointed.
                long began = System.nanoTime();
                Checkpoints.Checkpoint written = !batch.engineFailed
                        && checkpointDue(batch.next - records.get(0).offset())
                        ? Checkpoints.write(producer, detection, codec, batch.next,
                                engineFingerprint, checkpointChunks,
                                System.currentTimeMillis())
                        : null;
                long writeMillis = (System.nanoTime() - began) / 1_000_000;
                producer.sendOffsetsToTransaction(Map.of(ARTICLES,
                        new OffsetAndMetadata(batch.next, offsetMetadata)),
                        consumer.groupMetadata());
                commit(records.get(0).offset(), batch.next);
                hasCommitted = true;
                if (written != null) {
                    checkpointed(written, writeMillis);
                }
            } else {
                producer.abortTransaction(); // nothing to commit before a newer-format record
            }
        } catch (ProducerFencedException | OutOfOrderSequenceException
                | AuthorizationException | UnsupportedVersionException e) {
            // Fatal per the KafkaProducer javadoc: this producer can do nothing more.
            throw new IllegalStateException("detector stops: transactional producer "
                    + GROUP + " failed fatally over " + Topics.ARTICLES + " offsets "
                    + records.get(0).offset() + ".." + last(records) + " ("
                    + e.getClass().getSimpleName() + ": " + e.getMessage() + ")", e);
        } catch (KafkaException e) {
            abortAndRewind(records, e);
            return;
        }
        deadLetters.committed();
        abortsInARow = 0;
        committedArticles += batch.steps.size();
        batch.steps.forEach(Detector::log);
        if (batch.stop != null) {
            throw batch.stop;
        }
        if (batch.engineFailed) {
            rebuild(batch.next, true);
            consumer.seek(ARTICLES, batch.next);
        }
    }

    /**
     * Whether this transaction, which read {@code read} more articles, writes a checkpoint:
     * after {@code detector.checkpoint.articles} articles, or after
     * {@code detector.checkpoint.minutes} with at least one.
     */
    private boolean checkpointDue(long read) {
        sinceCheckpoint += read;
        return pipeline.checkpointArticles() > 0 && (sinceCheckpoint >= pipeline
                .checkpointArticles() || System.nanoTime() - checkpointNanos >= pipeline
                .checkpointInterval().toNanos());
    }

    private void checkpointed(Checkpoints.Checkpoint c, long millis) {
        LOG.info("checkpoint at {} offset {}: {} bytes in {} chunks after {} articles, "
                + "written in {} ms", Topics.ARTICLES, c.offset(), c.bytes(), c.chunks(),
                sinceCheckpoint, millis);
        checkpointChunks = c.chunks();
        checkpointBytes += c.bytes();
        checkpoints++;
        sinceCheckpoint = 0;
        checkpointNanos = System.nanoTime();
    }

    /** Processes and sends the records of one transaction; see {@link #processBatch}. */
    private Batch send(List<ConsumerRecord<String, byte[]>> records) {
        List<Detection.Step> steps = new ArrayList<>(records.size());
        long next = records.get(0).offset();
        for (ConsumerRecord<String, byte[]> r : records) {
            ArticleMessage message;
            try {
                message = Messages.parseArticle(r.value());
            } catch (Messages.NewerSchema e) {
                return new Batch(next, false, EngineRebuild.newerSchema(r, e), steps);
            } catch (IllegalArgumentException e) {
                deadLetter(r, "parse", e.getMessage());
                next = r.offset() + 1;
                continue;
            }
            Detection.Step step;
            try {
                step = detection.apply(message, r.offset(),
                        EngineRebuild.arrival(r, message));
            } catch (Throwable e) {
                EngineRebuild.rethrowIfFatal(e);
                LOG.error("engine failed on article {} at {}-{} offset {}: written to {}, and "
                        + "the engine is rebuilt without it", r.key(), r.topic(),
                        r.partition(), r.offset(), Topics.DEAD_LETTERS, e);
                deadLetter(r, "engine", e.toString());
                return new Batch(r.offset() + 1, true, null, steps);
            }
            steps.add(step);
            for (Detection.Output o : step.outputs()) {
                producer.send(new ProducerRecord<>(o.topic(), o.key(), o.value()));
            }
            next = r.offset() + 1;
        }
        return new Batch(next, false, null, steps);
    }

    private void deadLetter(ConsumerRecord<String, byte[]> r, String stage, String reason) {
        if (stage.equals("parse")) {
            LOG.error("record at {}-{} offset {} (key {}) is not an article ({}): written to {}",
                    r.topic(), r.partition(), r.offset(), r.key(), reason, Topics.DEAD_LETTERS);
        }
        deadLetters.addPending(r.offset());
        producer.send(new ProducerRecord<>(Topics.DEAD_LETTERS, r.key(),
                DeadLetters.value(r, stage, reason)));
    }

    /**
     * Commits, retrying a commit that timed out: the javadoc's advice, since the outcome is
     * unknown and an abort could not undo a commit that went through.
     */
    private void commit(long first, long next) {
        while (true) {
            try {
                producer.commitTransaction();
                return;
            } catch (TimeoutException e) {
                if (!running) {
                    throw e;
                }
                LOG.warn("committing the transaction over {} offsets {}..{} timed out, "
                        + "retrying: {}", Topics.ARTICLES, first, next - 1, e.getMessage());
            }
        }
    }

    /**
     * An abortable failure: aborts, rebuilds the engine at the committed offset and reads on
     * from there; from the second abort in a row on, pauses first (doubling, up to
     * {@code detector.abort-backoff.max.ms}), so a broker in trouble is not hammered.
     */
    private void abortAndRewind(List<ConsumerRecord<String, byte[]>> records, KafkaException e) {
        abortsInARow++;
        abortedTransactions++;
        LOG.warn("transaction over {} offsets {}..{} failed, aborting and resuming from the "
                + "committed offset ({} in a row): {}", Topics.ARTICLES,
                records.get(0).offset(), last(records), abortsInARow,
                e.getCause() == null ? e.toString() : e + ", caused by " + e.getCause());
        try {
            producer.abortTransaction();
        } catch (ProducerFencedException | OutOfOrderSequenceException
                | AuthorizationException | UnsupportedVersionException f) {
            throw new IllegalStateException("detector stops: aborting a transaction of "
                    + GROUP + " failed fatally (" + f + ")", f);
        } catch (KafkaException f) {
            LOG.warn("abort failed, recreating the transactional producer: {}", f.toString());
            newProducer();
        }
        deadLetters.aborted();
        backOff();
        long committed = committedOffset();
        rebuild(committed, true);
        consumer.seek(ARTICLES, committed);
    }

    private void backOff() {
        if (abortsInARow < 2) {
            return;
        }
        long millis = Math.min(pipeline.maxAbortBackoff().toMillis(),
                FIRST_BACKOFF.toMillis() << Math.min(abortsInARow - 2, 20));
        LOG.warn("{} transactions aborted in a row: pausing {} ms", abortsInARow, millis);
        try {
            closing.await(millis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static long last(List<ConsumerRecord<String, byte[]>> records) {
        return records.get(records.size() - 1).offset();
    }

    /**
     * One line per new story, per article that joins one (a copy or another write-up) and per
     * revision, each with the article's headline, source and link.
     */
    private static void log(Detection.Step step) {
        if (!STORIES_LOG.isInfoEnabled()) {
            return;
        }
        String line = StoryLog.line(step);
        if (line != null) {
            STORIES_LOG.info(line);
        }
    }

    /**
     * Takes the partition over: fences earlier instances (aborting their open transaction),
     * then restores the latest checkpoint (or, without a usable one, starts from the log
     * start), replays the articles after it up to the committed offset and resumes there.
     */
    private void becomeActive() {
        long began = System.nanoTime();
        // A fresh producer each time: initTransactions fences the earlier holder of the
        // transactional id (and aborts its open transaction, so the committed offset is
        // final), and a producer kept from an earlier turn may itself have been fenced since.
        newProducer();
        OffsetAndMetadata c = consumer.committed(Set.of(ARTICLES)).get(ARTICLES);
        checkEngineConfig(c);
        long committed = committedOffset();
        // Without a commit there is no output to be consistent with: the log as it is now
        // is where this detector's history starts.
        startsAt = c == null ? consumer.beginningOffsets(List.of(ARTICLES)).get(ARTICLES) : 0;
        hasCommitted = c != null;
        rebuilds.loadDeadLetters();
        long replayed = rebuild(committed, hasCommitted);
        consumer.seek(ARTICLES, committed);
        active = true;
        // The interval runs from the checkpoint restored, not from this takeover: restarts
        // more frequent than the interval must not put checkpoints off for ever. Without
        // one, the first transaction writes one.
        sinceCheckpoint = restoredFrom >= 0 ? committed - restoredFrom : replayed;
        checkpointNanos = System.nanoTime() - (restoredFrom >= 0
                ? Math.max(0, System.currentTimeMillis() - restoredWrittenMillis) * 1_000_000
                : pipeline.checkpointInterval().toNanos());
        LOG.info("detector active in {} ms: {}replayed {} articles up to offset {} ({} dead "
                + "letters skipped), {} in the window, {} open stories",
                (System.nanoTime() - began) / 1_000_000, restoredFrom < 0 ? ""
                        : "restored the checkpoint at offset " + restoredFrom + ", ",
                replayed, committed, deadLetters.size(), detection.windowSize(),
                detection.openStories());
    }

    private void newProducer() {
        closeProducer();
        producer = new KafkaProducer<>(producerProperties(), new StringSerializer(),
                new ByteArraySerializer());
        producer.initTransactions();
    }

    /**
     * The first 16 hex digits of the SHA-256 of the engine configuration (every
     * {@code window.*}, {@code text.*}, {@code dedup.*} and {@code story.*} value).
     */
    static String fingerprint(EngineConfig engine) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256")
                    .digest(engine.toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("no SHA-256 in this JVM", e);
        }
    }

    /**
     * Refuses to continue output made with another engine configuration: the replay would
     * rebuild a state that never made it, and the output would change at the takeover.
     */
    private void checkEngineConfig(OffsetAndMetadata committed) {
        if (committed == null || committed.metadata() == null
                || !committed.metadata().startsWith(ENGINE_PREFIX)
                || committed.metadata().equals(offsetMetadata)) {
            return; // nothing committed yet, or by a version that did not record it
        }
        String theirs = committed.metadata().substring(ENGINE_PREFIX.length());
        String ours = offsetMetadata.substring(ENGINE_PREFIX.length());
        if (pipeline.acceptEngineChange()) {
            LOG.warn("the output up to {} offset {} was made with engine configuration {}; "
                    + "continuing with {} as detector.accept-engine-change=true allows",
                    Topics.ARTICLES, committed.offset(), theirs, ours);
            return;
        }
        throw new IllegalStateException("detector stops: the output committed up to "
                + Topics.ARTICLES + " offset " + committed.offset() + " was made with engine "
                + "configuration " + theirs + " and this detector's is " + ours + " (its "
                + "window.*, text.*, dedup.* or story.* settings differ), so its replayed state "
                + "would not be the one that made that output. Start it with the settings that"
                + " made it; or set detector.accept-engine-change=true to go on from offset "
                + committed.offset() + " with the new ones; or re-run from the start: stop the"
                + " detectors, delete the consumer group " + GROUP + ", the output topics and "
                + Topics.DETECTOR_STATE);
    }

    private long committedOffset() {
        OffsetAndMetadata c = consumer.committed(Set.of(ARTICLES)).get(ARTICLES);
        if (c != null) {
            return c.offset();
        }
        return consumer.beginningOffsets(List.of(ARTICLES)).get(ARTICLES);
    }

    /**
     * Rebuilds the engine up to {@code end} (see {@link EngineRebuild}); returns the records
     * replayed.
     */
    private long rebuild(long end, boolean committedBefore) {
        EngineRebuild.Rebuilt r = rebuilds.rebuild(end, startsAt, committedBefore);
        detection = r.detection();
        restoredFrom = r.restoredFrom();
        if (r.checkpoint() != null) {
            restoredBytes = r.checkpoint().bytes();
            restoredWrittenMillis = r.checkpoint().writtenMillis();
            // The next checkpoint deletes the chunks it does not need, old ones too.
            checkpointChunks = Math.max(r.checkpoint().chunks(), r.checkpoint().liveChunks());
        }
        return r.replayed();
    }

    private KafkaConsumer<String, byte[]> reader() {
        return new KafkaConsumer<>(consumerProperties(false), new StringDeserializer(),
                new ByteArrayDeserializer());
    }

    private void stop() {
        active = false;
        closeProducer();
        if (clientMetrics != null) {
            clientMetrics.close();
        }
        consumer.close(Duration.ofSeconds(5));
        LOG.info("detector stopped after committing {} articles", committedArticles);
    }

    private void closeProducer() {
        if (producer != null) {
            producer.close(Duration.ofSeconds(5));
            producer = null;
        }
    }

    private Map<String, Object> consumerProperties(boolean group) {
        Map<String, Object> p = new HashMap<>(clientProperties);
        p.put("isolation.level", "read_committed");
        p.put("enable.auto.commit", "false");
        p.put("max.poll.records", pipeline.detectorBatch());
        if (group) {
            p.put("group.id", GROUP);
            p.put("auto.offset.reset", "earliest");
            p.put("session.timeout.ms", (int) pipeline.sessionTimeout().toMillis());
            p.put("heartbeat.interval.ms", (int) pipeline.sessionTimeout().toMillis() / 4);
            // A takeover replays the retained articles inside the rebalance callback.
            p.put("max.poll.interval.ms", (int) Duration.ofMinutes(30).toMillis());
            // Eager rebalancing revoked the active instance's partition whenever a standby
            // joined, and handed it to the newcomer about half the time (a full replay).
            // Cooperative-sticky keeps the partition with its owner.
            p.put("partition.assignment.strategy",
                    "org.apache.kafka.clients.consumer.CooperativeStickyAssignor");
        }
        return p;
    }

    private Map<String, Object> producerProperties() {
        Map<String, Object> p = new HashMap<>(clientProperties);
        p.put("transactional.id", GROUP);
        p.put("enable.idempotence", "true");
        p.put("acks", "all");
        p.put("linger.ms", 5);
        p.put("compression.type", "lz4");
        // Under transactions v2 a transaction begun right after a commit is refused with
        // CONCURRENT_TRANSACTIONS until the broker has written the commit's markers (usually a
        // few ms). The default first retry after 100 ms would idle the detector
        // after every commit; the backoff still doubles up to its 1 s maximum.
        p.put("retry.backoff.ms", 20);
        // A transaction that writes a checkpoint of a large window sends a gigabyte or more;
        // the default minute would abort it on a slow disk.
        p.put("transaction.timeout.ms", (int) Duration.ofMinutes(5).toMillis());
        return p;
    }

    /** Activates on assignment of the articles partition, steps down on its loss. */
    private final class Rebalance implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            if (partitions.contains(ARTICLES)) {
                becomeActive();
            }
        }

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            if (partitions.contains(ARTICLES)) {
                stepDown("revoked");
            }
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            if (partitions.contains(ARTICLES)) {
                stepDown("lost");
            }
        }

        private void stepDown(String why) {
            if (active) {
                LOG.info("detector standing by: articles partition {}", why);
            }
            active = false;
            detection = null;
            closeProducer();
        }
    }
}
