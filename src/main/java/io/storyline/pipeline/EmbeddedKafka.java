package io.storyline.pipeline;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Exit;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real single-node Kafka broker (KRaft: broker and controller in one process) running inside
 * this JVM on 127.0.0.1, for the all-in-one job and the integration tests. Its log directory
 * is formatted the first time only, so a restart on the same directory keeps every topic.
 */
public final class EmbeddedKafka implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafka.class);
    private static final int NODE_ID = 1;

    private final Path dataDir;
    private final int port;
    private final KafkaRaftServer server;
    private final FileChannel lock;
    private volatile boolean closed;
    private volatile String failure;
    private final List<Consumer<String>> failureListeners = new CopyOnWriteArrayList<>();
    /** The brokers of this JVM, told when Kafka asks to exit or halt the process. */
    private static final Set<EmbeddedKafka> RUNNING = ConcurrentHashMap.newKeySet();

    private EmbeddedKafka(Path dataDir, int port, KafkaRaftServer server, FileChannel lock) {
        this.dataDir = dataDir;
        this.port = port;
        this.server = server;
        this.lock = lock;
    }

    /**
     * Starts a broker with its data in {@code dataDir}, listening on {@code port} (0: a free
     * port, chosen once and kept in the directory so a restart answers on the same address).
     */
    public static EmbeddedKafka start(Path dataDir, int port) {
        interceptExit();
        FileChannel lock = null;
        try {
            Files.createDirectories(dataDir);
            lock = lock(dataDir);
            int brokerPort = port != 0 ? port : rememberedPort(dataDir);
            // A port just released can come back at once: the broker's, closed a moment ago,
            // was handed out again as the controller's ("two listeners on the same port").
            int controllerPort = freePort();
            while (controllerPort == brokerPort) {
                controllerPort = freePort();
            }
            KafkaConfig config = new KafkaConfig(properties(dataDir, brokerPort, controllerPort),
                    false);
            if (!Files.exists(dataDir.resolve("meta.properties"))) {
                format(config, dataDir);
            }
            KafkaRaftServer server = new KafkaRaftServer(config, Time.SYSTEM);
            server.startup();
            LOG.info("embedded Kafka broker up on 127.0.0.1:{} (data in {})", brokerPort, dataDir);
            EmbeddedKafka kafka = new EmbeddedKafka(dataDir, brokerPort, server, lock);
            kafka.watch();
            return kafka;
        } catch (IOException e) {
            release(lock);
            throw new UncheckedIOException("cannot start the embedded Kafka broker in "
                    + dataDir + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            release(lock);
            throw e;
        }
    }

    /** The bootstrap address clients use. */
    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    public Path dataDir() {
        return dataDir;
    }

    /**
     * Calls {@code listener} with the reason once the broker dies: Kafka asks to exit or halt
     * the process (a fatal fault, which the process must not ignore), or the broker shuts
     * down without {@link #close}. A listener added after the death is called at once.
     */
    public void onFailure(Consumer<String> listener) {
        failureListeners.add(listener);
        String reason = failure;
        if (reason != null && failureListeners.remove(listener)) {
            listener.accept(reason);
        }
    }

    private void failed(String reason) {
        if (closed || failure != null) {
            return;
        }
        failure = reason;
        LOG.error("embedded Kafka broker on 127.0.0.1:{} failed: {}", port, reason);
        for (Consumer<String> listener : failureListeners) {
            if (failureListeners.remove(listener)) {
                listener.accept(reason);
            }
        }
    }

    /** A broker that shuts down by itself is dead to its clients: tell the listeners. */
    private void watch() {
        RUNNING.add(this);
        Thread watcher = new Thread(() -> {
            server.awaitShutdown();
            failed("the broker shut down by itself");
        }, "embedded-kafka-watch");
        watcher.setDaemon(true);
        watcher.start();
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        RUNNING.remove(this);
        server.shutdown();
        server.awaitShutdown();
        release(lock);
        LOG.info("embedded Kafka broker on 127.0.0.1:{} stopped", port);
    }

    private static Properties properties(Path dataDir, int brokerPort, int controllerPort) {
        Properties p = new Properties();
        p.put("process.roles", "broker,controller");
        p.put("node.id", String.valueOf(NODE_ID));
        p.put("controller.quorum.voters", NODE_ID + "@127.0.0.1:" + controllerPort);
        p.put("listeners", "PLAINTEXT://127.0.0.1:" + brokerPort
                + ",CONTROLLER://127.0.0.1:" + controllerPort);
        p.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + brokerPort);
        p.put("controller.listener.names", "CONTROLLER");
        p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.put("inter.broker.listener.name", "PLAINTEXT");
        p.put("log.dirs", dataDir.toAbsolutePath().toString());
        p.put("metadata.log.dir", dataDir.toAbsolutePath().toString());
        p.put("offsets.topic.replication.factor", "1");
        p.put("offsets.topic.num.partitions", "4");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("transaction.state.log.num.partitions", "4");
        p.put("share.coordinator.state.topic.replication.factor", "1");
        p.put("share.coordinator.state.topic.min.isr", "1");
        p.put("group.initial.rebalance.delay.ms", "0");
        p.put("log.cleaner.dedupe.buffer.size", String.valueOf(8 * 1024 * 1024));
        p.put("num.partitions", "1");
        p.put("auto.create.topics.enable", "false");
        return p;
    }

    private static void format(KafkaConfig config, Path dataDir) {
        // The formatter reports to stdout, which belongs to the command's own output.
        ByteArrayOutputStream report = new ByteArrayOutputStream();
        try {
            Formatter formatter = new Formatter()
                    .setPrintStream(new PrintStream(report, true, StandardCharsets.UTF_8))
                    .setClusterId(Uuid.randomUuid().toString())
                    .setNodeId(NODE_ID)
                    .setControllerListenerName("CONTROLLER")
                    .setMetadataLogDirectory(dataDir.toAbsolutePath().toString())
                    .setDirectories(Set.of(dataDir.toAbsolutePath().toString()))
                    .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION)
                    .setIgnoreFormatted(true);
            formatter.run();
            LOG.debug("formatted {}: {}", dataDir, report.toString(StandardCharsets.UTF_8));
        } catch (Exception e) {
            throw new IllegalStateException("cannot format the Kafka log directory " + dataDir
                    + ": " + e.getMessage(), e);
        }
    }

    /** Keeps the broker's port in its directory, so clients can reconnect after a restart. */
    private static int rememberedPort(Path dataDir) throws IOException {
        Path file = dataDir.resolve("storyline-port");
        if (Files.exists(file)) {
            return Integer.parseInt(Files.readString(file).strip());
        }
        int port = freePort();
        Files.writeString(file, Integer.toString(port));
        return port;
    }

    /**
     * Locks the directory for this process before Kafka touches it: Kafka takes its own lock
     * only after the controller has written to the metadata log, so a second broker on a
     * directory in use would damage the running one's files before failing.
     */
    private static FileChannel lock(Path dataDir) throws IOException {
        FileChannel channel = FileChannel.open(dataDir.resolve("storyline.lock"),
                StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null; // held by this JVM
        }
        if (lock == null) {
            channel.close();
            Path portFile = dataDir.resolve("storyline-port");
            String address = Files.exists(portFile)
                    ? " (its broker answers on 127.0.0.1:" + Files.readString(portFile).strip()
                            + ")" : "";
            throw new IllegalStateException("Kafka data directory " + dataDir
                    + " is in use by another broker" + address);
        }
        return channel;
    }

    /**
     * The address of the broker another process (or another part of this one) runs on
     * {@code dataDir}, or null when nobody holds the directory.
     */
    public static String runningAt(Path dataDir) {
        Path lockFile = dataDir.resolve("storyline.lock");
        Path portFile = dataDir.resolve("storyline-port");
        if (!Files.exists(lockFile) || !Files.exists(portFile)) {
            return null;
        }
        try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.WRITE)) {
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null;
            }
            if (lock != null) {
                lock.release();
                return null;
            }
            return "127.0.0.1:" + Files.readString(portFile).strip();
        } catch (IOException e) {
            return null;
        }
    }

    private static void release(FileChannel lock) {
        if (lock == null) {
            return;
        }
        try {
            lock.close(); // releases the lock
        } catch (IOException e) {
            LOG.warn("cannot release the lock on {}: {}", lock, e.getMessage());
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress("127.0.0.1", 0));
            return socket.getLocalPort();
        }
    }

    /** A broker fault must not call System.exit on the whole application. */
    private static void interceptExit() {
        Exit.setExitProcedure((status, message) -> {
            throw brokerFault("exit", status, message);
        });
        Exit.setHaltProcedure((status, message) -> {
            throw brokerFault("halt", status, message);
        });
    }

    /** Kafka asked to end the process: the brokers here are no longer trustworthy. */
    private static IllegalStateException brokerFault(String what, int status, String message) {
        String reason = "embedded Kafka asked to " + what + " (" + status + "): " + message;
        RUNNING.forEach(k -> k.failed(reason));
        return new IllegalStateException(reason);
    }

}
