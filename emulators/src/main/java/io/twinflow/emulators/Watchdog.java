package io.twinflow.emulators;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Cleans up after a child that does not die with this JVM (PostgreSQL detaches from its parent; a Spark
 * JVM keeps running on its own) even when this JVM is killed without running its shutdown hooks
 * (SIGKILL, the out-of-memory killer). It is a small shell child whose standard input is a pipe from
 * this JVM: the pipe closes when the JVM ends, however it ends, and the shell then stops the process it
 * was told about (SIGINT: PostgreSQL's fast shutdown, a JVM's shutdown hooks; SIGKILL after 5 s) and
 * removes the paths it was told to remove. It ignores the terminal's signals, so it outlives a Ctrl-C
 * or a closed terminal long enough to do its work. {@link #close} lets it do that work now (when the
 * owner has already stopped and cleaned, it finds nothing left); {@link #dismiss} ends it without.
 */
public final class Watchdog implements AutoCloseable {

    private static final String SCRIPT = """
            trap '' HUP INT TERM PIPE
            pidfile=
            pid=
            while IFS= read -r line; do
              case "$line" in
                'pidfile '*) pidfile=${line#pidfile } ;;
                'pid '*) pid=${line#pid } ;;
                'remove '*) set -- "$@" "${line#remove }" ;;
                dismiss) exit 0 ;;
              esac
            done
            if [ -z "$pid" ] && [ -n "$pidfile" ] && [ -f "$pidfile" ]; then
              pid=$(head -n 1 "$pidfile")
            fi
            if [ -n "$pid" ] && kill -INT "$pid" 2>/dev/null; then
              i=0
              while kill -0 "$pid" 2>/dev/null && [ "$i" -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
              kill -KILL "$pid" 2>/dev/null
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

    public static Watchdog start() {
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
    public void stopProcessOf(Path pidFile) {
        send("pidfile " + pidFile.toAbsolutePath());
    }

    /** The process to stop. */
    public void stopProcess(long pid) {
        send("pid " + pid);
    }

    /** A file or directory to remove once the process is stopped. */
    public void remove(Path path) {
        send("remove " + path.toAbsolutePath());
    }

    /** Ends the watchdog without stopping or removing anything: the owner finished and cleaned up itself. */
    public void dismiss() {
        try {
            send("dismiss");
        } catch (UncheckedIOException alreadyGone) {
            // nothing left to dismiss
        }
        close();
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

    /** Lets the watchdog do its work now and waits for it; after {@link #dismiss}, only waits. */
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
