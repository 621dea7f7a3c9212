package io.storyline.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;

/**
 * The highest used heap of this JVM, sampled every 100 ms. A sample can miss a peak that a
 * collection clears within the interval; summing the heap pools' own peaks would instead add
 * up maxima reached at different times and overstate it.
 */
final class HeapSampler implements AutoCloseable {

    private static final long EVERY_MILLIS = 100;

    private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    private final Thread thread;
    private volatile long peak;
    private volatile boolean running = true;

    private HeapSampler() {
        thread = new Thread(this::run, "bench-heap-sampler");
        thread.setDaemon(true);
    }

    static HeapSampler start() {
        HeapSampler sampler = new HeapSampler();
        sampler.sample();
        sampler.thread.start();
        return sampler;
    }

    /** The highest used heap sampled so far, in bytes. */
    long peak() {
        sample();
        return peak;
    }

    /** The used heap now, in bytes. */
    long used() {
        return memory.getHeapMemoryUsage().getUsed();
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
    }

    private void run() {
        while (running) {
            sample();
            try {
                Thread.sleep(EVERY_MILLIS);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private synchronized void sample() {
        peak = Math.max(peak, used());
    }
}
