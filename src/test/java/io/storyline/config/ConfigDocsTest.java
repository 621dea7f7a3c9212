package io.storyline.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The shipped settings file and the README's table list exactly the keys the engine reads. */
class ConfigDocsTest {

    private static final Path FILE = Path.of("config", "storyline.properties");

    private static Set<String> engineKeys() {
        Settings settings = Settings.of(Map.of(), "defaults", w -> { });
        EngineConfig.from(settings);
        return new TreeSet<>(settings.knownKeys());
    }

    private static Properties shipped() throws IOException {
        Properties p = new Properties();
        try (Reader in = Files.newBufferedReader(FILE, StandardCharsets.UTF_8)) {
            p.load(in);
        }
        return p;
    }

    @Test
    void shippedFileListsEveryEngineKeyAndNothingElse() throws IOException {
        Set<String> inFile = new TreeSet<>(shipped().stringPropertyNames());
        assertEquals(engineKeys(), inFile);
    }

    @Test
    void shippedFileValuesAreTheDefaults() throws IOException {
        EngineConfig fromFile = EngineConfig.from(Settings.load(FILE, Map.of(), w -> { }));
        assertEquals(EngineConfig.defaults(), fromFile);
    }

    @Test
    void readmeTableNamesEveryKeyWithItsDefault() throws IOException {
        String readme = Files.readString(Path.of("README.md"), StandardCharsets.UTF_8);
        Properties p = shipped();
        for (String key : engineKeys()) {
            String row = "| `" + key + "` | " + p.getProperty(key) + " |";
            assertTrue(readme.contains(row), "README configuration table lacks: " + row);
        }
    }
}
