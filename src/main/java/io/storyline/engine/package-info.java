/** The detection engine: text, copy and story tiers behind one pure, deterministic facade. */
package io.storyline.engine;
