package io.twinflow.emulators;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Cleans up after a server that does not die with this JVM (PostgreSQL detaches from its parent)
 * even when the JVM is killed without running its shutdown hooks (SIGKILL, the out-of-memory killer).
 * It is a small shell child whose standard input is a pipe from this JVM: the pipe closes when the
 * JVM ends, however it ends, and the shell then stops the process named in the pid file it was told
 * about (SIGINT, PostgreSQL's fast shutdown; SIGKILL after 5 s) and removes the paths it was told to
 * remove. It ignores the terminal's signals, so it outlives a Ctrl-C or a closed terminal long enough
 * to do its work. Closing it normally (after the server was stopped and its files removed) finds
 * nothing left to do.
 */
final class Watchdog implements AutoCloseable {

    private static final String SCRIPT = """
            trap '' HUP INT TERM PIPE
            pidfile=
            while IFS= read -r line; do
              case "$line" in
                'pidfile '*) pidfile=${line#pidfile } ;;
                'remove '*) set -- "$@" "${line#remove }" ;;
              esac
            done
            if [ -n "$pidfile" ] && [ -f "$pidfile" ]; then
              pid=$(head -n 1 "$pidfile")
              if [ -n "$pid" ] && kill -INT "$pid" 2>/dev/null; then
                i=0
                while kill -0 "$pid" 2>/dev/null && [ "$i" -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
                kill -KILL "$pid" 2>/dev/null
              fi
            fi
            for path in "$@"; do rm -rf -- "$path"; done
            """;
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);

    private final Process process;
    private final OutputStream commands;

    private Watchdog(Process process) {
        this.process = process;
        this.commands = process.getOutputStream();
    }

    static Watchdog start() {
        try {
            Process process = new ProcessBuilder("sh", "-c", SCRIPT)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
            return new Watchdog(process);
        } catch (IOException e) {
            throw new EmulatorStartException("could not start the clean-up watchdog (sh): " + e.getMessage(), e);
        }
    }

    /** The server to stop: the first line of this file is its process id (PostgreSQL's postmaster.pid). */
    void stopProcessOf(Path pidFile) {
        send("pidfile " + pidFile.toAbsolutePath());
    }

    /** A file or directory to remove once the server is stopped. */
    void remove(Path path) {
        send("remove " + path.toAbsolutePath());
    }

    long pid() {
        return process.pid();
    }

    private synchronized void send(String command) {
        if (command.indexOf('\n') >= 0) {
            throw new IllegalArgumentException("a path with a line break cannot be handed to the watchdog: " + command);
        }
        try {
            commands.write((command + "\n").getBytes(StandardCharsets.UTF_8));
            commands.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("the clean-up watchdog is gone", e);
        }
    }

    /** Lets the watchdog do its work now and waits for it. */
    @Override
    public void close() {
        try {
            commands.close();
            if (!process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
            }
        } catch (IOException e) {
            process.destroyForcibly();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
