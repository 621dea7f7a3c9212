/** Values that cross stage boundaries (articles, assignments, story events), their JSON forms. */
package io.storyline.article;
