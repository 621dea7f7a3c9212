package io.storyline.cli;

import io.storyline.config.EngineConfig;
import io.storyline.config.Settings;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/** The options every engine-running command shares: a settings file and overrides. */
final class EngineOptions {

    static final Path DEFAULT_CONFIG = Path.of("config", "storyline.properties");

    @Option(names = "--config", paramLabel = "FILE",
            description = "Settings file (default: config/storyline.properties if present).")
    Path config;

    @Option(names = "--set", paramLabel = "KEY=VALUE",
            description = "Override one setting, e.g. --set story.threshold=0.3 (repeatable).")
    Map<String, String> overrides = new LinkedHashMap<>();

    /** The engine settings; warnings about unwise values go to {@code err}. */
    EngineConfig engineConfig(PrintWriter err) {
        return EngineConfig.from(settings(err));
    }

    /** The raw settings, for commands that build several typed configs from them. */
    Settings settings(PrintWriter err) {
        Path file = config;
        if (file == null && Files.exists(DEFAULT_CONFIG)) {
            file = DEFAULT_CONFIG;
        }
        return Settings.load(file, overrides, warning -> err.println("warning: " + warning));
    }
}
