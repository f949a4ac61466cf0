package io.twinflow.cli.command;

import static org.assertj.core.api.Assertions.assertThat;

import io.twinflow.cli.Main;
import io.twinflow.local.config.Endpoints;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * {@code twinflow local up} in a JVM of its own, as a user runs it, so that a test can kill it: the
 * state directory under {@code home} ({@code TWINFLOW_HOME}) and the JVM's temp folder are the
 * test's, so everything the run leaves behind is visible there.
 */
final class LocalUpProcess {

    private final Process process;
    private final Endpoints endpoints;
    private final List<String> output;

    private LocalUpProcess(Process process, Endpoints endpoints, List<String> output) {
        this.process = process;
        this.endpoints = endpoints;
        this.output = output;
    }

    static LocalUpProcess start(Path home, Path tmp, String... options) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Djava.io.tmpdir=" + tmp,
                "-Dtwinflow.kinesalite.home=" + emulator("kinesalite"),
                "-Dtwinflow.dynalite.home=" + emulator("dynalite"),
                "-cp", System.getProperty("java.class.path"), Main.class.getName(), "local", "up"));
        command.addAll(List.of(options));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).directory(home.toFile());
        builder.environment().put("TWINFLOW_HOME", home.toString());
        Process process = builder.start();
        List<String> output = new ArrayList<>();
        CompletableFuture<Boolean> ready = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = lines.readLine()) != null) {
                    synchronized (output) {
                        output.add(line);
                    }
                    if (line.startsWith("Press Ctrl-C to stop")) {
                        ready.complete(true);
                    }
                }
            } catch (IOException closed) {
                // the process is gone; ready below says whether it got that far
            }
            ready.complete(false);
        }, "local-up-output");
        reader.setDaemon(true);
        reader.start();
        boolean up = ready.get(120, TimeUnit.SECONDS);
        assertThat(up).as("local up started; its output:\n%s", String.join("\n", snapshot(output))).isTrue();
        return new LocalUpProcess(process, Endpoints.read(home.resolve(".twinflow").resolve(Endpoints.FILE_NAME)), output);
    }

    private static Path emulator(String name) {
        return Path.of("..", "emulators", name).toAbsolutePath().normalize();
    }

    private static List<String> snapshot(List<String> output) {
        synchronized (output) {
            return List.copyOf(output);
        }
    }

    Endpoints endpoints() {
        return endpoints;
    }

    Process process() {
        return process;
    }

    List<String> output() {
        return snapshot(output);
    }

    /** SIGKILL: no shutdown hook runs. */
    void kill() throws InterruptedException {
        process.destroyForcibly().waitFor();
    }

    /** SIGTERM, as Ctrl-C or `kill` would stop it; returns the exit code. */
    int stop() throws InterruptedException {
        process.destroy();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("local up stopped on SIGTERM").isTrue();
        return process.exitValue();
    }
}
