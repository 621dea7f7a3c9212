/** Benchmarks: a deterministic synthetic news stream and the figures measured on it. */
package io.storyline.bench;
