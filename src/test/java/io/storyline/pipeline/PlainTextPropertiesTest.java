package io.storyline.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/** Titles and leads of any string: no exception, bounded, and a title is one clean line. */
class PlainTextPropertiesTest {

    @Property(tries = 500)
    void anyStringGivesATitleAndALead(@ForAll String html, @ForAll String title) {
        String t = PlainText.title(html);
        assertTrue(t == null || (!t.isBlank() && t.equals(t.strip()) && t.indexOf('\n') < 0),
                t);
        PlainText.lead(html, title);
    }

    @Property(tries = 500)
    void aTitleOfPlainWordsIsItsOwnTitle(@ForAll String html) {
        String t = PlainText.title(html);
        if (t != null && t.indexOf('<') < 0 && t.indexOf('&') < 0) {
            assertEquals(t, PlainText.title(t));
        }
    }
}
