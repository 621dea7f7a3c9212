package io.storyline.view;

import java.time.Instant;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.function.IntToDoubleFunction;
import java.util.function.ToDoubleFunction;
import org.apache.lucene.util.IntroSorter;

/**
 * An immutable snapshot of the listed stories in each sort's order, which story-list queries
 * read without a lock: a page walks an order from its cursor's position until it is full,
 * so it costs its length, not the number of stories. Besides the orders it keeps what the
 * filters test, per story slot: first seen, last update, distinct sources, and the slots of
 * each language and source (lower case), so a filter costs no look-up in a story.
 *
 * <p>The trending keys are those of the clock at {@link #at}; the other keys, and every
 * filter value, those of model {@link #version}. Stories changed after that version are
 * read from the model itself by the query (see {@code ReadModel#stories}).
 */
final class StoryOrder {

    /** What does not depend on the clock: rebuilt only when the model changed. */
    static final class Base {
        final long version;
        /** The change journal's end when built: later entries are changed stories. */
        final long journalEnd;
        final StoryView[] views;
        final Instant[] firstSeen;
        final Instant[] lastUpdate;
        final int[] sources;
        /** Story numbers, ascending, and the slot of each: a search hit's story. */
        final long[] nos;
        final int[] slotOfNo;
        /** Rank of each slot's id among all ids: ties of every order go by id. */
        final int[] idRank;
        final Map<String, int[]> langSlots;
        final Map<String, int[]> sourceSlots;
        final Ordering byNew;
        final Ordering bySize;

        private Base(long version, long journalEnd, Collection<StoryView> stories) {
            this.version = version;
            this.journalEnd = journalEnd;
            views = stories.stream().filter(StoryView::listed).toArray(StoryView[]::new);
            int n = views.length;
            firstSeen = new Instant[n];
            lastUpdate = new Instant[n];
            sources = new int[n];
            Map<String, IntList> langs = new HashMap<>();
            Map<String, IntList> keys = new HashMap<>();
            for (int slot = 0; slot < n; slot++) {
                StoryView s = views[slot];
                firstSeen[slot] = s.firstSeen();
                lastUpdate[slot] = s.lastUpdate();
                sources[slot] = s.distinctSources();
                for (String lang : s.languages.keySet()) {
                    langs.computeIfAbsent(lang, k -> new IntList()).add(slot);
                }
                for (String key : s.sourceKeys) {
                    keys.computeIfAbsent(key, k -> new IntList()).add(slot);
                }
            }
            nos = new long[n];
            slotOfNo = new int[n];
            int[] bySlotNo = sortedSlots(n, (i, j) -> Long.compare(views[i].no, views[j].no));
            for (int i = 0; i < n; i++) {
                nos[i] = views[bySlotNo[i]].no;
                slotOfNo[i] = bySlotNo[i];
            }
            int[] byId = sortedSlots(n, (i, j) -> views[i].id.compareTo(views[j].id));
            idRank = new int[n];
            for (int i = 0; i < n; i++) {
                idRank[byId[i]] = i;
            }
            langSlots = freeze(langs);
            sourceSlots = freeze(keys);
            byNew = new Ordering(this, slot -> firstSeen[slot] == null ? 0
                    : -firstSeen[slot].toEpochMilli());
            bySize = new Ordering(this, slot -> -views[slot].articleCount());
        }

        int size() {
            return views.length;
        }

        /** The slot of story number {@code no}, or -1 when it is not in this snapshot. */
        int slotOf(long no) {
            int i = Arrays.binarySearch(nos, no);
            return i < 0 ? -1 : slotOfNo[i];
        }

        private static Map<String, int[]> freeze(Map<String, IntList> lists) {
            Map<String, int[]> out = new HashMap<>(lists.size() * 2);
            lists.forEach((k, v) -> out.put(k, v.toArray()));
            return out;
        }
    }

    /** One sort's order: the slot at each rank, the rank of each slot, the key at each rank. */
    static final class Ordering {
        final int[] slotAt;
        final int[] rankOf;
        final double[] keyAt;
        private final Base base;

        Ordering(Base base, IntToDoubleFunction key) {
            this.base = base;
            int n = base.size();
            double[] keys = new double[n];
            for (int slot = 0; slot < n; slot++) {
                keys[slot] = key.applyAsDouble(slot);
            }
            int[] idRank = base.idRank;
            slotAt = sortedSlots(n, (i, j) -> {
                int c = Double.compare(keys[i], keys[j]);
                return c != 0 ? c : Integer.compare(idRank[i], idRank[j]);
            });
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

    private StoryOrder(Base base, long at, ToDoubleFunction<StoryView> trendingKey) {
        this.base = base;
        this.at = at;
        this.byTrending = new Ordering(base, slot -> trendingKey.applyAsDouble(
                base.views[slot]));
    }

    /**
     * A snapshot of the listed {@code stories} (read under the model's read lock), reusing
     * {@code previous}'s clock-free part when the model has not changed since.
     */
    static StoryOrder build(StoryOrder previous, long version, long journalEnd,
            Collection<StoryView> stories, long now, ToDoubleFunction<StoryView> trendingKey) {
        Base base = previous != null && previous.base.version == version ? previous.base
                : new Base(version, journalEnd, stories);
        return new StoryOrder(base, now, trendingKey);
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
