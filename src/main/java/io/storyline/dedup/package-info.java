/** Near-duplicate stage: shingle sketches, the candidate index and the copy verdict. */
package io.storyline.dedup;
