package io.storyline.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs long-lived services until Ctrl-C (or {@link #stop}): services are closed in reverse
 * order of registration, so the broker stops last, after its clients. A service loop that
 * throws stops them all, and the command then exits with {@link #FAILED}.
 */
final class Services implements AutoCloseable {

    /** Exit status after a service loop failed (an ingestor out of memory, say). */
    static final int FAILED = 1;

    private static final Logger LOG = LoggerFactory.getLogger(Services.class);

    private final List<AutoCloseable> started = new ArrayList<>();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final Thread hook = new Thread(this::stop, "storyline-shutdown");
    private final CountDownLatch closed = new CountDownLatch(1);
    private final AtomicReference<Throwable> failure = new AtomicReference<>();

    Services() {
        Runtime.getRuntime().addShutdownHook(hook);
    }

    <T extends AutoCloseable> T add(T service) {
        started.add(service);
        return service;
    }

    /**
     * Runs {@code loop} on its own thread; when it ends by itself, everything stops, and when
     * it throws, the failure is logged and kept for {@link #exitCode}.
     */
    void start(String name, Runnable loop) {
        Thread thread = new Thread(() -> {
            try {
                loop.run();
            } catch (Throwable e) {
                failure.compareAndSet(null, e);
                LOG.error("{} failed, stopping everything (exit status {}): {}", name, FAILED,
                        e.getMessage(), e);
            } finally {
                stop();
            }
        }, name);
        thread.start();
    }

    /** Records a fatal error outside a service loop (a web request out of memory) and stops. */
    void fail(String name, Throwable e) {
        failure.compareAndSet(null, e);
        LOG.error("{} failed, stopping everything (exit status {}): {}", name, FAILED,
                e.toString(), e);
        stop();
    }

    /** 0, or {@link #FAILED} once a service loop has thrown. */
    int exitCode() {
        return failure.get() == null ? 0 : FAILED;
    }

    /** Blocks until Ctrl-C or {@link #stop}. */
    void awaitStop() throws InterruptedException {
        stopped.await();
    }

    /** Asks the services to stop; the shutdown hook waits until they have. */
    void stop() {
        stopped.countDown();
        if (Thread.currentThread() == hook) {
            try {
                closed.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public void close() {
        stopped.countDown();
        RuntimeException failure = null;
        try {
            for (int i = started.size() - 1; i >= 0; i--) {
                try {
                    started.get(i).close();
                } catch (Exception e) {
                    IllegalStateException f = new IllegalStateException("stopping "
                            + started.get(i) + ": " + e.getMessage(), e);
                    if (failure == null) {
                        failure = f;
                    } else {
                        failure.addSuppressed(f); // a second failure is often the clue
                    }
                }
            }
        } finally {
            // Even after an Error, the shutdown hook must not wait forever.
            closed.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // already shutting down
            }
        }
        if (failure != null) {
            throw failure;
        }
    }
}
