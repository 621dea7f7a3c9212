package io.storyline.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The engine's decisions are the same on every JDK and CPU: its packages compute logarithms,
 * powers, roots and the like with {@link StrictMath} (fdlibm, bit for bit everywhere), never
 * with {@link Math}, whose intrinsics may differ in the last bit from one JVM to another, and
 * a last bit can tip a score across a threshold.
 */
class StrictMathTest {

    private static final List<String> ENGINE_PACKAGES = List.of("text", "dedup", "story",
            "engine", "window");
    /** Math's functions that the JVM may implement differently (min, max, abs are exact). */
    private static final Pattern LOOSE_MATH = Pattern.compile("(?<![\\w.])Math\\s*\\.\\s*("
            + "log|log10|log1p|pow|exp|expm1|sqrt|cbrt|hypot|sin|cos|tan|asin|acos|atan|atan2"
            + "|sinh|cosh|tanh)\\s*\\(|import\\s+static\\s+java\\.lang\\.Math\\.");

    @Test
    void engineSourcesUseStrictMath() throws IOException {
        List<String> found = new ArrayList<>();
        int files = 0;
        for (String pkg : ENGINE_PACKAGES) {
            Path dir = Path.of("src", "main", "java", "io", "storyline", pkg);
            assertTrue(Files.isDirectory(dir), dir + " exists");
            try (Stream<Path> sources = Files.walk(dir)) {
                for (Path file : sources.filter(f -> f.toString().endsWith(".java")).toList()) {
                    files++;
                    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
                    for (int i = 0; i < lines.size(); i++) {
                        Matcher m = LOOSE_MATH.matcher(lines.get(i));
                        if (m.find()) {
                            found.add(file + ":" + (i + 1) + ": " + lines.get(i).strip());
                        }
                    }
                }
            }
        }
        assertTrue(files > 20, "scanned " + files + " files");
        assertEquals(List.of(), found, "use StrictMath in the engine packages");
    }

    @Test
    void thePatternCatchesWhatItMustAndOnlyThat() {
        assertTrue(LOOSE_MATH.matcher("double d = Math.log(x);").find());
        assertTrue(LOOSE_MATH.matcher("x = 1 / Math.sqrt(s)").find());
        assertTrue(LOOSE_MATH.matcher("Math.pow(0.5, g)").find());
        assertTrue(LOOSE_MATH.matcher("return Math.exp(-t);").find());
        assertTrue(LOOSE_MATH.matcher("import static java.lang.Math.log;").find());
        assertTrue(!LOOSE_MATH.matcher("StrictMath.log(x)").find());
        assertTrue(!LOOSE_MATH.matcher("Math.max(a, b) + Math.min(c, d) + Math.abs(e)").find());
    }
}
