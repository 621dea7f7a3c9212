package io.storyline.view;

import java.time.Instant;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.function.IntToDoubleFunction;
import org.apache.lucene.util.IntroSorter;
import org.apache.lucene.util.TimSorter;

/**
 * An immutable snapshot of the listed stories in each sort's order, which story-list queries
 * read without a lock: a page walks an order from its cursor's position until it is full,
 * so it costs its length, not the number of stories. Besides the orders it keeps what the
 * filters test, per story slot: first seen, last update, distinct sources, languages, and
 * the slots of each source (lower case), so a filter costs no look-up in a story.
 *
 * <p>The trending keys are those of the clock at {@link #at}; the other keys, and every
 * filter value, those of model {@link Base#version}. Stories changed after that version are
 * read from the model itself by the query (see {@code ReadModel#stories}).
 */
final class StoryOrder {

    private static final long HOUR = 3_600_000L;

    /** What does not depend on the clock: rebuilt only when the model changed. */
    static final class Base {
        final long version;
        /** The change journal's end when built: later entries are changed stories. */
        final long journalEnd;
        /** The clock when built: trending keys from then on need only {@link #recent}. */
        final long builtAt;
        final StoryView[] views;
        final Instant[] firstSeen;
        final Instant[] lastUpdate;
        final int[] sources;
        /** Last arrival (MIN_VALUE for none) and the arrivals of the two hours before built. */
        final long[] lastArrival;
        final long[][] recent;
        /** Rank of each slot's id among all ids: ties of every order go by id. */
        final int[] idRank;
        final Map<String, BitSet> langSlots;
        final Map<String, int[]> sourceSlots;
        final Ordering byNew;
        final Ordering bySize;
        /**
         * Each slot's story number: slots go by number, ascending, so the hits of a search,
         * which come in about that order, find their slots walking forward through memory.
         */
        private final long[] nos;

        private Base(long version, long journalEnd, long now, Collection<StoryView> stories) {
            this.version = version;
            this.journalEnd = journalEnd;
            this.builtAt = now;
            views = stories.stream().filter(StoryView::listed).toArray(StoryView[]::new);
            int n = views.length;
            StoryView[] byNo = views.clone();
            int[] order = sortedSlots(n, (i, j) -> Long.compare(byNo[i].no, byNo[j].no));
            nos = new long[n];
            for (int i = 0; i < n; i++) {
                views[i] = byNo[order[i]];
                nos[i] = views[i].no;
            }
            firstSeen = new Instant[n];
            lastUpdate = new Instant[n];
            sources = new int[n];
            lastArrival = new long[n];
            recent = new long[n][];
            Map<String, BitSet> langs = new HashMap<>();
            Map<String, IntList> keys = new HashMap<>();
            for (int slot = 0; slot < n; slot++) {
                StoryView s = views[slot];
                firstSeen[slot] = s.firstSeen();
                lastUpdate[slot] = s.lastUpdate();
                sources[slot] = s.distinctSources();
                lastArrival[slot] = s.arrivals.last();
                recent[slot] = s.arrivals.after(now - 2 * HOUR);
                for (String lang : s.languages.keySet()) {
                    langs.computeIfAbsent(lang, k -> new BitSet(n)).set(slot);
                }
                for (String key : s.sourceKeys) {
                    keys.computeIfAbsent(key, k -> new IntList()).add(slot);
                }
            }
            int[] byId = sortedSlots(n, (i, j) -> views[i].id.compareTo(views[j].id));
            idRank = new int[n];
            for (int i = 0; i < n; i++) {
                idRank[byId[i]] = i;
            }
            langSlots = langs;
            sourceSlots = new HashMap<>(keys.size() * 2);
            keys.forEach((k, v) -> sourceSlots.put(k, v.toArray()));
            byNew = new Ordering(this, slot -> firstSeen[slot] == null ? 0
                    : -firstSeen[slot].toEpochMilli(), null);
            bySize = new Ordering(this, slot -> -views[slot].articleCount(), null);
        }

        int size() {
            return views.length;
        }

        /** The slot of story number {@code no}, or -1 when it is not in this snapshot. */
        int slotOf(long no) {
            int i = Arrays.binarySearch(nos, no);
            return i < 0 ? -1 : i;
        }

        /**
         * Like {@link #slotOf} but searching forward from slot {@code from} first (galloping),
         * for numbers that come in ascending runs: the slot, or {@code -(where it would be) - 1}.
         */
        int slotOf(long no, int from) {
            int n = nos.length;
            int lo = 0;
            int hi = n;
            if (from >= 0 && from < n && nos[from] <= no) {
                lo = from;
                int step = 1;
                hi = from + 1;
                while (hi < n && nos[hi] <= no) {
                    lo = hi;
                    step <<= 1;
                    hi = from + step;
                }
                hi = Math.min(hi, n);
            }
            int i = Arrays.binarySearch(nos, lo, hi, no);
            return i;
        }

        /**
         * A slot's trending key (lower first) at {@code now}: the same as the model computes
         * from the story, from the arrivals kept here.
         */
        double trendingKey(int slot, long now) {
            long last = lastArrival[slot];
            double hours = last == Long.MIN_VALUE ? 0 : (now - last) / (double) HOUR;
            long[] times = recent[slot];
            int lastHour = 0;
            int hourBefore = 0;
            for (long t : times) {
                if (t > now - HOUR && t <= now) {
                    lastHour++;
                } else if (t > now - 2 * HOUR && t <= now - HOUR) {
                    hourBefore++;
                }
            }
            return -Trending.score(lastHour, hourBefore, sources[slot], hours);
        }
    }

