package io.twinflow.local.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BatchTallyTest {

    @Test
    void addsUpTheBatchSummaryLinesAndPassesEveryLineThrough() {
        BatchTally tally = new BatchTally();
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        PrintStream tee = tally.tee(new PrintStream(log, true, StandardCharsets.UTF_8));
        String first = "{\"message\":\"batch summary\",\"records\":5,\"applied\":3,\"duplicates\":1,\"quarantined\":1,"
                + "\"quarantinedByReason\":{\"INVALID_JSON\":1},\"failed\":0}";
        String second = "{\"message\":\"batch summary\",\"records\":4,\"applied\":0,\"duplicates\":0,\"quarantined\":2,"
                + "\"quarantinedByReason\":{\"INVALID_JSON\":1,\"MISSING_FIELD\":1},\"failed\":2}";
        tee.println(first);
        tee.println("[req-1] function error on shardId-000: boom");
        tee.println("{\"message\":\"window written\",\"applied\":99}");
        tee.println(second);

        assertThat(log.toString(StandardCharsets.UTF_8)).isEqualTo(first + System.lineSeparator()
                + "[req-1] function error on shardId-000: boom" + System.lineSeparator()
                + "{\"message\":\"window written\",\"applied\":99}" + System.lineSeparator() + second + System.lineSeparator());
        assertThat(tally.snapshot()).containsExactly(Map.entry("batches", 2L), Map.entry("records", 9L), Map.entry("applied", 3L),
                Map.entry("duplicates", 1L), Map.entry("quarantined", 3L),
                Map.entry("quarantinedByReason", Map.of("INVALID_JSON", 2L, "MISSING_FIELD", 1L)), Map.entry("failed", 2L));
    }
}
