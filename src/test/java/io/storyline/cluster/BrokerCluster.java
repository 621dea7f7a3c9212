package io.storyline.cluster;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;

/**
 * A Kafka cluster of separate broker JVMs on 127.0.0.1 ({@code kafka.Kafka} from the test
 * classpath, each node broker and controller, a static quorum of all of them), which a test
 * can kill with SIGKILL and restart on the same directory and ports.
 */
final class BrokerCluster implements AutoCloseable {

    /** Broker JVMs start in a few seconds alone, in tens on a loaded 2-core machine. */
    static final Duration PATIENCE = Duration.ofSeconds(120);

    /** One node: its id, its client and controller ports and its directory. */
    record Node(int id, int port, int controllerPort, Path dir) {

        Path data() {
            return dir.resolve("data");
        }

        Path log() {
            return dir.resolve("broker.log");
        }

        Path properties() {
            return dir.resolve("server.properties");
        }
    }

    private final List<Node> nodes;
    private final Process[] processes;
    /** Processor time of each node's earlier, killed runs. */
    private final Duration[] cpuBefore;
    private final Admin admin;

    private BrokerCluster(List<Node> nodes) {
        this.nodes = List.copyOf(nodes);
        this.processes = new Process[nodes.size()];
        this.cpuBefore = new Duration[nodes.size()];
        java.util.Arrays.fill(cpuBefore, Duration.ZERO);
        this.admin = Admin.create(Map.of("bootstrap.servers", bootstrapServers(),
                "request.timeout.ms", 10_000, "default.api.timeout.ms", 20_000));
    }

