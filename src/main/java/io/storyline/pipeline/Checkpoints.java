package io.storyline.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.storyline.checkpoint.StateCodec;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.SequenceInputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;

/**
 * The detector's checkpoints in {@code storyline.detector-state}: its whole state after the
 * articles before an offset, written in the transaction that commits that offset, so a
 * checkpoint exists exactly when the output it stands for does.
 *
 * <p>A checkpoint is a run of chunk records (key {@code chunk-NNNNNN}, value the checkpoint's
 * offset then up to {@link #CHUNK_BYTES} of state), then a manifest (key {@code manifest},
 * JSON: offset, engine fingerprint, layout fingerprint and classes, chunk count, size,
 * SHA-256, when it was written). The topic is compacted: the latest record per key is the latest checkpoint's,
 * and a checkpoint with fewer chunks than the one before deletes the extra ones.
 */
final class Checkpoints {

    /** State bytes per chunk record: well under the broker's default record limit (1 MB). */
    static final int CHUNK_BYTES = 512 * 1024;
    static final String MANIFEST = "manifest";
    private static final TopicPartition STATE = new TopicPartition(Topics.DETECTOR_STATE, 0);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int SCHEMA = 1;

    /** A checkpoint: the state after the articles before {@code offset}. */
    record Checkpoint(long offset, String engine, String layout, Set<String> classes,
            int chunks, long bytes, String sha256, long writtenMillis, int liveChunks,
            List<byte[]> data) {

        /** The state's bytes (checked against the manifest when read from the topic). */
        InputStream state() {
            List<InputStream> parts = new ArrayList<>(data.size());
            for (byte[] d : data) {
                parts.add(new ByteArrayInputStream(d, Long.BYTES, d.length - Long.BYTES));
            }
            return new SequenceInputStream(Collections.enumeration(parts));
        }
    }

    private Checkpoints() {
    }

    /**
     * Writes the state of {@code step} after the articles before {@code offset} through
     * {@code producer}, inside its open transaction; {@code previousChunks} is how many chunks
     * the checkpoint before had (its extra ones are deleted). Returns the manifest written.
     */
    static Checkpoint write(KafkaProducer<String, byte[]> producer, Detection step,
            StateCodec codec, long offset, String engine, int previousChunks,
            long writtenMillis) {
        MessageDigest sha = sha256();
        long[] size = {0};
        int[] chunks = {0};
        // Kryo wraps whatever a stream throws; a failed send must reach the caller as the
        // KafkaException it is, so the transaction is aborted and retried.
        KafkaException[] failed = {null};
        Set<String> classes;
        try (OutputStream out = new OutputStream() {
            private final byte[] buffer = new byte[CHUNK_BYTES];
            private int used;

            @Override
            public void write(int b) {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                while (len > 0) {
                    int n = Math.min(len, CHUNK_BYTES - used);
                    System.arraycopy(b, off, buffer, used, n);
                    used += n;
                    off += n;
                    len -= n;
                    if (used == CHUNK_BYTES) {
                        flushChunk();
                    }
                }
            }

            @Override
            public void close() {
                if (used > 0 || chunks[0] == 0) {
                    flushChunk();
                }
            }

            private void flushChunk() {
                byte[] value = ByteBuffer.allocate(Long.BYTES + used).putLong(offset)
                        .put(buffer, 0, used).array();
                sha.update(buffer, 0, used);
                size[0] += used;
                try {
                    producer.send(new ProducerRecord<>(Topics.DETECTOR_STATE, 0,
                            chunkKey(chunks[0]++), value));
                } catch (KafkaException e) {
                    failed[0] = e;
                    throw e;
                }
                used = 0;
            }
        }) {
            classes = step.save(codec, out);
        } catch (IOException | RuntimeException e) {
            if (failed[0] != null) {
                throw failed[0];
            }
            throw e instanceof RuntimeException r ? r
                    : new IllegalStateException("cannot write the checkpoint", e);
        }
        for (int i = chunks[0]; i < previousChunks; i++) {
            producer.send(new ProducerRecord<>(Topics.DETECTOR_STATE, 0, chunkKey(i), null));
        }
        Checkpoint c = new Checkpoint(offset, engine, StateCodec.layout(classes), classes,
                chunks[0], size[0], HexFormat.of().formatHex(sha.digest()), writtenMillis,
                chunks[0], List.of());
        producer.send(new ProducerRecord<>(Topics.DETECTOR_STATE, 0, MANIFEST, manifest(c)));
        return c;
    }

