package io.twinflow.functions.stream;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The batch summary line is read by dashboards and metric filters: its shape is pinned here, key by key. */
class BatchLogTest {

    private static BatchSummary summary() {
        TreeMap<String, Integer> byReason = new TreeMap<>();
        byReason.put("WINDOW_FULL", 1);
        byReason.put("INVALID_JSON", 1);
        return BatchSummary.builder().records(10).applied(5).duplicates(1).quarantined(2).quarantinedByReason(byReason)
                .failed(2).reportedForRetry(3).retryFromSequenceNumber("495903").windows(4).alerts(1)
                .shardId("shardId-000000000000").durationMs(12).build();
    }

    @Test
    void summaryLineHasExactlyItsKeysInTheirOrder() {
        assertThat(BatchLog.toJson(summary(), "req-1")).isEqualTo("{\"message\":\"batch summary\",\"function\":\"stream-processor\","
                + "\"requestId\":\"req-1\",\"shardId\":\"shardId-000000000000\",\"records\":10,\"applied\":5,\"duplicates\":1,"
                + "\"quarantined\":2,\"quarantinedByReason\":{\"INVALID_JSON\":1,\"WINDOW_FULL\":1},\"failed\":2,"
                + "\"reportedForRetry\":3,\"retryFromSequenceNumber\":\"495903\",\"windows\":4,\"alerts\":1,\"durationMs\":12}");
    }

    @Test
    void anEmptyBatchWithoutARequestIdHasNoRequestIdAndNullPositions() {
        assertThat(BatchLog.toJson(BatchSummary.builder().build(), null)).isEqualTo("{\"message\":\"batch summary\","
                + "\"function\":\"stream-processor\",\"shardId\":null,\"records\":0,\"applied\":0,\"duplicates\":0,"
                + "\"quarantined\":0,\"quarantinedByReason\":{},\"failed\":0,\"reportedForRetry\":0,"
                + "\"retryFromSequenceNumber\":null,\"windows\":0,\"alerts\":0,\"durationMs\":0}");
    }

    @Test
    void withoutALambdaLoggerTheLineGoesToTheFallbackStreamAsOneLine() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        new BatchLog(new PrintStream(out, true, StandardCharsets.UTF_8)).summary(summary(), null);

        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo(BatchLog.toJson(summary(), null) + System.lineSeparator());
    }
}