    /**
     * Formats and starts {@code size} nodes under {@code dir} (one subdirectory each, with
     * its properties, data and log) and waits until every broker is registered.
     */
    static BrokerCluster start(Path dir, int size) throws IOException, InterruptedException {
        int[] ports = freePorts(2 * size);
        List<Node> nodes = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            nodes.add(new Node(i + 1, ports[2 * i], ports[2 * i + 1],
                    dir.resolve("broker-" + (i + 1))));
        }
        String voters = nodes.stream().map(n -> n.id() + "@127.0.0.1:" + n.controllerPort())
                .collect(Collectors.joining(","));
        String clusterId = Uuid.randomUuid().toString();
        for (Node n : nodes) {
            Files.createDirectories(n.data());
            Properties p = properties(n, voters, size);
            try (var out = Files.newBufferedWriter(n.properties())) {
                p.store(out, "broker " + n.id() + " of a " + size + "-node test cluster");
            }
            format(n, clusterId);
        }
        BrokerCluster cluster = new BrokerCluster(nodes);
        try {
            for (Node n : nodes) {
                cluster.launch(n);
            }
            cluster.awaitBrokers(cluster.ids());
        } catch (IOException | InterruptedException | RuntimeException | AssertionError e) {
            cluster.close();
            throw e;
        }
        return cluster;
    }

    /** Every node's client address, as a client's {@code bootstrap.servers}. */
    String bootstrapServers() {
        return nodes.stream().map(n -> "127.0.0.1:" + n.port())
                .collect(Collectors.joining(","));
    }

    List<Node> nodes() {
        return nodes;
    }

    Set<Integer> ids() {
        return nodes.stream().map(Node::id).collect(Collectors.toCollection(TreeSet::new));
    }

    /** SIGKILL: the broker gets no controlled shutdown, exactly as in a crash. */
    void kill(int id) throws InterruptedException {
        Process p = processes[id - 1];
        cpuBefore[id - 1] = cpu(id);
        p.destroyForcibly();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            throw new AssertionError("broker " + id + " (pid " + p.pid() + ") survived SIGKILL");
        }
    }

    /** Starts a killed node again on its directory and ports; does not wait for it. */
    void restart(int id) throws IOException {
        Process p = processes[id - 1];
        if (p != null && p.isAlive()) {
            throw new IllegalStateException("broker " + id + " still runs (pid " + p.pid() + ")");
        }
        launch(nodes.get(id - 1));
    }

    /** Processor time broker {@code id} has used, over all its runs. */
    Duration cpu(int id) {
        Process p = processes[id - 1];
        return p != null && p.isAlive() ? cpuBefore[id - 1].plus(
                p.info().totalCpuDuration().orElse(Duration.ZERO)) : cpuBefore[id - 1];
    }

    boolean alive(int id) {
        return processes[id - 1] != null && processes[id - 1].isAlive();
    }

    /** The ids of the brokers the controller has registered and not fenced. */
    Set<Integer> registered() {
        try {
            return admin.describeCluster().nodes().get(20, TimeUnit.SECONDS).stream()
                    .map(org.apache.kafka.common.Node::id)
                    .collect(Collectors.toCollection(TreeSet::new));
        } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
            return Set.of();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Waits until exactly {@code ids} are registered, failing with the brokers' state. */
    void awaitBrokers(Set<Integer> ids) throws InterruptedException {
        await("brokers " + ids + " registered", () -> ids.equals(registered()),
                () -> "registered: " + registered() + "; running: " + running());
    }

    /** The broker leading {@code topic}'s partition {@code partition}, or -1 if none. */
    int leader(String topic, int partition) {
        TopicPartitionInfo info = describe(List.of(topic)).get(topic).partitions()
                .get(partition);
        return info.leader() == null ? -1 : info.leader().id();
    }

    /**
     * Partitions of the topics whose name starts with {@code prefix} (internal topics
     * included) with fewer in-sync replicas than replicas, as "topic-partition isr/replicas".
     */
    List<String> underReplicated(String prefix) {
        List<String> out = new ArrayList<>();
        Collection<String> names;
        try {
            names = admin.listTopics(new ListTopicsOptions().listInternal(true)).names()
                    .get(20, TimeUnit.SECONDS).stream().filter(t -> t.startsWith(prefix))
                    .sorted().toList();
        } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
            return List.of("cannot list topics: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        for (TopicDescription d : describe(names).values()) {
            for (TopicPartitionInfo p : d.partitions()) {
                if (p.isr().size() < p.replicas().size()) {
                    out.add(d.name() + "-" + p.partition() + " " + p.isr().size() + "/"
                            + p.replicas().size());
                }
            }
        }
        return out;
    }

    /** Waits until every partition of the matching topics has all its replicas in sync. */
    void awaitInSync(String prefix) throws InterruptedException {
        await("every replica of " + prefix + "* in sync", () -> underReplicated(prefix)
                .isEmpty(), () -> "under-replicated: " + underReplicated(prefix));
    }

    Map<String, TopicDescription> describe(Collection<String> topics) {
        try {
            return new TreeMap<>(admin.describeTopics(topics).allTopicNames()
                    .get(20, TimeUnit.SECONDS));
        } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("cannot describe " + topics + ": " + e.getMessage(),
                    e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    Admin admin() {
        return admin;
    }

    /** SIGKILL for every broker still running: the data is thrown away with the test's. */
    @Override
    public void close() {
        admin.close(Duration.ofSeconds(5));
        for (Process p : processes) {
            if (p != null && p.isAlive()) {
                p.destroyForcibly();
            }
        }
        for (Process p : processes) {
            if (p != null) {
                try {
                    p.waitFor(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    private String running() {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < processes.length; i++) {
            Process p = processes[i];
            out.add((i + 1) + (p == null ? " never started" : p.isAlive() ? " alive"
                    : " exited " + p.exitValue()));
        }
        return String.join(", ", out) + " (logs in " + nodes.get(0).dir().getParent() + ")";
    }

    private void launch(Node n) throws IOException {
        List<String> command = List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xms128m", "-Xmx512m", "-XX:+UseSerialGC",
                "-cp", System.getProperty("java.class.path"),
                "kafka.Kafka", n.properties().toString());
        processes[n.id() - 1] = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(n.log().toFile())).start();
    }

    private static Properties properties(Node n, String voters, int size) {
        String replicas = Integer.toString(size);
        String minIsr = Integer.toString(Math.min(2, size));
        Properties p = new Properties();
        p.put("process.roles", "broker,controller");
        p.put("node.id", Integer.toString(n.id()));
        p.put("controller.quorum.voters", voters);
        p.put("listeners", "PLAINTEXT://127.0.0.1:" + n.port() + ",CONTROLLER://127.0.0.1:"
                + n.controllerPort());
        p.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + n.port());
        p.put("controller.listener.names", "CONTROLLER");
        p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.put("inter.broker.listener.name", "PLAINTEXT");
        p.put("log.dirs", n.data().toAbsolutePath().toString());
        p.put("metadata.log.dir", n.data().toAbsolutePath().toString());
        // Kafka's own topics as replicated as Storyline's: a lost broker loses no offsets
        // and no transaction state.
        p.put("offsets.topic.replication.factor", replicas);
        p.put("offsets.topic.num.partitions", "6");
        p.put("transaction.state.log.replication.factor", replicas);
        p.put("transaction.state.log.min.isr", minIsr);
        p.put("transaction.state.log.num.partitions", "6");
        p.put("share.coordinator.state.topic.replication.factor", replicas);
        p.put("share.coordinator.state.topic.min.isr", minIsr);
        p.put("default.replication.factor", replicas);
        p.put("min.insync.replicas", minIsr);
        p.put("auto.create.topics.enable", "false");
        p.put("group.initial.rebalance.delay.ms", "0");
        // A dead broker is fenced (and leaves the ISRs) after 6 s rather than 9 s.
        p.put("broker.session.timeout.ms", "6000");
        p.put("broker.heartbeat.interval.ms", "1000");
        // Few threads: three brokers and six Storyline JVMs share two cores.
        p.put("num.network.threads", "2");
        p.put("num.io.threads", "2");
        p.put("num.replica.fetchers", "1");
        p.put("background.threads", "2");
        p.put("log.cleaner.threads", "1");
        p.put("log.cleaner.dedupe.buffer.size", Integer.toString(8 * 1024 * 1024));
        return p;
    }

    /** What {@code kafka-storage format} does, in this JVM: one cluster id for all nodes. */
    private static void format(Node n, String clusterId) {
        ByteArrayOutputStream report = new ByteArrayOutputStream();
        String dir = n.data().toAbsolutePath().toString();
        try {
            new Formatter()
                    .setPrintStream(new PrintStream(report, true, StandardCharsets.UTF_8))
                    .setClusterId(clusterId)
                    .setNodeId(n.id())
                    .setControllerListenerName("CONTROLLER")
                    .setMetadataLogDirectory(dir)
                    .setDirectories(Set.of(dir))
                    .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION)
                    .run();
        } catch (Exception e) {
            throw new IllegalStateException("cannot format broker " + n.id() + " in " + dir
                    + ": " + e.getMessage() + "; " + report.toString(StandardCharsets.UTF_8),
                    e);
        }
    }

    /** Distinct free ports, all held open until all are chosen. */
    private static int[] freePorts(int count) {
        List<ServerSocket> held = new ArrayList<>();
        try {
            int[] ports = new int[count];
            for (int i = 0; i < count; i++) {
                ServerSocket s = new ServerSocket();
                held.add(s);
                s.bind(new InetSocketAddress("127.0.0.1", 0));
                ports[i] = s.getLocalPort();
            }
            return ports;
        } catch (IOException e) {
            throw new UncheckedIOException("no free port on 127.0.0.1", e);
        } finally {
            for (ServerSocket s : held) {
                try {
                    s.close();
                } catch (IOException e) {
                    // closing a bound socket we own; nothing to do
                }
            }
        }
    }

    /** Waits for {@code condition} until {@link #PATIENCE}, failing with {@code state}. */
    static void await(String what, java.util.function.BooleanSupplier condition,
            Supplier<String> state) throws InterruptedException {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("waited " + PATIENCE.toSeconds() + " s for " + what
                        + ": " + state.get());
            }
            Thread.sleep(200);
        }
    }
}
