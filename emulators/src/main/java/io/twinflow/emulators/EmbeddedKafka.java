package io.twinflow.emulators;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Apache Kafka's own broker in KRaft mode (one node, broker and controller), run in a JVM of its own on
 * loopback: {@code kafka.tools.StorageTool format} once for a new log directory, then {@code kafka.Kafka}
 * with a generated {@code server.properties}, exactly what {@code kafka-storage.sh} and
 * {@code kafka-server-start.sh} run. The classpath is the Kafka distribution the {@code kafka-broker}
 * module resolves from Maven ({@value #CLASSPATH_RESOURCE}); Kafka's server, Scala 2.13 and their
 * libraries never enter this JVM, so they cannot collide with the other emulators' (ElasticMQ's Scala and
 * Pekko, s3proxy's Jetty). A {@link Watchdog} stops the broker if this JVM dies without closing it.
 *
 * <p>Settings are the development ones: one replica, an internal offsets topic of one partition, no
 * initial rebalance delay, no topic auto-creation (topics are created by the pipeline's resources, as in
 * MSK).
 */
public final class EmbeddedKafka implements KafkaBroker {

    /** The Kafka distribution's classpath, written by the kafka-broker module's build. */
    public static final String CLASSPATH_RESOURCE = "/io/twinflow/kafka/broker.classpath";

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafka.class);
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(90);
    private static final String HOST = LoopbackPorts.HOST;

    private final Path directory;
    private final boolean temporary;
    private final int brokerPort;
    private final int controllerPort;
    private Process process;
    private Watchdog watchdog;
    private Duration startupTime;

    private EmbeddedKafka(Path directory, boolean temporary, int brokerPort, int controllerPort) {
        this.directory = directory;
        this.temporary = temporary;
        this.brokerPort = brokerPort;
        this.controllerPort = controllerPort;
    }

    /** A broker on free ports with its log in a temporary directory, removed on close. */
    public static EmbeddedKafka start() {
        try {
            return launch(Files.createTempDirectory("twinflow-kafka-"), true);
        } catch (IOException e) {
            throw new EmulatorStartException("cannot create a directory for the Kafka broker: " + e.getMessage(), e);
        }
    }

    /**
     * A broker on free ports keeping its topics, records and committed offsets in {@code directory}
     * (created when missing, formatted on first use), so a later instance serves them again.
     */
    public static EmbeddedKafka startOnDisk(Path directory) {
        return launch(StoreDirectory.create(directory, "Kafka"), false);
    }

    private static EmbeddedKafka launch(Path directory, boolean temporary) {
        EmulatorStartException last = null;
        for (int attempt = 1; attempt <= LoopbackPorts.BIND_ATTEMPTS; attempt++) {
            EmbeddedKafka kafka = new EmbeddedKafka(directory, temporary, LoopbackPorts.pickFree(), LoopbackPorts.pickFree());
            try {
                kafka.startProcess();
                return kafka;
            } catch (EmulatorStartException e) {
                kafka.stopProcess();
                last = e;
                LOG.warn("Kafka broker did not start (attempt {}): {}", attempt, e.getMessage());
            }
        }
        throw last;
    }

    /** {@code 127.0.0.1:port}, for {@code bootstrap.servers}. */
    @Override
    public String bootstrapServers() {
        return HOST + ":" + brokerPort;
    }

    /** From launching the broker JVM (and formatting a new log directory) to the broker answering. */
    public Duration startupTime() {
        return startupTime;
    }

    public Path directory() {
        return directory;
    }

    /** Stops the broker cleanly (SIGTERM: a controlled shutdown) and keeps its directory. */
    public synchronized void stop() {
        stopProcess();
    }

    /** Starts the broker again after {@link #stop}, on the same ports and log directory. */
    public synchronized void restart() {
        stopProcess();
        startProcess();
    }

    /**
     * A {@code java} command line with the Kafka distribution's classpath running {@code mainClass}, e.g.
     * {@code org.apache.kafka.tools.ConsoleProducer}: the distribution's own tools, as its scripts run them.
     */
    public static List<String> javaCommand(String mainClass, List<String> arguments) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xshare:auto", "-XX:+UseSerialGC", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                "-cp", distributionClasspath(), mainClass));
        command.addAll(arguments);
        return command;
    }

    private synchronized void startProcess() {
        long t0 = System.nanoTime();
        Path config = writeConfig();
        Path log = directory.resolve("broker.log");
        if (!Files.exists(directory.resolve("data").resolve("meta.properties"))) {
            format(config, log);
        }
        try {
            process = new ProcessBuilder(javaCommand("kafka.Kafka", List.of(config.toString())))
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .start();
        } catch (IOException e) {
            throw new EmulatorStartException("cannot start the Kafka broker JVM: " + e.getMessage(), e);
        }
        watchdog = Watchdog.start();
        watchdog.stopProcess(process.pid());
        if (temporary) {
            watchdog.remove(directory);
        }
        awaitReady(log);
        startupTime = Duration.ofNanos(System.nanoTime() - t0);
        LOG.info("Kafka broker on {} ready in {} ms (log: {})", bootstrapServers(), startupTime.toMillis(), log);
    }

    private void format(Path config, Path log) {
        try {
            Process formatter = new ProcessBuilder(javaCommand("kafka.tools.StorageTool",
                    List.of("format", "--ignore-formatted", "-t", Uuid.randomUuid().toString(), "-c", config.toString())))
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .start();
            if (!formatter.waitFor(60, TimeUnit.SECONDS) || formatter.exitValue() != 0) {
                formatter.destroyForcibly();
                throw new EmulatorStartException("formatting the Kafka log directory failed; see " + log);
            }
        } catch (IOException e) {
            throw new EmulatorStartException("cannot run the Kafka storage tool: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EmulatorStartException("interrupted while formatting the Kafka log directory", e);
        }
    }

    private void awaitReady(Path log) {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 1_000, AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 2_000,
                AdminClientConfig.RECONNECT_BACKOFF_MS_CONFIG, 50, AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 200))) {
            while (System.nanoTime() < deadline) {
                if (!process.isAlive()) {
                    throw new EmulatorStartException("the Kafka broker exited with " + process.exitValue() + "; see " + log);
                }
                try {
                    if (!admin.describeCluster().nodes().get(2, TimeUnit.SECONDS).isEmpty()) {
                        return;
                    }
                } catch (ExecutionException | TimeoutException e) {
                    Thread.sleep(50); // not listening yet
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EmulatorStartException("interrupted while waiting for the Kafka broker", e);
        }
        throw new EmulatorStartException("the Kafka broker did not answer within " + READY_TIMEOUT.toSeconds() + " s; see " + log);
    }

    private Path writeConfig() {
        Properties p = new Properties();
        p.setProperty("process.roles", "broker,controller");
        p.setProperty("node.id", "1");
        p.setProperty("controller.quorum.voters", "1@" + HOST + ":" + controllerPort);
        p.setProperty("listeners", "PLAINTEXT://" + HOST + ":" + brokerPort + ",CONTROLLER://" + HOST + ":" + controllerPort);
        p.setProperty("advertised.listeners", "PLAINTEXT://" + HOST + ":" + brokerPort);
        p.setProperty("controller.listener.names", "CONTROLLER");
        p.setProperty("inter.broker.listener.name", "PLAINTEXT");
        p.setProperty("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.setProperty("log.dirs", directory.resolve("data").toString());
        p.setProperty("auto.create.topics.enable", "false");
        // One node: every internal topic has one replica, and the group coordinator's offsets topic one partition.
        p.setProperty("offsets.topic.replication.factor", "1");
        p.setProperty("offsets.topic.num.partitions", "1");
        p.setProperty("transaction.state.log.replication.factor", "1");
        p.setProperty("transaction.state.log.min.isr", "1");
        p.setProperty("transaction.state.log.num.partitions", "1");
        p.setProperty("share.coordinator.state.topic.replication.factor", "1");
        p.setProperty("share.coordinator.state.topic.min.isr", "1");
        p.setProperty("default.replication.factor", "1");
        p.setProperty("min.insync.replicas", "1");
        // A consumer group's first member gets its partitions at once instead of after 3 s.
        p.setProperty("group.initial.rebalance.delay.ms", "0");
        // MSK's default retention: seven days.
        p.setProperty("log.retention.hours", "168");
        Path config = directory.resolve("server.properties");
        try (var out = Files.newBufferedWriter(config, StandardCharsets.UTF_8)) {
            p.store(out, "written by Twinflow's EmbeddedKafka");
        } catch (IOException e) {
            throw new EmulatorStartException("cannot write " + config + ": " + e.getMessage(), e);
        }
        return config;
    }

    private void stopProcess() {
        if (process != null) {
            process.destroy();
            try {
                if (!process.waitFor(30, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
            process = null;
        }
        if (watchdog != null) {
            watchdog.dismiss();
            watchdog = null;
        }
    }

    static String distributionClasspath() {
        try (InputStream in = EmbeddedKafka.class.getResourceAsStream(CLASSPATH_RESOURCE)) {
            if (in == null) {
                throw new EmulatorStartException("the Kafka distribution's classpath " + CLASSPATH_RESOURCE
                        + " is not on the classpath (build the kafka-broker module: mvn -pl kafka-broker install)");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Stops the broker; a temporary broker's directory is removed. Idempotent. */
    @Override
    public synchronized void close() {
        stopProcess();
        if (temporary && Files.exists(directory)) {
            try (Stream<Path> paths = Files.walk(directory)) {
                paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            } catch (IOException e) {
                LOG.warn("could not remove {}: {}", directory, e.getMessage());
            }
        }
    }
}
