package io.storyline.view;

import static io.storyline.view.Records.assignment;
import static io.storyline.view.Records.bytes;
import static io.storyline.view.Records.story;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The story list against a brute-force reference: a random model of a few thousand stories
 * (fixed seed), random filters, sorts and page lengths, every page followed by its cursor.
 * The phases change the model without moving the clock (the changed stories are merged into
 * the snapshot's order), then move the clock (the snapshot is rebuilt), move it again without
 * a change (only the trending order is sorted again), and change it once more.
 */
class ReadModelListTest {

    private static final Instant T = Instant.parse("2026-12-02T12:00:00Z");
    private static final String[] LANGS = {"en", "fr", "de"};
    private static final long HOUR = 3_600_000L;

    private final MutableClock clock = new MutableClock(T);
    private final ReadModel model = new ReadModel(Duration.ofDays(7), 100_000, 1_000_000,
            clock);
    private final SplittableRandom random = new SplittableRandom(20261202);
    /** What the test fed, by live story id: the reference the model is checked against. */
    private final Map<String, Ref> stories = new TreeMap<>();
    private long seq;
    private int storyCount;
    private int articles;

    /** A story as the reference sees it. */
    private static final class Ref {
        final String id;
        final List<Long> arrivals = new ArrayList<>();
        final Set<String> sources = new LinkedHashSet<>();
        final Set<String> langs = new LinkedHashSet<>();
        /** The words of each article (title and lead): a search matches within one. */
        final List<Set<String>> words = new ArrayList<>();
        String headline;

        Ref(String id) {
            this.id = id;
        }

        long first() {
            return arrivals.stream().mapToLong(Long::longValue).min().orElseThrow();
        }

        long last() {
            return arrivals.stream().mapToLong(Long::longValue).max().orElseThrow();
        }

        int count(long from, long to) {
            return (int) arrivals.stream().filter(t -> t > from && t <= to).count();
        }
    }

    @AfterEach
    void close() {
        model.close();
    }

    @Test
    void pagesMatchABruteForceReferenceAcrossChangesAndTime() {
        for (int i = 0; i < 3_000; i++) {
            newStory(T.toEpochMilli() - random.nextLong(6 * HOUR));
        }
        model.publishChanges();
        checkQueries("built", 80, true);

        // Changes within the same clock millisecond: read from the model, not the snapshot.
        change(300);
        model.publishChanges();
        checkQueries("changed, same clock", 80, true);

        clock.advance(Duration.ofMinutes(40));
        checkQueries("40 minutes later", 60, true);

        // No change, the clock moves: the trending order is sorted again from the last one.
        clock.advance(Duration.ofMinutes(25));
        checkQueries("25 minutes on, unchanged", 40, true);

        change(200);
        model.publishChanges();
        checkQueries("changed again", 60, true);

        // Changes not yet published are in the list too (searches see them once published).
        clock.advance(Duration.ofSeconds(3));
        change(50);
        checkQueries("unpublished", 40, false);
    }

    private void newStory(long t0) {
        String id = "s" + storyCount++;
        Ref ref = new Ref(id);
        stories.put(id, ref);
        int n = 1 + random.nextInt(6);
        for (int a = 0; a < n; a++) {
            addArticle(ref, id, t0 + a * random.nextLong(20 * 60_000L));
        }
        snapshot(ref, List.of());
    }

    private void addArticle(Ref ref, String storyId, long t) {
        String title = word() + " " + word() + " " + word();
        String source = "Source " + (char) ('A' + random.nextInt(26)) + random.nextInt(8);
        String lang = LANGS[random.nextInt(LANGS.length)];
        String aid = "a" + articles++;
        ObjectNode n = assignment(aid, storyId, null, seq++, Instant.ofEpochMilli(t), source,
                title);
        n.put("lang", lang);
        model.applyAssignment(bytes(n), Instant.ofEpochMilli(t));
        ref.arrivals.add(t);
        ref.sources.add(source.toLowerCase(Locale.ROOT));
        ref.langs.add(lang);
        ref.words.add(Set.copyOf(List.of(("lead of " + title).split(" "))));
        if (ref.headline == null) {
            ref.headline = title;
        }
    }

    private void snapshot(Ref ref, List<String> absorbed) {
        model.applyStory(bytes(story(ref.id, "open", ref.arrivals.size(), 0, ref.headline,
                seq++, Instant.ofEpochMilli(ref.last()), List.copyOf(ref.sources), absorbed,
                null)));
    }

    /** New stories, new articles in old ones, and merges. */
    private void change(int n) {
        long now = clock.millis();
        for (int i = 0; i < n; i++) {
            int kind = random.nextInt(10);
            List<String> ids = new ArrayList<>(stories.keySet());
            if (kind < 3) {
                newStory(now - random.nextLong(2 * HOUR));
            } else if (kind < 8) {
                Ref ref = stories.get(ids.get(random.nextInt(ids.size())));
                addArticle(ref, ref.id, now - random.nextLong(HOUR));
                snapshot(ref, List.of());
            } else {
                Ref into = stories.get(ids.get(random.nextInt(ids.size())));
                Ref gone = stories.get(ids.get(random.nextInt(ids.size())));
                if (into == gone) {
                    continue;
                }
                model.applyStory(bytes(story(gone.id, "merged", gone.arrivals.size(), 0,
                        gone.headline, seq++, Instant.ofEpochMilli(now), List.of(), List.of(),
                        into.id)));
                stories.remove(gone.id);
                into.arrivals.addAll(gone.arrivals);
                into.sources.addAll(gone.sources);
                into.langs.addAll(gone.langs);
                into.words.addAll(gone.words);
                snapshot(into, List.of(gone.id));
            }
        }
    }

    private void checkQueries(String phase, int count, boolean search) {
        for (int i = 0; i < count; i++) {
            Map<String, List<String>> params = new LinkedHashMap<>();
            String sort = List.of("trending", "new", "size").get(random.nextInt(3));
            params.put("sort", List.of(sort));
            int limit = 1 + random.nextInt(random.nextBoolean() ? 10 : 200);
            if (random.nextInt(3) == 0) {
                params.put("lang", List.of(LANGS[random.nextInt(LANGS.length)]
                        .toUpperCase(Locale.ROOT)));
            }
            if (random.nextInt(4) == 0) {
                params.put("source", List.of("SOURCE " + (char) ('a' + random.nextInt(26))
                        + random.nextInt(8)));
            }
            if (random.nextInt(3) == 0) {
                params.put("minSources", List.of(Integer.toString(random.nextInt(5))));
            }
            if (random.nextInt(4) == 0) {
                params.put("since", List.of(Instant.ofEpochMilli(clock.millis()
                        - random.nextLong(7 * HOUR)).toString()));
            }
            if (random.nextInt(4) == 0) {
                params.put("until", List.of(Instant.ofEpochMilli(clock.millis()
                        - random.nextLong(7 * HOUR)).toString()));
            }
            if (search && random.nextInt(3) == 0) {
                params.put("q", List.of(random.nextBoolean() ? word() : word() + " " + word()));
            }
            check(phase, params, limit);
        }
    }

    private void check(String phase, Map<String, List<String>> params, int shortest) {
        StoryQuery q = StoryQuery.parse(params);
        List<String> expected = reference(q);
        // At most about 30 pages: every page counts all matches.
        params.put("limit", List.of(Integer.toString(Math.min(StoryQuery.MAX_LIMIT,
                Math.max(shortest, expected.size() / 30)))));
        List<String> got = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            Map<String, List<String>> p = new LinkedHashMap<>(params);
            if (cursor != null) {
                p.put("cursor", List.of(cursor));
            }
            ReadModel.StoryPage page = model.stories(StoryQuery.parse(p));
            assertEquals(expected.size(), page.matched(), phase + " matched " + params);
            page.stories().forEach(s -> got.add(s.id()));
            cursor = page.next();
            pages++;
        } while (cursor != null && pages < 10_000);
        assertEquals(expected, got, phase + " " + params);
    }

    private List<String> reference(StoryQuery q) {
        long now = clock.millis();
        List<Ref> out = new ArrayList<>();
        for (Ref r : stories.values()) {
            if (q.since() != null && r.last() < q.since().toEpochMilli()) {
                continue;
            }
            if (q.until() != null && r.first() >= q.until().toEpochMilli()) {
                continue;
            }
            if (q.lang() != null && !r.langs.contains(q.lang())) {
                continue;
            }
            if (q.source() != null && !r.sources.contains(q.source().toLowerCase(Locale.ROOT))) {
                continue;
            }
            if (r.sources.size() < q.minSources()) {
                continue;
            }
            if (q.q() != null && r.words.stream().noneMatch(w -> w.containsAll(
                    List.of(q.q().split(" "))))) {
                continue;
            }
            out.add(r);
        }
        Map<Ref, Double> keys = new IdentityHashMap<>();
        out.forEach(r -> keys.put(r, key(r, q.sort(), now)));
        Comparator<Ref> order = Comparator.comparingDouble((Ref r) -> keys.get(r))
                .thenComparing(r -> r.id);
        out.sort(order);
        return out.stream().map(r -> r.id).toList();
    }

    private static double key(Ref r, StoryQuery.Sort sort, long now) {
        return switch (sort) {
            case TRENDING -> -Trending.score(r.count(now - HOUR, now),
                    r.count(now - 2 * HOUR, now - HOUR), r.sources.size(),
                    (now - r.last()) / (double) HOUR);
            case NEW -> -r.first();
            case SIZE -> -r.arrivals.size();
        };
    }

    private String word() {
        int i = random.nextInt(60);
        String[] syllables = {"ka", "lo", "mi", "ne", "ru", "sa", "ti", "vo"};
        return syllables[i % 8] + syllables[(i / 8) % 8] + "x";
    }
}