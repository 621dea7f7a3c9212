package io.storyline.pipeline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.storyline.checkpoint.StateCodec;
import io.storyline.config.EngineConfig;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Checkpoints in {@code storyline.detector-state}: a state of many chunks reads back byte
 * for byte, a smaller one after it deletes the extra chunks, an aborted one is never seen,
 * and a damaged chunk is refused, naming the checkpoint.
 */
class CheckpointsIT {

    private static final EngineConfig ENGINE = EngineConfig.defaults();

    @TempDir
    Path dir;

    private static Map<String, Object> client;

    @Test
    void checkpointsReadBackWholeAndDamageIsRefused() throws Exception {
        try (KafkaCluster cluster = KafkaCluster.open(PipelineTestKit.config(
                dir.resolve("kafka")))) {
            client = cluster.clientProperties();
            StateCodec codec = Detection.codec(ENGINE);
            Detection big = new Detection(ENGINE);
            List<ArticleMessage> input = PipelineTestKit.messages(0, 400);
            for (int i = 0; i < input.size(); i++) {
                big.apply(input.get(i), i);
            }
            byte[] bigState = big.save(codec).bytes();
            assertTrue(bigState.length > 2 * Checkpoints.CHUNK_BYTES, "chunks: "
                    + bigState.length);

            try (KafkaProducer<String, byte[]> producer = transactional(client)) {
                Checkpoints.Checkpoint written = inTransaction(producer, true,
                        () -> Checkpoints.write(producer, big, codec, 400, "e1", 0, 1L));
                Checkpoints.Checkpoint read = latest(client);
                assertEquals(400, read.offset());
                assertEquals(written.chunks(), read.chunks());
                assertArrayEquals(bigState, read.state().readAllBytes());

                // An aborted checkpoint (its transaction failed) is never seen.
                Detection small = new Detection(ENGINE);
                inTransaction(producer, false,
                        () -> Checkpoints.write(producer, small, codec, 500, "e1",
                                written.chunks(), 1L));
                assertEquals(400, latest(client).offset());

                // A smaller one deletes the chunks it does not need.
                Checkpoints.Checkpoint smaller = inTransaction(producer, true,
                        () -> Checkpoints.write(producer, small, codec, 600, "e1",
                                written.chunks(), 1L));
                assertEquals(1, smaller.chunks());
                Checkpoints.Checkpoint now = latest(client);
                assertEquals(600, now.offset());
                assertArrayEquals(small.save(codec).bytes(), now.state().readAllBytes());
                Map<String, byte[]> records = records(client);
                for (int i = 1; i < written.chunks(); i++) {
                    assertNull(records.get(String.format("chunk-%06d", i)), "chunk " + i);
                }

                // One flipped byte in a chunk is refused.
                byte[] chunk = records.get("chunk-000000").clone();
                chunk[chunk.length / 2] ^= 1;
                inTransaction(producer, true, () -> producer.send(new ProducerRecord<>(
                        Topics.DETECTOR_STATE, "chunk-000000", chunk)));
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                        () -> latest(client));
                assertTrue(e.getMessage().startsWith("checkpoint at offset 600 in "
                        + "storyline.detector-state is corrupt"), e.getMessage());

                // A chunk of another checkpoint under the manifest is refused too.
                byte[] stale = ByteBuffer.allocate(chunk.length).put(chunk).putLong(0, 400L)
                        .array();
                inTransaction(producer, true, () -> producer.send(new ProducerRecord<>(
                        Topics.DETECTOR_STATE, "chunk-000000", stale)));
                e = assertThrows(IllegalArgumentException.class, () -> latest(client));
                assertEquals("checkpoint at offset 600 in storyline.detector-state: "
                        + "chunk-000000 is from another checkpoint", e.getMessage());
            }
        }
    }

    private interface Step<T> {
        T run() throws Exception;
    }

    private static <T> T inTransaction(KafkaProducer<String, byte[]> producer, boolean commit,
            Step<T> step) throws Exception {
        producer.beginTransaction();
        T result = step.run();
        producer.flush();
        if (commit) {
            producer.commitTransaction();
        } else {
            producer.abortTransaction();
        }
        awaitMarkers(producer);
        return result;
    }

    /**
     * Waits until a read_committed reader sees the end of the state topic: a commit returns
     * before the broker has written its markers, and until then the transaction's records lie
     * beyond what such a reader may read.
     */
    private static void awaitMarkers(KafkaProducer<String, byte[]> producer) {
        TopicPartition state = new TopicPartition(Topics.DETECTOR_STATE, 0);
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        try (KafkaConsumer<String, byte[]> committed = new KafkaConsumer<>(reader(client),
                new StringDeserializer(), new ByteArrayDeserializer());
                KafkaConsumer<String, byte[]> all = new KafkaConsumer<>(client,
                        new StringDeserializer(), new ByteArrayDeserializer())) {
            while (committed.endOffsets(List.of(state)).get(state)
                    < all.endOffsets(List.of(state)).get(state)) {
                assertTrue(System.nanoTime() < deadline, "transaction markers in time");
                Thread.onSpinWait();
            }
        }
    }

    private static KafkaProducer<String, byte[]> transactional(Map<String, Object> client) {
        Map<String, Object> p = new HashMap<>(client);
        p.put("transactional.id", "checkpoints-it");
        KafkaProducer<String, byte[]> producer = new KafkaProducer<>(p, new StringSerializer(),
                new ByteArraySerializer());
        producer.initTransactions();
        return producer;
    }

    private static Map<String, Object> reader(Map<String, Object> client) {
        Map<String, Object> c = new HashMap<>(client);
        c.put("isolation.level", "read_committed");
        return c;
    }

    private static Checkpoints.Checkpoint latest(Map<String, Object> client) {
        return PipelineTestKit.latestCheckpoint(client);
    }

    /** The latest value per key (null for a tombstone). */
    private static Map<String, byte[]> records(Map<String, Object> client) {
        Map<String, byte[]> latest = new HashMap<>();
        TopicPartition state = new TopicPartition(Topics.DETECTOR_STATE, 0);
        try (KafkaConsumer<String, byte[]> reader = new KafkaConsumer<>(reader(client),
                new StringDeserializer(), new ByteArrayDeserializer())) {
            reader.assign(List.of(state));
            reader.seekToBeginning(List.of(state));
            long end = reader.endOffsets(List.of(state)).get(state);
            while (reader.position(state) < end) {
                for (ConsumerRecord<String, byte[]> r : reader.poll(Duration.ofMillis(200))) {
                    latest.put(r.key(), r.value());
                }
            }
        }
        return latest;
    }
}
