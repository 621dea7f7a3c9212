package io.storyline.ingest;

import java.util.ArrayList;
import java.util.List;

/**
 * The body bytes all fetches hold at once ({@code ingest.max-in-flight.bytes}): downloaded,
 * decompressed, and kept by the caller until it is done with the body. A download with no room
 * left stops asking for more (HTTP flow control: the socket is not read) until bytes are
 * released; the bytes already delivered are taken even over the limit, so the budget can be
 * passed by at most one delivery of the HTTP client (a few network buffers) per fetch under
 * way.
 */
final class ByteBudget {

    private final long limit;
    private long used;
    private final List<Runnable> waiting = new ArrayList<>();

    ByteBudget(long limit) {
        this.limit = limit;
    }

    synchronized long used() {
        return used;
    }

    /** Runs {@code onRoom} now if there is room, else once enough bytes are released. */
    void whenRoom(Runnable onRoom) {
        synchronized (this) {
            if (used >= limit) {
                waiting.add(onRoom);
                return;
            }
        }
        onRoom.run();
    }

    /** Bytes no longer held. */
    void release(long bytes) {
        List<Runnable> wake;
        synchronized (this) {
            used -= bytes;
            if (used >= limit || waiting.isEmpty()) {
                return;
            }
            wake = new ArrayList<>(waiting);
            waiting.clear();
        }
        wake.forEach(Runnable::run);
    }

    private synchronized void take(long bytes) {
        used += bytes;
    }

    Reservation open() {
        return new Reservation();
    }

    /**
     * The bytes one fetch holds. Once closed it takes nothing more: a buffer that arrives
     * after the fetch gave up must not be counted for ever.
     */
    final class Reservation {
        private long held;
        private boolean closed;

        synchronized void take(long bytes) {
            if (!closed) {
                ByteBudget.this.take(bytes);
                held += bytes;
            }
        }

        /** Keeps exactly {@code bytes} (the body handed to the caller) and closes. */
        void keep(long bytes) {
            long excess;
            synchronized (this) {
                excess = held - bytes;
                if (excess < 0) {
                    take(-excess);
                }
                closed = true;
                held = bytes;
            }
            // Outside the lock: waking waiters may deliver another fetch's buffer right here.
            if (excess > 0) {
                release(excess);
            }
        }

        /** Releases everything held and closes. */
        void releaseAll() {
            long bytes;
            synchronized (this) {
                closed = true;
                bytes = held;
                held = 0;
            }
            release(bytes);
        }
    }
}
