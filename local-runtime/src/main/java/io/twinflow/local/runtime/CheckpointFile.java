package io.twinflow.local.runtime;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.twinflow.core.error.UserMistakeException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Where a kept stack's two stream consumers stopped, per shard: the event source mapping's settled
 * checkpoints and the archiver's last archived record. Written atomically every half second while
 * anything moved, and once more on close, so a restart resumes there; after a SIGKILL it resumes at
 * most half a second earlier, and the handler's exactly-once writes make that re-delivery harmless.
 */
final class CheckpointFile implements AutoCloseable {

    /** The file's JSON: shard id to sequence number, for each consumer. */
    record Positions(Map<String, String> streamProcessor, Map<String, String> archiver) {
        Positions {
            streamProcessor = Map.copyOf(streamProcessor);
            archiver = Map.copyOf(archiver);
        }

        static Positions none() {
            return new Positions(Map.of(), Map.of());
        }

        /** These positions moved on by {@code later}, shard by shard; shards {@code later} lacks keep theirs. */
        Positions advancedBy(Map<String, String> laterStreamProcessor, Map<String, String> laterArchiver) {
            Map<String, String> mapping = new HashMap<>(streamProcessor);
            mapping.putAll(laterStreamProcessor);
            Map<String, String> archive = new HashMap<>(archiver);
            archive.putAll(laterArchiver);
            return new Positions(mapping, archive);
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration SAVE_INTERVAL = Duration.ofMillis(500);

    private final Path file;
    private final Supplier<Positions> current;
    private final Thread saver;
    private Positions saved;

    private CheckpointFile(Path file, Supplier<Positions> current, Positions saved) {
        this.file = file;
        this.current = current;
        this.saved = saved;
        this.saver = new Thread(this::saveUntilInterrupted, "checkpoint-saver");
        this.saver.setDaemon(true);
    }

    /** What the file holds; nothing when it does not exist yet. */
    static Positions read(Path file) {
        if (!Files.exists(file)) {
            return Positions.none();
        }
        try {
            return JSON.readValue(file.toFile(), Positions.class);
        } catch (IOException e) {
            throw new UserMistakeException("cannot read the stream checkpoints " + file + " (" + e.getMessage()
                    + "); delete it to start reading the streams from the oldest record", e);
        }
    }

    /** Starts saving {@code current} into {@code file}, which holds {@code saved} now. */
    static CheckpointFile keep(Path file, Positions saved, Supplier<Positions> current) {
        CheckpointFile checkpoints = new CheckpointFile(file, current, saved);
        checkpoints.saver.start();
        return checkpoints;
    }

    private void saveUntilInterrupted() {
        while (!Thread.currentThread().isInterrupted()) {
            try {
                Thread.sleep(SAVE_INTERVAL.toMillis());
                save();
            } catch (InterruptedException e) {
                return;
            } catch (UncheckedIOException e) {
                System.getLogger(CheckpointFile.class.getName()).log(System.Logger.Level.WARNING, e.getMessage());
            }
        }
    }

    private synchronized void save() {
        Positions now = current.get();
        if (now.equals(saved)) {
            return;
        }
        try {
            Files.createDirectories(file.getParent());
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            JSON.writeValue(tmp.toFile(), now);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            saved = now;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the stream checkpoints " + file + ": " + e.getMessage(), e);
        }
    }

    /** Stops the periodic saving and saves the final positions. */
    @Override
    public void close() throws InterruptedException {
        saver.interrupt();
        saver.join();
        save();
    }
}
