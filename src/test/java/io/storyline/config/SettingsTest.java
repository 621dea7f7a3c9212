package io.storyline.config;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SettingsTest {

    @TempDir
    Path dir;

    private final List<String> warnings = new ArrayList<>();

    private Settings settings(String... keysAndValues) {
        Map<String, String> values = new HashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            values.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        return Settings.of(values, "test.properties", warnings::add);
    }

    private static String message(Runnable action) {
        return assertThrows(IllegalArgumentException.class, action::run).getMessage();
    }

    @Test
    void stringReturnsTheValueOrTheDefaultWhenMissingOrEmpty() {
        Settings s = settings("a.name", "x", "a.empty", "");
        assertEquals("x", s.string("a.name", "d"));
        assertEquals("d", s.string("a.empty", "d"));
        assertEquals("d", s.string("a.missing", "d"));
    }

    @Test
    void integerParsesUnderscoresAndChecksTheRange() {
        Settings s = settings("a.n", "1_000", "a.big", "11", "a.word", "ten");
        assertEquals(1000, s.integer("a.n", 5, 0, 1000));
        assertEquals(5, s.integer("a.missing", 5, 0, 1000));
        assertEquals("setting a.big=11 in test.properties must be between 1 and 10",
                message(() -> s.integer("a.big", 5, 1, 10)));
        assertEquals("setting a.word=ten in test.properties is not a whole number",
                message(() -> s.integer("a.word", 5, 1, 10)));
    }

    @Test
    void integerRejectsDecimals() {
        Settings s = settings("a.n", "2.5");
        assertEquals("setting a.n=2.5 in test.properties is not a whole number",
                message(() -> s.integer("a.n", 1, 0, 10)));
    }

    @Test
    void flagAcceptsTrueAndFalseInAnyCaseAndNothingElse() {
        Settings s = settings("a.on", "TRUE", "a.off", "false", "a.yes", "yes");
        assertEquals(true, s.flag("a.on", false));
        assertEquals(false, s.flag("a.off", true));
        assertEquals(true, s.flag("a.missing", true));
        assertEquals("setting a.yes=yes in test.properties is not true or false",
                message(() -> s.flag("a.yes", false)));
    }

    @Test
    void decimalChecksNumberAndRange() {
        Settings s = settings("a.x", "0.5", "a.big", "2", "a.nan", "NaN", "a.word", "half");
        assertEquals(0.5, s.decimal("a.x", 0.1, 0, 1));
        assertEquals(0.1, s.decimal("a.missing", 0.1, 0, 1));
        assertEquals("setting a.big=2 in test.properties must be between 0.01 and 1.0",
                message(() -> s.decimal("a.big", 0.1, 0.01, 1)));
        assertEquals("setting a.nan=NaN in test.properties must be between 0.0 and 1.0",
                message(() -> s.decimal("a.nan", 0.1, 0, 1)));
        assertEquals("setting a.word=half in test.properties is not a number",
                message(() -> s.decimal("a.word", 0.1, 0, 1)));
    }

    @Test
    void rejectUnknownNamesTheUnreadKeyUnderTheGivenPrefixes() {
        Settings s = settings("a.known", "1", "a.knwon", "2", "b.other", "3");
        s.string("a.known", null);
        assertEquals("unknown setting a.knwon in test.properties (known: a.known)",
                message(() -> s.rejectUnknown("a.")));
    }

    @Test
    void rejectUnknownIgnoresOtherPrefixes() {
        Settings s = settings("a.known", "1", "b.unread", "2");
        s.string("a.known", null);
        assertDoesNotThrow(() -> s.rejectUnknown("a.", "c."));
        s.string("b.unread", null);
        assertDoesNotThrow(() -> s.rejectUnknown("a.", "b."));
    }

    @Test
    void underGivesThePrefixedKeysWithoutThePrefixAndCountsThemAsKnown() {
        Settings s = settings("k.bootstrap.servers", "h:9092", "k.sasl.mechanism", "PLAIN",
                "k.empty", "", "k.", "x", "kk.other", "1");
        assertEquals(Map.of("bootstrap.servers", "h:9092", "sasl.mechanism", "PLAIN"),
                s.passThrough("k.", java.util.Set.of()));
        assertDoesNotThrow(() -> s.rejectUnknown("k.bootstrap", "k.sasl", "k.empty"));
    }

    @Test
    void warnNamesKeyAndOrigin() {
        settings().warn("a.key", "unwise");
        assertEquals(List.of("setting a.key in test.properties: unwise"), warnings);
    }

    @Test
    void loadReadsAPropertiesFileThenOverrides() throws IOException {
        Path file = Files.writeString(dir.resolve("storyline.properties"),
                "# comment\na.x = 0.25  \na.n=3\na.name=Planète\n");
        Settings s = Settings.load(file, Map.of("a.n", "4"), warnings::add);
        assertEquals(0.25, s.decimal("a.x", 0, 0, 1));
        assertEquals(4, s.integer("a.n", 0, 0, 10));
        assertEquals("Planète", s.string("a.name", null));
        assertEquals("setting a.n=4 from --set must be between 0 and 3",
                message(() -> s.integer("a.n", 0, 0, 3)));
        assertEquals("setting a.x=0.25 in " + file + " must be between 0.5 and 1.0",
                message(() -> s.decimal("a.x", 0.5, 0.5, 1)));
    }

    @Test
    void loadWithoutAFileUsesOverridesAndNamesThemSet() {
        Settings s = Settings.load(null, Map.of("a.n", "40"), warnings::add);
        assertEquals("setting a.n=40 from --set must be between 0 and 3",
                message(() -> s.integer("a.n", 0, 0, 3)));
    }

    @Test
    void anOverrideIsNamedAsSetNotAsTheFileItOverrides() throws IOException {
        Path file = Files.writeString(dir.resolve("storyline.properties"),
                "a.n=3\na.x=0.5\na.flag=true\n");
        Settings s = Settings.load(file, Map.of("a.x", "2", "a.flag", "yes", "a.typo", "1",
                "a.warned", "1"), warnings::add);
        assertEquals(3, s.integer("a.n", 0, 0, 3));
        assertEquals("setting a.x=2 from --set must be between 0.0 and 1.0",
                message(() -> s.decimal("a.x", 0, 0, 1)));
        assertEquals("setting a.flag=yes from --set is not true or false",
                message(() -> s.flag("a.flag", false)));
        assertEquals("setting a.n=3 from --set must be a power of two",
                Settings.load(file, Map.of("a.n", "3"), warnings::add)
                        .invalid("a.n", "3", "must be a power of two").getMessage());
        assertEquals("setting a.n=3 in " + file + " must be a power of two",
                s.invalid("a.n", "3", "must be a power of two").getMessage());
        s.warn("a.warned", "unwise");
        assertEquals(List.of("setting a.warned from --set: unwise"), warnings);
        s.string("a.warned", null);
        assertEquals("unknown setting a.typo from --set (known: a.flag, a.n, a.warned, a.x)",
                message(() -> s.rejectUnknown("a.")));
    }

    @Test
    void withNamesTheOptionThatSetTheKey() throws IOException {
        Path file = Files.writeString(dir.resolve("storyline.properties"), "k.port=5\n");
        Settings s = Settings.load(file, Map.of("k.port", "6"), warnings::add)
                .with("k.port", "99999", "--port");
        assertEquals("setting k.port=99999 from --port must be between 0 and 65535",
                message(() -> s.integer("k.port", 0, 0, 65535)));
        Settings file5 = Settings.load(file, Map.of(), warnings::add);
        Settings copy = file5.with("k.other", "x", "--other");
        assertEquals(5, copy.integer("k.port", 0, 0, 10));
        assertEquals("x", copy.string("k.other", null));
        assertEquals(null, file5.string("k.other", null), "with returns a copy");
    }

    @Test
    void loadOfAMissingFileFails() {
        Path missing = dir.resolve("missing.properties");
        UncheckedIOException e = assertThrows(UncheckedIOException.class,
                () -> Settings.load(missing, Map.of(), warnings::add));
        assertEquals("cannot read settings file " + missing, e.getMessage());
    }

    @Test
    void ofCopiesTheValues() {
        Map<String, String> values = new HashMap<>(Map.of("a.x", "1"));
        Settings s = Settings.of(values, "test", warnings::add);
        values.put("a.x", "2");
        assertEquals("1", s.string("a.x", null));
    }
}
