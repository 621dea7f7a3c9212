package io.storyline.digest;

import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One subscriber's digest of one local date: the stories picked, best first. Empty when
 * nothing new or changed is left, and an empty digest is not sent.
 */
public record Digest(Subscriber subscriber, SendTime when, List<Item> items) {

    public Digest {
        Objects.requireNonNull(subscriber, "subscriber");
        Objects.requireNonNull(when, "when");
        items = List.copyOf(items);
    }

    public boolean isEmpty() {
        return items.isEmpty();
    }

    /** Whether the subscriber saw the story before, in the previous digest. */
    public enum Marker {
        NEW, UPDATED
    }

    /**
     * One story of a digest, counted as of the send time.
     *
     * @param link           the story's page on the dashboard
     * @param lead           the lead of its earliest article, or null
     * @param firstUrl       the link of its earliest article, or null
     * @param sources        its sources, the one that published first first
     * @param articles       its articles, copies included
     * @param addedArticles  articles since the previous digest (0 for a new story)
     * @param addedSources   sources since the previous digest (0 for a new story)
     * @param score          its trending score at the send time
     */
    public record Item(String story, String headline, URI link, String lead, String firstUrl,
            List<String> sources, int articles, Marker marker, int addedArticles,
            int addedSources, double score) {

        public Item {
            Objects.requireNonNull(story, "story");
            Objects.requireNonNull(marker, "marker");
            sources = List.copyOf(sources);
        }

        /** Recorded with a sent digest, for the next one's markers. */
        public Recorded recorded() {
            return new Recorded(story, articles, sources.size());
        }
    }
}
