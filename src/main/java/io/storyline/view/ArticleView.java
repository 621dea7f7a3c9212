package io.storyline.view;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/**
 * One article as an assignment describes it: the detector's verdict and what a reader needs
 * (title, link, source, times, lead). Titles and leads are plain text, to be shown as text.
 *
 * @param story   the story it was assigned to (a merged story's id resolves to its absorber)
 * @param why     the story tier's explanation of a join, or null
 * @param arrived when it arrived: fetched, else published, else when the detector wrote it
 */
public record ArticleView(
        String id,
        String story,
        String duplicateOf,
        String verdict,
        double similarity,
        double lower,
        double upper,
        String matched,
        JsonNode why,
        int revision,
        long seq,
        String title,
        String url,
        String source,
        String feed,
        String lang,
        Instant published,
        Instant fetched,
        Instant arrived,
        String lead) {

    /** The text Lucene indexes: title and lead. */
    String searchText() {
        return (title == null ? "" : title) + "\n" + (lead == null ? "" : lead);
    }
}
