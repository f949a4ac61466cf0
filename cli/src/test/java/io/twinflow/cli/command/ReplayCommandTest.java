package io.twinflow.cli.command;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReplayCommandTest {

    @TempDir
    Path dir;

    private CliRun replay(String... args) {
        String[] all = new String[args.length + 1];
        all[0] = "replay";
        System.arraycopy(args, 0, all, 1, args.length);
        return CliRun.of(dir.resolve("endpoints.json"), all);
    }

    @Test
    void onFailureTakesNoArrivalRangeNorDevicesAndAReplayNeedsARangeOrOnFailure() {
        for (String[] args : new String[][] {{"--on-failure", "--from", "2h", "--to", "1h"}, {"--on-failure", "--device", "sensor-1"}}) {
            CliRun run = replay(args);
            assertThat(run.exitCode()).as(String.join(" ", args)).isEqualTo(2);
            assertThat(run.stderr()).contains("--on-failure re-drives whole batches").contains("leave out --from, --to and --device");
        }
        for (String[] args : new String[][] {{}, {"--from", "2h"}, {"--device", "sensor-1"}}) {
            CliRun run = replay(args);
            assertThat(run.exitCode()).as(String.join(" ", args)).isEqualTo(2);
            assertThat(run.stderr()).contains("replay needs --from T and --to T (an arrival range), or --on-failure");
        }
    }

    @Test
    void theProgressBarNamesWhatItCounts() {
        assertThat(ReplayCommand.bar(5, 10, "messages")).isEqualTo("[###############...............]  50% 5/10 messages");
        assertThat(ReplayCommand.bar(0, 0, "records")).isEqualTo("[..............................]   0% 0/0 records");
    }
}
