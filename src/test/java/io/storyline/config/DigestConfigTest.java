package io.storyline.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DigestConfigTest {

    private static String error(Map<String, String> values) {
        return assertThrows(IllegalArgumentException.class, () -> DigestConfig.from(
                Settings.of(values, "s.properties", w -> { }))).getMessage();
    }

    @Test
    void defaults() {
        DigestConfig c = DigestConfig.defaults();
        assertEquals(null, c.host());
        assertEquals(587, c.port());
        assertEquals(DigestConfig.Security.STARTTLS, c.security());
        assertEquals(4, c.retries());
    }

    @Test
    void errorsNameTheKey() {
        assertEquals(true, error(Map.of("digest.smtp.security", "tls"))
                .contains("digest.smtp.security"));
        assertEquals(true, error(Map.of("digest.smtp.port", "0")).contains("digest.smtp.port"));
        assertEquals(true, error(Map.of("digest.smtp.hots", "x")).contains("digest.smtp.hots"));
        String e = error(Map.of("digest.smtp.password", "secret"));
        assertEquals(true, e.contains("digest.smtp.password") && e.contains("needs "
                + "digest.smtp.username"), e);
        assertFalse(e.contains("secret"), e);
    }

    @Test
    void aClearTextLoginIsWarnedAbout() {
        List<String> warnings = new ArrayList<>();
        DigestConfig c = DigestConfig.from(Settings.of(Map.of("digest.smtp.security", "none",
                "digest.smtp.username", "u", "digest.smtp.password", "secret"), "s",
                warnings::add));
        assertEquals(1, warnings.size());
        assertFalse(c.toString().contains("secret"));
    }
}
