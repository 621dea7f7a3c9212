package io.storyline.pipeline;

import io.storyline.checkpoint.StateCodec;
import io.storyline.config.PipelineConfig;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.record.TimestampType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How a detector gets its state back (at a takeover, after an aborted transaction, after the
 * engine failed on a record): the latest usable checkpoint restored, then the articles after
 * it replayed up to the committed offset; without a usable checkpoint, the retained log from
 * its start. It never skips in silence: deleted articles, holes in the log and a log whose
 * beginning is gone are errors that stop the detector unless a setting allows going on.
 */
final class EngineRebuild {

    private static final Logger LOG = LoggerFactory.getLogger(Detector.class);
    private static final TopicPartition ARTICLES = new TopicPartition(Topics.ARTICLES, 0);
    private static final Duration POLL = Duration.ofMillis(200);

    /** The rebuilt step, the records replayed, and the checkpoint it started from (or null). */
    record Rebuilt(Detection detection, long replayed, Checkpoints.Checkpoint checkpoint) {

        /** The offset the state was restored at, or -1 when replayed from the log start. */
        long restoredFrom() {
            return checkpoint == null ? -1 : checkpoint.offset();
        }
    }

    private final PipelineConfig pipeline;
    private final Supplier<Detection> newDetection;
    private final StateCodec codec;
    private final String engineFingerprint;
    private final DeadLetters deadLetters;
    private final Supplier<KafkaConsumer<String, byte[]>> readers;
    private Detection detection;
    private long startsAt;
    private boolean hasCommitted;

    EngineRebuild(PipelineConfig pipeline, Supplier<Detection> newDetection, StateCodec codec,
            String engineFingerprint, DeadLetters deadLetters,
            Supplier<KafkaConsumer<String, byte[]>> readers) {
        this.pipeline = pipeline;
        this.newDetection = newDetection;
        this.codec = codec;
        this.engineFingerprint = engineFingerprint;
        this.deadLetters = deadLetters;
        this.readers = readers;
    }

    /** Reads the offsets of the articles set aside so far from the dead-letter topic. */
    void loadDeadLetters() {
        deadLetters.clear();
        try (KafkaConsumer<String, byte[]> reader = readers.get()) {
            List<TopicPartition> parts = new ArrayList<>();
            for (var info : reader.partitionsFor(Topics.DEAD_LETTERS)) {
                parts.add(new TopicPartition(info.topic(), info.partition()));
            }
            reader.assign(parts);
            reader.seekToBeginning(parts);
            Map<TopicPartition, Long> end = reader.endOffsets(parts);
            while (parts.stream().anyMatch(p -> reader.position(p) < end.get(p))) {
                for (ConsumerRecord<String, byte[]> r : reader.poll(POLL)) {
                    long offset = DeadLetters.articlesOffset(r.value());
                    if (offset >= 0) {
                        deadLetters.add(offset);
                    }
                }
            }
        }
    }

    /**
     * The latest usable checkpoint restored (else a new engine), fed every retained article
     * after it and before {@code end} but the dead letters: the state the detector had after
     * {@code end - 1}. An article the engine fails on that no
     * dead letter lists (set aside by an older version) is added to them and the replay
     * starts over. {@code startsAt} is where this detector's history starts (the log start
     * when nothing was committed, else 0); without a committed offset ({@code hasCommitted}
     * false) a checkpoint belongs to an earlier run and is not used.
     */
    Rebuilt rebuild(long end, long startsAt, boolean hasCommitted) {
        this.startsAt = startsAt;
        this.hasCommitted = hasCommitted;
        Checkpoints.Checkpoint checkpoint = checkpoint(end);
        while (true) {
            Detection fresh = newDetection.get();
            detection = fresh;
            long restoredFrom = -1;
            if (checkpoint != null) {
                try {
                    long began = System.nanoTime();
                    detection = fresh.restore(codec, checkpoint.state());
                    restoredFrom = checkpoint.offset();
                    LOG.info("restored the state after {} offset {} from its checkpoint ({} "
                            + "bytes) in {} ms", Topics.ARTICLES, checkpoint.offset(),
                            checkpoint.bytes(), (System.nanoTime() - began) / 1_000_000);
                } catch (IllegalArgumentException e) {
                    LOG.error("cannot restore the checkpoint at {} offset {}: {}; replaying "
                            + "the retained log instead", Topics.ARTICLES, checkpoint.offset(),
                            e.getMessage(), e);
                    checkpoint = null;
                }
            }
            long[] failed = {-1};
            long count = replay(restoredFrom, end, failed);
            if (failed[0] < 0) {
                Detection rebuilt = detection;
                detection = null; // a standby holds no state
                return new Rebuilt(rebuilt, count, restoredFrom == -1 ? null : checkpoint);
            }
            deadLetters.add(failed[0]);
        }
    }

