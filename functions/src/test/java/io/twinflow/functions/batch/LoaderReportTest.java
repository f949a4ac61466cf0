package io.twinflow.functions.batch;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

class LoaderReportTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final LoaderReport report = new LoaderReport(5, 2, 1, List.of("raw/dt=2026-11-26/x.gz"), 1, 100, 80, 10, 10,
            Duration.ofSeconds(2), 2, 7_200, LocalDate.parse("2026-11-26"), Instant.parse("2026-11-30T12:00:00Z"));

    @Test
    void theSummaryLineIsEmbeddedMetricFormatForTheUnloadedObjectsAndTheirAgeAndKeepsTheReportFields() throws Exception {
        JsonNode line = JSON.readTree(JSON.writeValueAsString(report.toLogLine("acme")));

        JsonNode metrics = line.at("/_aws/CloudWatchMetrics/0");
        assertThat(line.at("/_aws/Timestamp").asLong()).isEqualTo(Instant.parse("2026-11-30T12:00:00Z").toEpochMilli());
        assertThat(metrics.get("Namespace").asText()).isEqualTo("Twinflow");
        // The set published before stacks were told apart, unchanged, then the stack's own.
        assertThat(metrics.get("Dimensions").toString()).isEqualTo("[[\"Function\"],[\"stack\",\"Function\"]]");
        assertThat(line.get("stack").asText()).isEqualTo("acme");
        assertThat(metrics.get("Metrics").findValuesAsText("Name")).containsExactly("UnloadedObjects", "OldestUnloadedObjectAgeSeconds");
        assertThat(line.get("Function").asText()).isEqualTo("batch-loader");
        assertThat(line.get("UnloadedObjects").asLong()).isEqualTo(2);
        assertThat(line.get("OldestUnloadedObjectAgeSeconds").asLong()).isEqualTo(7_200);
        assertThat(line.get("message").asText()).isEqualTo("loader summary");
        for (String field : List.of("pending", "loaded", "alreadyLoaded", "failed", "failedKeys", "deferred", "linesRead",
                "rowsLoaded", "rowsDuplicate", "rowsQuarantined", "durationMs", "rowsPerSecond")) {
            assertThat(line.has(field)).as(field).isTrue();
        }
    }

    @Test
    void theReturnedReportCarriesTheUnloadedFiguresAndTheWatermarkButNoMetricEnvelope() {
        assertThat(report.toMap()).containsEntry("unloadedObjects", 2L).containsEntry("oldestUnloadedObjectAgeSeconds", 7_200L)
                .containsEntry("watermark", "2026-11-26").doesNotContainKey("_aws");
    }
}
