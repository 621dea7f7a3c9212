/** Typed, validated settings: one object per service, every key documented with its default. */
package io.storyline.config;