    /**
     * The latest checkpoint, if this detector can continue from it up to {@code end}: at or
     * before {@code end}, made with this engine configuration, and by classes of the same
     * layout. Otherwise null, with the reason in the log.
     */
    private Checkpoints.Checkpoint checkpoint(long end) {
        if (pipeline.checkpointArticles() == 0) {
            return null; // checkpoints off: an old one is not used either
        }
        if (!hasCommitted) {
            LOG.info("no offset committed in group {}: a checkpoint in {} belongs to an earlier "
                    + "run and is not used", Detector.GROUP, Topics.DETECTOR_STATE);
            return null;
        }
        Checkpoints.Checkpoint c;
        try (KafkaConsumer<String, byte[]> reader = readers.get()) {
            c = Checkpoints.latest(reader);
        } catch (IllegalArgumentException e) {
            LOG.error("{}; replaying the retained log instead", e.getMessage());
            return null;
        }
        if (c == null) {
            return null;
        }
        String why = c.offset() > end ? "is ahead of the committed offset " + end
                + " (the consumer group was reset)"
                : !c.engine().equals(engineFingerprint) ? "was made with engine configuration "
                        + c.engine() + ", this detector's is " + engineFingerprint
                : !c.layout().equals(StateCodec.layout(c.classes()))
                        ? "was written by a version whose state classes differ from this one's"
                        : null;
        if (why != null) {
            LOG.warn("the checkpoint at {} offset {} {}: replaying the retained log instead",
                    Topics.ARTICLES, c.offset(), why);
            return null;
        }
        return c;
    }

    /**
     * Feeds the engine the retained records from {@code from} (the start of the log when
     * negative) before {@code end}; see {@link #rebuild}.
     */
    private long replay(long from, long end, long[] failed) {
        long count = 0;
        try (KafkaConsumer<String, byte[]> reader = readers.get()) {
            reader.assign(List.of(ARTICLES));
            reader.seekToBeginning(List.of(ARTICLES));
            long logStart = reader.position(ARTICLES);
            deadLetters.forgetBefore(logStart);
            long expected;
            if (from < 0) {
                expected = logStart;
                checkRetained(end, logStart);
            } else {
                if (end < logStart) {
                    checkRetained(end, logStart); // articles no detector processed were deleted
                } else if (logStart > from) {
                    gap(from, logStart); // retention took articles after the checkpoint
                }
                expected = Math.max(from, logStart);
                reader.seek(ARTICLES, expected);
            }
            while (reader.position(ARTICLES) < end) {
                for (ConsumerRecord<String, byte[]> r : reader.poll(POLL)) {
                    if (r.offset() >= end) {
                        break;
                    }
                    if (r.offset() != expected) {
                        gap(expected, r.offset());
                    }
                    expected = r.offset() + 1;
                    count++;
                    if (!deadLetters.contains(r.offset()) && !replayOne(r)) {
                        failed[0] = r.offset();
                        return count;
                    }
                }
            }
        }
        return count;
    }

    /** The replay never skips in silence: a hole in the log stops it unless allowed. */
    private void gap(long expected, long found) {
        String problem = "replay of " + Topics.ARTICLES + ": no records at offsets "
                + expected + ".." + (found - 1);
        if (!pipeline.allowTruncatedReplay()) {
            throw new IllegalStateException("detector stops: " + problem + " (set "
                    + "detector.replay.allow-truncated=true to replay what is there)");
        }
        LOG.error("{}; going on as detector.replay.allow-truncated=true allows", problem);
    }

