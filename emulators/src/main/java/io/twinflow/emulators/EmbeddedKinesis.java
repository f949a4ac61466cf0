package io.twinflow.emulators;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.kinesis.KinesisClient;

/**
 * A Kinesis API served by kinesalite, run as a Node subprocess with an in-memory store.
 *
 * <p><b>CBOR.</b> The SDK talks CBOR to Kinesis by default and kinesalite's CBOR support breaks on
 * large PutRecords and GetRecords. The SDK reads the system property {@value #CBOR_PROPERTY} each
 * time a Kinesis client is built, so {@link #start} sets it to {@code false}: every Kinesis client
 * built in this JVM afterwards, including those the code under test builds for itself, speaks JSON.
 * A client built before {@code start} keeps CBOR. Another JVM pointed at this emulator needs
 * {@code -Daws.cborEnabled=false} or the environment variable {@code CBOR_ENABLED=false}. JSON is
 * also accepted by the real Kinesis, so nothing else changes.
 *
 * <p><b>Where kinesalite is.</b> The module build installs it with {@code npm ci} into
 * {@code emulators/kinesalite}. That directory is taken from the system property
 * {@value #HOME_PROPERTY}, else the environment variable {@value #HOME_ENV}, else the first of
 * {@code kinesalite} and {@code emulators/kinesalite} found in the working directory or one of its
 * parents, which covers running from the repository root, from this module and from a sibling
 * module. Node is taken from {@value #NODE_PROPERTY} or {@value #NODE_ENV}, else {@code node} on
 * the PATH.
 */
public final class EmbeddedKinesis implements AutoCloseable {

