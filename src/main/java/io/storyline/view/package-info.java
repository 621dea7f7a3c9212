/**
 * The read model: stories, articles and feed health built from the output topics alone
 * ({@code storyline.assignments}, {@code storyline.stories}, {@code storyline.feed-health}),
 * bounded in time and size, searchable with Lucene. Shared by the web layer and digests.
 */
package io.storyline.view;
