package io.storyline.cli;

import io.storyline.pipeline.Topics;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * Stand-in, until the pipeline's topic setup lands, that creates {@value Topics#FEEDS} on the
 * embedded broker so {@code storyline feeds} works out of the box. Replace its one caller
 * with the real topic setup and delete this class.
 */
final class TemporaryFeedsTopicSetup {

    private TemporaryFeedsTopicSetup() {
    }

    /** Creates the feeds topic (compacted, one partition, one replica) unless it exists. */
    static void createFeedsTopicIfMissing(Map<String, Object> clientProperties) {
        try (Admin admin = Admin.create(clientProperties)) {
            if (admin.listTopics().names().get().contains(Topics.FEEDS)) {
                return;
            }
            admin.createTopics(List.of(new NewTopic(Topics.FEEDS, 1, (short) 1)
                    .configs(Map.of("cleanup.policy", "compact")))).all().get();
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new IllegalStateException("cannot create topic " + Topics.FEEDS + " on "
                        + clientProperties.get("bootstrap.servers") + ": "
                        + e.getCause().getMessage(), e.getCause());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topic " + Topics.FEEDS,
                    e);
        }
    }
}
