package io.storyline.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ServeConfigTest {

    private static ServeConfig from(Map<String, String> values) {
        return ServeConfig.from(Settings.of(values, "storyline.properties", w -> { }));
    }

    private static String error(Map<String, String> values) {
        return assertThrows(IllegalArgumentException.class, () -> from(values)).getMessage();
    }

    @Test
    void defaultsServeThisMachineOn8080WithAWeekOfHistoryAndNoAdmin() {
        ServeConfig c = ServeConfig.defaults();
        assertEquals("127.0.0.1", c.host());
        assertEquals(8080, c.port());
        assertEquals(Duration.ofDays(7), c.history());
        assertEquals(100_000, c.maxStories());
        assertEquals(1_000_000, c.maxArticles());
        assertNull(c.adminToken());
        assertFalse(c.tokenForReads());
    }

    @Test
    void badValuesNameTheirKey() {
        assertEquals("setting serve.port=70000 in storyline.properties must be between 0 and "
                + "65535", error(Map.of("serve.port", "70000")));
        assertEquals("setting serve.history.days=0 in storyline.properties must be between 1 "
                + "and 365", error(Map.of("serve.history.days", "0")));
        assertEquals("setting serve.admin-token=(hidden) in storyline.properties is shorter "
                + "than 16 characters", error(Map.of("serve.admin-token", "secret")));
        assertEquals("setting serve.token-for-reads=true in storyline.properties needs "
                + "serve.admin-token", error(Map.of("serve.token-for-reads", "true")));
        String unknown = error(Map.of("serve.prot", "80"));
        assertEquals("unknown setting serve.prot in storyline.properties", unknown.substring(0,
                unknown.indexOf(" (known")));
        assertEquals("setting metrics.port=-1 in storyline.properties must be between 0 and "
                + "65535", assertThrows(IllegalArgumentException.class,
                        () -> ServeConfig.metricsPort(Settings.of(Map.of("metrics.port", "-1"),
                                "storyline.properties", w -> { }))).getMessage());
    }

    @Test
    void theTokenStaysOutOfToString() {
        ServeConfig c = from(Map.of("serve.admin-token", "0123456789abcdef-secret"));
        assertFalse(c.toString().contains("secret"), c.toString());
    }
}
