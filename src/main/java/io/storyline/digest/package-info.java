/**
 * Daily digest emails: the subscribers (file and topic) and their send times, the top
 * stories picked for each subscriber from the dashboard's read model, rendering and SMTP
 * delivery, and the scheduler that claims each digest in {@code storyline.digests} before
 * sending it, so that it goes out at most once.
 */
package io.storyline.digest;
