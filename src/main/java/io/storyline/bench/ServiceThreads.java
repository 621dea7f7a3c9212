package io.storyline.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The bench's service loops (ingestor, detector), each on its own thread: remembers the first
 * failure so the phases can stop instead of waiting for output that will not come, and closes
 * the services in reverse order of start.
 */
final class ServiceThreads implements AutoCloseable {

    private final List<AutoCloseable> started = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    private volatile RuntimeException failure;

    /** Runs {@code loop} on {@code service} on a thread named {@code name}. */
    <T extends AutoCloseable> T start(String name, T service, Consumer<T> loop) {
        started.add(service);
        Thread thread = new Thread(() -> {
            try {
                loop.accept(service);
            } catch (RuntimeException e) {
                failure = failure == null ? e : failure;
            }
        }, name);
        thread.setDaemon(true);
        threads.add(thread);
        thread.start();
        return service;
    }

    /** The first exception a service loop ended with, or null. */
    RuntimeException failure() {
        return failure;
    }

    @Override
    public void close() {
        RuntimeException closing = null;
        for (int i = started.size() - 1; i >= 0; i--) {
            try {
                started.get(i).close();
                threads.get(i).join(60_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (Exception e) {
                if (closing == null) {
                    closing = new IllegalStateException("stopping " + threads.get(i).getName()
                            + ": " + e.getMessage(), e);
                }
            }
        }
        if (closing != null) {
            throw closing;
        }
    }
}
