package io.twinflow.functions.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.twinflow.functions.SummaryLog;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class BatchSummaryTest {

    @Test
    void aBuilderGivenNothingSummarisesAnEmptyBatch() {
        BatchSummary empty = BatchSummary.builder().build();

        assertThat(empty.records()).isZero();
        assertThat(empty.applied() + empty.duplicates() + empty.quarantined() + empty.failed()).isZero();
        assertThat(empty.quarantinedByReason()).isEmpty();
        assertThat(empty.retryFromSequenceNumber()).isNull();
        assertThat(empty.shardId()).isNull();
        assertThat(empty.durationMs()).isZero();
    }

    @Test
    void eachNamedSettingLandsInItsComponent() {
        TreeMap<String, Integer> byReason = new TreeMap<>();
        byReason.put("INVALID_JSON", 2);

        BatchSummary summary = BatchSummary.builder().records(10).applied(5).duplicates(1).quarantined(2)
                .quarantinedByReason(byReason).failed(2).reportedForRetry(3).retryFromSequenceNumber("495903")
                .windows(4).alerts(1).shardId("shardId-000000000000").durationMs(12).build();

        assertThat(summary).isEqualTo(new BatchSummary(10, 5, 1, 2, byReason, 2, 3, "495903", 4, 1,
                "shardId-000000000000", 12));
    }

    @Test
    void aSummaryWhoseCountsDoNotAddUpIsRefused() {
        assertThatThrownBy(() -> BatchSummary.builder().records(10).applied(5).duplicates(1).quarantined(2).failed(1).build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("does not add up");
    }

    @Test
    void theReasonCountsAreACopyThatCannotChangeLater() {
        TreeMap<String, Integer> byReason = new TreeMap<>();
        byReason.put("INVALID_JSON", 1);
        BatchSummary summary = BatchSummary.builder().records(1).quarantined(1).quarantinedByReason(byReason).build();

        byReason.put("TOO_LATE", 1);

        assertThat(summary.quarantinedByReason()).containsOnlyKeys("INVALID_JSON");
        assertThatThrownBy(() -> summary.quarantinedByReason().put("X", 1)).isInstanceOf(UnsupportedOperationException.class);
    }

    private static BatchSummary busyBatch() {
        TreeMap<String, Integer> byReason = new TreeMap<>();
        byReason.put("WINDOW_FULL", 1);
        byReason.put("INVALID_JSON", 1);
        return BatchSummary.builder().records(10).applied(5).duplicates(1).quarantined(2).quarantinedByReason(byReason)
                .failed(2).reportedForRetry(3).retryFromSequenceNumber("495903").windows(4).alerts(1)
                .shardId("shardId-000000000000").durationMs(12).build();
    }

    /** Dashboards and metric filters read this line: its shape is pinned here, key by key and in order. */
    @Test
    void logLineHasExactlyItsKeysInTheirOrder() {
        assertThat(SummaryLog.json(busyBatch().logLine("req-1"))).isEqualTo("{\"message\":\"batch summary\",\"function\":\"stream-processor\","
                + "\"requestId\":\"req-1\",\"shardId\":\"shardId-000000000000\",\"records\":10,\"applied\":5,\"duplicates\":1,"
                + "\"quarantined\":2,\"quarantinedByReason\":{\"INVALID_JSON\":1,\"WINDOW_FULL\":1},\"failed\":2,"
                + "\"reportedForRetry\":3,\"retryFromSequenceNumber\":\"495903\",\"windows\":4,\"alerts\":1,\"durationMs\":12}");
    }

    @Test
    void anEmptyBatchsLineWithoutARequestIdHasNoRequestIdAndNullPositions() {
        assertThat(SummaryLog.json(BatchSummary.builder().build().logLine(null))).isEqualTo("{\"message\":\"batch summary\","
                + "\"function\":\"stream-processor\",\"shardId\":null,\"records\":0,\"applied\":0,\"duplicates\":0,"
                + "\"quarantined\":0,\"quarantinedByReason\":{},\"failed\":0,\"reportedForRetry\":0,"
                + "\"retryFromSequenceNumber\":null,\"windows\":0,\"alerts\":0,\"durationMs\":0}");
    }
}