    /**
     * The latest committed checkpoint, read with {@code reader} (read_committed, unassigned),
     * or null if there is none.
     *
     * @throws IllegalArgumentException if the manifest or its chunks are unreadable or
     *                                  missing, naming what
     */
    static Checkpoint latest(KafkaConsumer<String, byte[]> reader) {
        reader.assign(List.of(STATE));
        reader.seekToBeginning(List.of(STATE));
        long end = reader.endOffsets(List.of(STATE)).get(STATE);
        Map<String, byte[]> latest = new HashMap<>();
        while (reader.position(STATE) < end) {
            for (ConsumerRecord<String, byte[]> r : reader.poll(Duration.ofMillis(200))) {
                if (r.value() == null) {
                    latest.remove(r.key());
                } else {
                    latest.put(r.key(), r.value());
                }
            }
        }
        byte[] manifest = latest.get(MANIFEST);
        if (manifest == null) {
            return null;
        }
        Checkpoint m = parse(manifest);
        List<byte[]> data = new ArrayList<>(m.chunks());
        MessageDigest sha = sha256();
        long size = 0;
        for (int i = 0; i < m.chunks(); i++) {
            byte[] chunk = latest.get(chunkKey(i));
            if (chunk == null || chunk.length < Long.BYTES
                    || ByteBuffer.wrap(chunk).getLong() != m.offset()) {
                throw new IllegalArgumentException("checkpoint at offset " + m.offset() + " in "
                        + Topics.DETECTOR_STATE + ": " + chunkKey(i) + " is "
                        + (chunk == null ? "missing" : "from another checkpoint"));
            }
            data.add(chunk);
            sha.update(chunk, Long.BYTES, chunk.length - Long.BYTES);
            size += chunk.length - Long.BYTES;
        }
        String digest = HexFormat.of().formatHex(sha.digest());
        if (size != m.bytes() || !digest.equals(m.sha256())) {
            throw new IllegalArgumentException("checkpoint at offset " + m.offset() + " in "
                    + Topics.DETECTOR_STATE + " is corrupt: " + size + " bytes, SHA-256 "
                    + digest + ", where its manifest says " + m.bytes() + " bytes, "
                    + m.sha256());
        }
        int live = 0;
        for (String key : latest.keySet()) {
            if (key.startsWith("chunk-")) {
                live = Math.max(live, Integer.parseInt(key.substring(6)) + 1);
            }
        }
        return new Checkpoint(m.offset(), m.engine(), m.layout(), m.classes(), m.chunks(),
                m.bytes(), m.sha256(), m.writtenMillis(), live, List.copyOf(data));
    }

    private static String chunkKey(int i) {
        return String.format("chunk-%06d", i);
    }

    private static byte[] manifest(Checkpoint c) {
        ObjectNode n = JSON.createObjectNode();
        n.put("schema", SCHEMA);
        n.put("offset", c.offset());
        n.put("engine", c.engine());
        n.put("layout", c.layout());
        c.classes().forEach(n.putArray("classes")::add);
        n.put("chunks", c.chunks());
        n.put("bytes", c.bytes());
        n.put("sha256", c.sha256());
        n.put("written", c.writtenMillis());
        return n.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static Checkpoint parse(byte[] value) {
        try {
            JsonNode n = JSON.readTree(value);
            if (n.path("schema").asInt() != SCHEMA) {
                throw new IllegalArgumentException("checkpoint manifest in "
                        + Topics.DETECTOR_STATE + " has schema " + n.path("schema")
                        + "; this detector reads " + SCHEMA);
            }
            Set<String> classes = new TreeSet<>();
            n.path("classes").forEach(c -> classes.add(c.asText()));
            return new Checkpoint(n.get("offset").asLong(), n.get("engine").asText(),
                    n.get("layout").asText(), classes, n.get("chunks").asInt(),
                    n.get("bytes").asLong(), n.get("sha256").asText(),
                    n.path("written").asLong(), 0, List.of());
        } catch (IOException | NullPointerException e) {
            throw new IllegalArgumentException("unreadable checkpoint manifest in "
                    + Topics.DETECTOR_STATE + ": " + e, e);
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("no SHA-256 in this JVM", e);
        }
    }
}
