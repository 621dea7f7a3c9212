package io.storyline.view;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * One story in the read model: its latest snapshot from {@code storyline.stories} and the
 * articles assigned to it (or to a story it absorbed). Mutable; guarded by the model's lock.
 */
final class StoryView {

    final String id;
    /**
     * This model's number for it, never reused: the search index keys articles by it, and a
     * snapshot finds a story's slot by it.
     */
    final long no;
    /** Whether a snapshot arrived (an assignment can come first: topics are not ordered). */
    boolean snapshot;
    String status = "open";
    String headline;
    int size;
    int copies;
    int sourceCount;
    List<String> sources = List.of();
    Instant updated;
    Instant firstPublished;
    Instant lastPublished;
    long seq = -1;
    String event;

    /** Current versions of its articles, in arrival order (seq). */
    final List<ArticleView> articles = new ArrayList<>();
    final Arrivals arrivals = new Arrivals();
    /** Story ids that resolve to this one (it absorbed them). */
    final Set<String> aliases = new HashSet<>();
    final TreeMap<String, Integer> languages = new TreeMap<>();
    final Set<String> sourceKeys = new TreeSet<>();
    /** Epoch ms of its last activity (update or arrival): eviction and {@code since}. */
    long activity = Long.MIN_VALUE;

    StoryView(String id, long no) {
        this.id = id;
        this.no = no;
    }

    /** Whether lists show it: a snapshot arrived and it was not merged away. */
    boolean listed() {
        return snapshot && !"merged".equals(status);
    }

    void add(ArticleView a) {
        int at = articles.size();
        while (at > 0 && articles.get(at - 1).seq() > a.seq()) {
            at--;
        }
        articles.add(at, a);
        arrivals.add(a.arrived().toEpochMilli());
        if (a.lang() != null) {
            languages.merge(a.lang().toLowerCase(Locale.ROOT), 1, Integer::sum);
        }
        if (a.source() != null) {
            sourceKeys.add(a.source().toLowerCase(Locale.ROOT));
        }
    }

    /** Replaces an article's earlier version (a revision keeps its place). */
    void replace(ArticleView older, ArticleView newer) {
        int i = articles.indexOf(older);
        if (i >= 0) {
            articles.set(i, newer);
        }
        if (newer.source() != null) {
            sourceKeys.add(newer.source().toLowerCase(Locale.ROOT));
        }
    }

    /** Takes over the articles of a story it absorbed. */
    void absorb(StoryView other) {
        for (ArticleView a : other.articles) {
            add(a);
        }
    }

    int articleCount() {
        return snapshot ? Math.max(size, articles.size()) : articles.size();
    }

    int copyCount() {
        if (snapshot) {
            return copies;
        }
        return (int) articles.stream().filter(a -> a.duplicateOf() != null).count();
    }

    int distinctSources() {
        return Math.max(snapshot ? sourceCount : 0, sourceKeys.size());
    }

    /** Whether an article or the snapshot's source list names {@code key} (lower case). */
    boolean hasSource(String key) {
        return sourceKeys.contains(key);
    }

    /** First arrival, else the snapshot's time. */
    Instant firstSeen() {
        if (arrivals.size() > 0) {
            return Instant.ofEpochMilli(arrivals.first());
        }
        return updated;
    }

    /** The later of the last arrival and the snapshot's time. */
    Instant lastUpdate() {
        Instant last = arrivals.size() > 0 ? Instant.ofEpochMilli(arrivals.last()) : null;
        if (updated != null && (last == null || updated.isAfter(last))) {
            return updated;
        }
        return last;
    }

    String firstUrl() {
        return articles.isEmpty() ? null : articles.get(0).url();
    }
}
