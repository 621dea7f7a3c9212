package io.storyline.view;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.storyline.config.ServeConfig;
import io.storyline.pipeline.Messages;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Collections;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Consumer;

/**
 * The stories, articles and feed health a dashboard shows, built from the output topics
 * alone. One thread applies records ({@link #applyAssignment}, {@link #applyStory},
 * {@link #applyFeedHealth}); any number read. Memory is bounded: stories whose last activity
 * is older than {@code serve.history.days} leave, and beyond {@code serve.max-stories} stories
 * or {@code serve.max-articles} articles the least recently active story leaves first (ties
 * by id), with its articles. Windows ("last hour", velocity) count arrivals by fetch time
 * against this model's clock.
 */
public final class ReadModel implements AutoCloseable {

    /** Story changes remembered for {@code Last-Event-ID} resumes. */
    public static final int CHANGE_LOG = 10_000;
    /** Feeds held at most; the one reported longest ago leaves first. */
    public static final int MAX_FEEDS = 100_000;
    /**
     * The staleness bound of the trending order: a query finding the story-list snapshot
     * older than this (by the model's clock) rebuilds it. Changes are never stale: stories
     * changed after the snapshot are read from the model itself.
     */
    public static final long ORDER_MAX_AGE_MS = 1_000;
    /** The snapshot's age at which the writer rebuilds it, so that queries rarely must. */
    static final long ORDER_REFRESH_MS = 500;
    /** Stories changed since the snapshot beyond which the next query or batch rebuilds it. */
    static final int ORDER_MAX_CHANGES = 4_096;
    /** Journal entries kept while no query asks for a new snapshot; beyond, it is dropped. */
    static final int JOURNAL_MAX = 65_536;
    /** Hours in a summary's arrivals chart. */
    public static final int CHART_HOURS = 24;
    /**
     * Newest assignment and story schemas this model reads (the ones this build's detector
     * writes); a newer one stops it.
     */
    public static final int ASSIGNMENT_SCHEMA = Messages.ASSIGNMENT_SCHEMA;
    public static final int STORY_SCHEMA = Messages.STORY_SCHEMA;
    public static final int FEED_HEALTH_SCHEMA = 1;

    private static final long HOUR = Duration.ofHours(1).toMillis();
    private static final int MAX_ALIAS_HOPS = 64;
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    /** A story change: the {@code seq} of the article that made it, and the story. */
    public record Change(long seq, String story) {
    }

    /** One row of the story list. */
    public record StorySummary(String id, String headline, String url, String status,
            Instant firstSeen, Instant lastUpdate, int articles, int sources, int copies,
            List<String> sourceNames, List<String> languages, Velocity velocity,
            double trending, int[] arrivals, long seq) {
    }

    /** Arrivals in the last hour and in the hour before. */
    public record Velocity(int lastHour, int hourBefore) {
    }

    /** A page of the story list. */
    public record StoryPage(List<StorySummary> stories, String next, int matched, long seq) {
    }

    /** An article of a story with the copies of it folded under it. */
    public record ArticleEntry(ArticleView article, List<ArticleView> copies) {
    }

    /** Arrivals per UTC hour from {@code start}. */
    public record HourlyArrivals(Instant start, int[] counts) {
    }

    /** A story with its articles in time order, copies folded, and arrivals per hour. */
    public record StoryDetail(StorySummary story, List<String> absorbed, Instant firstPublished,
            Instant lastPublished, List<ArticleEntry> articles, HourlyArrivals arrivals) {
    }

    /** A feed with its health and its articles of the last 24 hours. */
    public record FeedRow(String url, String source, FeedHealth health, int articlesPerDay) {
    }

    /** Counts for health and metrics. */
    public record Stats(int stories, int openStories, int articles, int feeds, long lastSeq,
            long assignments, long copies, long skipped) {
    }

    private final Clock clock;
    private final Duration history;
    private final int maxStories;
    private final int maxArticles;
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();

