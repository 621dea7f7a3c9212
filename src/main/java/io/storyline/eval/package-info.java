/** Clustering quality metrics for evaluating story assignments against gold labels. */
package io.storyline.eval;
