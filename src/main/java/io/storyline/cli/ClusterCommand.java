package io.storyline.cli;

import io.storyline.article.Article;
import io.storyline.article.ArticleReader;
import io.storyline.article.Assignment;
import io.storyline.article.AssignmentWriter;
import io.storyline.article.InputProblem;
import io.storyline.engine.Engine;
import io.storyline.engine.MergeResolver;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code storyline cluster}: runs the engine over a file and writes one assignment per line. */
@Command(name = "cluster", mixinStandardHelpOptions = true,
        description = "Find copies and stories in a JSON-lines file (or a directory of .txt "
                + "files) and write one assignment per article, in input order. Exit code 1 "
                + "if every line was skipped.")
final class ClusterCommand implements Callable<Integer> {

    @Option(names = "--input", required = true, paramLabel = "FILE|DIR",
            description = "Articles: JSON lines {id,url,source,lang,title,text,published}, "
                    + "or a directory of .txt files (name = id, first line = title).")
    Path input;

    @Option(names = "--output", required = true, paramLabel = "FILE",
            description = "Assignments: JSON lines {id,story,duplicateOf,similarity,lower,"
                    + "upper,matched,verdict}; story ids are final (merges applied).")
    Path output;

    @Option(names = "--top", defaultValue = "10", paramLabel = "N",
            description = "How many of the largest stories to list (default: ${DEFAULT-VALUE}).")
    int top;

    @Mixin
    EngineOptions engineOptions;

    @Spec
    CommandSpec spec;

    /** What the summary shows of a story. */
    private static final class StorySummary {
        final String headline;
        final Set<String> sources = new LinkedHashSet<>();
        int size;

        StorySummary(String headline) {
            this.headline = headline;
        }
    }

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (!Files.exists(input)) {
            err.println("error: input " + input + " does not exist");
            return 2;
        }
        Engine engine = new Engine(engineOptions.engineConfig(err));
        MergeResolver merges = new MergeResolver();
        List<Assignment> assignments = new ArrayList<>();
        Map<String, String> headlineOf = new HashMap<>();
        Map<String, String> sourceOf = new HashMap<>();
        int[] skipped = {0};
        new ArticleReader(article -> {
            Engine.Result result = engine.process(article);
            result.events().forEach(merges::accept);
            assignments.add(result.assignment());
            if (result.assignment().story().equals(article.id())) {
                headlineOf.put(article.id(), headline(article)); // it opened a story
            }
            sourceOf.put(article.id(), article.source() == null ? "?" : article.source());
        }, problem -> {
            if (problem.effect() == InputProblem.Effect.SKIPPED) {
                skipped[0]++;
                err.println("skipped " + problem);
            } else {
                err.println("warning: " + problem);
            }
        }).read(input);
        if (assignments.isEmpty() && skipped[0] > 0) {
            // Every record was bad: almost surely the wrong file or format, so fail the run
            // rather than write an empty output that a script would take for a result.
            err.println("error: no article read from " + input + ": every "
                    + (Files.isDirectory(input) ? "file" : "line") + " was skipped ("
                    + skipped[0] + ")");
            return 1;
        }

        Map<String, StorySummary> stories = new LinkedHashMap<>();
        int duplicates = 0;
        Path parent = output.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        try (AssignmentWriter writer = new AssignmentWriter(
                Files.newBufferedWriter(output, StandardCharsets.UTF_8))) {
            for (Assignment a : assignments) {
                Assignment resolved = a.withStory(merges.resolve(a.story()));
                writer.write(resolved);
                if (resolved.duplicateOf() != null) {
                    duplicates++;
                }
                StorySummary story = stories.computeIfAbsent(resolved.story(),
                        id -> new StorySummary(headlineOf.getOrDefault(id, "")));
                story.size++;
                story.sources.add(sourceOf.get(a.id()));
            }
        }
        printSummary(out, assignments.size(), duplicates, stories, skipped[0]);
        return 0;
    }

    private static String headline(Article first) {
        String h = first.title() != null && !first.title().isBlank()
                ? first.title() : first.text();
        h = h.strip().replaceAll("\\s+", " ");
        return h.length() > 90 ? h.substring(0, 87) + "..." : h;
    }

    private void printSummary(PrintWriter out, int articles, int duplicates,
            Map<String, StorySummary> stories, int skipped) {
        out.printf(Locale.ROOT, "articles   %d%n", articles);
        out.printf(Locale.ROOT, "duplicates %d%n", duplicates);
        out.printf(Locale.ROOT, "stories    %d%n", stories.size());
        out.printf(Locale.ROOT, "skipped    %d%n", skipped);
        out.printf(Locale.ROOT, "output     %s%n", output);
        out.println();
        out.printf(Locale.ROOT, "largest stories:%n");
        stories.entrySet().stream()
                .sorted(Comparator.comparingInt(
                        (Map.Entry<String, StorySummary> e) -> -e.getValue().size))
                .limit(top)
                .forEach(e -> out.printf(Locale.ROOT, "%5d  %-16s %s%n       sources: %s%n",
                        e.getValue().size, e.getKey(), e.getValue().headline,
                        sources(e.getValue().sources)));
        out.flush();
    }

    private static String sources(Set<String> sources) {
        List<String> list = new ArrayList<>(sources);
        if (list.size() <= 6) {
            return String.join(", ", list);
        }
        return String.join(", ", list.subList(0, 6)) + " and " + (list.size() - 6) + " more";
    }
}
