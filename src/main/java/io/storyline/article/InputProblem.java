package io.storyline.article;

import java.util.Objects;

/**
 * A line or file of input that could not be read, kept as data so one bad record never stops
 * the rest of the stream.
 *
 * @param location the file, and the line number where there is one ({@code sample.jsonl:12})
 * @param message  what is wrong, naming the offending value
 */
public record InputProblem(String location, String message) {

    public InputProblem {
        Objects.requireNonNull(location, "location");
        Objects.requireNonNull(message, "message");
    }

    @Override
    public String toString() {
        return location + ": " + message;
    }
}
