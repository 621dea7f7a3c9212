package io.storyline.ingest;

import io.storyline.ingest.FeedState.Seen;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Decides, for each entry of a fetched feed, whether it is new, a revision of an entry seen
 * before (same id, other content), or already seen, and remembers the answer in the feed's
 * state. Pure and deterministic: decisions come in feed order.
 */
public final class EntryTracker {

    /**
     * Entries remembered per feed, beyond those in the latest fetch. An entry forgotten and
     * then listed again comes back as NEW; feeds rarely list entries this old.
     */
    public static final int SEEN_LIMIT = 1000;
    /** Hex digits of the content hash kept in the state (see {@link Seen#hash}). */
    static final int HASH_CHARS = 16;

    private EntryTracker() {
    }

    /** What an entry is to us. */
    public enum Change {
        /** An id never seen (or forgotten). */
        NEW,
        /** A seen id with other content. */
        REVISION,
        /** A seen id with the same content, or the same id again within one fetch: skip. */
        SEEN
    }

    /**
     * One entry's verdict.
     *
     * @param revision 0 for NEW, the previous revision + 1 for REVISION, the current one for
     *                 SEEN
     */
    public record Decision(FeedEntry entry, Change change, int revision) {
        public Decision {
            Objects.requireNonNull(entry, "entry");
            Objects.requireNonNull(change, "change");
        }
    }

    /** The verdicts, in feed order, and the state that remembers them. */
    public record Tracked(List<Decision> decisions, FeedState state) {
        public Tracked {
            decisions = List.copyOf(decisions);
            Objects.requireNonNull(state, "state");
        }

        /** NEW and REVISION decisions: what goes downstream. */
        public List<Decision> changed() {
            return decisions.stream().filter(d -> d.change() != Change.SEEN).toList();
        }

        /** NEW entries: what makes the schedule poll the feed more often. */
        public int newEntries() {
            return (int) decisions.stream().filter(d -> d.change() == Change.NEW).count();
        }
    }

    public static Tracked track(FeedState state, List<FeedEntry> entries) {
        Map<String, Seen> seen = new LinkedHashMap<>(state.seen());
        Set<String> inThisFetch = new HashSet<>();
        List<Decision> decisions = new ArrayList<>(entries.size());
        for (FeedEntry entry : entries) {
            String id = entry.articleId();
            Seen before = seen.get(id);
            if (!inThisFetch.add(id)) {
                // The same id twice in one document: the first occurrence speaks for both.
                decisions.add(new Decision(entry, Change.SEEN, before.revision()));
                continue;
            }
            String hash = entry.contentHash().substring(0,
                    Math.min(HASH_CHARS, entry.contentHash().length()));
            Seen now;
            Change change;
            if (before == null) {
                now = new Seen(hash, 0);
                change = Change.NEW;
            } else if (before.hash().equals(hash)) {
                now = before;
                change = Change.SEEN;
            } else {
                now = new Seen(hash, before.revision() + 1);
                change = Change.REVISION;
            }
            // Re-inserted at the end: entries still listed are the last to be forgotten.
            seen.remove(id);
            seen.put(id, now);
            decisions.add(new Decision(entry, change, now.revision()));
        }
        int limit = Math.max(SEEN_LIMIT, inThisFetch.size());
        Iterator<String> oldest = seen.keySet().iterator();
        while (seen.size() > limit) {
            oldest.next();
            oldest.remove();
        }
        return new Tracked(decisions, state.withSeen(seen));
    }
}
