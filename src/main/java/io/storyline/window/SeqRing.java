package io.storyline.window;

import java.util.Arrays;

/**
 * Per-article state of the articles in the window, addressed by arrival sequence number.
 * Articles enter in sequence order and leave from the oldest end, so a ring buffer gives
 * constant-time access without a hash map per article.
 */
public final class SeqRing<T> {

    private Object[] items = new Object[1024]; // a power of two: slots by mask, not division
    private int head;
    private int size;
    private long firstSeq;

    /** Appends the state of article {@code seq}, which must follow the last one appended. */
    public void add(long seq, T item) {
        if (size == 0) {
            firstSeq = seq;
        } else if (seq != firstSeq + size) {
            throw new IllegalArgumentException(
                    "seq " + seq + " does not follow " + (firstSeq + size - 1));
        }
        if (size == items.length) {
            grow();
        }
        items[(head + size) & (items.length - 1)] = item;
        size++;
    }

    /** The state of article {@code seq}, or null when it is not in the window. */
    @SuppressWarnings("unchecked")
    public T get(long seq) {
        long offset = seq - firstSeq;
        if (offset < 0 || offset >= size) {
            return null;
        }
        return (T) items[(int) ((head + offset) & (items.length - 1))];
    }

    /** The oldest article's state, or null when empty. */
    public T oldest() {
        return size == 0 ? null : get(firstSeq);
    }

    /** Removes and returns the oldest article's state. */
    @SuppressWarnings("unchecked")
    public T removeOldest() {
        if (size == 0) {
            throw new IllegalStateException("window is empty");
        }
        T item = (T) items[head];
        items[head] = null;
        head = (head + 1) & (items.length - 1);
        size--;
        firstSeq++;
        return item;
    }

    /** Sequence number of the oldest article in the window (the next one when empty). */
    public long firstSeq() {
        return firstSeq;
    }

    public int size() {
        return size;
    }

    private void grow() {
        Object[] bigger = new Object[items.length * 2];
        for (int i = 0; i < size; i++) {
            bigger[i] = items[(head + i) & (items.length - 1)];
        }
        Arrays.fill(items, null);
        items = bigger;
        head = 0;
    }
}
