package io.storyline.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class IngestConfigTest {

    private final List<String> warnings = new ArrayList<>();

    private IngestConfig from(Map<String, String> values) {
        return IngestConfig.from(Settings.of(values, "test.properties", warnings::add));
    }

    private String failure(String key, String value) {
        return assertThrows(IllegalArgumentException.class, () -> from(Map.of(key, value)))
                .getMessage();
    }

    @Test
    void defaultsLoad() {
        IngestConfig c = IngestConfig.defaults();
        assertEquals(Duration.ofSeconds(10), c.connectTimeout());
        assertEquals(Duration.ofSeconds(30), c.readTimeout());
        assertEquals(10_485_760, c.maxBodyBytes());
        assertEquals(5, c.maxRedirects());
        assertEquals("Storyline/dev (+https://github.com/storyline/storyline)", c.userAgent());
        assertEquals(Duration.ofSeconds(60), c.minInterval());
        assertEquals(Duration.ofSeconds(3600), c.maxInterval());
        assertEquals(Duration.ofSeconds(30), c.backoffBase());
        assertEquals(Duration.ofSeconds(21_600), c.backoffMax());
        assertEquals(32, c.concurrency());
        assertTrue(c.fetchPages());
        assertEquals(400, c.shortSummaryChars());
        assertEquals(c, from(Map.of()));
        assertEquals(List.of(), warnings);
    }

    @Test
    void privateAddressesAndFileFeedsAreOffUnlessAskedFor() {
        IngestConfig c = IngestConfig.defaults();
        assertFalse(c.allowPrivateAddresses());
        assertFalse(c.allowFileFeeds());
        Settings empty = Settings.of(Map.of("ingest.allow-file-feeds", ""), "t", w -> { });
        assertTrue(IngestConfig.from(empty, true).allowFileFeeds(), "run on its own broker");
        Settings off = Settings.of(Map.of("ingest.allow-file-feeds", "false"), "t", w -> { });
        assertFalse(IngestConfig.from(off, true).allowFileFeeds(), "an explicit false wins");
        assertTrue(from(Map.of("ingest.allow-private-addresses", "true"))
                .allowPrivateAddresses());
        assertTrue(warnings.get(0).contains("ingest.allow-private-addresses"), warnings.get(0));
        assertTrue(failure("ingest.allow-file-feeds", "yes")
                .contains("ingest.allow-file-feeds=yes"));
    }

    @Test
    void newLimitsAreRangeCheckedWithMessagesNamingTheKey() {
        IngestConfig c = IngestConfig.defaults();
        assertEquals(100_000, c.maxArticleChars());
        assertEquals(1_048_576, c.maxPageBytes());
        assertEquals(268_435_456, c.maxInFlightBytes());
        assertEquals(2, c.perHostConcurrency());
        assertTrue(failure("ingest.per-host-concurrency", "0")
                .contains("ingest.per-host-concurrency=0"));
        assertTrue(failure("ingest.max-article.chars", "10")
                .contains("ingest.max-article.chars=10"));
        String tooSmall = assertThrows(IllegalArgumentException.class, () -> from(Map.of(
                "ingest.max-in-flight.bytes", "2048", "ingest.max-body.bytes", "4096")))
                .getMessage();
        assertEquals("setting ingest.max-in-flight.bytes=2048 in test.properties is below "
                + "ingest.max-body.bytes=4096 (one largest body must fit)", tooSmall);
    }

    @Test
    void sessionTimeoutDefaultsToKafkasAndIsRangeChecked() {
        assertEquals(Duration.ofSeconds(45), IngestConfig.defaults().sessionTimeout());
        assertEquals(Duration.ofSeconds(20),
                from(Map.of("ingest.session-timeout.ms", "20000")).sessionTimeout());
        assertTrue(failure("ingest.session-timeout.ms", "1000")
                .startsWith("setting ingest.session-timeout.ms=1000 in test.properties"));
    }

    @Test
    void instanceIdIsOptionalAndMustSuitKafka() {
        assertEquals(null, IngestConfig.defaults().instanceId());
        assertEquals("ingest-host-1", from(Map.of("ingest.instance-id", "ingest-host-1"))
                .instanceId());
        assertEquals("setting ingest.instance-id=host 1 in test.properties must be 1 to 200 "
                + "letters, digits, '.', '_' or '-' (a Kafka group.instance.id)",
                failure("ingest.instance-id", "host 1"));
    }

    @Test
    void readsOverriddenValues() {
        IngestConfig c = from(Map.of("ingest.read-timeout.ms", "500",
                "ingest.max-body.bytes", "65_536", "ingest.fetch-pages", "false",
                "ingest.user-agent", "Test/1", "ingest.max-interval.seconds", "600"));
        assertEquals(Duration.ofMillis(500), c.readTimeout());
        assertEquals(65_536, c.maxBodyBytes());
        assertFalse(c.fetchPages());
        assertEquals("Test/1", c.userAgent());
        assertEquals(Duration.ofMinutes(10), c.maxInterval());
    }

    @Test
    void outOfRangeValueNamesKeyAndValue() {
        assertEquals("setting ingest.max-redirects=21 in test.properties must be between 0"
                + " and 20", failure("ingest.max-redirects", "21"));
        assertEquals("setting ingest.max-body.bytes=10 in test.properties must be between 1024"
                + " and 1073741824", failure("ingest.max-body.bytes", "10"));
        assertEquals("setting ingest.fetch-pages=yes in test.properties is not true or false",
                failure("ingest.fetch-pages", "yes"));
    }

    @Test
    void intervalsMustBeOrdered() {
        assertEquals("setting ingest.max-interval.seconds=30 in test.properties is below"
                + " ingest.min-interval.seconds=60", failure("ingest.max-interval.seconds", "30"));
        assertEquals("setting ingest.backoff.max.seconds=10 in test.properties is below"
                + " ingest.backoff.base.seconds=30", failure("ingest.backoff.max.seconds", "10"));
    }

    @Test
    void misspeltKeyIsRejectedAndOtherPrefixesIgnored() {
        assertTrue(failure("ingest.read-timeout", "5").startsWith(
                "unknown setting ingest.read-timeout in test.properties (known: "));
        assertEquals(IngestConfig.defaults(), from(Map.of("story.threshold", "x")));
    }

    @Test
    void warnsAboutPollingMoreOftenThanOnceAMinute() {
        assertEquals(Duration.ofSeconds(5),
                from(Map.of("ingest.min-interval.seconds", "5")).minInterval());
        assertEquals(List.of("setting ingest.min-interval.seconds in test.properties: polling a"
                + " feed more often than once a minute burdens its publisher and may get this"
                + " crawler blocked"), warnings);
    }
}
