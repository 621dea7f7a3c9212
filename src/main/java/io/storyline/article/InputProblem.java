package io.storyline.article;

import java.util.Objects;

/**
 * A line or file of input that could not be read, or not all of it, kept as data so one bad
 * record never stops the rest of the stream.
 *
 * @param location the file, and the line number where there is one ({@code sample.jsonl:12})
 * @param message  what is wrong, naming the offending value
 * @param effect   whether the input was skipped or its articles kept without the bad part
 */
public record InputProblem(String location, String message, Effect effect) {

    /** What the problem cost: callers count skips apart from warnings. */
    public enum Effect {
        /** The line or file gave no article. */
        SKIPPED,
        /** The articles were kept without the part that could not be read: a warning. */
        KEPT
    }

    public InputProblem {
        Objects.requireNonNull(location, "location");
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(effect, "effect");
    }

    /** A problem that cost its line or file, the usual kind. */
    public InputProblem(String location, String message) {
        this(location, message, Effect.SKIPPED);
    }

    @Override
    public String toString() {
        return location + ": " + message;
    }
}
