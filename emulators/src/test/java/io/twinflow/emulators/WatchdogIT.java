package io.twinflow.emulators;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WatchdogIT {

    /** A JVM to kill: it hands a child process and a file to a watchdog, reports them and waits. */
    public static final class Host {
        private Host() {
        }

        public static void main(String[] args) throws Exception {
            Process sleeper = new ProcessBuilder("sleep", "600").start();
            Watchdog watchdog = Watchdog.start();
            watchdog.stopProcess(sleeper.pid());
            watchdog.remove(Path.of(args[0]));
            System.out.println("watching " + sleeper.pid());
            Thread.sleep(Long.MAX_VALUE);
        }
    }

    @Test
    void aKilledJvmsWatchdogStopsItsProcessAndRemovesItsFiles(@TempDir Path dir) throws Exception {
        Path leftover = Files.writeString(dir.resolve("rollup.out"), "{}");
        Map.Entry<Process, String> run = RoundTrips.hostReporting(Host.class, "watching ", leftover.toString());
        Process host = run.getKey();
        long sleeper = Long.parseLong(run.getValue());

        host.destroyForcibly().waitFor();

        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while ((ProcessHandle.of(sleeper).map(ProcessHandle::isAlive).orElse(false) || Files.exists(leftover))
                && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertThat(ProcessHandle.of(sleeper).map(ProcessHandle::isAlive)).isNotEqualTo(Optional.of(true));
        assertThat(leftover).doesNotExist();
    }

    @Test
    void aDismissedWatchdogLeavesEverythingAsItIs(@TempDir Path dir) throws Exception {
        Path kept = Files.writeString(dir.resolve("kept.out"), "{}");
        Process sleeper = new ProcessBuilder("sleep", "600").start();
        try {
            Watchdog watchdog = Watchdog.start();
            watchdog.stopProcess(sleeper.pid());
            watchdog.remove(kept);

            watchdog.dismiss();

            assertThat(sleeper.isAlive()).isTrue();
            assertThat(kept).exists();
        } finally {
            sleeper.destroyForcibly();
        }
    }
}