    private final Map<String, StoryView> stories = new HashMap<>();
    /**
     * Absorbed story id to the id of the live story it resolves to; leaves with that story,
     * and at most {@code maxStories} entries (beyond, the least active story leaves).
     */
    private final Map<String, String> aliases = new HashMap<>();
    private final Map<String, ArticleView> articles = new HashMap<>();
    private final Map<String, FeedHealth> feeds = new TreeMap<>();
    private final TreeSet<StoryView> byActivity = new TreeSet<>(
            Comparator.comparingLong((StoryView s) -> s.activity).thenComparing(s -> s.id));
    private final Deque<Change> changeLog = new ArrayDeque<>();
    private boolean changeLogFull;
    private final Map<String, Long> pending = new LinkedHashMap<>();
    private final TextIndex index = new TextIndex();
    private volatile Consumer<List<Change>> listener = changes -> { };
    private long lastSeq = -1;
    /** Bumped by every change of a story (under the write lock). */
    private long version;
    /**
     * Bumped by every change of a story and every batch that made new articles searchable:
     * a page computed before an epoch may differ from one computed after.
     */
    private volatile long epoch;
    private long nextStoryNo;
    /**
     * The stories changed since the oldest snapshot in use, in order, while a snapshot
     * exists (under the write lock); {@code journalBase} is the position of its first entry
     * among all changes.
     */
    private final List<StoryView> journal = new ArrayList<>();
    private long journalBase;
    /** The latest story-list snapshot, or null; replaced under the read lock by its builder. */
    private volatile StoryOrder order;
    /** Whether a query came since the last snapshot: the writer refreshes only then. */
    private volatile boolean wanted;
    private final ReentrantLock building = new ReentrantLock();
    private long assignments;
    private long copies;
    private long skipped;

    public ReadModel(ServeConfig config, Clock clock) {
        this(config.history(), config.maxStories(), config.maxArticles(), clock);
    }

    ReadModel(Duration history, int maxStories, int maxArticles, Clock clock) {
        this.history = history;
        this.maxStories = maxStories;
        this.maxArticles = maxArticles;
        this.clock = clock;
    }

    public Clock clock() {
        return clock;
    }

    public Duration history() {
        return history;
    }

    /**
     * A number that changes whenever a story changes or new articles become searchable: a
     * story-list page is good for as long as it and the clock's second stay the same.
     */
    public long epoch() {
        return epoch;
    }

    /** Who hears of changed stories after each {@link #publishChanges}. */
    public void onChanges(Consumer<List<Change>> listener) {
        this.listener = listener;
    }

    // ------------------------------------------------------------------ applying records

    /**
     * Applies an assignments-topic value; {@code written} is the record's timestamp (the
     * arrival of an article published without a fetch or published time).
     *
     * @throws IllegalArgumentException naming what is wrong with the value
     * @throws IllegalStateException for a schema newer than this model reads
     */
    public void applyAssignment(byte[] value, Instant written) {
        JsonNode n = parse(value, ASSIGNMENT_SCHEMA, "assignment");
        String id = required(n, "id");
        Instant fetched = time(n, "fetched");
        Instant published = time(n, "published");
        Instant arrived = fetched != null ? fetched : published != null ? published : written;
        JsonNode why = n.get("why");
        ArticleView a = new ArticleView(id, required(n, "story"), text(n, "duplicateOf"),
                text(n, "verdict"), n.path("similarity").asDouble(), n.path("lower").asDouble(),
                n.path("upper").asDouble(), text(n, "matched"),
                why == null || why.isNull() ? null : why, n.path("revision").asInt(0),
                n.path("seq").asLong(-1), text(n, "title"), text(n, "url"), text(n, "source"),
                text(n, "feed"), text(n, "lang"), published, fetched, arrived, text(n, "lead"));
        lock.writeLock().lock();
        try {
            apply(a);
        } finally {
            lock.writeLock().unlock();
        }
    }

    private void apply(ArticleView a) {
        ArticleView older = articles.get(a.id());
        if (older != null && older.revision() >= a.revision()) {
            return; // a re-delivery
        }
        if (older == null && a.arrived().isBefore(horizon())) {
            return; // older than the history kept
        }
        assignments++;
        StoryView story = live(a.story());
        if (older != null) {
            // A revision keeps the first version's place and arrival.
            ArticleView revised = new ArticleView(a.id(), older.story(), older.duplicateOf(),
                    older.verdict(), older.similarity(), older.lower(), older.upper(),
                    older.matched(), older.why(), a.revision(), older.seq(), a.title(),
                    a.url(), a.source(), a.feed(), a.lang(), a.published(), older.fetched(),
                    older.arrived(), a.lead());
            StoryView holder = live(older.story());
            holder.replace(older, revised);
            articles.put(a.id(), revised);
            index.put(revised, holder.no);
            changed(holder, a.seq());
            return;
        }
        if (a.duplicateOf() != null) {
            copies++;
        }
        articles.put(a.id(), a);
        story.add(a);
        index.put(a, story.no);
        touch(story, a.arrived().toEpochMilli());
        changed(story, a.seq());
    }

