package io.storyline.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedKafkaIT {

    @TempDir
    Path dir;

    @Test
    void keepsRecordsAcrossARestartOnTheSameDirectory() throws Exception {
        String bootstrap;
        try (EmbeddedKafka kafka = EmbeddedKafka.start(dir, 0)) {
            bootstrap = kafka.bootstrapServers();
            try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
                admin.createTopics(List.of(new NewTopic("t", 1, (short) 1))).all().get();
            }
            Properties p = new Properties();
            p.put("bootstrap.servers", bootstrap);
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(p,
                    new StringSerializer(), new StringSerializer())) {
                producer.send(new ProducerRecord<>("t", "k", "before restart")).get();
            }
        }
        try (EmbeddedKafka kafka = EmbeddedKafka.start(dir, 0)) {
            assertEquals(bootstrap, kafka.bootstrapServers());
            Properties c = new Properties();
            c.put("bootstrap.servers", kafka.bootstrapServers());
            try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(c,
                    new StringDeserializer(), new StringDeserializer())) {
                TopicPartition tp = new TopicPartition("t", 0);
                consumer.assign(List.of(tp));
                consumer.seekToBeginning(List.of(tp));
                List<String> values = new ArrayList<>();
                long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                while (values.isEmpty() && System.nanoTime() < deadline) {
                    for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                        values.add(r.value());
                    }
                }
                assertEquals(List.of("before restart"), values);
            }
        }
    }

    @Test
    void aSecondBrokerOnADirectoryInUseIsRefusedAndTheFirstKeepsRunning() throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.start(dir, 0)) {
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> EmbeddedKafka.start(dir, 0));
            assertEquals("Kafka data directory " + dir + " is in use by another broker (its "
                    + "broker answers on " + kafka.bootstrapServers() + ")", e.getMessage());
            try (Admin admin = Admin.create(Map.of("bootstrap.servers",
                    kafka.bootstrapServers()))) {
                admin.createTopics(List.of(new NewTopic("t", 1, (short) 1))).all().get();
            }
        }
    }
}
