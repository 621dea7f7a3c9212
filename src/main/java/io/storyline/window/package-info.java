/** The sliding window of recent articles that bounds every tier's state. */
package io.storyline.window;
