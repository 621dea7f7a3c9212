package io.storyline.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/** {@code /metrics} of {@code ingest} and {@code detect} alone ({@code metrics.port}). */
class MetricsServerTest {

    @Test
    void servesPrometheusTextAndNamesTheSettingWhenThePortIsTaken() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        registry.counter("storyline.ingest.polls", "outcome", "fetched").increment(3);
        try (MetricsServer server = MetricsServer.start("127.0.0.1", 0, registry)) {
            HttpResponse<String> r = new Http(server.port()).get("/metrics");
            assertEquals(200, r.statusCode());
            assertTrue(r.body().contains("storyline_ingest_polls_total{outcome=\"fetched\"} 3.0"),
                    r.body());
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> MetricsServer.start("127.0.0.1", server.port(), registry));
            assertTrue(e.getMessage().startsWith("cannot serve metrics on 127.0.0.1:"
                    + server.port() + " (setting metrics.port)"), e.getMessage());
        }
    }
}
