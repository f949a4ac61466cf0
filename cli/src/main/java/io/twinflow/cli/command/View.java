package io.twinflow.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import io.twinflow.cli.query.ResultFormat;
import io.twinflow.warehouse.QueryResult;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * What a command prints, in each of the formats of {@link OutputOptions}: the JSON value scripts read, the rows CSV
 * (and, unless the command has its own text, the table) shows, and the text for people. The one renderer of the CLI:
 * CSV and tables through {@link ResultFormat}, JSON through {@link JsonOutput}.
 *
 * @param json what {@code --output json} prints
 * @param rows what {@code --output csv} prints: the table's rows, or for data that is no table one row per field
 * @param text what {@code --output table} prints
 */
public record View(Object json, QueryResult rows, String text) {

    /** Data that is a table: the table shows exactly the CSV's rows. */
    public static View table(Object json, QueryResult rows) {
        return new View(json, rows, ResultFormat.table.render(rows));
    }

    /** Data that is no table: people read {@code text}; CSV has a row per field of the JSON ({@link #fieldRows}). */
    public static View fields(Object json, String text) {
        return new View(json, fieldRows(json), text);
    }

    /** Data that is no table, shown as its fields in the table too. */
    public static View fields(Object json) {
        QueryResult rows = fieldRows(json);
        return new View(json, rows, ResultFormat.table.render(rows));
    }

    public String render(ResultFormat format) throws IOException {
        return switch (format) {
            case json -> JsonOutput.format(json) + System.lineSeparator();
            case csv -> ResultFormat.csv.render(rows);
            case table -> text;
        };
    }

    /**
     * A JSON value as rows {@code field,value}: one per scalar, nested objects as dotted paths
     * ({@code batch.rowsLoaded}), array elements by index ({@code drifts[0].deviceId}), an empty object or array as
     * {@code {}} or {@code []}.
     */
    static QueryResult fieldRows(Object json) {
        List<List<Object>> rows = new ArrayList<>();
        flatten("", JsonOutput.MAPPER.valueToTree(json), rows);
        return new QueryResult(List.of("field", "value"), rows);
    }

    private static void flatten(String path, JsonNode node, List<List<Object>> rows) {
        if (node.isObject() && !node.isEmpty()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                flatten(path.isEmpty() ? field.getKey() : path + "." + field.getKey(), field.getValue(), rows);
            }
        } else if (node.isArray() && !node.isEmpty()) {
            for (int i = 0; i < node.size(); i++) {
                flatten(path + "[" + i + "]", node.get(i), rows);
            }
        } else {
            rows.add(Arrays.asList(path, scalar(node)));
        }
    }

    private static Object scalar(JsonNode node) {
        if (node.isNull() || node.isMissingNode()) {
            return null;
        }
        if (node.isNumber()) {
            return node.numberValue();
        }
        if (node.isContainerNode()) {
            return node.toString();
        }
        return node.asText();
    }
}
