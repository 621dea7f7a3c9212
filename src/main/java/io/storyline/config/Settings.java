package io.storyline.config;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * Raw {@code key=value} settings from a properties file and overrides, with typed getters
 * whose errors name the key, the value and where it came from (the file, or the command-line
 * option that set it). Services read their own keys and call {@link #rejectUnknown} for the
 * prefixes they own, so a misspelt key fails loudly.
 */
public final class Settings {

    /** Where {@link #load}'s overrides come from, as the user typed them. */
    public static final String OVERRIDES = "--set";

    private final Map<String, String> values;
    private final String origin;
    /** Keys set elsewhere than {@code origin}, to the option that set them. */
    private final Map<String, String> options;
    private final Set<String> read = new TreeSet<>();
    private final Consumer<String> warnings;

    private Settings(Map<String, String> values, String origin, Map<String, String> options,
            Consumer<String> warnings) {
        this.values = values;
        this.origin = origin;
        this.options = options;
        this.warnings = warnings;
    }

    public static Settings of(Map<String, String> values, String origin,
            Consumer<String> warnings) {
        return new Settings(new TreeMap<>(values), origin, new TreeMap<>(), warnings);
    }

    /**
     * Settings from {@code file} (if not null), then {@code overrides} on top; errors about an
     * override name {@value #OVERRIDES}, not the file.
     */
    public static Settings load(Path file, Map<String, String> overrides,
            Consumer<String> warnings) {
        Map<String, String> values = new TreeMap<>();
        if (file != null) {
            Properties p = new Properties();
            try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                p.load(in);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read settings file " + file, e);
            }
            p.stringPropertyNames().forEach(k -> values.put(k, p.getProperty(k).strip()));
        }
        Map<String, String> options = new TreeMap<>();
        overrides.forEach((k, v) -> {
            values.put(k.strip(), v == null ? "" : v.strip());
            options.put(k.strip(), OVERRIDES);
        });
        String origin = file == null ? "settings" : file.toString();
        return new Settings(values, origin, options, warnings);
    }

    /**
     * These settings with {@code key} set to {@code value} by the command-line option
     * {@code option} (a shorthand such as {@code --data-dir}), which errors then name.
     */
    public Settings with(String key, String value, String option) {
        Map<String, String> newValues = new TreeMap<>(values);
        newValues.put(key, value == null ? "" : value.strip());
        Map<String, String> newOptions = new TreeMap<>(options);
        newOptions.put(key, option);
        return new Settings(newValues, origin, newOptions, warnings);
    }

    public String string(String key, String defaultValue) {
        read.add(key);
        String value = values.get(key);
        return value == null || value.isEmpty() ? defaultValue : value;
    }

    public int integer(String key, int defaultValue, int min, int max) {
        String value = string(key, null);
        if (value == null) {
            return defaultValue;
        }
        try {
            return check(key, Integer.parseInt(value.replace("_", "")), min, max);
        } catch (NumberFormatException e) {
            throw invalid(key, value, "is not a whole number");
        }
    }

    public double decimal(String key, double defaultValue, double min, double max) {
        String value = string(key, null);
        if (value == null) {
            return defaultValue;
        }
        double parsed;
        try {
            parsed = Double.parseDouble(value);
        } catch (NumberFormatException e) {
            throw invalid(key, value, "is not a number");
        }
        if (Double.isNaN(parsed) || parsed < min || parsed > max) {
            throw invalid(key, value, "must be between " + min + " and " + max);
        }
        return parsed;
    }

    /**
     * Every key under {@code prefix} except {@code owned}, with the prefix stripped: settings
     * passed through to a library as they are (Kafka client security settings, say). An empty
     * value means unset, as for the typed getters: left out, but still a known key.
     */
    public Map<String, String> passThrough(String prefix, Set<String> owned) {
        Map<String, String> out = new TreeMap<>();
        values.forEach((key, value) -> {
            if (key.startsWith(prefix) && key.length() > prefix.length()
                    && !owned.contains(key)) {
                read.add(key);
                if (!value.isEmpty()) {
                    out.put(key.substring(prefix.length()), value);
                }
            }
        });
        return out;
    }

    /** A {@code true}/{@code false} setting (case-insensitive); anything else names the key. */
    public boolean flag(String key, boolean defaultValue) {
        String value = string(key, null);
        if (value == null) {
            return defaultValue;
        }
        if (value.equalsIgnoreCase("true") || value.equalsIgnoreCase("false")) {
            return Boolean.parseBoolean(value);
        }
        throw invalid(key, value, "is not true or false");
    }

    /** Reports a value that works but is unwise, naming the key. */
    public void warn(String key, String message) {
        warnings.accept("setting " + key + " " + where(key) + ": " + message);
    }

    /** Every key a getter has asked for so far (the keys a service knows). */
    Set<String> knownKeys() {
        return Set.copyOf(read);
    }

    /** Fails on any key under {@code prefixes} that no getter asked for (likely misspelt). */
    public void rejectUnknown(String... prefixes) {
        for (String key : values.keySet()) {
            for (String prefix : prefixes) {
                if (key.startsWith(prefix) && !read.contains(key)) {
                    throw new IllegalArgumentException("unknown setting " + key + " "
                            + where(key) + " (known: " + String.join(", ", read) + ")");
                }
            }
        }
    }

    private int check(String key, int value, int min, int max) {
        if (value < min || value > max) {
            throw invalid(key, Integer.toString(value), "must be between " + min + " and " + max);
        }
        return value;
    }

    /** An error for a value that passed its range check but breaks another rule. */
    public IllegalArgumentException invalid(String key, String value, String why) {
        return new IllegalArgumentException(
                "setting " + key + "=" + value + " " + where(key) + " " + why);
    }

    /** Where {@code key} was set: "in" the file, or "from" the option that set it. */
    private String where(String key) {
        String option = options.get(key);
        return option != null ? "from " + option : "in " + origin;
    }
}
