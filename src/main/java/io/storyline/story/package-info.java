/** Story stage: same-event clustering over salient terms, time windows, lifecycle, stable ids. */
package io.storyline.story;
