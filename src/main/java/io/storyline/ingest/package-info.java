/**
 * Feeds in, entries out: the feed list (OPML), fetching, parsing, entry identity and
 * revisions, polling schedule and article-page text. Rome and HTTP types stay inside; only
 * records with {@code Instant}s and strings cross the edge.
 */
package io.storyline.ingest;
