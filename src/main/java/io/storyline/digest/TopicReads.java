package io.storyline.digest;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads a compacted topic (or some of its partitions) from its start up to its end as it is
 * when the read starts, read_committed and without a consumer group.
 */
final class TopicReads {

    static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final Duration POLL = Duration.ofMillis(200);

    private TopicReads() {
    }

    static Map<String, Object> consumerProperties(Map<String, Object> client) {
        Map<String, Object> p = new HashMap<>(client);
        p.remove("group.id");
        p.put("enable.auto.commit", false);
        p.put("isolation.level", "read_committed");
        p.put("allow.auto.create.topics", false);
        p.put("fetch.max.wait.ms", 20);
        return p;
    }

    /** The number of partitions of {@code topic}; fails naming it when it does not exist. */
    static int partitions(Map<String, Object> client, String topic) {
        try (KafkaConsumer<String, String> c = new KafkaConsumer<>(consumerProperties(client),
                new StringDeserializer(), new StringDeserializer())) {
            return partitions(c, topic).size();
        } catch (KafkaException e) {
            throw new IllegalStateException("cannot read topic " + topic + ": "
                    + e.getMessage(), e);
        }
    }

    /**
     * Hands every record of {@code topic} (of partition {@code only}, or of all when it is
     * negative) up to the end to {@code to}.
     */
    static void readToEnd(Map<String, Object> client, String topic, int only,
            Consumer<ConsumerRecord<String, String>> to) {
        try (KafkaConsumer<String, String> c = new KafkaConsumer<>(consumerProperties(client),
                new StringDeserializer(), new StringDeserializer())) {
            List<TopicPartition> parts = partitions(c, topic);
            if (only >= 0) {
                parts = List.of(new TopicPartition(topic, only));
            }
            c.assign(parts);
            Map<TopicPartition, Long> end = c.endOffsets(parts, TIMEOUT);
            c.seekToBeginning(parts);
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            List<TopicPartition> pending = new ArrayList<>(parts);
            pending.removeIf(tp -> c.position(tp, TIMEOUT) >= end.get(tp));
            while (!pending.isEmpty()) {
                if (System.nanoTime() > deadline) {
                    TopicPartition tp = pending.get(0);
                    throw new IllegalStateException("reading topic " + topic + " took over "
                            + TIMEOUT.toSeconds() + " s: partition " + tp.partition()
                            + " at offset " + c.position(tp) + " of " + end.get(tp));
                }
                for (ConsumerRecord<String, String> r : c.poll(POLL)) {
                    if (r.offset() < end.get(new TopicPartition(r.topic(), r.partition()))) {
                        to.accept(r);
                    }
                }
                pending.removeIf(tp -> c.position(tp, TIMEOUT) >= end.get(tp));
            }
        } catch (KafkaException e) {
            throw new IllegalStateException("cannot read topic " + topic + ": "
                    + e.getMessage(), e);
        }
    }

    static List<TopicPartition> partitions(KafkaConsumer<?, ?> c, String topic) {
        List<PartitionInfo> infos = c.partitionsFor(topic, TIMEOUT);
        if (infos == null || infos.isEmpty()) {
            throw new IllegalStateException("topic " + topic + " does not exist");
        }
        return infos.stream().map(i -> new TopicPartition(i.topic(), i.partition()))
                .sorted((a, b) -> Integer.compare(a.partition(), b.partition())).toList();
    }
}