    public static final String CBOR_PROPERTY = "aws.cborEnabled";
    public static final String HOME_PROPERTY = "twinflow.kinesalite.home";
    public static final String HOME_ENV = "TWINFLOW_KINESALITE_HOME";
    public static final String NODE_PROPERTY = "twinflow.node";
    public static final String NODE_ENV = "TWINFLOW_NODE";

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKinesis.class);
    private static final Pattern LISTENING = Pattern.compile("kinesalite listening on port (\\d+)");
    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(5);
    private static final int SEARCHED_PARENT_LEVELS = 4;

    private final Process process;
    private final Thread shutdownHook;
    private final URI endpoint;
    private final Duration startupTime;

    private EmbeddedKinesis(Process process, Thread shutdownHook, int port, Duration startupTime) {
        this.process = process;
        this.shutdownHook = shutdownHook;
        this.endpoint = URI.create("http://" + LoopbackPorts.HOST + ":" + port);
        this.startupTime = startupTime;
    }

    /** Starts on a free port, with streams that become ACTIVE at once. */
    public static EmbeddedKinesis start() {
        return start(0, Duration.ZERO);
    }

    /**
     * Starts on the given port (0 for a free one). {@code transitionTime} is how long streams stay
     * CREATING, UPDATING or DELETING, for tests of code that must wait for a stream to be usable.
     */
    public static EmbeddedKinesis start(int port, Duration transitionTime) {
        long began = System.nanoTime();
        disableCbor();
        Path home = locateHome();
        ProcessBuilder builder = new ProcessBuilder(nodeExecutable(), "launch.js",
                Integer.toString(port), Long.toString(transitionTime.toMillis()))
                .directory(home.toFile())
                .redirectErrorStream(true);
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new EmulatorStartException("could not run " + nodeExecutable()
                    + " (set " + NODE_PROPERTY + " or " + NODE_ENV + " to the Node binary)", e);
        }
        Thread hook = new Thread(() -> stop(process), "kinesalite-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);

        CompletableFuture<Integer> boundPort = new CompletableFuture<>();
        List<String> earlyOutput = new ArrayList<>();
        Thread reader = new Thread(() -> relayOutput(process, boundPort, earlyOutput), "kinesalite-output");
        reader.setDaemon(true);
        reader.start();
        try {
            int chosen = boundPort.get(START_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            EmbeddedKinesis started = new EmbeddedKinesis(process, hook, chosen, Duration.ofNanos(System.nanoTime() - began));
            LOG.info("kinesalite started at {} in {} ms (pid {})", started.endpoint, started.startupTime.toMillis(), process.pid());
            return started;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            abandon(process, hook);
            throw new EmulatorStartException("interrupted while kinesalite was starting", e);
        } catch (ExecutionException | TimeoutException e) {
            abandon(process, hook);
            String output;
            synchronized (earlyOutput) {
                output = String.join("\n", earlyOutput);
            }
            throw new EmulatorStartException("kinesalite did not start from " + home + ":\n" + output, e);
        }
    }

    public URI endpoint() {
        return endpoint;
    }

    public Duration startupTime() {
        return startupTime;
    }

    /** The Node process's id, so that a caller can check nothing outlives {@link #close}. */
    public long pid() {
        return process.pid();
    }

    /** A new JSON (not CBOR) client for this instance; the caller closes it. */
    public KinesisClient kinesisClient() {
        disableCbor();
        return EmulatorClients.configure(KinesisClient.builder(), endpoint).build();
    }

    @Override
    public void close() {
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException alreadyShuttingDown) {
            // The hook is running or about to run and stops the process itself.
            return;
        }
        stop(process);
    }

    private static void disableCbor() {
        String previous = System.setProperty(CBOR_PROPERTY, "false");
        if (!"false".equals(previous)) {
            LOG.info("set {}=false so that Kinesis clients built from now on speak JSON to kinesalite", CBOR_PROPERTY);
        }
    }

    private static void relayOutput(Process process, CompletableFuture<Integer> boundPort, List<String> earlyOutput) {
        try (BufferedReader lines = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null) {
                Matcher listening = LISTENING.matcher(line);
                if (!boundPort.isDone() && listening.find()) {
                    boundPort.complete(Integer.parseInt(listening.group(1)));
                } else if (!boundPort.isDone()) {
                    synchronized (earlyOutput) {
                        earlyOutput.add(line);
                    }
                } else {
                    LOG.debug("kinesalite: {}", line);
                }
            }
        } catch (IOException e) {
            LOG.debug("kinesalite output closed", e);
        }
        boundPort.completeExceptionally(new IllegalStateException("kinesalite exited before listening"));
    }

    private static void abandon(Process process, Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException alreadyShuttingDown) {
            return;
        }
        stop(process);
    }

    /** Stops the process and anything it started: politely first, then forcibly. */
    private static void stop(Process process) {
        List<ProcessHandle> tree = new ArrayList<>(process.descendants().toList());
        tree.add(process.toHandle());
        tree.forEach(ProcessHandle::destroy);
        for (ProcessHandle handle : tree) {
            try {
                handle.onExit().get(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                handle.destroyForcibly();
            } catch (ExecutionException | TimeoutException e) {
                handle.destroyForcibly();
            }
        }
    }

    private static String nodeExecutable() {
        return setting(NODE_PROPERTY, NODE_ENV).orElse("node");
    }

    private static Path locateHome() {
        Optional<String> configured = setting(HOME_PROPERTY, HOME_ENV);
        if (configured.isPresent()) {
            Path home = Path.of(configured.get()).toAbsolutePath();
            if (!isInstalled(home)) {
                throw new EmulatorStartException(home + " (from " + HOME_PROPERTY + " or " + HOME_ENV
                        + ") has no launch.js and node_modules/kinesalite: run npm ci there");
            }
            return home;
        }
        Path dir = Path.of("").toAbsolutePath();
        List<Path> tried = new ArrayList<>();
        for (int level = 0; dir != null && level <= SEARCHED_PARENT_LEVELS; level++, dir = dir.getParent()) {
            for (Path candidate : List.of(dir.resolve("kinesalite"), dir.resolve("emulators").resolve("kinesalite"))) {
                if (isInstalled(candidate)) {
                    return candidate;
                }
                tried.add(candidate);
            }
        }
        throw new EmulatorStartException("kinesalite is not installed in any of " + tried
                + ": build the emulators module (it runs npm ci) or set " + HOME_PROPERTY + " or " + HOME_ENV);
    }

    private static boolean isInstalled(Path home) {
        return Files.isRegularFile(home.resolve("launch.js"))
                && Files.isRegularFile(home.resolve("node_modules").resolve("kinesalite").resolve("package.json"));
    }

    private static Optional<String> setting(String property, String environmentVariable) {
        String value = System.getProperty(property);
        if (value == null || value.isBlank()) {
            value = System.getenv(environmentVariable);
        }
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value);
    }
}
