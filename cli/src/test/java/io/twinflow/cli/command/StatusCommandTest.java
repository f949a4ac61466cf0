package io.twinflow.cli.command;

import static org.assertj.core.api.Assertions.assertThat;

import io.twinflow.cli.query.ResultFormat;
import io.twinflow.local.status.StackStatus;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StatusCommandTest {

    @Test
    void anAwsStatusPrintsItsWindowAndMarksWhatAwsCannotGive() throws Exception {
        Map<String, Object> batches = new LinkedHashMap<>();
        batches.put("batches", 4L);
        batches.put("records", 10L);
        batches.put("applied", 6L);
        batches.put("duplicates", 1L);
        batches.put("quarantined", 3L);
        batches.put("quarantinedByReason", Map.of("INVALID_JSON", 3L));
        batches.put("failed", 0L);
        batches.put("since", "2026-11-27T12:34:00Z");
        StackStatus status = new StackStatus(
                new StackStatus.Stream("twinflow-telemetry", List.of(new StackStatus.Shard("shardId-000000000000", null, null, false, null)), null),
                batches, new StackStatus.OnFailure("twinflow-stream-failures", 2, 0),
                new StackStatus.Archive(3, 2, "raw/dt=2026-11-27/hour=12/c", "raw/dt=2026-11-27/hour=12/"),
                new StackStatus.Loader(null, null, null, null, 0, 0, 0, 0, 0, 0), new StackStatus.Rollup(null, null, List.of()),
                new StackStatus.Reconcile("2026-11-28 06:00:00+00", "2026-11-27", "drift", 2L));

        View view = StatusCommand.view(status);

        assertThat(view.render(ResultFormat.table).lines().toList()).containsExactly(
                "stream twinflow-telemetry: stream processor behind by ? (no iterator age in the last minutes)",
                "  shard                              behind    oldest (ms)",
                "  shardId-000000000000                    -              -",
                "batches since 2026-11-27T12:34:00Z: 4 batches, 10 records: applied 6, duplicates 1, quarantined 3 {INVALID_JSON=3}, failed 0",
                "on-failure queue twinflow-stream-failures: 2 waiting, 0 in flight",
                "raw archive from raw/dt=2026-11-27/hour=12/: 3 objects, 2 not loaded (oldest raw/dt=2026-11-27/hour=12/c)",
                "loader: never ran",
                "rollup: never ran",
                "reconcile: last of day 2026-11-27 at 2026-11-28 06:00:00+00: drift, 2 drifting values");
    }
}
