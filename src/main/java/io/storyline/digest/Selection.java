package io.storyline.digest;

import io.storyline.view.ArticleView;
import io.storyline.view.ReadModel;
import io.storyline.view.ReadModel.ArticleEntry;
import io.storyline.view.ReadModel.StoryDetail;
import io.storyline.view.StoryQuery;
import io.storyline.view.Trending;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Picks a subscriber's stories for one digest from the read model: stories with an arrival
 * (by fetch time) in the 24 hours before the send time that pass the subscriber's filters,
 * best {@link Trending} score at the send time first. Everything is counted as of the send
 * time, so a digest of an earlier date picks what it would have picked then. A story of the
 * previous digest comes back only when it grew ("updated: +N articles, +M sources"); copies
 * are counted in their story, never listed apart. Pure: same model, same digest.
 */
public final class Selection {

    /** The window a digest looks back over. */
    public static final Duration WINDOW = Duration.ofHours(24);
    private static final long HOUR = Duration.ofHours(1).toMillis();
    /** Stories asked of the read model per page. */
    private static final int PAGE = StoryQuery.MAX_LIMIT;

    /** Published time, else arrival; then arrival order. */
    private static final Comparator<ArticleView> EARLIEST = Comparator
            .comparing((ArticleView a) -> a.published() != null ? a.published() : a.arrived())
            .thenComparingLong(ArticleView::seq)
            .thenComparing(ArticleView::id);

    private Selection() {
    }

    /**
     * The digest of {@code subscriber} sent at {@code when}; {@code previous} holds the stories
     * of the subscriber's previous digest (empty for a first one).
     */
    public static Digest select(ReadModel model, Subscriber subscriber, SendTime when,
            List<Recorded> previous) {
        Instant at = when.at();
        Map<String, Recorded> before = new HashMap<>();
        previous.forEach(r -> before.put(r.story(), r));
        List<Candidate> candidates = new ArrayList<>();
        for (String id : storiesActiveIn(model, at)) {
            StoryDetail d = model.story(id);
            if (d != null) {
                Candidate c = candidate(d, at);
                if (c != null && passes(c, subscriber.filter())) {
                    candidates.add(c);
                }
            }
        }
        candidates.sort(Comparator.comparingDouble(Candidate::score).reversed()
                .thenComparing(Candidate::id));
        List<Digest.Item> items = new ArrayList<>();
        for (Candidate c : candidates) {
            if (items.size() == subscriber.stories()) {
                break;
            }
            Digest.Item item = item(c, subscriber, recorded(c, before));
            if (item != null) {
                items.add(item);
            }
        }
        return new Digest(subscriber, when, items);
    }

    /** Ids of the listed stories active in the window before {@code at}, page by page. */
    private static List<String> storiesActiveIn(ReadModel model, Instant at) {
        List<String> ids = new ArrayList<>();
        String cursor = null;
        do {
            Map<String, List<String>> params = new LinkedHashMap<>();
            params.put("since", List.of(at.minus(WINDOW).toString()));
            params.put("until", List.of(at.plusMillis(1).toString()));
            params.put("sort", List.of("new"));
            params.put("limit", List.of(Integer.toString(PAGE)));
            if (cursor != null) {
                params.put("cursor", List.of(cursor));
            }
            ReadModel.StoryPage page = model.stories(StoryQuery.parse(params));
            page.stories().forEach(s -> ids.add(s.id()));
            cursor = page.next();
        } while (cursor != null);
        return ids;
    }

    /** A story as it stood at {@code at}. */
    private record Candidate(StoryDetail detail, List<ArticleView> articles,
            List<String> sources, ArticleView earliest, double score) {

        String id() {
            return detail.story().id();
        }
    }