    /** One sort's order: the slot at each rank, the rank of each slot, the key at each rank. */
    static final class Ordering {
        final int[] slotAt;
        final int[] rankOf;
        final double[] keyAt;
        private final Base base;

        /**
         * @param start an order of the slots to start from (nearly sorted: a merge sort that
         *              finds runs takes about linear time), or null
         */
        Ordering(Base base, IntToDoubleFunction key, int[] start) {
            this.base = base;
            int n = base.size();
            double[] keys = new double[n];
            for (int slot = 0; slot < n; slot++) {
                keys[slot] = key.applyAsDouble(slot);
            }
            int[] idRank = base.idRank;
            SlotComparator cmp = (i, j) -> {
                int c = Double.compare(keys[i], keys[j]);
                return c != 0 ? c : Integer.compare(idRank[i], idRank[j]);
            };
            slotAt = start == null ? sortedSlots(n, cmp) : resorted(start.clone(), cmp);
            rankOf = new int[n];
            keyAt = new double[n];
            for (int r = 0; r < n; r++) {
                rankOf[slotAt[r]] = r;
                keyAt[r] = keys[slotAt[r]];
            }
        }

        /** The first rank strictly after position ({@code key}, {@code id}). */
        int after(double key, String id) {
            int lo = 0;
            int hi = slotAt.length;
            while (lo < hi) {
                int mid = (lo + hi) >>> 1;
                int c = Double.compare(keyAt[mid], key);
                if (c == 0) {
                    c = base.views[slotAt[mid]].id.compareTo(id);
                }
                if (c <= 0) {
                    lo = mid + 1;
                } else {
                    hi = mid;
                }
            }
            return lo;
        }

        /** The ranks of {@code slots} as a set. */
        BitSet ranks(int[] slots) {
            BitSet out = new BitSet(slotAt.length);
            if (slots != null) {
                for (int slot : slots) {
                    out.set(rankOf[slot]);
                }
            }
            return out;
        }
    }

    final Base base;
    /** Epoch ms of the clock the trending keys were computed at. */
    final long at;
    final Ordering byTrending;

    private StoryOrder(Base base, long at, int[] start) {
        this.base = base;
        this.at = at;
        this.byTrending = new Ordering(base, slot -> base.trendingKey(slot, at), start);
    }

    /**
     * A snapshot of the listed {@code stories} (read under the model's read lock). When the
     * model has not changed since {@code previous} and the clock went forward, only the
     * trending order is computed again, from the previous one.
     */
    static StoryOrder build(StoryOrder previous, long version, long journalEnd,
            Collection<StoryView> stories, long now) {
        if (previous != null && previous.base.version == version
                && now >= previous.base.builtAt) {
            return new StoryOrder(previous.base, now, previous.byTrending.slotAt);
        }
        return new StoryOrder(new Base(version, journalEnd, now, stories), now, null);
    }

    Ordering ordering(StoryQuery.Sort sort) {
        return switch (sort) {
            case TRENDING -> byTrending;
            case NEW -> base.byNew;
            case SIZE -> base.bySize;
        };
    }

    /** Slots 0..n-1 sorted by {@code cmp}, without boxing. */
    private static int[] sortedSlots(int n, SlotComparator cmp) {
        int[] slots = new int[n];
        for (int i = 0; i < n; i++) {
            slots[i] = i;
        }
        new IntroSorter() {
            private int pivot;

            @Override
            protected void setPivot(int i) {
                pivot = slots[i];
            }

            @Override
            protected int comparePivot(int j) {
                return cmp.compare(pivot, slots[j]);
            }

            @Override
            protected int compare(int i, int j) {
                return cmp.compare(slots[i], slots[j]);
            }

            @Override
            protected void swap(int i, int j) {
                int t = slots[i];
                slots[i] = slots[j];
                slots[j] = t;
            }
        }.sort(0, n);
        return slots;
    }

    /** {@code slots} sorted in place by a merge sort that takes runs as they are. */
    private static int[] resorted(int[] slots, SlotComparator cmp) {
        int n = slots.length;
        int[] saved = new int[n];
        new TimSorter(n) {
            @Override
            protected int compare(int i, int j) {
                return cmp.compare(slots[i], slots[j]);
            }

            @Override
            protected void swap(int i, int j) {
                int t = slots[i];
                slots[i] = slots[j];
                slots[j] = t;
            }

            @Override
            protected void copy(int src, int dest) {
                slots[dest] = slots[src];
            }

            @Override
            protected void save(int i, int len) {
                System.arraycopy(slots, i, saved, 0, len);
            }

            @Override
            protected void restore(int i, int j) {
                slots[j] = saved[i];
            }

            @Override
            protected int compareSaved(int i, int j) {
                return cmp.compare(saved[i], slots[j]);
            }
        }.sort(0, n);
        return slots;
    }

    private interface SlotComparator {
        int compare(int a, int b);
    }

    /** A growable list of ints. */
    private static final class IntList {
        private int[] values = new int[4];
        private int size;

        void add(int v) {
            if (size == values.length) {
                values = Arrays.copyOf(values, size * 2);
            }
            values[size++] = v;
        }

        int[] toArray() {
            return Arrays.copyOf(values, size);
        }
    }
}