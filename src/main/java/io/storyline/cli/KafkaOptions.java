package io.storyline.cli;

import io.storyline.config.Settings;
import io.storyline.pipeline.EmbeddedKafka;
import io.storyline.pipeline.FeedRegistry;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.function.ToIntFunction;
import org.apache.kafka.common.KafkaException;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Where the Kafka cluster is, for commands that talk to it: {@code --bootstrap-servers}, else
 * the {@code kafka.*} settings, else a broker embedded in this process on {@code --data-dir}.
 */
final class KafkaOptions {

    static final String SETTINGS_PREFIX = "kafka.";

    @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT[,HOST:PORT...]",
            description = "Kafka cluster (default: setting kafka.bootstrap.servers; if unset, "
                    + "a broker embedded in this process, with its data in --data-dir).")
    String bootstrapServers;

    @Option(names = "--data-dir", paramLabel = "DIR", defaultValue = "data/kafka",
            description = "Data of the embedded broker (default: ${DEFAULT-VALUE}).")
    Path dataDir;

    @Option(names = "--config", paramLabel = "FILE",
            description = "Settings file (default: config/storyline.properties if present); "
                    + "every kafka.* key is passed to the Kafka clients without its prefix.")
    Path config;

    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    /**
     * Runs {@code action} on a feed registry of the cluster, starting the embedded broker for
     * the duration when no cluster is named. Kafka failures become one line and exit code 1.
     */
    int withFeedRegistry(ToIntFunction<FeedRegistry> action) {
        PrintWriter err = spec.commandLine().getErr();
        Map<String, Object> client = clientProperties(err);
        EmbeddedKafka broker = null;
        try {
            if (!client.containsKey("bootstrap.servers")) {
                broker = startEmbedded();
                client.put("bootstrap.servers", broker.bootstrapServers());
                TemporaryFeedsTopicSetup.createFeedsTopicIfMissing(client);
            }
            try (FeedRegistry registry = new FeedRegistry(client)) {
                return action.applyAsInt(registry);
            }
        } catch (IllegalStateException e) {
            err.println("error: " + e.getMessage());
            return 1;
        } finally {
            if (broker != null) {
                broker.close();
            }
        }
    }

    private EmbeddedKafka startEmbedded() {
        try {
            return EmbeddedKafka.start(dataDir, 0);
        } catch (KafkaException e) {
            // Most often another storyline process holds the directory's lock.
            throw new IllegalStateException("cannot start the embedded Kafka broker in "
                    + dataDir + ": " + e.getMessage(), e);
        }
    }

    /** Kafka client settings: kafka.* from the settings file, --bootstrap-servers on top. */
    Map<String, Object> clientProperties(PrintWriter err) {
        Path file = config;
        if (file == null && Files.exists(EngineOptions.DEFAULT_CONFIG)) {
            file = EngineOptions.DEFAULT_CONFIG;
        }
        Settings settings = Settings.load(file, Map.of(),
                warning -> err.println("warning: " + warning));
        Map<String, Object> client = new HashMap<>(settings.under(SETTINGS_PREFIX));
        if (bootstrapServers != null && !bootstrapServers.isBlank()) {
            client.put("bootstrap.servers", bootstrapServers.strip());
        }
        return client;
    }
}
