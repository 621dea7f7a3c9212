package io.storyline.cluster;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/** Reads a whole topic as a downstream consumer would: read_committed, to its end. */
final class TopicDump {

    private static final Duration PATIENCE = Duration.ofMinutes(2);

    /** One record: where it is, its key and its value as text (null for a tombstone). */
    record Rec(int partition, long offset, String key, String value) {
    }

    private TopicDump() {
    }

    /**
     * Every committed record of {@code topic} up to its end as of the call, partitions in
     * order, each in offset order.
     */
    static List<Rec> read(String bootstrap, String topic) {
        Map<String, Object> c = new HashMap<>(Map.of("bootstrap.servers", bootstrap,
                "isolation.level", "read_committed", "max.partition.fetch.bytes", 4 << 20));
        List<Rec> out = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(c,
                new StringDeserializer(), new StringDeserializer())) {
            List<TopicPartition> parts = new ArrayList<>();
            for (PartitionInfo p : consumer.partitionsFor(topic)) {
                parts.add(new TopicPartition(topic, p.partition()));
            }
            consumer.assign(parts);
            consumer.seekToBeginning(parts);
            // Under read_committed the end is the last stable offset: no open transaction
            // is waited for beyond it.
            Map<TopicPartition, Long> end = consumer.endOffsets(parts);
            long deadline = System.nanoTime() + PATIENCE.toNanos();
            while (parts.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("reading " + topic + " to " + end + " took over "
                            + PATIENCE.toSeconds() + " s");
                }
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                    if (r.offset() < end.get(new TopicPartition(r.topic(), r.partition()))) {
                        out.add(new Rec(r.partition(), r.offset(), r.key(), r.value()));
                    }
                }
            }
        }
        out.sort((a, b) -> a.partition() != b.partition()
                ? Integer.compare(a.partition(), b.partition())
                : Long.compare(a.offset(), b.offset()));
        return out;
    }
}
