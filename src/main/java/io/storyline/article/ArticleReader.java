package io.storyline.article;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Reads the input formats into {@link Article}s in stream order: JSON lines, or a directory of
 * {@code .txt} files (file name = id, first line = title, rest = text).
 *
 * <p>Bad records are reported as {@link InputProblem}s naming the file and line, and skipped;
 * reading goes on with the next record. An unreadable time costs only the time: the article is
 * kept without one, and each file reports such articles once, as a warning with their count.
 */
public final class ArticleReader {

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private final Set<String> seenIds = new HashSet<>();
    private final Consumer<Article> articles;
    private final Consumer<InputProblem> problems;

    public ArticleReader(Consumer<Article> articles, Consumer<InputProblem> problems) {
        this.articles = articles;
        this.problems = problems;
    }

    /** Reads a JSON-lines file or a directory of text files. */
    public void read(Path input) {
        if (Files.isDirectory(input)) {
            readDirectory(input);
        } else {
            readJsonLines(input);
        }
    }

    private void readJsonLines(Path file) {
        String name = file.getFileName().toString();
        Untimed untimed = new Untimed();
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            int number = 0;
            while ((line = in.readLine()) != null) {
                number++;
                if (number == 1 && line.startsWith("\uFEFF")) {
                    line = line.substring(1); // a byte-order mark some editors write
                }
                if (!line.isBlank()) {
                    readJsonLine(line, name, number, untimed);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        if (untimed.count > 0) {
            problems.accept(untimed.warning(name));
        }
    }

    private void readJsonLine(String line, String file, int number, Untimed untimed) {
        String location = file + ":" + number;
        try {
            JsonNode node = JSON.readTree(line);
            if (node == null || !node.isObject()) {
                problems.accept(new InputProblem(location, "not a JSON object"));
                return;
            }
            Parsed parsed = parsed(node);
            if (accept(parsed.article(), location) && parsed.unreadableTime() != null) {
                untimed.add(number, parsed.unreadableTime());
            }
        } catch (IOException e) {
            problems.accept(new InputProblem(location, "not JSON: " + firstLine(e.getMessage())));
        } catch (IllegalArgumentException e) {
            problems.accept(new InputProblem(location, e.getMessage()));
        }
    }

    /**
     * The article in one JSON object of the input format; throws naming what is wrong,
     * including an unreadable time (a file keeps such an article, a single message does not).
     */
    public static Article parse(JsonNode node) {
        Parsed parsed = parsed(node);
        if (parsed.unreadableTime() != null) {
            throw new IllegalArgumentException("\"published\" unreadable: "
                    + parsed.unreadableTime());
        }
        return parsed.article();
    }

    /** The article in {@code node}; throws naming what is wrong, except for the time. */
    private static Parsed parsed(JsonNode node) {
        String id = text(node, "id");
        if (id == null || id.isBlank()) {
            throw new IllegalArgumentException("missing \"id\"");
        }
        Instant published = null;
        String unreadableTime = null;
        try {
            published = PublishedTime.parse(node.get("published"));
        } catch (DateTimeException e) {
            unreadableTime = e.getMessage();
        }
        return new Parsed(new Article(id, text(node, "url"), text(node, "source"),
                text(node, "lang"), text(node, "title"), text(node, "text"), published),
                unreadableTime);
    }

    private void readDirectory(Path dir) {
        List<Path> files;
        try (Stream<Path> list = Files.list(dir)) {
            files = list.filter(p -> p.getFileName().toString().endsWith(".txt"))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
        for (Path file : files) {
            readTextFile(file);
        }
    }

    private void readTextFile(Path file) {
        String name = file.getFileName().toString();
        String id = name.substring(0, name.length() - ".txt".length());
        try {
            String content = Files.readString(file, StandardCharsets.UTF_8).strip();
            int newline = content.indexOf('\n');
            String title = newline < 0 ? content : content.substring(0, newline).strip();
            String text = newline < 0 ? "" : content.substring(newline + 1).strip();
            accept(new Article(id, null, null, null, title, text, null), name);
        } catch (IOException e) {
            problems.accept(new InputProblem(name, "cannot read: " + e.getMessage()));
        } catch (IllegalArgumentException e) {
            problems.accept(new InputProblem(name, e.getMessage()));
        }
    }

    /** Passes the article on unless its id was seen before; says whether it did. */
    private boolean accept(Article article, String location) {
        if (!seenIds.add(article.id())) {
            problems.accept(new InputProblem(location, "duplicate id \"" + article.id() + "\""));
            return false;
        }
        articles.accept(article);
        return true;
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isValueNode()) {
            throw new IllegalArgumentException("\"" + field + "\" is not a string");
        }
        return value.asText();
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unreadable";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }

    /** An article, and why its time was left out (null when it was not). */
    private record Parsed(Article article, String unreadableTime) {
    }

    /** The articles of one file kept without their unreadable time, reported once per file. */
    private static final class Untimed {
        int count;
        String first;

        void add(int line, String why) {
            if (count++ == 0) {
                first = "line " + line + ": " + why;
            }
        }

        InputProblem warning(String file) {
            return new InputProblem(file, count + (count == 1 ? " article" : " articles")
                    + " kept without a time: \"published\" unreadable, first at " + first,
                    InputProblem.Effect.KEPT);
        }
    }
}
