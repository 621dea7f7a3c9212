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

/** The shipped settings file and the README's table list exactly the keys the services read. */
class ConfigDocsTest {

    private static final Path FILE = Path.of("config", "storyline.properties");

    private static Set<String> allKeys() {
        Settings settings = Settings.of(Map.of(), "defaults", w -> { });
        EngineConfig.from(settings);
        PipelineConfig.from(settings);
        IngestConfig.from(settings);
        ServeConfig.from(settings);
        ServeConfig.metricsPort(settings);
        DigestConfig.from(settings);
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
    void shippedFileListsEveryKeyAndNothingElse() throws IOException {
        Set<String> inFile = new TreeSet<>(shipped().stringPropertyNames());
        assertEquals(allKeys(), inFile);
    }

    @Test
    void shippedFileValuesAreTheDefaults() throws IOException {
        Settings file = Settings.load(FILE, Map.of(), w -> { });
        assertEquals(EngineConfig.defaults(), EngineConfig.from(file));
        assertEquals(PipelineConfig.defaults(), PipelineConfig.from(file));
        assertEquals(IngestConfig.defaults(), IngestConfig.from(file));
        assertEquals(ServeConfig.defaults(), ServeConfig.from(file));
        assertEquals(0, ServeConfig.metricsPort(file));
        assertEquals(DigestConfig.defaults(), DigestConfig.from(file));
    }

    @Test
    void readmeTableNamesEveryKeyWithItsDefault() throws IOException {
        String readme = Files.readString(Path.of("README.md"), StandardCharsets.UTF_8);
        Properties p = shipped();
        for (String key : allKeys()) {
            String value = p.getProperty(key).isEmpty() ? "(none)" : p.getProperty(key);
            String row = "| `" + key + "` | " + value + " |";
            assertTrue(readme.contains(row), "README configuration table lacks: " + row);
        }
    }
}