    /** The story counted as of {@code at}; null when nothing of it arrived in the window. */
    private static Candidate candidate(StoryDetail d, Instant at) {
        long now = at.toEpochMilli();
        List<ArticleView> articles = new ArrayList<>();
        ArticleView earliest = null;
        long last = Long.MIN_VALUE;
        int lastHour = 0;
        int hourBefore = 0;
        for (ArticleEntry e : d.articles()) {
            List<ArticleView> group = new ArrayList<>(e.copies().size() + 1);
            group.add(e.article());
            group.addAll(e.copies());
            for (ArticleView a : group) {
                long arrived = a.arrived().toEpochMilli();
                if (arrived > now) {
                    continue; // after the send time: not in this digest's view of the story
                }
                articles.add(a);
                last = Math.max(last, arrived);
                lastHour += arrived > now - HOUR ? 1 : 0;
                hourBefore += arrived > now - 2 * HOUR && arrived <= now - HOUR ? 1 : 0;
                if (a.duplicateOf() == null && (earliest == null
                        || EARLIEST.compare(a, earliest) < 0)) {
                    earliest = a;
                }
            }
        }
        if (articles.isEmpty() || last <= now - WINDOW.toMillis()) {
            return null;
        }
        if (earliest == null) {
            earliest = articles.stream().min(EARLIEST).orElseThrow();
        }
        List<String> sources = sourcesByFirstPublication(articles);
        double score = Trending.score(lastHour, hourBefore, sources.size(),
                (now - last) / (double) HOUR);
        return new Candidate(d, List.copyOf(articles), sources, earliest, score);
    }

    private static List<String> sourcesByFirstPublication(List<ArticleView> articles) {
        Map<String, String> names = new LinkedHashMap<>();
        articles.stream().sorted(EARLIEST).forEach(a -> {
            if (a.source() != null && !a.source().isBlank()) {
                String name = a.source().strip();
                names.putIfAbsent(name.toLowerCase(Locale.ROOT), name);
            }
        });
        return List.copyOf(names.values());
    }

    private static boolean passes(Candidate c, DigestFilter f) {
        if (c.sources().size() < f.minSources()) {
            return false;
        }
        if (!f.languages().isEmpty() && c.articles().stream().noneMatch(a -> a.lang() != null
                && f.languages().contains(a.lang().toLowerCase(Locale.ROOT)))) {
            return false;
        }
        if (!f.sources().isEmpty() && c.sources().stream()
                .noneMatch(s -> f.sources().contains(s.toLowerCase(Locale.ROOT)))) {
            return false;
        }
        return f.keywords().isEmpty() || f.keywords().stream().anyMatch(k -> mentions(c, k));
    }

    private static boolean mentions(Candidate c, String keyword) {
        if (contains(c.detail().story().headline(), keyword)) {
            return true;
        }
        return c.articles().stream()
                .anyMatch(a -> contains(a.title(), keyword) || contains(a.lead(), keyword));
    }

    private static boolean contains(String text, String keyword) {
        return text != null && text.toLowerCase(Locale.ROOT).contains(keyword);
    }

    /** The previous digest's record of the story, under its id or an id it absorbed. */
    private static Recorded recorded(Candidate c, Map<String, Recorded> before) {
        Recorded r = before.get(c.id());
        for (String absorbed : c.detail().absorbed()) {
            if (r == null) {
                r = before.get(absorbed);
            }
        }
        return r;
    }

    /** The digest's item, or null for a story of the previous digest that did not grow. */
    private static Digest.Item item(Candidate c, Subscriber s, Recorded before) {
        int articles = c.articles().size();
        int sources = c.sources().size();
        Digest.Marker marker = Digest.Marker.NEW;
        int addedArticles = 0;
        int addedSources = 0;
        if (before != null) {
            addedArticles = Math.max(0, articles - before.articles());
            addedSources = Math.max(0, sources - before.sources());
            if (addedArticles == 0 && addedSources == 0) {
                return null;
            }
            marker = Digest.Marker.UPDATED;
        }
        String headline = c.detail().story().headline();
        if (headline == null || headline.isBlank()) {
            headline = c.earliest().title();
        }
        return new Digest.Item(c.id(), headline, s.storyLink(c.id()), c.earliest().lead(),
                c.earliest().url(), c.sources(), articles, marker, addedArticles,
                addedSources, Math.round(c.score() * 1000) / 1000.0);
    }
}
