package io.storyline.digest;

import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * What one subscriber wants to see. An empty set lets everything through.
 *
 * @param languages  stories with an article in one of these languages (lower case)
 * @param sources    stories with an article from one of these sources (lower case)
 * @param keywords   stories whose headline, a title or a lead contains one of these
 *                   (lower case, as a substring)
 * @param minSources stories with at least this many distinct sources
 */
public record DigestFilter(Set<String> languages, Set<String> sources, List<String> keywords,
        int minSources) {

    public DigestFilter {
        languages = Set.copyOf(Objects.requireNonNull(languages, "languages"));
        sources = Set.copyOf(Objects.requireNonNull(sources, "sources"));
        keywords = List.copyOf(Objects.requireNonNull(keywords, "keywords"));
    }

    public static DigestFilter none() {
        return new DigestFilter(Set.of(), Set.of(), List.of(), 1);
    }
}
