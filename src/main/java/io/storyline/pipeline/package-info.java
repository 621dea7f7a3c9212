/**
 * Kafka around the engine: the embedded broker, the topics and their JSON values, the feed
 * registry, and the two services: the ingestor (feeds to {@code storyline.articles}) and the
 * exactly-once detector (articles to assignments and stories).
 */
package io.storyline.pipeline;
