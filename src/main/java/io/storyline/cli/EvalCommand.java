package io.storyline.cli;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.storyline.eval.ClusteringMetrics;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
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

    // Trailing content means a corrupt or concatenated line, as in the articles reader.
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    @Option(names = "--gold", required = true, paramLabel = "FILE",
            description = "Gold labels: JSON lines {\"id\", \"cluster\"}.")
    Path gold;

    @Option(names = "--pred", required = true, paramLabel = "FILE",
            description = "Predictions: the output of `storyline cluster` ({\"id\", \"story\"}).")
    Path pred;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        String unusable = unusable("gold", gold);
        if (unusable == null) {
            unusable = unusable("pred", pred);
        }
        if (unusable != null) {
            err.println("error: " + unusable);
            return 2;
        }
        Map<String, String> goldLabels = labels("gold", gold, "cluster", err);
        if (goldLabels.isEmpty()) {
            err.println("error: gold file " + gold + " has no usable line");
            return 2;
        }
        Map<String, String> predicted = labels("pred", pred, "story", err);
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

    /** Why {@code file} cannot be read, as a one-line error; null when it can. */
    private static String unusable(String role, Path file) {
        if (!Files.exists(file)) {
            return role + " file " + file + " does not exist";
        }
        if (Files.isDirectory(file)) {
            return role + " file " + file + " is a directory";
        }
        if (!Files.isReadable(file)) {
            return role + " file " + file + " is not readable";
        }
        return null;
    }

    /** The labels in {@code file}; each bad line is named on {@code err} and skipped. */
    private static Map<String, String> labels(String role, Path file, String field,
            PrintWriter err) {
        Map<String, String> labels = new LinkedHashMap<>();
        // Read as bytes and decode line by line, so that bad UTF-8 is one skipped line with
        // its number, not an exception for the whole file from somewhere in a read-ahead buffer.
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.ISO_8859_1)) {
            String raw;
            int number = 0;
            while ((raw = in.readLine()) != null) {
                number++;
                String where = file.getFileName() + ":" + number;
                try {
                    String line = StandardCharsets.UTF_8.newDecoder()
                            .decode(ByteBuffer.wrap(raw.getBytes(StandardCharsets.ISO_8859_1)))
                            .toString();
                    if (!line.isBlank()) {
                        label(JSON.readTree(line), field, labels, where, err);
                    }
                } catch (CharacterCodingException e) {
                    err.println("skipped " + where + ": not UTF-8");
                } catch (IOException e) {
                    err.println("skipped " + where + ": not JSON");
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + role + " file " + file, e);
        }
        return labels;
    }

    private static void label(JsonNode node, String field, Map<String, String> labels,
            String where, PrintWriter err) {
        JsonNode id = node.get("id");
        JsonNode label = node.get(field);
        if (!isScalar(id) || !isScalar(label)) {
            err.println("skipped " + where + ": needs \"id\" and \"" + field + "\"");
        } else if (labels.putIfAbsent(id.asText(), label.asText()) != null) {
            err.println("skipped " + where + ": duplicate id \"" + id.asText() + "\"");
        }
    }

    /** A string or number; an object's or array's asText() is "", which would pass as a label. */
    private static boolean isScalar(JsonNode value) {
        return value != null && (value.isTextual() || value.isNumber());
    }
}
