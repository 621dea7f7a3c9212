package io.storyline.pipeline;

import io.storyline.config.PipelineConfig;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cluster Storyline talks to: the configured external one, or an embedded broker started
 * (and later stopped) here. Hands out client properties, so every service runs the same code
 * against either, and makes sure the topics exist.
 */
public final class KafkaCluster implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaCluster.class);

    private final PipelineConfig config;
    private final EmbeddedKafka embedded;
    private final String bootstrapServers;

    private KafkaCluster(PipelineConfig config, EmbeddedKafka embedded, String bootstrap) {
        this.config = config;
        this.embedded = embedded;
        this.bootstrapServers = bootstrap;
    }

    /** Connects to the configured cluster, or starts the embedded broker; creates the topics. */
    public static KafkaCluster open(PipelineConfig config) {
        KafkaCluster cluster;
        String running = config.embedded() ? EmbeddedKafka.runningAt(config.dataDir()) : null;
        if (running != null) {
            // A `storyline run` holds the directory: talk to its broker instead.
            LOG.info("using the embedded broker on {} that another process runs on {}",
                    running, config.dataDir());
            cluster = new KafkaCluster(config, null, running);
        } else if (config.embedded()) {
            EmbeddedKafka kafka = EmbeddedKafka.start(config.dataDir(), config.port());
            cluster = new KafkaCluster(config, kafka, kafka.bootstrapServers());
        } else {
            cluster = new KafkaCluster(config, null, config.bootstrapServers());
        }
        try (Admin admin = Admin.create(cluster.clientProperties())) {
            TopicSetup.ensure(admin, config);
        } catch (RuntimeException e) {
            cluster.close();
            throw e;
        }
        return cluster;
    }

    /** Properties every client starts from: the bootstrap address and pass-through settings. */
    public Map<String, Object> clientProperties() {
        Map<String, Object> props = new HashMap<>(config.clientProperties());
        props.put("bootstrap.servers", bootstrapServers);
        return props;
    }

    /**
     * Calls {@code listener} with the reason when the embedded broker dies; an external
     * cluster's failures reach the clients as errors instead.
     */
    public void onBrokerFailure(java.util.function.Consumer<String> listener) {
        if (embedded != null) {
            embedded.onFailure(listener);
        }
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    public PipelineConfig config() {
        return config;
    }

    @Override
    public void close() {
        if (embedded != null) {
            embedded.close();
        }
    }
}
