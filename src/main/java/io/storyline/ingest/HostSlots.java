package io.storyline.ingest;

import java.util.HashMap;
import java.util.Map;

/**
 * At most {@code ingest.per-host-concurrency} requests at once to one host and port: a
 * publisher with hundreds of feeds on one server sees a polite crawler, not a burst. Hosts
 * with no request under way hold no memory.
 */
final class HostSlots {

    private final int perHost;
    private final Map<String, Integer> busy = new HashMap<>();

    HostSlots(int perHost) {
        this.perHost = perHost;
    }

    /**
     * Waits for a slot of {@code host} until {@code deadline} ({@link System#nanoTime}).
     *
     * @return whether a slot was taken (then {@link #release} it)
     */
    synchronized boolean acquire(String host, long deadline) throws InterruptedException {
        while (busy.getOrDefault(host, 0) >= perHost) {
            long wait = deadline - System.nanoTime();
            if (wait <= 0) {
                return false;
            }
            wait(Math.max(1, wait / 1_000_000), (int) (wait % 1_000_000));
        }
        busy.merge(host, 1, Integer::sum);
        return true;
    }

    synchronized void release(String host) {
        busy.computeIfPresent(host, (h, n) -> n <= 1 ? null : n - 1);
        notifyAll();
    }

    /** Requests under way to {@code host}. */
    synchronized int busy(String host) {
        return busy.getOrDefault(host, 0);
    }
}
