/** Ingestion: the feed list (OPML, feed specs) and, later, fetching and parsing feeds. */
package io.storyline.ingest;
