package io.storyline.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.sse.SseClient;
import io.storyline.view.ReadModel;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code /api/stream} clients and what they are sent: a {@code story} event per changed
 * story (its summary; the event id is the change's {@code seq}), {@code gone} for a story that
 * was merged away or left the history, and {@code reset} when a resuming client missed more
 * than the model remembers. Every send happens on one thread, so a client's catch-up and the
 * live events never interleave.
 */
final class SseHub implements AutoCloseable {

    static final long HEARTBEAT_SECONDS = 15;

    private static final Logger LOG = LoggerFactory.getLogger(SseHub.class);

    private final ReadModel model;
    private final ObjectMapper json;
    private final Consumer<Throwable> fatal;
    private final Set<SseClient> clients = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService sender = Executors.newSingleThreadScheduledExecutor(
            r -> {
                Thread t = new Thread(r, "storyline-sse");
                t.setDaemon(true);
                return t;
            });

    SseHub(ReadModel model, ObjectMapper json, Consumer<Throwable> fatal) {
        this.model = model;
        this.json = json;
        this.fatal = fatal;
        sender.scheduleWithFixedDelay(() -> guarded(this::heartbeat), HEARTBEAT_SECONDS,
                HEARTBEAT_SECONDS, TimeUnit.SECONDS);
    }

    int size() {
        return clients.size();
    }

    /** Keeps the client, sends what it missed after {@code after} (a seq) if given. */
    void connect(SseClient client, Long after) {
        client.keepAlive();
        client.onClose(() -> clients.remove(client));
        sender.execute(() -> guarded(() -> {
            if (after == null) {
                client.sendComment("connected");
            } else {
                List<ReadModel.Change> missed = model.changesAfter(after);
                if (missed == null) {
                    client.sendEvent("reset", "{}", Long.toString(model.stats().lastSeq()));
                } else {
                    missed.forEach(c -> send(client, c));
                }
            }
            if (!client.terminated()) {
                clients.add(client);
            }
        }));
    }

    /** Tells every client about {@code changes} (called by the model after each batch). */
    void changed(List<ReadModel.Change> changes) {
        sender.execute(() -> guarded(() -> {
            for (ReadModel.Change c : changes) {
                String[] event = event(c);
                for (SseClient client : clients) {
                    client.sendEvent(event[0], event[1], event[2]);
                }
            }
            clients.removeIf(SseClient::terminated);
        }));
    }

    private void send(SseClient client, ReadModel.Change c) {
        String[] event = event(c);
        client.sendEvent(event[0], event[1], event[2]);
    }

    /** Name, data and id of the event for one change. */
    private String[] event(ReadModel.Change c) {
        ReadModel.StorySummary summary = model.summary(c.story());
        try {
            String data = summary == null ? json.writeValueAsString(Map.of("id", c.story()))
                    : json.writeValueAsString(summary);
            return new String[] {summary == null ? "gone" : "story", data,
                    Long.toString(c.seq())};
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write story " + c.story() + " as JSON", e);
        }
    }

    private void heartbeat() {
        for (SseClient client : clients) {
            client.sendComment("keep-alive");
        }
        clients.removeIf(SseClient::terminated);
    }

    /** The sender survives any failure but one that leaves the JVM unfit to go on. */
    private void guarded(Runnable task) {
        try {
            task.run();
        } catch (VirtualMachineError e) {
            fatal.accept(e);
        } catch (Throwable e) {
            LOG.warn("sending server-sent events failed: {}", e.toString(), e);
        }
    }

    @Override
    public void close() {
        sender.shutdownNow();
        for (SseClient client : clients) {
            try {
                client.close();
            } catch (RuntimeException e) {
                LOG.debug("closing an event stream: {}", e.toString());
            }
        }
        clients.clear();
    }
}
