package io.storyline.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.storyline.digest.Subscriber;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The admin API's subscriber actions against a real broker: a subscriber added with the
 * token lands in storyline.subscribers, a bad one gets a 400 naming the subscriber and the
 * key, and a removed one is gone (a tombstone).
 */
class SubscriberAdminIT {

    private static final String AUTH = "Bearer " + DashboardStack.TOKEN;
    private static final String ED = """
            {"email":"ed@example.org","name":"Ed","send-at":"07:00","zone":"Europe/Paris",
             "stories":5,"dashboard-url":"https://news.example.org/",
             "filters":{"languages":["fr"],"min-sources":2}}""";

    @TempDir
    Path dir;

    @Test
    void subscribersAreAddedValidatedAndRemoved() throws Exception {
        try (DashboardStack stack = DashboardStack.withoutIngestor(dir)) {
            Http http = stack.http;
            assertEquals(401, http.post("/api/admin/subscribers", ED).statusCode());

            HttpResponse<String> r = http.post("/api/admin/subscribers", ED,
                    "Authorization", AUTH);
            assertEquals(201, r.statusCode(), r.body());
            Map<String, Subscriber> listed = stack.subscribers.list();
            Subscriber ed = listed.get("ed@example.org");
            assertEquals(LocalTime.of(7, 0), ed.sendAt());
            assertEquals(ZoneId.of("Europe/Paris"), ed.zone());
            assertEquals(2, ed.filter().minSources());
            r = http.post("/api/admin/subscribers", ED, "Authorization", AUTH);
            assertEquals(200, r.statusCode(), r.body());

            r = http.post("/api/admin/subscribers", ED.replace("Europe/Paris", "+01:00"),
                    "Authorization", AUTH);
            assertEquals(400, r.statusCode(), r.body());
            JsonNode error = Http.parse(r.body());
            assertEquals("request: subscriber (ed@example.org): \"zone\" must be an IANA time "
                    + "zone such as Europe/Paris, not '+01:00'", error.get("error").asText());
            assertEquals("zone", error.get("parameter").asText());
            r = http.post("/api/admin/subscribers", ED.replace("\"min-sources\":2",
                    "\"min-source\":2"), "Authorization", AUTH);
            assertEquals(400, r.statusCode(), r.body());
            assertEquals("filters.min-source", Http.parse(r.body()).get("parameter").asText());
            r = http.post("/api/admin/subscribers", "{nope", "Authorization", AUTH);
            assertEquals(400, r.statusCode(), r.body());

            r = http.delete("/api/admin/subscribers?email=ED@example.org",
                    "Authorization", AUTH);
            assertEquals(200, r.statusCode(), r.body());
            assertFalse(stack.subscribers.list().containsKey("ed@example.org"));
            r = http.delete("/api/admin/subscribers?email=ed@example.org",
                    "Authorization", AUTH);
            assertEquals(404, r.statusCode(), r.body());
            assertTrue(stack.fatal() == null);
        }
    }
}
