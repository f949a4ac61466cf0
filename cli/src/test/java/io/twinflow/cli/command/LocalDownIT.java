package io.twinflow.cli.command;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `local status` and `local down` from another process than the one `local up` runs in, as from another terminal. */
class LocalDownIT {

    @Test
    void statusSeesAStackStartedElsewhereAndDownStopsItAndItsFile(@TempDir Path home, @TempDir Path tmp) throws Exception {
        LocalUpProcess up = LocalUpProcess.start(home, tmp);
        Path file = home.resolve(".twinflow").resolve("endpoints.json");
        long pid = up.process().pid();
        try {
            CliRun status = CliRun.of(file, "local", "status");
            assertThat(status.exitCode()).as(status.stderr()).isZero();
            assertThat(status.stdout()).startsWith("running: pid " + pid + ", started " + up.endpoints().startedAt())
                    .contains("  kinesis    " + up.endpoints().kinesis());
            JsonNode json = new ObjectMapper().readTree(CliRun.of(file, "local", "status", "--output", "json").stdout());
            assertThat(json.get("state").asText()).isEqualTo("running");
            assertThat(json.at("/endpoints/pid").asLong()).isEqualTo(pid);

            CliRun down = CliRun.of(file, "local", "down");
            assertThat(down.exitCode()).as(down.stderr()).isZero();
            assertThat(down.stdout()).isEqualTo("stopped the local stack (pid " + pid + ")" + System.lineSeparator());
            assertThat(up.process().isAlive()).isFalse();
            assertThat(file).doesNotExist();
        } finally {
            up.process().destroyForcibly().waitFor();
        }

        CliRun after = CliRun.of(file, "local", "status");
        assertThat(after.exitCode()).isEqualTo(1);
        assertThat(after.stdout()).startsWith("no local stack running (" + file + " does not exist)");
        CliRun again = CliRun.of(file, "local", "down");
        assertThat(again.exitCode()).isZero();
        assertThat(again.stdout()).startsWith("no local stack was running");
    }
}
