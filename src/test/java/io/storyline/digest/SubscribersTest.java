package io.storyline.digest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.URI;
import java.nio.file.Path;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SubscribersTest {

    private static final String ONE = """
            subscribers:
              - email: ed@example.org
                name: Ed
                send-at: "07:00"
                zone: Europe/Paris
                stories: 3
                dashboard-url: https://news.example.org/dash
                filters:
                  languages: [FR, en]
                  sources: [Wire]
                  keywords: Kyiv
                  min-sources: 2
            """;

    private static String error(String yaml) {
        return assertThrows(IllegalArgumentException.class,
                () -> Subscribers.parse(yaml, "d.yaml")).getMessage();
    }

    /** A valid subscriber with {@code line} replacing the line that starts with its key. */
    private static String with(String key, String line) {
        StringBuilder out = new StringBuilder();
        for (String l : ONE.split("\n")) {
            String k = l.strip().startsWith("- ") ? l.strip().substring(2) : l.strip();
            out.append(k.startsWith(key + ":") ? line : l).append('\n');
        }
        return out.toString();
    }

    @Test
    void readsEveryKey() {
        Subscriber s = Subscribers.parse(ONE, "d.yaml").get(0);
        assertEquals("ed@example.org", s.email());
        assertEquals("Ed", s.name());
        assertEquals(LocalTime.of(7, 0), s.sendAt());
        assertEquals(ZoneId.of("Europe/Paris"), s.zone());
        assertEquals(3, s.stories());
        assertEquals(URI.create("https://news.example.org/dash/"), s.dashboardUrl());
        assertEquals(new DigestFilter(Set.of("fr", "en"), Set.of("wire"), List.of("kyiv"), 2),
                s.filter());
        assertEquals(URI.create("https://news.example.org/dash/#/story/a%2Fb"),
                s.storyLink("a/b"));
    }

    @Test
    void defaultsForOptionalKeys() {
        Subscriber s = Subscribers.parse("""
                subscribers:
                  - email: ed@example.org
                    send-at: "6:30"
                    zone: UTC
                    dashboard-url: http://127.0.0.1:8080
                """, "d.yaml").get(0);
        assertEquals("ed@example.org", s.name());
        assertEquals(Subscribers.DEFAULT_STORIES, s.stories());
        assertEquals(DigestFilter.none(), s.filter());
        assertEquals(LocalTime.of(6, 30), s.sendAt());
    }

    @Test
    void theShippedFileIsValid() {
        assertEquals(2, Subscribers.load(Path.of("config", "digests.yaml")).size());
    }

    @Test
    void errorsNameTheSubscriberAndTheKey() {
        String at = "d.yaml: subscriber 1 (ed@example.org): ";
        assertEquals(at + "\"zone\" must be an IANA time zone such as Europe/Paris, not "
                + "'Paris'", error(with("zone", "    zone: Paris")));
        assertEquals(at + "\"zone\" must be an IANA time zone such as Europe/Paris, not "
                + "'+01:00'", error(with("zone", "    zone: \"+01:00\"")));
        assertEquals(at + "\"send-at\" must be a local time such as 07:00, not '25:00'",
                error(with("send-at", "    send-at: \"25:00\"")));
        assertEquals(at + "\"stories\" must be a whole number from 1 to 50, not 0",
                error(with("stories", "    stories: 0")));
        assertEquals(at + "\"dashboard-url\" must be an http or https URL such as "
                + "https://news.example.org/, not 'javascript:alert(1)'",
                error(with("dashboard-url", "    dashboard-url: \"javascript:alert(1)\"")));
        assertEquals(at + "unknown key \"sendat\" (known: dashboard-url, email, filters, name, "
                + "send-at, stories, zone)", error(with("send-at", "    sendat: \"07:00\"")));
        assertEquals(at + "filters: unknown key \"language\" (known: keywords, languages, "
                + "min-sources, sources)", error(with("languages", "      language: [fr]")));
        assertEquals(at + "filters: \"min-sources\" must be a whole number from 1 to 1000, "
                + "not \"two\"", error(with("min-sources", "      min-sources: two")));
        assertEquals(at + "\"zone\" is missing", error(with("zone", "")));
    }

    @Test
    void badAddressesAreRefused() {
        assertEquals("d.yaml: subscriber 1 (ed@example.org\\u000d\\u000aBcc: x@y.z): \"email\" "
                + "must be an address such as editor@example.org, not "
                + "'ed@example.org\\u000d\\u000aBcc: x@y.z'",
                error(with("email", "  - email: \"ed@example.org\\r\\nBcc: x@y.z\"")));
        assertEquals("d.yaml: subscriber 1: \"email\" is missing",
                error(with("email", "  - name: X")));
    }

    @Test
    void anEmailListedTwiceIsRefused() {
        String two = ONE + ONE.substring(ONE.indexOf("  - "));
        assertEquals("d.yaml: subscriber 2 (ed@example.org): \"email\" is listed twice",
                error(two));
    }

    @Test
    void anUnquotedTimeIsReadAsATimeAndANumberIsRefused() {
        assertEquals(LocalTime.of(7, 0), Subscribers.parse(with("send-at", "    send-at: 7:00"),
                "d.yaml").get(0).sendAt());
        assertEquals("d.yaml: subscriber 1 (ed@example.org): \"send-at\" must be a quoted "
                + "local time such as \"07:00\", not 700",
                error(with("send-at", "    send-at: 700")));
    }

    @Test
    void theTopLevelMustListSubscribers() {
        assertEquals("d.yaml: unknown key \"subscriber\" (known: subscribers)",
                error("subscriber: []\n"));
        assertEquals("d.yaml: \"subscribers\" must be a list", error("subscribers: 3\n"));
    }
}
