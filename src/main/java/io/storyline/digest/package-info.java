/**
 * Daily digest emails: the subscribers and their send times, and the top stories picked for
 * each subscriber from the dashboard's read model.
 */
package io.storyline.digest;
