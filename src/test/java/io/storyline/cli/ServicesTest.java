package io.storyline.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class ServicesTest {

    private static final Duration SOON = Duration.ofSeconds(5);

    private final List<String> closed = Collections.synchronizedList(new ArrayList<>());

    /** A service that records its closing, and fails it when {@code failure} is set. */
    private final class Service implements AutoCloseable {
        private final String name;
        private final Exception failure;

        Service(String name, Exception failure) {
            this.name = name;
            this.failure = failure;
        }

        @Override
        public void close() throws Exception {
            closed.add(name);
            if (failure != null) {
                throw failure;
            }
        }

        @Override
        public String toString() {
            return name;
        }
    }

    private Service service(String name) {
        return new Service(name, null);
    }

    @Test
    void addReturnsTheService() {
        try (Services services = new Services()) {
            Service broker = service("broker");
            assertSame(broker, services.add(broker));
        }
    }

    @Test
    void closesServicesInReverseOrderOfRegistration() {
        try (Services services = new Services()) {
            services.add(service("broker"));
            services.add(service("detector"));
            services.add(service("ingestor"));
        }
        assertEquals(List.of("ingestor", "detector", "broker"), closed);
    }

    @Test
    void aFailingCloseDoesNotStopTheOthersAndIsRethrownAfter() {
        Services services = new Services();
        services.add(service("broker"));
        Exception boom = new Exception("boom");
        services.add(new Service("detector", boom));
        services.add(service("ingestor"));

        IllegalStateException e = assertThrows(IllegalStateException.class, services::close);

        assertEquals("stopping detector: boom", e.getMessage());
        assertSame(boom, e.getCause());
        assertEquals(List.of("ingestor", "detector", "broker"), closed);
    }

    @Test
    void laterFailuresAreKeptAsSuppressed() {
        Services services = new Services();
        Exception first = new Exception("broker failed");
        Exception second = new Exception("detector failed");
        services.add(new Service("broker", first));
        services.add(new Service("detector", second));

        IllegalStateException e = assertThrows(IllegalStateException.class, services::close);

        assertEquals("stopping detector: detector failed", e.getMessage());
        assertSame(second, e.getCause());
        assertEquals(1, e.getSuppressed().length);
        assertEquals("stopping broker: broker failed", e.getSuppressed()[0].getMessage());
        assertSame(first, e.getSuppressed()[0].getCause());
        assertEquals(List.of("detector", "broker"), closed);
    }

    @Test
    void aLoopThatReturnsByItselfEndsTheWait() {
        try (Services services = new Services()) {
            services.start("test-loop", () -> closed.add("loop"));
            assertTimeoutPreemptively(SOON, services::awaitStop);
            assertEquals(List.of("loop"), closed);
        }
    }

    @Test
    void aLoopThatThrowsEndsTheWaitAndMakesTheExitCodeNonZero() {
        Services services = new Services();
        try (services) {
            services.start("test-loop", () -> {
                throw new IllegalStateException("ingestor stopped: fatal error");
            });
            assertTimeoutPreemptively(SOON, services::awaitStop);
        }
        assertEquals(Services.FAILED, services.exitCode());
        assertNotEquals(0, Services.FAILED);
    }

    @Test
    void aLoopThatReturnsLeavesTheExitCodeZero() {
        Services services = new Services();
        try (services) {
            services.start("test-loop", () -> closed.add("loop"));
            assertTimeoutPreemptively(SOON, services::awaitStop);
        }
        assertEquals(0, services.exitCode());
    }

    @Test
    void stopEndsTheWait() {
        try (Services services = new Services()) {
            services.stop();
            assertTimeoutPreemptively(SOON, services::awaitStop);
        }
    }

    @Test
    void closeEndsTheWait() {
        Services services = new Services();
        services.close();
        assertTimeoutPreemptively(SOON, services::awaitStop);
    }
}
