package io.storyline.pipeline;

import io.storyline.article.Article;
import io.storyline.article.Assignment;
import io.storyline.article.StoryEvent;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The open stories as readers see them (headline, size, copies, sources, time span), kept
 * up to date from the engine's lifecycle events and the articles' revisions: what goes to
 * {@code storyline.stories} as a snapshot beside each change, so a dashboard needs no other
 * state. Closed and merged stories are written once more and forgotten, which bounds memory by
 * the window.
 */
final class StoryBook {

    /** At most this many distinct sources are listed per story (the earliest ones). */
    static final int MAX_SOURCES = 20;

    /**
     * At most this many absorbed story ids are kept per story (the latest): a story that never
     * ends would otherwise write ever more of them into every record, until Kafka refused it.
     */
    static final int MAX_ABSORBED = 1000;

    /** Distinct sources are counted up to this many (the count then stays there). */
    static final int MAX_COUNTED_SOURCES = 10_000;

    /** A headline taken from an article's text is cut after this many characters. */
    static final int HEADLINE_CHARS = 120;

    private final Map<String, Snapshot> open = new HashMap<>();
    /**
     * Ids of stories merged away, to the open story that absorbed them: an article keeps the
     * story id it was assigned, and its revision must still find its story.
     */
    private final Map<String, Snapshot> absorbedBy = new HashMap<>();

    /**
     * What made a change: an article at input offset {@code seq}, arrived {@code at} (its
     * fetch time, else its published time, else null), with its title as plain text.
     */
    record Change(long seq, Instant at, Article article, String title) {
    }

    /** One story's readable state. */
    static final class Snapshot {
        final String story;
        String status = "open";
        int size;
        int copies;
        String headline;
        String firstArticle;
        long firstSeq;
        String lastArticle;
        long lastSeq;
        Instant firstPublished;
        Instant lastPublished;
        /** Source → arrival of its first article here, in that order. */
        Map<String, Long> sources = new LinkedHashMap<>();
        /** Every distinct source, for the count (the list above is capped). */
        Set<String> distinctSources = new HashSet<>();
        /** The latest {@link #MAX_ABSORBED} stories merged into this one, in that order. */
        final ArrayDeque<String> absorbed = new ArrayDeque<>();
        /** All stories ever merged into this one. */
        long absorbedCount;
        String into;
        long seq;
        Instant updated;

        Snapshot(String story) {
            this.story = story;
        }

        void add(Change c, Assignment assignment) {
            Article a = c.article();
            size++;
            if (assignment.duplicateOf() != null) {
                copies++;
            }
            if (firstArticle == null) {
                firstArticle = a.id();
                firstSeq = c.seq();
                headline = headline(c);
            }
            lastArticle = a.id();
            lastSeq = c.seq();
            if (a.published() != null) {
                if (firstPublished == null || a.published().isBefore(firstPublished)) {
                    firstPublished = a.published();
                }
                if (lastPublished == null || a.published().isAfter(lastPublished)) {
                    lastPublished = a.published();
                }
            }
            if (a.source() != null) {
                countSource(a.source());
                if (sources.size() < MAX_SOURCES) {
                    sources.putIfAbsent(a.source(), c.seq());
                }
            }
        }

        /**
         * Takes in a story that merged into this one. The absorber is the older story, but
         * the article that caused the merge may have joined the other one: first and last
         * article go by arrival, not by side.
         */
        void absorb(Snapshot other) {
            size += other.size;
            copies += other.copies;
            if (other.firstArticle != null
                    && (firstArticle == null || other.firstSeq < firstSeq)) {
                firstArticle = other.firstArticle;
                firstSeq = other.firstSeq;
                headline = other.headline;
            }
            if (other.lastArticle != null && (lastArticle == null || other.lastSeq > lastSeq)) {
                lastArticle = other.lastArticle;
                lastSeq = other.lastSeq;
            }
            if (other.firstPublished != null && (firstPublished == null
                    || other.firstPublished.isBefore(firstPublished))) {
                firstPublished = other.firstPublished;
            }
            if (other.lastPublished != null && (lastPublished == null
                    || other.lastPublished.isAfter(lastPublished))) {
                lastPublished = other.lastPublished;
            }
            // Each side holds its earliest sources, so the union's earliest are among them.
            other.sources.forEach((source, seq) -> sources.merge(source, seq, Math::min));
            Map<String, Long> merged = new LinkedHashMap<>();
            sources.entrySet().stream()
                    .sorted(Map.Entry.comparingByValue())
                    .limit(MAX_SOURCES)
                    .forEach(e -> merged.put(e.getKey(), e.getValue()));
            sources = merged;
            if (other.distinctSources.size() > distinctSources.size()) {
                Set<String> mine = distinctSources;
                distinctSources = other.distinctSources; // add the smaller set to the larger
                mine.forEach(this::countSource);
            } else {
                other.distinctSources.forEach(this::countSource);
            }
        }

        private void countSource(String source) {
            if (distinctSources.size() < MAX_COUNTED_SOURCES) {
                distinctSources.add(source);
            }
        }

