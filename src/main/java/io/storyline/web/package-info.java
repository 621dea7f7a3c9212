/**
 * The dashboard server: the JSON API over the read model, Server-Sent Events of story
 * changes, the live page (static assets from the jar), Prometheus metrics and the admin
 * actions (Javalin on Jetty 12).
 */
package io.storyline.web;
