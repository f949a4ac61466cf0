package io.twinflow.functions.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.twinflow.functions.SummaryLog;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class BatchSummaryTest {

    private static final Instant AT = Instant.parse("2026-11-30T12:00:00Z");
    private static final String STACK = "acme";

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

    /** Dashboards, metric filters and tools read this line: its shape is pinned here, key by key and in order. */
    @Test
    void logLineHasExactlyItsKeysInTheirOrderThenTheReasonFieldsThenTheEmbeddedMetrics() {
        assertThat(SummaryLog.json(busyBatch().logLine("req-1", STACK, BatchSummary.Source.KINESIS, AT)))
                .isEqualTo("{\"message\":\"batch summary\",\"function\":\"stream-processor\","
                + "\"requestId\":\"req-1\",\"shardId\":\"shardId-000000000000\",\"records\":10,\"applied\":5,\"duplicates\":1,"
                + "\"quarantined\":2,\"quarantinedByReason\":{\"INVALID_JSON\":1,\"WINDOW_FULL\":1},\"failed\":2,"
                + "\"reportedForRetry\":3,\"retryFromSequenceNumber\":\"495903\",\"windows\":4,\"alerts\":1,\"durationMs\":12,"
                + "\"stack\":\"acme\",\"source\":\"kinesis\",\"quarantined_INVALID_JSON\":1,\"quarantined_WINDOW_FULL\":1,"
                + "\"_aws\":{\"Timestamp\":1796040000000,\"CloudWatchMetrics\":["
                + "{\"Namespace\":\"Twinflow\",\"Dimensions\":[[\"function\"],[\"function\",\"shardId\"],[\"stack\",\"function\"],"
                + "[\"stack\",\"function\",\"source\"]],\"Metrics\":["
                + "{\"Name\":\"records\",\"Unit\":\"Count\"},{\"Name\":\"applied\",\"Unit\":\"Count\"},"
                + "{\"Name\":\"duplicates\",\"Unit\":\"Count\"},{\"Name\":\"quarantined\",\"Unit\":\"Count\"},"
                + "{\"Name\":\"failed\",\"Unit\":\"Count\"},{\"Name\":\"durationMs\",\"Unit\":\"Milliseconds\"}]},"
                + "{\"Namespace\":\"Twinflow\",\"Dimensions\":[[\"function\"],[\"stack\",\"function\"],[\"stack\",\"function\",\"source\"]],"
                + "\"Metrics\":[{\"Name\":\"quarantined_INVALID_JSON\",\"Unit\":\"Count\"},{\"Name\":\"quarantined_WINDOW_FULL\",\"Unit\":\"Count\"}]}]}}");
    }

    @Test
    void anEmptyBatchsLineWithoutARequestIdHasNoRequestIdNullPositionsAndNoPerShardMetrics() {
        assertThat(SummaryLog.json(BatchSummary.builder().build().logLine(null, STACK, BatchSummary.Source.KAFKA, AT)))
                .isEqualTo("{\"message\":\"batch summary\","
                + "\"function\":\"stream-processor\",\"shardId\":null,\"records\":0,\"applied\":0,\"duplicates\":0,"
                + "\"quarantined\":0,\"quarantinedByReason\":{},\"failed\":0,\"reportedForRetry\":0,"
                + "\"retryFromSequenceNumber\":null,\"windows\":0,\"alerts\":0,\"durationMs\":0,\"stack\":\"acme\",\"source\":\"kafka\","
                + "\"_aws\":{\"Timestamp\":1796040000000,\"CloudWatchMetrics\":[{\"Namespace\":\"Twinflow\","
                + "\"Dimensions\":[[\"function\"],[\"stack\",\"function\"],[\"stack\",\"function\",\"source\"]],"
                + "\"Metrics\":[{\"Name\":\"records\",\"Unit\":\"Count\"},{\"Name\":\"applied\",\"Unit\":\"Count\"},"
                + "{\"Name\":\"duplicates\",\"Unit\":\"Count\"},{\"Name\":\"quarantined\",\"Unit\":\"Count\"},"
                + "{\"Name\":\"failed\",\"Unit\":\"Count\"},{\"Name\":\"durationMs\",\"Unit\":\"Milliseconds\"}]}]}}");
    }

    /**
     * Read as CloudWatch reads it: from the serialised line, every metric a directive names is a number at
     * the root equal to the batch's count, every dimension a string at the root.
     */
    @Test
    void everyEmbeddedMetricIsANumberAtTheRootEqualToTheBatchsCount() throws Exception {
        BatchSummary batch = busyBatch();
        JsonNode line = new ObjectMapper().readTree(SummaryLog.json(batch.logLine("req-1", STACK, BatchSummary.Source.KAFKA, AT)));

        assertThat(line.at("/_aws/Timestamp").asLong()).isEqualTo(AT.toEpochMilli());
        Map<String, Long> metrics = new TreeMap<>();
        Set<List<String>> dimensionSets = new HashSet<>();
        for (JsonNode directive : line.at("/_aws/CloudWatchMetrics")) {
            assertThat(directive.get("Namespace").asText()).isEqualTo("Twinflow");
            for (JsonNode set : directive.get("Dimensions")) {
                List<String> names = new ArrayList<>();
                set.forEach(name -> names.add(name.asText()));
                names.forEach(name -> assertThat(line.get(name).isTextual()).as(name).isTrue());
                dimensionSets.add(names);
            }
            for (JsonNode metric : directive.get("Metrics")) {
                String name = metric.get("Name").asText();
                assertThat(line.get(name).isNumber()).as(name).isTrue();
                metrics.put(name, line.get(name).asLong());
            }
        }

        assertThat(metrics).isEqualTo(Map.of("records", 10L, "applied", 5L, "duplicates", 1L, "quarantined", 2L, "failed", 2L,
                "durationMs", 12L, "quarantined_INVALID_JSON", 1L, "quarantined_WINDOW_FULL", 1L));
        assertThat(dimensionSets).containsExactlyInAnyOrder(List.of("function"), List.of("function", "shardId"),
                List.of("stack", "function"), List.of("stack", "function", "source"));
        assertThat(line.get("function").asText()).isEqualTo("stream-processor");
        assertThat(line.get("shardId").asText()).isEqualTo("shardId-000000000000");
        assertThat(line.get("stack").asText()).isEqualTo(STACK);
        assertThat(line.get("source").asText()).isEqualTo("kafka");
    }

    /**
     * Two stacks, or two sources of one stack, write lines whose stack-scoped metrics CloudWatch keeps apart (a
     * metric is its name and its dimension values), while the sets published before stacks were told apart name
     * the same metrics, for the dashboards and alarms built on them.
     */
    @Test
    void theStackAndSourceScopedMetricsDifferBetweenStacksAndSourcesAndTheOldOnesDoNot() throws Exception {
        Map<List<String>, Set<Map<String, String>>> metricsBySet = new TreeMap<>(Comparator.comparing(List::toString));
        for (String stack : List.of("acme", "beta")) {
            for (BatchSummary.Source source : BatchSummary.Source.values()) {
                JsonNode line = new ObjectMapper().readTree(SummaryLog.json(busyBatch().logLine("req-1", stack, source, AT)));
                for (JsonNode set : line.at("/_aws/CloudWatchMetrics/0/Dimensions")) {
                    List<String> names = new ArrayList<>();
                    set.forEach(name -> names.add(name.asText()));
                    Map<String, String> values = new TreeMap<>();
                    names.forEach(name -> values.put(name, line.get(name).asText()));
                    metricsBySet.computeIfAbsent(names, n -> new HashSet<>()).add(values);
                }
            }
        }

        assertThat(metricsBySet.get(List.of("function"))).containsExactly(Map.of("function", "stream-processor"));
        assertThat(metricsBySet.get(List.of("function", "shardId"))).hasSize(1);
        assertThat(metricsBySet.get(List.of("stack", "function"))).containsExactlyInAnyOrder(
                Map.of("stack", "acme", "function", "stream-processor"), Map.of("stack", "beta", "function", "stream-processor"));
        assertThat(metricsBySet.get(List.of("stack", "function", "source"))).containsExactlyInAnyOrder(
                Map.of("stack", "acme", "function", "stream-processor", "source", "kinesis"),
                Map.of("stack", "acme", "function", "stream-processor", "source", "kafka"),
                Map.of("stack", "beta", "function", "stream-processor", "source", "kinesis"),
                Map.of("stack", "beta", "function", "stream-processor", "source", "kafka"));
    }
}
