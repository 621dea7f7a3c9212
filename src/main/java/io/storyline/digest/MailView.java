package io.storyline.digest;

import java.util.List;

/**
 * What the HTML template shows, formatted and checked in Java: texts are plain (the template
 * escapes them) and every link is http(s) or null. Public only because the precompiled
 * template is a class of another package.
 */
public record MailView(String title, String greeting, String footer, List<Entry> entries) {

    public MailView {
        entries = List.copyOf(entries);
    }

    /**
     * One story.
     *
     * @param link     its dashboard page, or null
     * @param firstUrl its earliest article, or null
     */
    public record Entry(String anchor, String headline, String marker, String lead,
            String counts, String sources, String link, String firstUrl) {
    }
}
