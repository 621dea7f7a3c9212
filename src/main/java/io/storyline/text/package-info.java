/** Text stage: HTML to text, normalization, tokens, language, stop words, stems, boilerplate. */
package io.storyline.text;
