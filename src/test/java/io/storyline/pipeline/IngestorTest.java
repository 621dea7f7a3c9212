package io.storyline.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.storyline.ingest.FeedState;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class IngestorTest {

    private static final Instant NOW = Instant.parse("2026-01-05T12:00:00Z");

    @Test
    void dueFeedsComeLongestOverdueFirstAndNeverMoreThanTheRoom() {
        Map<String, FeedState> states = new LinkedHashMap<>();
        states.put("http://a/", state("http://a/", NOW.minusSeconds(1)));
        states.put("http://b/", state("http://b/", NOW.minusSeconds(30)));
        states.put("http://c/", state("http://c/", NOW.plusSeconds(1)));
        states.put("http://d/", state("http://d/", NOW.minusSeconds(60)));
        states.put("http://e/", state("http://e/", NOW));
        Set<String> inFlight = Set.of("http://d/");

        assertEquals(List.of("http://b/", "http://a/", "http://e/"),
                urls(Ingestor.due(states.keySet(), states, inFlight, NOW, 10)));
        assertEquals(List.of("http://b/"),
                urls(Ingestor.due(states.keySet(), states, inFlight, NOW, 1)));
    }

    @Test
    void whenMoreFeedsAreDueThanTheWorkersFetchEveryFeedGetsItsTurn() {
        // 30 feeds due every second, room for 2 polls a step: each feed polled in step 0
        // is due again at once, yet the feeds never polled must not wait behind it.
        Map<String, FeedState> states = new HashMap<>();
        for (int i = 0; i < 30; i++) {
            String url = "http://feed" + i + ".example/";
            states.put(url, state(url, NOW));
        }
        List<String> polled = new ArrayList<>();
        Instant now = NOW;
        for (int step = 0; step < 15; step++) {
            now = now.plusMillis(100);
            for (FeedState s : Ingestor.due(states.keySet(), states, Set.of(), now, 2)) {
                polled.add(s.url());
                states.put(s.url(), state(s.url(), now.plusMillis(100)));
            }
        }
        assertEquals(30, polled.stream().distinct().count(), "polled: " + polled);
    }

    @Test
    void neverMorePollsAtOnceOfOneHostThanItsShare() {
        Map<String, FeedState> states = new LinkedHashMap<>();
        for (int i = 0; i < 5; i++) {
            String url = "https://big.example/feed" + i + ".xml";
            states.put(url, state(url, NOW.minusSeconds(60 - i)));
        }
        states.put("https://big.example:8443/other.xml",
                state("https://big.example:8443/other.xml", NOW));
        states.put("https://small.example/feed.xml", state("https://small.example/feed.xml",
                NOW));
        states.put("file:seeds/a.xml", state("file:seeds/a.xml", NOW));
        states.put("file:seeds/b.xml", state("file:seeds/b.xml", NOW));
        Set<String> inFlight = Set.of("https://big.example/feed9.xml");

        assertEquals(List.of("https://big.example/feed0.xml", "file:seeds/a.xml",
                "file:seeds/b.xml", "https://big.example:8443/other.xml",
                "https://small.example/feed.xml"),
                urls(Ingestor.due(states.keySet(), states, inFlight, NOW, 10, 2)),
                "one more of big.example:443 (one is in flight), the rest as room allows");
        assertEquals(List.of("https://big.example/feed0.xml", "file:seeds/a.xml"),
                urls(Ingestor.due(states.keySet(), states, inFlight, NOW, 2, 2)));
    }

    private static FeedState state(String url, Instant nextPoll) {
        return new FeedState(url, null, null, null, Duration.ofSeconds(1), 0, nextPoll, null,
                Map.of());
    }

    private static List<String> urls(List<FeedState> states) {
        return states.stream().map(FeedState::url).toList();
    }
}
