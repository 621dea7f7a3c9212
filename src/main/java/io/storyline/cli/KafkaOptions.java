package io.storyline.cli;

import io.storyline.config.PipelineConfig;
import io.storyline.config.Settings;
import io.storyline.pipeline.FeedRegistry;
import io.storyline.pipeline.KafkaCluster;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.function.ToIntFunction;
import org.apache.kafka.common.KafkaException;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Where the Kafka cluster is, for commands that talk to it: {@code --bootstrap-servers}, else
 * the {@code kafka.*} settings, else the broker embedded on {@code --data-dir} (the one a
 * running {@code storyline run} holds, or one started in this process for the command).
 */
final class KafkaOptions {

    @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT[,HOST:PORT...]",
            description = "Kafka cluster (default: setting kafka.bootstrap.servers; if unset, "
                    + "the embedded broker on --data-dir).")
    String bootstrapServers;

    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "Data of the embedded broker (default: setting kafka.data-dir, "
                    + "data/kafka).")
    Path dataDir;

    @Mixin
    EngineOptions settings;

    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    /** The settings, with the command-line options applied on top (and named by errors). */
    Settings settings(PrintWriter err) {
        Settings s = settings.settings(err);
        if (bootstrapServers != null && !bootstrapServers.isBlank()) {
            s = s.with("kafka.bootstrap.servers", bootstrapServers.strip(),
                    "--bootstrap-servers");
        }
        if (dataDir != null) {
            s = s.with("kafka.data-dir", dataDir.toString(), "--data-dir");
        }
        return s;
    }

    /**
     * Runs {@code action} on the cluster's feed registry, starting the embedded broker for the
     * duration when needed. Kafka failures become one line and exit code 1.
     */
    int withFeedRegistry(ToIntFunction<FeedRegistry> action) {
        PrintWriter err = spec.commandLine().getErr();
        PipelineConfig config = PipelineConfig.from(settings(err));
        try (KafkaCluster cluster = KafkaCluster.open(config);
                FeedRegistry registry = new FeedRegistry(cluster.clientProperties())) {
            return action.applyAsInt(registry);
        } catch (IllegalStateException | KafkaException e) {
            err.println("error: " + e.getMessage());
            return 1;
        }
    }
}
