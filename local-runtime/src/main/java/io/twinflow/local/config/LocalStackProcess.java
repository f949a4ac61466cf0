package io.twinflow.local.config;

import io.twinflow.core.error.UserMistakeException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The process serving a local stack, found through the endpoints file it wrote ({@code twinflow local
 * status} and {@code local down}, from any terminal). A pid alone can name another process once the
 * stack is gone; a process that started after the file says the stack started is such a one, and is
 * never signalled.
 */
public final class LocalStackProcess {

    /** How far the file's start time may precede the process's own: the two clocks are read apart. */
    private static final Duration CLOCK_SLACK = Duration.ofSeconds(2);

    /** Whether an endpoints file names a stack, and whether its process still serves it. */
    public enum State { RUNNING, STALE, ABSENT }

    /** @param endpoints the file's contents, absent when there is no file */
    public record Status(State state, Path file, Optional<Endpoints> endpoints) {
    }

    /** What {@link #stop} did. */
    public enum Stopped { STOPPED, NOTHING_RUNNING, STALE_FILE_REMOVED }

    private LocalStackProcess() {
    }

    /** @throws UserMistakeException when the file exists but cannot be read */
    public static Status status(Path file) {
        if (!Files.exists(file)) {
            return new Status(State.ABSENT, file, Optional.empty());
        }
        Endpoints endpoints;
        try {
            endpoints = Endpoints.read(file);
        } catch (IOException e) {
            throw new UserMistakeException("cannot read " + file + " (" + e.getMessage() + "): delete it if no local stack is running", e);
        }
        return new Status(serving(endpoints).isPresent() ? State.RUNNING : State.STALE, file, Optional.of(endpoints));
    }

    /**
     * Stops the stack the file names as Ctrl-C would (SIGTERM: its shutdown hook stops the services and
     * deletes the file), and waits for its process to end. A stale file is deleted.
     *
     * @throws UserMistakeException when the stack runs in this very process, or does not stop within {@code timeout}
     */
    public static Stopped stop(Path file, Duration timeout) {
        Status status = status(file);
        if (status.state() == State.ABSENT) {
            return Stopped.NOTHING_RUNNING;
        }
        Optional<ProcessHandle> process = serving(status.endpoints().orElseThrow());
        if (process.isEmpty()) {
            deleteIfExists(file);
            return Stopped.STALE_FILE_REMOVED;
        }
        ProcessHandle stack = process.get();
        if (stack.pid() == ProcessHandle.current().pid()) {
            throw new UserMistakeException("the stack of " + file + " runs in this process: stop it where it was started");
        }
        CompletableFuture<ProcessHandle> exited = stack.onExit();
        stack.destroy();
        try {
            exited.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new UserMistakeException("the local stack (pid " + stack.pid() + ") did not stop within " + timeout.toSeconds()
                    + " s: look at .twinflow/logs/, or end it with `kill -9 " + stack.pid() + "`", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for pid " + stack.pid() + " to stop", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("waiting for pid " + stack.pid() + " failed", e);
        }
        // Its shutdown hook deletes the file; a stack that died in the middle of stopping leaves it behind.
        deleteIfExists(file);
        return Stopped.STOPPED;
    }

    /** The live process that wrote these endpoints, if it still runs and is the same process. */
    static Optional<ProcessHandle> serving(Endpoints endpoints) {
        return ProcessHandle.of(endpoints.pid()).filter(ProcessHandle::isAlive).filter(p -> startedBy(p, endpoints));
    }

    private static boolean startedBy(ProcessHandle process, Endpoints endpoints) {
        Optional<Instant> processStart = process.info().startInstant();
        if (processStart.isEmpty() || endpoints.startedAt() == null) {
            return true; // nothing to compare: trust the pid, as Endpoints.running does
        }
        try {
            return !processStart.get().isAfter(Instant.parse(endpoints.startedAt()).plus(CLOCK_SLACK));
        } catch (DateTimeParseException e) {
            return true;
        }
    }

    private static void deleteIfExists(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new UserMistakeException("cannot delete " + file + " (" + e.getMessage() + "): delete it by hand", e);
        }
    }
}