    /** Replays one record; false when the engine failed on it. */
    private boolean replayOne(ConsumerRecord<String, byte[]> r) {
        ArticleMessage message;
        try {
            message = Messages.parseArticle(r.value());
        } catch (Messages.NewerSchema e) {
            throw newerSchema(r, e);
        } catch (IllegalArgumentException e) {
            LOG.error("replay: record at {}-{} offset {} (key {}) is not an article and no dead"
                    + " letter lists it: skipped ({})", r.topic(), r.partition(), r.offset(),
                    r.key(), e.getMessage());
            return true;
        }
        try {
            detection.apply(message, r.offset(), arrival(r, message));
            return true;
        } catch (Throwable e) {
            rethrowIfFatal(e);
            LOG.error("replay: engine failed on article {} at {}-{} offset {}, which no dead "
                    + "letter lists: replaying again without it", r.key(), r.topic(),
                    r.partition(), r.offset(), e);
            return false;
        }
    }

    /**
     * Checks what a takeover's replay can rebuild. Articles deleted before the detector
     * processed them (the committed offset is below the log start) are lost: that stops it
     * unless {@code detector.replay.allow-truncated}. A log whose beginning retention deleted
     * (the normal state of a detector that ran longer than the retention) rebuilds a state
     * that may differ from an uninterrupted run's (document frequencies, boilerplate history
     * and story ids outlive the window): an error in the log and the takeover goes on, unless
     * {@code detector.replay.require-history} asks it to stop. Stopping there by default would
     * leave every newsroom without stories at the first restart after a week.
     */
    private void checkRetained(long committed, long logStart) {
        if (logStart <= startsAt || committed <= startsAt) {
            return;
        }
        String problem = committed < logStart
                ? "the committed offset " + committed + " is below the log start " + logStart
                        + ": articles " + committed + ".." + (logStart - 1) + " were deleted "
                        + "before the detector processed them"
                : "the log start is " + logStart + ": articles 0.." + (logStart - 1)
                        + " were deleted, so replaying up to offset " + committed
                        + " cannot rebuild the state that made the output";
        boolean lost = committed < logStart;
        if (lost ? pipeline.allowTruncatedReplay() : !pipeline.requireHistory()) {
            LOG.error("replay of {}: {}; going on from what is retained{}", Topics.ARTICLES,
                    problem, lost ? " as detector.replay.allow-truncated=true allows"
                            : " (the output may differ from an uninterrupted run's; "
                            + "detector.replay.require-history=true would stop here)");
            return;
        }
        throw new IllegalStateException("detector stops: replay of " + Topics.ARTICLES + ": "
                + problem + (lost
                        ? ". Set detector.replay.allow-truncated=true to go on from what is"
                        + " retained, and keep topics.articles.retention.hours longer than"
                        + " the detectors are down"
                        : ". Unset detector.replay.require-history to go on from what is"
                        + " retained (the output may then differ from an uninterrupted run)"));
    }

    /**
     * When the article reached the stream: the broker's append time (one clock for every
     * ingestor), or for a record the broker did not stamp (written before the topic had
     * LogAppendTime) the fetch time its ingestor wrote. A replay sees the same stamps.
     */
    static Instant arrival(ConsumerRecord<String, byte[]> r, ArticleMessage message) {
        return r.timestampType() == TimestampType.LOG_APPEND_TIME
                ? Instant.ofEpochMilli(r.timestamp()) : message.fetched();
    }

    static IllegalStateException newerSchema(ConsumerRecord<String, byte[]> r,
            IllegalArgumentException e) {
        return new IllegalStateException("detector stops at " + r.topic() + "-" + r.partition()
                + " offset " + r.offset() + " (key " + r.key() + "): " + e.getMessage()
                + "; the offset is not committed, so a detector of a newer version continues "
                + "from it (upgrade the detectors before the ingestors)", e);
    }

    /** Errors of the JVM end the process; a stack overflow is one record's problem. */
    static void rethrowIfFatal(Throwable e) {
        if (e instanceof VirtualMachineError && !(e instanceof StackOverflowError)) {
            throw (VirtualMachineError) e;
        }
    }
}
