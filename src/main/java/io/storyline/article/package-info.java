/** Value types that cross stage boundaries (articles, assignments, story events) and their JSON forms. */
package io.storyline.article;