        /** Records that {@code c} made the change this snapshot is written for. */
        void touch(Change c) {
            seq = c.seq();
            if (c.at() != null) {
                updated = c.at();
            }
        }
    }

    /** A story record to publish: its snapshot after a change. */
    record Update(String story, byte[] value) {
    }

    /** The event object of a story record: the engine's event, or a revision. */
    private record Event(String type, String story, String article, String into) {
        static Event of(StoryEvent e) {
            return new Event(e.type().name().toLowerCase(Locale.ROOT), e.story(), e.article(),
                    e.into());
        }
    }

    /**
     * Applies the events the engine reported for a new article (closings of other stories
     * first, as the engine orders them); returns the story records to publish, in order.
     */
    List<Update> apply(Change change, Assignment assignment, List<StoryEvent> events) {
        List<Update> updates = new ArrayList<>(events.size() + 1);
        for (StoryEvent e : events) {
            switch (e.type()) {
                case CREATED, GREW -> {
                    Snapshot s = open.computeIfAbsent(e.story(), Snapshot::new);
                    s.add(change, assignment);
                    updates.add(update(s, Event.of(e), change));
                }
                case MERGED -> {
                    Snapshot gone = open.remove(e.story());
                    Snapshot into = open.computeIfAbsent(e.into(), Snapshot::new);
                    absorb(into, e.story());
                    if (gone != null) {
                        into.absorb(gone);
                        gone.absorbed.forEach(id -> absorb(into, id));
                        into.absorbedCount += gone.absorbedCount - gone.absorbed.size();
                        gone.status = "merged";
                        gone.into = e.into();
                        updates.add(update(gone, Event.of(e), change));
                    }
                    updates.add(update(into, Event.of(e), change));
                }
                case CLOSED -> {
                    Snapshot s = open.remove(e.story());
                    if (s != null) {
                        s.absorbed.forEach(absorbedBy::remove);
                        s.status = "closed";
                        updates.add(update(s, Event.of(e), change));
                    }
                }
            }
        }
        return updates;
    }

    /**
     * Applies a revision of an article already assigned to {@code assignment}'s story: the
     * story's record again, with a new headline when the article is the story's first. Nothing
     * when the story is no longer open.
     */
    List<Update> revise(Change change, Assignment assignment) {
        Snapshot s = open.get(assignment.story());
        if (s == null) {
            s = absorbedBy.get(assignment.story());
        }
        if (s == null) {
            return List.of();
        }
        if (change.article().id().equals(s.firstArticle)) {
            s.headline = headline(change);
        }
        return List.of(update(s, new Event("revised", s.story, change.article().id(), null),
                change));
    }

    int openStories() {
        return open.size();
    }

    private void absorb(Snapshot into, String id) {
        into.absorbed.addLast(id);
        into.absorbedCount++;
        absorbedBy.put(id, into);
        if (into.absorbed.size() > MAX_ABSORBED) {
            // A revision naming a story merged this long ago finds nothing (as a closed one).
            absorbedBy.remove(into.absorbed.removeFirst(), into);
        }
    }

    private static Update update(Snapshot s, Event e, Change change) {
        s.touch(change);
        return new Update(s.story, Messages.object(Messages.STORY_SCHEMA, g -> {
            g.writeStringField("story", s.story);
            g.writeStringField("status", s.status);
            g.writeNumberField("size", s.size);
            g.writeNumberField("copies", s.copies);
            g.writeStringField("headline", s.headline);
            g.writeStringField("firstArticle", s.firstArticle);
            g.writeStringField("lastArticle", s.lastArticle);
            g.writeStringField("firstPublished", Messages.instant(s.firstPublished));
            g.writeStringField("lastPublished", Messages.instant(s.lastPublished));
            g.writeArrayFieldStart("sources");
            for (String source : s.sources.keySet()) {
                g.writeString(source);
            }
            g.writeEndArray();
            g.writeStringField("into", s.into);
            g.writeObjectFieldStart("event");
            g.writeStringField("type", e.type());
            g.writeStringField("story", e.story());
            g.writeStringField("article", e.article());
            g.writeStringField("into", e.into());
            g.writeEndObject();
            g.writeNumberField("seq", s.seq);
            g.writeNumberField("sourceCount", s.distinctSources.size());
            g.writeArrayFieldStart("absorbed");
            for (String id : s.absorbed) {
                g.writeString(id);
            }
            g.writeEndArray();
            g.writeNumberField("absorbedCount", s.absorbedCount);
            g.writeStringField("updated", Messages.instant(s.updated));
        }));
    }

    /** The article's title, else the start of its text as a reader sees it. */
    private static String headline(Change c) {
        if (c.title() != null) {
            return c.title();
        }
        String visible = PlainText.title(c.article().text());
        if (visible == null || visible.length() <= HEADLINE_CHARS) {
            return visible;
        }
        int cut = HEADLINE_CHARS;
        if (Character.isHighSurrogate(visible.charAt(cut - 1))) {
            cut--; // half an emoji would reach consumers as a lone surrogate
        }
        return visible.substring(0, cut) + "…";
    }
}
