package io.storyline.pipeline;

import io.storyline.article.Article;
import io.storyline.article.Assignment;
import io.storyline.article.StoryEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jsoup.Jsoup;

/**
 * The open stories as readers see them (headline, size, copies, sources, time span), kept
 * up to date from the engine's lifecycle events: what goes to {@code storyline.stories} as a
 * snapshot beside each event, so a dashboard needs no other state. Closed and merged stories
 * are written once more and forgotten, which bounds memory by the window.
 */
final class StoryBook {

    /** At most this many distinct sources are listed per story (the earliest ones). */
    static final int MAX_SOURCES = 20;

    /** A headline taken from an article's text is cut after this many characters. */
    static final int HEADLINE_CHARS = 120;

    private final Map<String, Snapshot> open = new HashMap<>();
    /** Counts the articles applied: which of two stories' articles came first or last. */
    private long articles;

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
        String into;

        Snapshot(String story) {
            this.story = story;
        }

        void add(Article a, Assignment assignment, long seq) {
            size++;
            if (assignment.duplicateOf() != null) {
                copies++;
            }
            if (firstArticle == null) {
                firstArticle = a.id();
                firstSeq = seq;
                headline = a.title() != null && !a.title().isBlank() ? a.title()
                        : firstWords(a.text());
            }
            lastArticle = a.id();
            lastSeq = seq;
            if (a.published() != null) {
                if (firstPublished == null || a.published().isBefore(firstPublished)) {
                    firstPublished = a.published();
                }
                if (lastPublished == null || a.published().isAfter(lastPublished)) {
                    lastPublished = a.published();
                }
            }
            if (a.source() != null && sources.size() < MAX_SOURCES) {
                sources.putIfAbsent(a.source(), seq);
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
        }
    }

    /** A story record to publish: its snapshot after {@code event}. */
    record Update(String story, byte[] value) {
    }

    /**
     * Applies the events the engine reported for {@code article} (closings of other stories
     * first, as the engine orders them); returns the story records to publish, in order.
     */
    List<Update> apply(Article article, Assignment assignment, List<StoryEvent> events) {
        List<Update> updates = new ArrayList<>(events.size() + 1);
        long seq = articles++;
        for (StoryEvent e : events) {
            switch (e.type()) {
                case CREATED, GREW -> {
                    Snapshot s = open.computeIfAbsent(e.story(), Snapshot::new);
                    s.add(article, assignment, seq);
                    updates.add(update(s, e));
                }
                case MERGED -> {
                    Snapshot gone = open.remove(e.story());
                    Snapshot into = open.computeIfAbsent(e.into(), Snapshot::new);
                    if (gone != null) {
                        into.absorb(gone);
                        gone.status = "merged";
                        gone.into = e.into();
                        updates.add(update(gone, e));
                    }
                    updates.add(update(into, e));
                }
                case CLOSED -> {
                    Snapshot s = open.remove(e.story());
                    if (s != null) {
                        s.status = "closed";
                        updates.add(update(s, e));
                    }
                }
            }
        }
        return updates;
    }

    int openStories() {
        return open.size();
    }

    private static Update update(Snapshot s, StoryEvent e) {
        return new Update(s.story, Messages.object(g -> {
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
            g.writeStringField("type", e.type().name().toLowerCase(Locale.ROOT));
            g.writeStringField("story", e.story());
            g.writeStringField("article", e.article());
            g.writeStringField("into", e.into());
            g.writeEndObject();
        }));
    }

    /** The start of {@code text} as a reader sees it: feed entries' texts are often HTML. */
    private static String firstWords(String text) {
        if (text == null) {
            return null;
        }
        String visible = text.indexOf('<') < 0 && text.indexOf('&') < 0 ? text
                : Jsoup.parseBodyFragment(text).text();
        String flat = visible.strip().replaceAll("\\s+", " ");
        if (flat.length() <= HEADLINE_CHARS) {
            return flat;
        }
        int cut = HEADLINE_CHARS;
        if (Character.isHighSurrogate(flat.charAt(cut - 1))) {
            cut--; // half an emoji would reach consumers as a lone surrogate
        }
        return flat.substring(0, cut) + "…";
    }
}
