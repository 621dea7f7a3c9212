package io.storyline.pipeline;

import io.storyline.article.Assignment;
import io.storyline.engine.Engine;
import java.util.Locale;

/**
 * The log line of one detector step, for a person watching {@code storyline run}: what
 * happened (a new story, an article joining one, a copy, a revision) and what the article is
 * (headline, source and link), so the line can be read and followed without a Kafka consumer.
 */
final class StoryLog {

    /** Headlines in log lines are cut at a word after about this many characters. */
    static final int HEADLINE_CHARS = 100;

    private StoryLog() {
    }

    /** The line for {@code step}, or null when it has nothing to say (a re-delivery). */
    static String line(Detection.Step step) {
        Assignment a = step.assignment();
        if (a == null || step.kind() == Engine.Kind.REPEAT) {
            return null;
        }
        String what = switch (step.kind()) {
            case REVISION -> "  story " + a.story() + ": " + a.id() + " revised (revision "
                    + step.revision() + ")";
            default -> switch (a.verdict()) {
                case NEW_STORY -> "new story " + a.story();
                case STORY -> "  story " + a.story() + " grows (score "
                        + decimal(a.similarity()) + ")";
                case NEAR_DUPLICATE -> "  story " + a.story() + " gets a copy of "
                        + a.duplicateOf() + " (Jaccard " + decimal(a.similarity()) + ")";
                case EXACT_DUPLICATE -> "  story " + a.story() + " gets a copy of "
                        + a.duplicateOf() + " (exact)";
            };
        };
        return what + ": " + about(step);
    }

    /** Headline, then source in parentheses, then link, each when known. */
    private static String about(Detection.Step step) {
        StringBuilder out = new StringBuilder(step.title() == null ? step.article().id()
                : PlainText.cut(step.title(), HEADLINE_CHARS));
        if (step.article().source() != null && !step.article().source().isBlank()) {
            out.append(" (").append(oneLine(step.article().source())).append(')');
        }
        if (step.article().url() != null && !step.article().url().isBlank()) {
            out.append(' ').append(oneLine(step.article().url()));
        }
        return out.toString();
    }

    private static String decimal(double value) {
        return String.format(Locale.ROOT, "%.2f", value);
    }

    /** Feed text cannot start a forged log line: control characters become spaces. */
    private static String oneLine(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            out.append(Character.isISOControl(c) ? ' ' : c);
        }
        return out.toString().strip();
    }
}
