package io.storyline.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The checks TopicSetup makes against topics that exist already, on a real broker. */
class TopicSetupIT {

    @TempDir
    Path dir;

    @Test
    void feedsAndFeedStateWithUnequalPartitionCountsAreRefusedAtStart() throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.start(dir, 0);
                Admin admin = Admin.create(Map.of("bootstrap.servers",
                        kafka.bootstrapServers()))) {
            // Both created beforehand by hand, with different partition counts.
            admin.createTopics(List.of(new NewTopic(Topics.FEEDS, 2, (short) 1),
                    new NewTopic(Topics.FEED_STATE, 1, (short) 1))).all().get();

            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> TopicSetup.ensure(admin, PipelineTestKit.config(dir)));

            assertEquals("topic storyline.feeds has 2 partitions but storyline.feed-state has 1;"
                    + " they must be equal (an ingestor reads a feed's state from the"
                    + " storyline.feed-state partition numbered like its storyline.feeds"
                    + " partition): add partitions to the smaller one with kafka-topics --alter",
                    e.getMessage());
        }
    }

    @Test
    void aMissingFeedStateTopicTakesTheRegistrysPartitionCount() throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.start(dir, 0);
                Admin admin = Admin.create(Map.of("bootstrap.servers",
                        kafka.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(Topics.FEEDS, 1, (short) 1))).all().get();

            TopicSetup.ensure(admin, PipelineTestKit.config(dir)); // would make two

            assertEquals(1, admin.describeTopics(List.of(Topics.FEED_STATE)).allTopicNames()
                    .get().get(Topics.FEED_STATE).partitions().size());
            assertEquals(2, admin.describeTopics(List.of(Topics.ASSIGNMENTS)).allTopicNames()
                    .get().get(Topics.ASSIGNMENTS).partitions().size());
        }
    }

    @Test
    void anArticlesTopicStampedByItsProducersIsRefusedAtStart() throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.start(dir, 0);
                Admin admin = Admin.create(Map.of("bootstrap.servers",
                        kafka.bootstrapServers()))) {
            // Created by an older version or by hand: CreateTime, each ingestor's clock.
            admin.createTopics(List.of(new NewTopic(Topics.ARTICLES, 1, (short) 1))).all()
                    .get();

            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> TopicSetup.ensure(admin, PipelineTestKit.config(dir)));

            assertEquals("topic storyline.articles has message.timestamp.type=CreateTime; the"
                    + " detector's window needs LogAppendTime (arrival as the broker stamps it,"
                    + " not each ingestor's clock): kafka-configs --alter --entity-type topics"
                    + " --entity-name storyline.articles --add-config"
                    + " message.timestamp.type=LogAppendTime", e.getMessage());
        }
    }
}
