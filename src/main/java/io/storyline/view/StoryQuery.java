package io.storyline.view;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The filters, order and page of {@code GET /api/stories}, parsed and checked: every error
 * names its parameter.
 *
 * @param since      stories with activity at or after this, or null
 * @param until      stories first seen before this, or null
 * @param lang       stories with an article in this language (lower case), or null
 * @param source     stories with an article from this source (any case), or null
 * @param q          Lucene search text over titles and leads, or null
 * @param minSources stories with at least this many distinct sources
 * @param after      the cursor's position: the page starts after it, or null
 */
public record StoryQuery(
        Instant since,
        Instant until,
        String lang,
        String source,
        String q,
        int minSources,
        Sort sort,
        int limit,
        Cursor after) {

    public static final int DEFAULT_LIMIT = 50;
    public static final int MAX_LIMIT = 500;
    static final int MAX_TEXT = 500;

    private static final Set<String> NAMES = new TreeSet<>(List.of("since", "until", "lang",
            "source", "q", "minSources", "sort", "limit", "cursor"));

    /** The orders of the list; ties go by story id. */
    public enum Sort {
        /** By {@link Trending} score, highest first. */
        TRENDING,
        /** By first arrival, newest first. */
        NEW,
        /** By article count, largest first. */
        SIZE;

        String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * A position in a sorted list: the sort key of the last story of a page (lower comes
     * first) and its id.
     */
    public record Cursor(Sort sort, double key, String id) {

        public String encode() {
            String raw = sort.label() + "\n" + key + "\n" + id;
            return Base64.getUrlEncoder().withoutPadding()
                    .encodeToString(raw.getBytes(StandardCharsets.UTF_8));
        }

        static Cursor decode(String text, Sort expected) {
            String raw;
            try {
                raw = new String(Base64.getUrlDecoder().decode(text), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                throw new BadParameter("cursor", "is not a cursor this server gave");
            }
            String[] parts = raw.split("\n", 3);
            if (parts.length != 3) {
                throw new BadParameter("cursor", "is not a cursor this server gave");
            }
            Sort sort = StoryQuery.sort(parts[0], "cursor");
            if (sort != expected) {
                throw new BadParameter("cursor", "was made for sort=" + sort.label()
                        + ", not sort=" + expected.label());
            }
            try {
                return new Cursor(sort, Double.parseDouble(parts[1]), parts[2]);
            } catch (NumberFormatException e) {
                throw new BadParameter("cursor", "is not a cursor this server gave");
            }
        }
    }

    public static StoryQuery defaults() {
        return parse(Map.of());
    }

    /** Parses query parameters as the HTTP layer hands them over (name to values). */
    public static StoryQuery parse(Map<String, List<String>> params) {
        for (Map.Entry<String, List<String>> p : params.entrySet()) {
            if (!NAMES.contains(p.getKey())) {
                throw new BadParameter(p.getKey(), "is unknown (known: "
                        + String.join(", ", NAMES) + ")");
            }
            if (p.getValue().size() > 1) {
                throw new BadParameter(p.getKey(), "is given more than once");
            }
        }
        Sort sort = params.containsKey("sort") ? sort(one(params, "sort"), "sort")
                : Sort.TRENDING;
        String cursor = text(params, "cursor");
        String lang = text(params, "lang");
        if (lang != null && !lang.matches("[A-Za-z]{2,3}([-_][A-Za-z0-9]{1,8})?")) {
            throw new BadParameter("lang", "must be a language code such as en or fr, not '"
                    + lang + "'");
        }
        return new StoryQuery(
                time(params, "since"),
                time(params, "until"),
                lang == null ? null : lang.toLowerCase(Locale.ROOT),
                text(params, "source"),
                text(params, "q"),
                number(params, "minSources", 0, 0, Integer.MAX_VALUE),
                sort,
                number(params, "limit", DEFAULT_LIMIT, 1, MAX_LIMIT),
                cursor == null ? null : Cursor.decode(cursor, sort));
    }

    private static String one(Map<String, List<String>> params, String name) {
        List<String> values = params.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    private static String text(Map<String, List<String>> params, String name) {
        String value = one(params, name);
        if (value == null || value.isBlank()) {
            return null;
        }
        if (value.length() > MAX_TEXT) {
            throw new BadParameter(name, "is longer than " + MAX_TEXT + " characters");
        }
        return value.strip();
    }

    private static Sort sort(String value, String name) {
        if (value != null) {
            for (Sort s : Sort.values()) {
                if (s.label().equals(value.strip().toLowerCase(Locale.ROOT))) {
                    return s;
                }
            }
        }
        throw new BadParameter(name, "must be trending, new or size, not '" + value + "'");
    }

    private static int number(Map<String, List<String>> params, String name, int defaultValue,
            int min, int max) {
        String value = text(params, name);
        if (value == null) {
            return defaultValue;
        }
        int n;
        try {
            n = Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new BadParameter(name, "must be a whole number, not '" + value + "'");
        }
        if (n < min || n > max) {
            throw new BadParameter(name, "must be between " + min + " and " + max + ", not "
                    + n);
        }
        return n;
    }

    /** ISO-8601: an instant with Z or an offset, or a date (its start, UTC). */
    private static Instant time(Map<String, List<String>> params, String name) {
        String value = text(params, name);
        if (value == null) {
            return null;
        }
        try {
            return OffsetDateTime.parse(value).toInstant();
        } catch (DateTimeParseException e) {
            try {
                return LocalDate.parse(value).atStartOfDay(ZoneOffset.UTC).toInstant();
            } catch (DateTimeParseException e2) {
                throw new BadParameter(name, "must be an ISO-8601 time such as "
                        + "2026-12-02T08:00:00Z or a date such as 2026-12-02, not '" + value
                        + "'");
            }
        }
    }
}
