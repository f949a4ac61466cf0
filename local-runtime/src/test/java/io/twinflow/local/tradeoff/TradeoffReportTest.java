package io.twinflow.local.tradeoff;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.twinflow.core.pipeline.PipelineSpec;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TradeoffReportTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static TradeoffReport report() {
        return TradeoffReport.of(100, TestPrices.facts(), TestPrices.table(), PipelineSpec.defaults(), List.of(700L, 800L, 1500L),
                Map.of(), Map.of("sent", 1000));
    }

    @Test
    void theJsonHasTheShapeTheIssueFixes() throws Exception {
        JsonNode root = JSON.readTree(JSON.writeValueAsString(report().toMap()));

        assertThat(root.get("events").asLong()).isEqualTo(1000);
        assertThat(root.get("ratePerSecond").asDouble()).isEqualTo(100);
        for (String path : List.of("streaming", "batch")) {
            JsonNode p = root.get(path);
            assertThat(p.get("freshnessMs").has("p50")).as(path).isTrue();
            assertThat(p.get("freshnessMs").has("p99")).as(path).isTrue();
            assertThat(p.get("costPerMillionEventsUsd").isNumber()).as(path).isTrue();
            assertThat(p.get("cost").isObject()).as(path).isTrue();
            assertThat(p.get("usage").isObject()).as(path).isTrue();
        }
        assertThat(root.get("streaming").get("freshnessMs").get("p50").asLong()).isEqualTo(800);
        assertThat(root.get("prices").get("region").asText()).isEqualTo("us-east-1");
        assertThat(root.get("prices").get("asOf").asText()).isEqualTo("2026-11-28");
        assertThat(root.get("projection")).hasSize(4);
        for (JsonNode row : root.get("projection")) {
            assertThat(row.has("ratePerSecond") && row.has("streamingUsdPerMonth") && row.has("batchUsdPerMonth")).isTrue();
        }
        assertThat(root.get("projection").get(3).get("ratePerSecond").asDouble()).isEqualTo(10_000);
    }

    @Test
    void eachPathsCostComponentsAddUpToItsTotal() throws Exception {
        JsonNode root = JSON.readTree(JSON.writeValueAsString(report().toMap()));

        for (String path : List.of("streaming", "batch", "both")) {
            JsonNode p = root.get(path);
            double sum = 0;
            for (Iterator<JsonNode> it = p.get("cost").elements(); it.hasNext(); ) {
                sum += it.next().asDouble();
            }
            assertThat(sum).as(path).isCloseTo(p.get("costPerMillionEventsUsd").asDouble(), within(1e-9));
            assertThat(p.get("costPerMillionEventsUsd").asDouble()).as(path).isPositive();
        }
        // 141.8818 a month over 262.8 million events (CostModelTest)
        assertThat(root.get("streaming").get("costPerMillionEventsUsd").asDouble()).isCloseTo(141.8818 / 262.8, within(1e-5));
    }

    @Test
    void everyUsageFigureSaysWhatItIsBasedOn() throws Exception {
        JsonNode root = JSON.readTree(JSON.writeValueAsString(report().toMap()));

        for (String path : List.of("streaming", "batch")) {
            for (Iterator<JsonNode> it = root.get(path).get("usage").elements(); it.hasNext(); ) {
                JsonNode figure = it.next();
                assertThat(figure.get("basis").asText()).isNotBlank();
                assertThat(figure.has("value")).isTrue();
            }
        }
        assertThat(root.get("operations").toString()).contains("cron(5 * * * ? *)", "cron(30 3 * * ? *)", "twinflow-telemetry");
    }

    @Test
    void theHtmlReportIsSelfContainedWithItsThreeCharts() {
        String html = TradeoffHtml.render(report());

        assertThat(html).startsWith("<!DOCTYPE html>").contains("</html>");
        assertThat(html.split("<svg ", -1)).hasSize(1 + 4); // freshness, two cost bar charts, cost versus rate
        assertThat(html.replace("http://www.w3.org/2000/svg", "")).doesNotContain("http://", "https://", "<script", "<link");
    }

    @Test
    void theTableShowsBothPathsSideBySide() {
        String table = TradeoffTable.render(report());

        assertThat(table).contains("REAL-TIME", "BATCH", "freshness p50 / p99", "USD per million events", "10,000/s");
    }
}
