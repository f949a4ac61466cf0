package io.twinflow.local.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.twinflow.core.error.UserMistakeException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalStackProcessTest {

    @TempDir
    Path dir;

    private Path file(long pid, Instant startedAt) throws Exception {
        Path file = dir.resolve("endpoints.json");
        new Endpoints("us-east-1", null, null, null, null, null, null, null, pid, startedAt.toString(), "embedded", null).write(file);
        return file;
    }

    @Test
    void noFileIsNoStackAndDownHasNothingToStop() {
        Path file = dir.resolve("endpoints.json");
        assertThat(LocalStackProcess.status(file).state()).isEqualTo(LocalStackProcess.State.ABSENT);
        assertThat(LocalStackProcess.stop(file, Duration.ofSeconds(1))).isEqualTo(LocalStackProcess.Stopped.NOTHING_RUNNING);
    }

    @Test
    void aFileWhoseProcessEndedIsStaleAndDownDeletesIt() throws Exception {
        Process ended = new ProcessBuilder("true").start();
        ended.waitFor();
        Path file = file(ended.pid(), Instant.now());

        assertThat(LocalStackProcess.status(file).state()).isEqualTo(LocalStackProcess.State.STALE);
        assertThat(LocalStackProcess.stop(file, Duration.ofSeconds(1))).isEqualTo(LocalStackProcess.Stopped.STALE_FILE_REMOVED);
        assertThat(file).doesNotExist();
    }

    /** The pid now names a process that started after the stack did: another program, never signalled. */
    @Test
    void aPidReusedByALaterProcessIsStaleAndThatProcessIsLeftAlone() throws Exception {
        Process later = new ProcessBuilder("sleep", "30").start();
        try {
            Path file = file(later.pid(), Instant.now().minus(Duration.ofHours(1)));

            assertThat(LocalStackProcess.status(file).state()).isEqualTo(LocalStackProcess.State.STALE);
            assertThat(LocalStackProcess.stop(file, Duration.ofSeconds(1))).isEqualTo(LocalStackProcess.Stopped.STALE_FILE_REMOVED);
            assertThat(later.isAlive()).isTrue();
        } finally {
            later.destroyForcibly().waitFor();
        }
    }

    @Test
    void aLiveStackIsRunningAndOneInThisProcessIsNotStoppedFromHere() throws Exception {
        Path file = file(ProcessHandle.current().pid(), Instant.now());

        assertThat(LocalStackProcess.status(file).state()).isEqualTo(LocalStackProcess.State.RUNNING);
        assertThatThrownBy(() -> LocalStackProcess.stop(file, Duration.ofSeconds(1))).isInstanceOf(UserMistakeException.class)
                .hasMessageContaining("runs in this process");
        assertThat(Files.exists(file)).isTrue();
    }

    @Test
    void aStackThatIgnoresSigtermWithinTheTimeoutIsReportedWithItsPid() throws Exception {
        // A shell that traps TERM stands in for a stack stuck while stopping.
        Process stuck = new ProcessBuilder("sh", "-c", "trap '' TERM; sleep 30").start();
        try {
            Thread.sleep(200); // let the shell install its trap
            Path file = file(stuck.pid(), Instant.now());

            assertThatThrownBy(() -> LocalStackProcess.stop(file, Duration.ofMillis(500))).isInstanceOf(UserMistakeException.class)
                    .hasMessageContaining("did not stop within").hasMessageContaining("kill -9 " + stuck.pid());
        } finally {
            stuck.destroyForcibly().waitFor();
        }
    }
}
