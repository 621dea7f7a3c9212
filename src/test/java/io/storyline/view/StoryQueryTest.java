package io.storyline.view;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class StoryQueryTest {

    @Test
    void defaultsAreTrendingFiftyAndNoFilter() {
        StoryQuery q = StoryQuery.defaults();
        assertEquals(StoryQuery.Sort.TRENDING, q.sort());
        assertEquals(50, q.limit());
        assertEquals(0, q.minSources());
        assertNull(q.since());
        assertNull(q.q());
        assertNull(q.after());
    }

    @Test
    void readsEveryParameter() {
        StoryQuery q = StoryQuery.parse(Map.of("since", List.of("2026-12-01T08:00:00+02:00"),
                "until", List.of("2026-12-03"), "lang", List.of("FR"),
                "source", List.of(" Le Monde "), "q", List.of("kyiv"),
                "minSources", List.of("2"), "sort", List.of("size"), "limit", List.of("500")));
        assertEquals(Instant.parse("2026-12-01T06:00:00Z"), q.since());
        assertEquals(Instant.parse("2026-12-03T00:00:00Z"), q.until());
        assertEquals("fr", q.lang());
        assertEquals("Le Monde", q.source());
        assertEquals("kyiv", q.q());
        assertEquals(2, q.minSources());
        assertEquals(StoryQuery.Sort.SIZE, q.sort());
        assertEquals(500, q.limit());
    }

    @Test
    void aCursorRoundTripsAndBelongsToItsSort() {
        String cursor = new StoryQuery.Cursor(StoryQuery.Sort.NEW, -12.5, "s1").encode();
        StoryQuery q = StoryQuery.parse(Map.of("sort", List.of("new"), "cursor",
                List.of(cursor)));
        assertEquals(new StoryQuery.Cursor(StoryQuery.Sort.NEW, -12.5, "s1"), q.after());
        BadParameter e = assertThrows(BadParameter.class, () -> StoryQuery.parse(Map.of(
                "cursor", List.of(cursor))));
        assertEquals("cursor", e.parameter());
        assertEquals("parameter cursor was made for sort=new, not sort=trending",
                e.getMessage());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "limit|0|parameter limit must be between 1 and 500, not 0",
        "limit|501|parameter limit must be between 1 and 500, not 501",
        "limit|ten|parameter limit must be a whole number, not 'ten'",
        "minSources|-1|parameter minSources must be between 0 and 2147483647, not -1",
        "minSources|x|parameter minSources must be a whole number, not 'x'",
        "sort|hot|parameter sort must be trending, new or size, not 'hot'",
        "since|yesterday|parameter since must be an ISO-8601 time such as "
            + "2026-12-02T08:00:00Z or a date such as 2026-12-02, not 'yesterday'",
        "until|2026-13-01|parameter until must be an ISO-8601 time such as "
            + "2026-12-02T08:00:00Z or a date such as 2026-12-02, not '2026-13-01'",
        "lang|<script>|parameter lang must be a language code such as en or fr, not "
            + "'<script>'",
        "cursor|%%%|parameter cursor is not a cursor this server gave",
        "cursor|Zm9v|parameter cursor is not a cursor this server gave",
        "page|2|parameter page is unknown (known: cursor, lang, limit, minSources, q, since, "
            + "sort, source, until)",
    })
    void aBadParameterIsNamed(String name, String value, String message) {
        BadParameter e = assertThrows(BadParameter.class,
                () -> StoryQuery.parse(Map.of(name, List.of(value))));
        assertEquals(name, e.parameter());
        assertEquals(message, e.getMessage());
    }

    @Test
    void aParameterGivenTwiceOrTooLongIsNamed() {
        BadParameter twice = assertThrows(BadParameter.class,
                () -> StoryQuery.parse(Map.of("q", List.of("a", "b"))));
        assertEquals("parameter q is given more than once", twice.getMessage());
        BadParameter longText = assertThrows(BadParameter.class,
                () -> StoryQuery.parse(Map.of("q", List.of("x".repeat(501)))));
        assertEquals("parameter q is longer than 500 characters", longText.getMessage());
    }
}
