package io.twinflow.cli.query;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.twinflow.warehouse.QueryResult;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class ResultFormatTest {

    private static final QueryResult ROWS = new QueryResult(List.of("device_id", "events", "avg_temp", "note"), List.of(
            Arrays.asList("sensor-0001", 1440L, 21.5, "plain"),
            Arrays.asList("sensor-0002", 7L, null, "has, comma"),
            Arrays.asList("sensor-0003", null, -3.25, "say \"hi\"\nnext line")));

    @Test
    void jsonIsOneArrayOfObjectsKeyedByColumnWithTypedValues() throws Exception {
        JsonNode json = new ObjectMapper().readTree(ResultFormat.json.render(ROWS));
        assertThat(json.isArray()).isTrue();
        assertThat(json).hasSize(3);
        JsonNode first = json.get(0);
        assertThat(first.fieldNames()).toIterable().containsExactly("device_id", "events", "avg_temp", "note");
        assertThat(first.get("events").isIntegralNumber()).isTrue();
        assertThat(first.get("events").asLong()).isEqualTo(1440);
        assertThat(first.get("avg_temp").asDouble()).isEqualTo(21.5);
        assertThat(json.get(1).get("avg_temp").isNull()).isTrue();
        assertThat(json.get(2).get("note").asText()).isEqualTo("say \"hi\"\nnext line");
    }

    @Test
    void emptyResultIsAnEmptyJsonArray() throws Exception {
        QueryResult none = new QueryResult(List.of("a"), List.of());
        assertThat(new ObjectMapper().readTree(ResultFormat.json.render(none)).isArray()).isTrue();
        assertThat(new ObjectMapper().readTree(ResultFormat.json.render(none))).isEmpty();
    }

    @Test
    void csvFollowsRfc4180() {
        assertThat(ResultFormat.csv.render(ROWS)).isEqualTo(
                "device_id,events,avg_temp,note\r\n"
                        + "sensor-0001,1440,21.5,plain\r\n"
                        + "sensor-0002,7,,\"has, comma\"\r\n"
                        + "sensor-0003,,-3.25,\"say \"\"hi\"\"\nnext line\"\r\n");
    }

    @Test
    void tableAlignsColumnsAndRightAlignsNumbers() {
        assertThat(ResultFormat.table.render(ROWS)).isEqualTo(
                "device_id   | events | avg_temp | note\n"
                        + "------------+--------+----------+--------------------\n"
                        + "sensor-0001 |   1440 |     21.5 | plain\n"
                        + "sensor-0002 |      7 |          | has, comma\n"
                        + "sensor-0003 |        |    -3.25 | say \"hi\"\\nnext line\n"
                        + "(3 rows)\n");
    }

    @Test
    void tableOfNoRowsStillShowsTheColumns() {
        assertThat(ResultFormat.table.render(new QueryResult(List.of("dt", "events"), List.of())))
                .isEqualTo("dt | events\n---+-------\n(0 rows)\n");
    }
}
