package io.storyline.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.storyline.eval.ClusteringMetrics;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code storyline eval}: scores predicted stories against gold labels. */
@Command(name = "eval", mixinStandardHelpOptions = true,
        description = "Score story assignments against gold clusters: BCubed P/R/F1, "
                + "pairwise P/R/F1, NMI, ARI, and story counts.")
final class EvalCommand implements Callable<Integer> {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Option(names = "--gold", required = true, paramLabel = "FILE",
            description = "Gold labels: JSON lines {\"id\", \"cluster\"}.")
    Path gold;

    @Option(names = "--pred", required = true, paramLabel = "FILE",
            description = "Predictions: the output of `storyline cluster` ({\"id\", \"story\"}).")
    Path pred;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        PrintWriter err = spec.commandLine().getErr();
        Map<String, String> goldLabels = labels(gold, "cluster", err);
        Map<String, String> predicted = labels(pred, "story", err);
        int missing = 0;
        for (String id : goldLabels.keySet()) {
            if (!predicted.containsKey(id)) {
                missing++;
            }
        }
        if (missing > 0) {
            err.println("warning: " + missing + " gold ids have no prediction in " + pred
                    + "; each counts as its own story");
        }
        PrintWriter out = spec.commandLine().getOut();
        out.println(ClusteringMetrics.score(goldLabels, predicted).report());
        out.flush();
        return 0;
    }

    private static Map<String, String> labels(Path file, String field, PrintWriter err)
            throws IOException {
        Map<String, String> labels = new LinkedHashMap<>();
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            int number = 0;
            while ((line = in.readLine()) != null) {
                number++;
                if (line.isBlank()) {
                    continue;
                }
                String where = file.getFileName() + ":" + number;
                try {
                    JsonNode node = JSON.readTree(line);
                    JsonNode id = node.get("id");
                    JsonNode label = node.get(field);
                    if (id == null || id.isNull() || label == null || label.isNull()) {
                        err.println("skipped " + where + ": needs \"id\" and \"" + field + "\"");
                    } else if (labels.putIfAbsent(id.asText(), label.asText()) != null) {
                        err.println("skipped " + where + ": duplicate id \"" + id.asText() + "\"");
                    }
                } catch (IOException e) {
                    err.println("skipped " + where + ": not JSON");
                }
            }
        }
        return labels;
    }
}
