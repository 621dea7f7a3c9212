package io.storyline.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.storyline.pipeline.EmbeddedKafka;
import io.storyline.pipeline.Topics;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.utils.Exit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code run} ends with a failure status when its embedded broker dies: a broker that meets a
 * fatal fault asks to halt the process (which the embedded broker intercepts), and the job
 * must not go on silently without it.
 */
class RunBrokerDeathIT {

    @TempDir
    Path dir;

    @Test
    void runExitsWithAFailureWhenItsBrokerDies() throws Exception {
        Path data = dir.resolve("kafka");
        CompletableFuture<Integer> run = CompletableFuture.supplyAsync(() ->
                Main.commandLine().execute("run", "--data-dir", data.toString(),
                        "--feeds", "config/feeds.opml"));
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!topicsCreated(data)) {
            assertTrue(System.nanoTime() < deadline, "the embedded broker did not start");
            assertTrue(!run.isDone(), "run ended early");
            Thread.sleep(100);
        }
        // What a broker thread does on a fatal fault (a failed log directory, say).
        IllegalStateException fault = assertThrows(IllegalStateException.class,
                () -> Exit.halt(1, "simulated fatal fault"));
        assertTrue(fault.getMessage().contains("simulated fatal fault"), fault.getMessage());
        assertEquals(Services.FAILED, run.get(60, TimeUnit.SECONDS));
    }

    /** Whether run's broker is up and has the topics (run has opened its cluster). */
    private static boolean topicsCreated(Path data) throws InterruptedException {
        String address = EmbeddedKafka.runningAt(data);
        if (address == null) {
            return false;
        }
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", address,
                "default.api.timeout.ms", 5000, "request.timeout.ms", 5000))) {
            return admin.listTopics().names().get().contains(Topics.DEAD_LETTERS);
        } catch (ExecutionException e) {
            return false;
        }
    }
}