    /**
     * Applies a stories-topic value: the story's latest snapshot. A merged story's articles
     * move to the story that absorbed it, and its id resolves there from then on.
     */
    public void applyStory(byte[] value) {
        JsonNode n = parse(value, STORY_SCHEMA, "story");
        String id = required(n, "story");
        lock.writeLock().lock();
        try {
            applyStory(n, id);
        } finally {
            lock.writeLock().unlock();
        }
    }

    private void applyStory(JsonNode n, String id) {
        String status = text(n, "status");
        Instant updated = time(n, "updated");
        long seq = n.path("seq").asLong(-1);
        if ("merged".equals(status)) {
            String into = text(n, "into");
            if (into != null && !into.equals(id)) {
                merge(id, into, seq);
            }
            return;
        }
        StoryView s = stories.get(resolve(id));
        if (s == null) {
            if (updated != null && updated.isBefore(horizon())) {
                return; // older than the history kept
            }
            s = live(id);
        }
        if (!s.id.equals(id) || seq < s.seq) {
            return; // a snapshot older than what is known (or of an absorbed id)
        }
        s.snapshot = true;
        s.status = status == null ? "open" : status;
        s.headline = text(n, "headline");
        s.size = n.path("size").asInt();
        s.copies = n.path("copies").asInt();
        s.sourceCount = n.path("sourceCount").asInt(n.path("sources").size());
        List<String> sources = new ArrayList<>();
        n.path("sources").forEach(x -> sources.add(x.asText()));
        s.sources = List.copyOf(sources);
        for (String source : sources) {
            s.sourceKeys.add(source.toLowerCase(Locale.ROOT));
        }
        s.updated = updated;
        s.firstPublished = time(n, "firstPublished");
        s.lastPublished = time(n, "lastPublished");
        s.seq = seq;
        s.event = n.path("event").path("type").asText(null);
        for (JsonNode absorbed : n.path("absorbed")) {
            if (!absorbed.asText().equals(id)) {
                merge(absorbed.asText(), id, seq);
            }
        }
        if (updated != null) {
            touch(s, updated.toEpochMilli());
        } else if (s.activity == Long.MIN_VALUE) {
            touch(s, clock.millis()); // a story without times: kept from now on
        }
        changed(s, seq);
    }

    /** Story {@code gone} continues as {@code into}: its articles and aliases move there. */
    private void merge(String gone, String into, long seq) {
        StoryView target = live(into);
        if (resolve(gone).equals(target.id)) {
            return;
        }
        StoryView old = stories.remove(gone);
        aliases.put(gone, target.id);
        target.aliases.add(gone);
        if (old != null) {
            byActivity.remove(old);
            dirty(old);
            target.absorb(old);
            for (ArticleView a : old.articles) {
                index.put(a, target.no); // a search finds them in the story they moved to
            }
            for (String alias : old.aliases) {
                aliases.put(alias, target.id);
                target.aliases.add(alias);
            }
            touch(target, old.activity);
        }
        changed(target, seq);
    }

