package io.twinflow.emulators;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An emulator written for Node (kinesalite, dynalite) run as a child process: {@code node launch.js
 * ARGS} in a directory the module build fills with {@code npm ci}, whose {@code launch.js} binds
 * loopback, prints {@code "<name> listening on port N"} and exits when its standard input closes.
 * That input is a pipe from this JVM, so the child also ends when the JVM is killed without running
 * its shutdown hooks.
 *
 * <p>Where the directory and Node are found: {@link NodeInstallation}.
 */
final class NodeEmulator implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(5);

    /**
     * Which emulator, where its installation may be configured, and the class whose logger carries
     * the child's output (at DEBUG: its last words explain an emulator that went away).
     */
    record Package(String name, String homeProperty, String homeEnv, Class<?> owner) {
    }

    private final Process process;
    private final Thread shutdownHook;
    private final int port;
    private final Duration startupTime;

    private NodeEmulator(Process process, Thread shutdownHook, int port, Duration startupTime) {
        this.process = process;
        this.shutdownHook = shutdownHook;
        this.port = port;
        this.startupTime = startupTime;
    }

    /** Runs {@code node launch.js arguments...} and waits until it listens. */
    static NodeEmulator start(Package pkg, List<String> arguments) {
        long began = System.nanoTime();
        Path home = NodeInstallation.home(pkg);
        List<String> command = new ArrayList<>(List.of(NodeInstallation.nodeExecutable(), "launch.js"));
        command.addAll(arguments);
        ProcessBuilder builder = new ProcessBuilder(command).directory(home.toFile()).redirectErrorStream(true);
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new EmulatorStartException("could not run " + NodeInstallation.nodeExecutable()
                    + " (set " + NodeInstallation.NODE_PROPERTY + " or " + NodeInstallation.NODE_ENV + " to the Node binary)", e);
        }
        Thread hook = new Thread(() -> stop(process), pkg.name() + "-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);

        Logger log = LoggerFactory.getLogger(pkg.owner());
        Pattern listening = Pattern.compile(Pattern.quote(pkg.name()) + " listening on port (\\d+)");
        CompletableFuture<Integer> boundPort = new CompletableFuture<>();
        List<String> earlyOutput = new ArrayList<>();
        Thread reader = new Thread(() -> relayOutput(process, pkg.name(), listening, log, boundPort, earlyOutput), pkg.name() + "-output");
        reader.setDaemon(true);
        reader.start();
        try {
            int chosen = boundPort.get(START_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            return new NodeEmulator(process, hook, chosen, Duration.ofNanos(System.nanoTime() - began));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            abandon(process, hook);
            throw new EmulatorStartException("interrupted while " + pkg.name() + " was starting", e);
        } catch (ExecutionException | TimeoutException e) {
            abandon(process, hook);
            String output;
            synchronized (earlyOutput) {
                output = String.join("\n", earlyOutput);
            }
            throw new EmulatorStartException(pkg.name() + " did not start from " + home + ":\n" + output, e);
        }
    }

    int port() {
        return port;
    }

    long pid() {
        return process.pid();
    }

    Duration startupTime() {
        return startupTime;
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

    private static void relayOutput(Process process, String name, Pattern listening, Logger log,
                                    CompletableFuture<Integer> boundPort, List<String> earlyOutput) {
        try (BufferedReader lines = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null) {
                Matcher matcher = listening.matcher(line);
                if (!boundPort.isDone() && matcher.find()) {
                    boundPort.complete(Integer.parseInt(matcher.group(1)));
                } else if (!boundPort.isDone()) {
                    synchronized (earlyOutput) {
                        earlyOutput.add(line);
                    }
                } else {
                    log.debug("{}: {}", name, line);
                }
            }
        } catch (IOException e) {
            log.debug("{} output closed", name, e);
        }
        boundPort.completeExceptionally(new IllegalStateException("exited before listening"));
    }

    private static void abandon(Process process, Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException alreadyShuttingDown) {
            return;
        }
        stop(process);
    }

    /**
     * Closes the child's input first, which its launcher answers by closing its store and exiting
     * (an on-disk store is then left consistent), then stops what is still running: politely, then
     * forcibly.
     */
    private static void stop(Process process) {
        List<ProcessHandle> tree = new ArrayList<>(process.descendants().toList());
        tree.add(process.toHandle());
        try {
            process.getOutputStream().close();
            process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (IOException alreadyClosed) {
            // the pipe is gone: the signals below still reach the process
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        tree.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroy);
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
}
