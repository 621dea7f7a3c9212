package io.storyline.digest;

import io.storyline.pipeline.Topics;
import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.UnsupportedVersionException;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The record of digests in {@value Topics#DIGESTS}, and the claim that makes each (subscriber,
 * local date) digest go out at most once.
 *
 * <p>Every write to a partition of the topic goes through one transactional producer whose
 * id names the partition ({@value #TRANSACTIONAL_PREFIX}N), whoever writes: a scheduling
 * instance or a {@code digest} command. Starting that producer fences any other holder and
 * completes (or aborts) its open transaction; the claimer then reads the partition to its
 * end, and writes its claim in a transaction only if no record of that digest is there. A
 * claimer fenced in between cannot commit, so two claims of one digest cannot both commit,
 * and nothing is sent without a committed claim. After sending, the outcome (sent, or
 * failed) is recorded; a claim that a crash left unresolved stays so until someone resends
 * it on purpose, since nobody knows whether the SMTP server took it.
 */
public final class DigestLog {

    public static final String TRANSACTIONAL_PREFIX = "storyline-digest-p";
    /** Attempts to record an outcome (a fenced producer is started again). */
    private static final int RECORD_ATTEMPTS = 3;
    private static final Logger LOG = LoggerFactory.getLogger(DigestLog.class);

    private final Map<String, Object> client;
    private final Clock clock;
    private final String by;
    private final int partitions;

    /** What a claim found: a digest to send, one recorded before, or an empty one. */
    public enum Outcome {
        /** Claimed: send {@link Claim#digest()}, then record the outcome. */
        CLAIMED,
        /** The digest has a record already ({@link Claim#existing()}): nothing to do. */
        ALREADY,
        /** Nothing new or changed to send: recorded as empty, nothing to send. */
        EMPTY
    }

    /** A claim's result; holds the partition's producer until the outcome is recorded. */
    public static final class Claim {
        private final Outcome outcome;
        private final Digest digest;
        private final DigestRecord existing;
        private final int partition;
        private KafkaProducer<String, String> producer;

        Claim(Outcome outcome, Digest digest, DigestRecord existing, int partition,
                KafkaProducer<String, String> producer) {
            this.outcome = outcome;
            this.digest = digest;
            this.existing = existing;
            this.partition = partition;
            this.producer = producer;
        }

        public Outcome outcome() {
            return outcome;
        }

        /** The digest claimed (or found empty); null when {@link Outcome#ALREADY}. */
        public Digest digest() {
            return digest;
        }

        /** The record found, for {@link Outcome#ALREADY}. */
        public DigestRecord existing() {
            return existing;
        }
    }

    public DigestLog(Map<String, Object> client, Clock clock) {
        this.client = Map.copyOf(client);
        this.clock = clock;
        this.by = ManagementFactory.getRuntimeMXBean().getName();
        this.partitions = TopicReads.partitions(client, Topics.DIGESTS);
    }

    public int partitions() {
        return partitions;
    }

    /** The partition holding the digests of {@code email}. */
    public int partitionOf(String email) {
        return DigestRecord.partition(email, partitions);
    }

    /**
     * The latest record of every digest, by key.
     *
     * @throws DigestRecord.NewerSchema on a record of a newer format
     */
    public SortedMap<String, DigestRecord> readAll() {
        SortedMap<String, DigestRecord> out = new TreeMap<>();
        TopicReads.readToEnd(client, Topics.DIGESTS, -1, r -> apply(r, out));
        return out;
    }

    /** The latest record of each digest of {@code email}, by date. */
    public SortedMap<LocalDate, DigestRecord> history(String email) {
        return history(email, partitionOf(email));
    }

    private SortedMap<LocalDate, DigestRecord> history(String email, int partition) {
        SortedMap<String, DigestRecord> all = new TreeMap<>();
        TopicReads.readToEnd(client, Topics.DIGESTS, partition, r -> apply(r, all));
        SortedMap<LocalDate, DigestRecord> out = new TreeMap<>();
        all.values().stream().filter(d -> d.subscriber().equalsIgnoreCase(email))
                .forEach(d -> out.put(d.date(), d));
        return out;
    }

    /** The stories of the latest digest sent to {@code email} before {@code date}. */
    public List<Recorded> previous(String email, LocalDate date) {
        return previous(history(email), date);
    }

    static void apply(ConsumerRecord<String, String> r, Map<String, DigestRecord> into) {
        if (r.key() == null) {
            LOG.warn("skipping record of topic {} partition {} offset {}: it has no key",
                    r.topic(), r.partition(), r.offset());
        } else if (r.value() == null) {
            into.remove(r.key());
        } else {
            DigestRecord d = DigestRecord.fromJson(r.key(), r.value());
            if (d.state() == DigestRecord.State.UNREADABLE) {
                LOG.warn("record of topic {} partition {} offset {} (key '{}') is unreadable, "
                        + "and counts as an unresolved claim: {}", r.topic(), r.partition(),
                        r.offset(), r.key(), d.error());
            }
            into.put(r.key(), d);
        }
    }

    /**
     * The stories of the latest digest sent to the subscriber before {@code date}, for the
     * "updated" markers.
     */
    static List<Recorded> previous(SortedMap<LocalDate, DigestRecord> history, LocalDate date) {
        for (DigestRecord d : history.headMap(date).values().stream()
                .sorted((a, b) -> b.date().compareTo(a.date())).toList()) {
            if (d.state() == DigestRecord.State.SENT) {
                return d.stories();
            }
        }
        return List.of();
    }

    /**
     * Claims the digest of {@code s} for local {@code date}: fences other claimers of its
     * partition, reads the partition, and unless the digest has a record already (or
     * {@code resend}) picks it with {@code select} (given the previous digest's stories) and
     * commits a claim, or an empty record when there is nothing to send.
     *
     * @throws IllegalStateException when the claim could not be committed (nothing may be
     *                               sent then), or on a fatal Kafka error
     */
    public Claim claim(Subscriber s, LocalDate date, boolean resend,
            Function<List<Recorded>, Digest> select) {
        int partition = partitionOf(s.email());
        String what = "digest of " + s.email() + " for " + date;
        KafkaProducer<String, String> producer = producer(partition);
        boolean handedOver = false;
        try {
            SortedMap<LocalDate, DigestRecord> history = history(s.email(), partition);
            DigestRecord existing = history.get(date);
            if (existing != null && !resend) {
                return new Claim(Outcome.ALREADY, null, existing, partition, null);
            }
            Digest digest = select.apply(previous(history, date));
            DigestRecord.State state = digest.isEmpty() ? DigestRecord.State.EMPTY
                    : DigestRecord.State.CLAIMED;
            DigestRecord claim = new DigestRecord(s.email().toLowerCase(java.util.Locale.ROOT),
                    date, state, digest.when().at(), clock.instant(), by, resend,
                    digest.items().stream().map(Digest.Item::recorded).toList(), null);
            producer.beginTransaction();
            producer.send(record(partition, claim));
            producer.commitTransaction();
            if (digest.isEmpty()) {
                return new Claim(Outcome.EMPTY, digest, null, partition, null);
            }
            handedOver = true;
            return new Claim(Outcome.CLAIMED, digest, null, partition, producer);
        } catch (AuthorizationException | UnsupportedVersionException e) {
            throw new Fatal("cannot claim the " + what + ": " + e, e);
        } catch (KafkaException e) {
            throw new ClaimFailed("could not claim the " + what + " (partition " + partition
                    + " of " + Topics.DIGESTS + "): " + e + "; nothing was sent", e);
        } finally {
            if (!handedOver) {
                producer.close(Duration.ofSeconds(5));
            }
        }
    }

    /** Records that the claimed digest went out, with its stories and counts. */
    public void sent(Claim c) {
        Digest d = c.digest;
        record(c, new DigestRecord(d.subscriber().email().toLowerCase(java.util.Locale.ROOT),
                d.when().date(), DigestRecord.State.SENT, d.when().at(), clock.instant(), by,
                false, d.items().stream().map(Digest.Item::recorded).toList(), null));
    }

    /** Records that every attempt to send the claimed digest failed, and why. */
    public void failed(Claim c, String error) {
        Digest d = c.digest;
        record(c, new DigestRecord(d.subscriber().email().toLowerCase(java.util.Locale.ROOT),
                d.when().date(), DigestRecord.State.FAILED, d.when().at(), clock.instant(), by,
                false, List.of(), error));
    }

    /** Lets go of a claim without recording an outcome (it stays unresolved). */
    public void abandon(Claim c) {
        if (c.producer != null) {
            c.producer.close(Duration.ofSeconds(5));
            c.producer = null;
        }
    }

    /**
     * Writes an outcome. It is a fact whoever owns the partition now, so a producer fenced
     * since the claim is started again (fencing the other holder in turn).
     */
    private void record(Claim c, DigestRecord outcome) {
        KafkaException last = null;
        try {
            for (int attempt = 1; attempt <= RECORD_ATTEMPTS; attempt++) {
                try {
                    if (c.producer == null) {
                        c.producer = producer(c.partition);
                    }
                    c.producer.beginTransaction();
                    c.producer.send(record(c.partition, outcome));
                    c.producer.commitTransaction();
                    return;
                } catch (AuthorizationException | UnsupportedVersionException e) {
                    throw new Fatal("cannot record the digest of "
                            + outcome.subscriber() + " for " + outcome.date() + ": " + e, e);
                } catch (KafkaException e) {
                    last = e;
                    LOG.warn("recording the digest of {} for {} as {} failed (attempt {} of {})"
                            + ": {}", outcome.subscriber(), outcome.date(), outcome.state(),
                            attempt, RECORD_ATTEMPTS, e.toString());
                    abandon(c);
                }
            }
        } finally {
            abandon(c);
        }
        throw new ClaimFailed("the digest of " + outcome.subscriber() + " for "
                + outcome.date() + " could not be recorded as " + outcome.state()
                .name().toLowerCase(java.util.Locale.ROOT) + ": " + last + "; it stays claimed"
                + " (unresolved, see digest --list)", last);
    }

    private static ProducerRecord<String, String> record(int partition, DigestRecord r) {
        return new ProducerRecord<>(Topics.DIGESTS, partition, r.key(), r.toJson());
    }

    private KafkaProducer<String, String> producer(int partition) {
        Map<String, Object> p = new HashMap<>(client);
        p.put("transactional.id", TRANSACTIONAL_PREFIX + partition);
        p.put("enable.idempotence", true);
        p.put("acks", "all");
        // A claimer that died inside a transaction holds the partition's records back
        // (read_committed) until the next claimer fences it, or this long.
        p.put("transaction.timeout.ms", 30_000);
        p.put("max.block.ms", 60_000);
        KafkaProducer<String, String> producer = new KafkaProducer<>(p, new StringSerializer(),
                new StringSerializer());
        try {
            producer.initTransactions();
        } catch (AuthorizationException | UnsupportedVersionException e) {
            producer.close(Duration.ZERO);
            throw new Fatal("cannot start the digest claimer of partition "
                    + partition + ": " + e, e);
        } catch (KafkaException e) {
            producer.close(Duration.ZERO);
            throw new ClaimFailed("cannot start the digest claimer of partition " + partition
                    + " of " + Topics.DIGESTS + ": " + e, e);
        }
        return producer;
    }

    /** A Kafka error no retry mends (authorization, an unsupported broker version). */
    public static final class Fatal extends IllegalStateException {
        private static final long serialVersionUID = 1L;

        Fatal(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** A claim or a record that could not be written; retry later, nothing was lost. */
    public static final class ClaimFailed extends IllegalStateException {
        private static final long serialVersionUID = 1L;

        ClaimFailed(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