    /** Applies a feed-health value, or a tombstone ({@code value} null) for {@code url}. */
    public void applyFeedHealth(String url, byte[] value, Instant written) {
        if (value == null) {
            lock.writeLock().lock();
            try {
                feeds.remove(url);
            } finally {
                lock.writeLock().unlock();
            }
            return;
        }
        JsonNode n = parse(value, FEED_HEALTH_SCHEMA, "feed health");
        JsonNode problem = n.path("lastProblem");
        FeedHealth h = new FeedHealth(required(n, "url"), text(n, "status"),
                n.path("consecutiveFailures").asInt(), time(n, "lastPoll"), time(n, "nextPoll"),
                time(n, "lastNewEntry"), text(problem, "kind"), text(problem, "message"),
                time(problem, "at"), written);
        lock.writeLock().lock();
        try {
            feeds.put(h.url(), h);
            while (feeds.size() > MAX_FEEDS) {
                feeds.values().stream()
                        .min(Comparator.comparing(FeedHealth::reported)
                                .thenComparing(FeedHealth::url))
                        .ifPresent(oldest -> feeds.remove(oldest.url()));
            }
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Counts a record that could not be read (logged by the caller). */
    public void skipped() {
        lock.writeLock().lock();
        try {
            skipped++;
        } finally {
            lock.writeLock().unlock();
        }
    }

    /**
     * Ends a batch of records: drops what left the history or passes the caps, makes new
     * articles searchable, and tells the listener which stories changed.
     */
    public void publishChanges() {
        List<Change> changes;
        lock.writeLock().lock();
        try {
            evict();
            index.refresh();
            trimJournal();
            epoch++;
            changes = new ArrayList<>(pending.size());
            pending.forEach((story, seq) -> changes.add(new Change(seq, story)));
            pending.clear();
        } finally {
            lock.writeLock().unlock();
        }
        if (!changes.isEmpty()) {
            listener.accept(changes);
        }
        refreshOrder();
    }

    /**
     * Rebuilds the story-list snapshot when a query came since the last one and it is
     * {@value #ORDER_REFRESH_MS} ms old or many stories changed since; the writer calls it
     * between batches (and at least every few hundred ms), so that queries find a fresh one.
     * Holds the read lock while it builds: readers go on, the writer is the caller.
     */
    public void refreshOrder() {
        if (!wanted) {
            return;
        }
        long now = clock.millis();
        lock.readLock().lock();
        try {
            StoryOrder o = order;
            if (o != null && now >= o.at && now - o.at < ORDER_REFRESH_MS
                    && changesSince(o) <= ORDER_MAX_CHANGES) {
                return;
            }
            if (building.tryLock()) {
                try {
                    wanted = false;
                    order = buildOrder(now);
                } finally {
                    building.unlock();
                }
            }
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Drops journal entries that no snapshot needs (under the write lock). */
    private void trimJournal() {
        StoryOrder o = order;
        if (o != null && changesSince(o) > JOURNAL_MAX) {
            order = null; // nobody asked for a fresh one for long: the next query builds it
            o = null;
        }
        long keep = o == null ? journalBase + journal.size() : o.base.journalEnd;
        int drop = (int) (keep - journalBase);
        if (drop > 0) {
            journal.subList(0, drop).clear();
            journalBase += drop;
        }
    }

    private long changesSince(StoryOrder o) {
        return journalBase + journal.size() - o.base.journalEnd;
    }

    /** A new snapshot (the caller holds the read lock and {@code building}). */
    private StoryOrder buildOrder(long now) {
        return StoryOrder.build(order, version, journalBase + journal.size(), stories.values(),
                now);
    }

    private void evict() {
        long horizon = horizon().toEpochMilli();
        while (!byActivity.isEmpty() && (byActivity.first().activity < horizon
                || stories.size() > maxStories || articles.size() > maxArticles
                || aliases.size() > maxStories)) {
            drop(byActivity.first());
        }
    }

    private void drop(StoryView s) {
        byActivity.remove(s);
        stories.remove(s.id);
        dirty(s);
        s.aliases.forEach(aliases::remove);
        List<String> ids = new ArrayList<>(s.articles.size());
        for (ArticleView a : s.articles) {
            articles.remove(a.id());
            ids.add(a.id());
        }
        index.delete(ids);
    }

    private Instant horizon() {
        return clock.instant().minus(history);
    }

    /** The live story {@code id} resolves to, created when unknown. */
    private StoryView live(String id) {
        String key = resolve(id);
        StoryView s = stories.get(key);
        if (s == null) {
            s = new StoryView(key, nextStoryNo++); // activity unknown (MIN_VALUE) until touched
            stories.put(key, s);
            byActivity.add(s);
        }
        return s;
    }

    private String resolve(String id) {
        String current = id;
        for (int i = 0; i < MAX_ALIAS_HOPS; i++) {
            String next = aliases.get(current);
            if (next == null) {
                return current;
            }
            current = next;
        }
        return current;
    }

    private void touch(StoryView s, long activity) {
        if (activity <= s.activity && s.activity != Long.MIN_VALUE) {
            return;
        }
        byActivity.remove(s);
        s.activity = activity;
        byActivity.add(s);
    }

    /** Notes that {@code s} changed: snapshots older than this read it from the model. */
    private void dirty(StoryView s) {
        version++;
        epoch++;
        if (order != null) {
            journal.add(s);
        }
    }

    private void changed(StoryView s, long seq) {
        dirty(s);
        if (seq > lastSeq) {
            lastSeq = seq;
        }
        pending.merge(s.id, seq, Math::max);
        changeLog.addLast(new Change(seq, s.id));
        if (changeLog.size() > CHANGE_LOG) {
            changeLog.removeFirst();
            changeLogFull = true;
        }
    }

    // ------------------------------------------------------------------ queries

    /**
     * A page of the story list. Its cost is its length, plus a pass over the stories the
     * filters allow for {@code matched}: a page walks the latest snapshot's order of the sort
     * from the cursor's position (see {@link StoryOrder}), merging in the stories changed
     * since, which it reads from the model. So every change is in the next page, while the
     * trending places of unchanged stories are those of the clock at most
     * {@value #ORDER_MAX_AGE_MS} ms ago. Queries share the read lock while they walk and never
     * wait for one another; the one that finds the snapshot too old rebuilds it while the
     * others use the old one.
     */
    public StoryPage stories(StoryQuery q) {
        wanted = true;
        long now = clock.millis();
        LongList hits = null;
        if (q.q() != null) {
            hits = new LongList();
            index.search(q.q(), hits::add); // Lucene is safe to search without our lock
        }
        lock.readLock().lock();
        try {
            return page(q, now, orderFor(now), hits);
        } finally {
            lock.readLock().unlock();
        }
    }

    /** The snapshot to walk (the caller holds the read lock). */
    private StoryOrder orderFor(long now) {
        StoryOrder o = order;
        boolean fresh = o != null && now >= o.at && now - o.at < ORDER_MAX_AGE_MS
                && changesSince(o) <= ORDER_MAX_CHANGES;
        if (fresh) {
            return o;
        }
        if (o == null) {
            building.lock(); // nothing to walk yet: wait for the one being built
        } else if (!building.tryLock()) {
            return o; // another thread is rebuilding it: walk the old one meanwhile
        }
        try {
            StoryOrder current = order;
            if (current != null && current != o) {
                return current; // built while we waited
            }
            order = buildOrder(now);
            return order;
        } finally {
            building.unlock();
        }
    }

    private record Keyed(double key, StoryView story) {
        int compareTo(double otherKey, String otherId) {
            int c = Double.compare(key, otherKey);
            return c != 0 ? c : story.id.compareTo(otherId);
        }
    }

    private StoryPage page(StoryQuery q, long now, StoryOrder o, LongList hits) {
        StoryOrder.Base b = o.base;
        StoryOrder.Ordering ord = o.ordering(q.sort());
        int n = b.size();
        List<StoryView> changed = changedSince(o);
        BitSet dirty = new BitSet(changed.isEmpty() ? 0 : n);
        for (StoryView s : changed) {
            int slot = b.slotOf(s.no);
            if (slot >= 0) {
                dirty.set(slot);
            }
        }
        // Ranks allowed by the search, language and source (null: all), and the search hits
        // among the changed stories.
        BitSet allowed = null;
        Set<Long> changedHits = new HashSet<>();
        if (hits != null) {
            allowed = new BitSet(n);
            int at = 0;
            for (int i = 0; i < hits.size(); i++) {
                long no = hits.get(i);
                int slot = b.slotOf(no, at);
                at = slot >= 0 ? slot : -slot - 1;
                if (slot >= 0 && !dirty.get(slot)) {
                    allowed.set(ord.rankOf[slot]);
                } else {
                    changedHits.add(no);
                }
            }
        }
        if (q.source() != null) {
            allowed = and(allowed, ord.ranks(b.sourceSlots.get(
                    q.source().toLowerCase(Locale.ROOT))));
        }
        BitSet lang = q.lang() == null ? null : b.langSlots.getOrDefault(q.lang(), new BitSet());
        SlotFilter filter = new SlotFilter(b, q, dirty, lang);

        List<Keyed> fresh = new ArrayList<>();
        int matched = 0;
        for (StoryView s : changed) {
            if (stories.get(s.id) == s && s.listed() && matches(s, q)
                    && (hits == null || changedHits.contains(s.no))) {
                matched++;
                Keyed k = new Keyed(key(s, q.sort(), now), s);
                if (q.after() == null || k.compareTo(q.after().key(), q.after().id()) > 0) {
                    fresh.add(k);
                }
            }
        }
        fresh.sort((x, y) -> x.compareTo(y.key(), y.story().id));

        List<Keyed> page = new ArrayList<>(q.limit() + 1);
        int r = q.after() == null ? 0 : ord.after(q.after().key(), q.after().id());
        int f = 0;
        while (page.size() <= q.limit()) {
            r = next(ord, allowed, filter, r);
            Keyed k = r < n ? new Keyed(ord.keyAt[r], b.views[ord.slotAt[r]]) : null;
            Keyed g = f < fresh.size() ? fresh.get(f) : null;
            if (k == null && g == null) {
                break;
            }
            if (g == null || (k != null && k.compareTo(g.key(), g.story().id) < 0)) {
                page.add(k);
                r++;
            } else {
                page.add(g);
                f++;
            }
        }
        matched += matchedInOrder(ord, allowed, filter, n, dirty);

        String next = null;
        if (page.size() > q.limit()) {
            page = page.subList(0, q.limit());
            Keyed last = page.get(page.size() - 1);
            next = new StoryQuery.Cursor(q.sort(), last.key(), last.story().id).encode();
        }
        List<StorySummary> out = new ArrayList<>(page.size());
        for (Keyed k : page) {
            out.add(summary(k.story(), now));
        }
        return new StoryPage(out, next, matched, lastSeq);
    }

    /** The stories changed after snapshot {@code o}, each once (under the read lock). */
    private List<StoryView> changedSince(StoryOrder o) {
        int from = (int) (o.base.journalEnd - journalBase);
        if (from >= journal.size()) {
            return List.of();
        }
        Set<StoryView> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        List<StoryView> out = new ArrayList<>();
        for (int i = from; i < journal.size(); i++) {
            if (seen.add(journal.get(i))) {
                out.add(journal.get(i));
            }
        }
        return out;
    }

    private static BitSet and(BitSet a, BitSet b) {
        if (a != null) {
            b.and(a);
        }
        return b;
    }

    /** The first rank at or after {@code r} whose story passes every filter, or n. */
    private static int next(StoryOrder.Ordering ord, BitSet allowed, SlotFilter filter, int r) {
        int n = ord.slotAt.length;
        while (r < n) {
            if (allowed != null) {
                r = allowed.nextSetBit(r);
                if (r < 0) {
                    return n;
                }
            }
            if (filter.test(ord.slotAt[r])) {
                return r;
            }
            r++;
        }
        return n;
    }

    /**
     * How many stories of the snapshot, not changed since, pass every filter: a count of set
     * bits when only a search, a source or a language filters, else a pass over the stories
     * the search and source allow (all of them without either), testing each.
     */
    private static int matchedInOrder(StoryOrder.Ordering ord, BitSet allowed,
            SlotFilter filter, int n, BitSet dirty) {
        if (!filter.testsValues() && dirty.isEmpty()) {
            if (allowed == null) {
                return filter.lang() == null ? n : filter.lang().cardinality();
            }
            if (filter.lang() == null) {
                return allowed.cardinality();
            }
        }
        if (allowed == null && !filter.testsValues() && filter.lang() == null) {
            return n - dirty.cardinality();
        }
        int count = 0;
        if (allowed == null) {
            for (int slot = 0; slot < n; slot++) {
                if (filter.test(slot)) {
                    count++;
                }
            }
        } else {
            for (int r = allowed.nextSetBit(0); r >= 0; r = allowed.nextSetBit(r + 1)) {
                if (filter.test(ord.slotAt[r])) {
                    count++;
                }
            }
        }
        return count;
    }

    /**
     * The filters a snapshot's slot arrays answer: unchanged since the snapshot, language
     * ({@code lang}: its slots, or null), since, until, minSources.
     */
    private record SlotFilter(StoryOrder.Base b, StoryQuery q, BitSet dirty, BitSet lang) {
        boolean testsValues() {
            return q.since() != null || q.until() != null || q.minSources() > 0;
        }

        boolean test(int slot) {
            if (dirty.get(slot) || (lang != null && !lang.get(slot))) {
                return false;
            }
            if (q.since() != null && (b.lastUpdate[slot] == null
                    || b.lastUpdate[slot].isBefore(q.since()))) {
                return false;
            }
            if (q.until() != null && (b.firstSeen[slot] == null
                    || !b.firstSeen[slot].isBefore(q.until()))) {
                return false;
            }
            return b.sources[slot] >= q.minSources();
        }
    }

    /** A growable list of longs: the story numbers a search found. */
    private static final class LongList {
        private long[] values = new long[64];
        private int size;

        void add(long v) {
            if (size == values.length) {
                values = Arrays.copyOf(values, size * 2);
            }
            values[size++] = v;
        }

        long get(int i) {
            return values[i];
        }

        int size() {
            return size;
        }
    }

    private static boolean matches(StoryView s, StoryQuery q) {
        if (q.since() != null && (s.lastUpdate() == null || s.lastUpdate().isBefore(q.since()))) {
            return false;
        }
        if (q.until() != null && (s.firstSeen() == null || !s.firstSeen().isBefore(q.until()))) {
            return false;
        }
        if (q.lang() != null && !s.languages.containsKey(q.lang())) {
            return false;
        }
        if (q.source() != null && !s.hasSource(q.source().toLowerCase(Locale.ROOT))) {
            return false;
        }
        return s.distinctSources() >= q.minSources();
    }

    /** The sort key: lower comes first. */
    private double key(StoryView s, StoryQuery.Sort sort, long now) {
        return switch (sort) {
            case TRENDING -> -trending(s, now);
            case NEW -> s.firstSeen() == null ? 0 : -s.firstSeen().toEpochMilli();
            case SIZE -> -s.articleCount();
        };
    }

    private static double trending(StoryView s, long now) {
        double hours = s.arrivals.size() == 0 ? 0 : (now - s.arrivals.last()) / (double) HOUR;
        return Trending.score(s.arrivals.count(now - HOUR, now),
                s.arrivals.count(now - 2 * HOUR, now - HOUR), s.distinctSources(), hours);
    }

    private StorySummary summary(StoryView s, long now) {
        return new StorySummary(s.id, s.headline, s.firstUrl(), s.status, s.firstSeen(),
                s.lastUpdate(), s.articleCount(), s.distinctSources(), s.copyCount(), s.sources,
                List.copyOf(s.languages.keySet()),
                new Velocity(s.arrivals.count(now - HOUR, now),
                        s.arrivals.count(now - 2 * HOUR, now - HOUR)),
                Math.round(trending(s, now) * 1000) / 1000.0,
                s.arrivals.perHour(now, CHART_HOURS), s.seq);
    }

    /** A story by its id or the id of a story it absorbed; null when unknown. */
    public StoryDetail story(String id) {
        long now = clock.millis();
        lock.readLock().lock();
        try {
            StoryView s = stories.get(resolve(id));
            if (s == null || !s.snapshot) {
                return null;
            }
            Map<String, ArticleEntry> originals = new LinkedHashMap<>();
            Map<String, List<ArticleView>> copiesOf = new HashMap<>();
            for (ArticleView a : s.articles) {
                if (a.duplicateOf() == null) {
                    originals.put(a.id(), null);
                }
            }
            List<ArticleView> orphans = new ArrayList<>();
            for (ArticleView a : s.articles) {
                if (a.duplicateOf() != null) {
                    if (originals.containsKey(a.duplicateOf())) {
                        copiesOf.computeIfAbsent(a.duplicateOf(), k -> new ArrayList<>()).add(a);
                    } else {
                        orphans.add(a); // its original left the history: shown on its own
                    }
                }
            }
            List<ArticleEntry> entries = new ArrayList<>();
            for (ArticleView a : s.articles) {
                if (a.duplicateOf() == null || orphans.contains(a)) {
                    entries.add(new ArticleEntry(a, copiesOf.getOrDefault(a.id(), List.of())));
                }
            }
            List<String> absorbed = new ArrayList<>(s.aliases);
            absorbed.sort(null);
            return new StoryDetail(summary(s, now), absorbed, s.firstPublished,
                    s.lastPublished, entries, hourly(s, now));
        } finally {
            lock.readLock().unlock();
        }
    }

    private HourlyArrivals hourly(StoryView s, long now) {
        if (s.arrivals.size() == 0) {
            return new HourlyArrivals(null, new int[0]);
        }
        long lastHour = Math.floorDiv(Math.max(now, s.arrivals.last()), HOUR) * HOUR;
        long firstHour = Math.floorDiv(s.arrivals.first(), HOUR) * HOUR;
        long maxHours = history.toHours();
        firstHour = Math.max(firstHour, lastHour - (maxHours - 1) * HOUR);
        int n = (int) ((lastHour - firstHour) / HOUR) + 1;
        int[] counts = new int[n];
        for (int i = 0; i < n; i++) {
            long start = firstHour + i * HOUR;
            counts[i] = s.arrivals.count(start - 1, start + HOUR - 1);
        }
        return new HourlyArrivals(Instant.ofEpochMilli(firstHour), counts);
    }

    /** An article by id, with the id of the story it now belongs to; null when unknown. */
    public ArticleView article(String id) {
        lock.readLock().lock();
        try {
            ArticleView a = articles.get(id);
            if (a == null) {
                return null;
            }
            String story = resolve(a.story());
            return story.equals(a.story()) ? a : new ArticleView(a.id(), story, a.duplicateOf(),
                    a.verdict(), a.similarity(), a.lower(), a.upper(), a.matched(), a.why(),
                    a.revision(), a.seq(), a.title(), a.url(), a.source(), a.feed(), a.lang(),
                    a.published(), a.fetched(), a.arrived(), a.lead());
        } finally {
            lock.readLock().unlock();
        }
    }

    /**
     * Every feed with health or articles in the model, by URL: its health and how many of its
     * articles arrived in the last 24 hours.
     */
    public List<FeedRow> feeds() {
        long since = clock.millis() - Duration.ofDays(1).toMillis();
        lock.readLock().lock();
        try {
            Map<String, int[]> perDay = new TreeMap<>();
            Map<String, String> source = new HashMap<>();
            for (ArticleView a : articles.values()) {
                if (a.feed() == null) {
                    continue;
                }
                int[] count = perDay.computeIfAbsent(a.feed(), f -> new int[1]);
                if (a.arrived().toEpochMilli() > since) {
                    count[0]++;
                }
                if (a.source() != null) {
                    source.merge(a.feed(), a.source(), (x, y) -> x.compareTo(y) <= 0 ? x : y);
                }
            }
            feeds.keySet().forEach(url -> perDay.computeIfAbsent(url, f -> new int[1]));
            List<FeedRow> rows = new ArrayList<>(perDay.size());
            perDay.forEach((url, count) -> rows.add(new FeedRow(url, source.get(url),
                    feeds.get(url), count[0])));
            return rows;
        } finally {
            lock.readLock().unlock();
        }
    }

    /**
     * The changes after {@code seq} a reconnecting client missed, one per story (its latest),
     * in order; null when they are no longer all known (the client must reload).
     */
    public List<Change> changesAfter(long seq) {
        lock.readLock().lock();
        try {
            if (changeLogFull && (changeLog.isEmpty() || changeLog.peekFirst().seq() > seq)) {
                return null;
            }
            Map<String, Long> latest = new LinkedHashMap<>();
            for (Change c : changeLog) {
                if (c.seq() > seq) {
                    String story = resolve(c.story());
                    latest.remove(story);
                    latest.put(story, c.seq());
                }
            }
            List<Change> out = new ArrayList<>(latest.size());
            latest.forEach((story, s) -> out.add(new Change(s, story)));
            out.sort(Comparator.comparingLong(Change::seq));
            return out;
        } finally {
            lock.readLock().unlock();
        }
    }

    /** The summary of one story for a change event, or null if it left or was merged. */
    public StorySummary summary(String id) {
        lock.readLock().lock();
        try {
            StoryView s = stories.get(resolve(id));
            return s == null || !s.listed() ? null : summary(s, clock.millis());
        } finally {
            lock.readLock().unlock();
        }
    }

    public Stats stats() {
        lock.readLock().lock();
        try {
            int listed = 0;
            int open = 0;
            for (StoryView s : stories.values()) {
                if (s.listed()) {
                    listed++;
                    if ("open".equals(s.status)) {
                        open++;
                    }
                }
            }
            return new Stats(listed, open, articles.size(), feeds.size(), lastSeq, assignments,
                    copies, skipped);
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public void close() {
        index.close();
    }

    // ------------------------------------------------------------------ parsing

    private static JsonNode parse(byte[] value, int newest, String what) {
        if (value == null) {
            throw new IllegalArgumentException("empty " + what + " value");
        }
        JsonNode n;
        try {
            n = JSON.readTree(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(what + " is not JSON: " + e.getOriginalMessage());
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException(what + " cannot be read: " + e.getMessage());
        }
        if (n == null || !n.isObject()) {
            throw new IllegalArgumentException(what + " is not a JSON object: "
                    + new String(value, StandardCharsets.UTF_8));
        }
        int schema = n.path("schema").asInt(1);
        if (schema > newest) {
            throw new IllegalStateException(what + " schema " + schema + " is newer than this "
                    + "Storyline reads (" + newest + "): upgrade the server");
        }
        return n;
    }

    private static String required(JsonNode n, String field) {
        String value = text(n, field);
        if (value == null) {
            throw new IllegalArgumentException("\"" + field + "\" is missing");
        }
        return value;
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    private static Instant time(JsonNode n, String field) {
        String value = text(n, field);
        if (value == null) {
            return null;
        }
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("bad \"" + field + "\" time: " + value);
        }
    }
}
