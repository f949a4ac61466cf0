package io.twinflow.cli.query;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.twinflow.warehouse.QueryResult;
import java.util.ArrayList;
import java.util.List;

/**
 * How {@code twinflow query} prints rows. {@code json}: one array of objects keyed by column name, values
 * as the warehouse returned them (numbers stay numbers, SQL NULL is null); {@code csv}: RFC 4180 (header
 * line, CRLF line ends, fields quoted when they hold a comma, quote, CR or LF, quotes doubled, NULL as an
 * empty field); {@code table}: aligned columns for people, numbers right-aligned, NULL blank.
 */
public enum ResultFormat {
    table, csv, json;

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public String render(QueryResult result) {
        return switch (this) {
            case table -> table(result);
            case csv -> csv(result);
            case json -> json(result);
        };
    }

    private static String json(QueryResult result) {
        try {
            return JSON.writeValueAsString(result.asMaps()) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("query values are always JSON-serialisable", e);
        }
    }

    private static String csv(QueryResult result) {
        StringBuilder out = new StringBuilder();
        csvLine(out, new ArrayList<>(result.columns()));
        for (List<Object> row : result.rows()) {
            csvLine(out, row);
        }
        return out.toString();
    }

    private static void csvLine(StringBuilder out, List<?> values) {
        for (int i = 0; i < values.size(); i++) {
            if (i > 0) {
                out.append(',');
            }
            out.append(csvField(values.get(i)));
        }
        out.append("\r\n");
    }

    /**
     * One CSV field as RFC 4180 writes it: null as nothing, quoted (with its quotes doubled) when it holds a comma, a
     * quote or a line break. Every CSV the CLI prints quotes through here.
     */
    public static String csvField(Object value) {
        if (value == null) {
            return "";
        }
        String text = value.toString();
        if (text.indexOf(',') >= 0 || text.indexOf('"') >= 0 || text.indexOf('\r') >= 0 || text.indexOf('\n') >= 0) {
            return '"' + text.replace("\"", "\"\"") + '"';
        }
        return text;
    }

    private static String table(QueryResult result) {
        int n = result.columns().size();
        int[] width = new int[n];
        boolean[] numeric = new boolean[n];
        for (int c = 0; c < n; c++) {
            width[c] = result.columns().get(c).length();
            numeric[c] = !result.rows().isEmpty();
        }
        List<String[]> cells = new ArrayList<>();
        for (List<Object> row : result.rows()) {
            String[] line = new String[n];
            for (int c = 0; c < n; c++) {
                Object v = row.get(c);
                line[c] = cell(v);
                width[c] = Math.max(width[c], line[c].length());
                // A column is aligned as numbers when every non-null value in it is one.
                numeric[c] &= v == null || v instanceof Number;
            }
            cells.add(line);
        }
        StringBuilder out = new StringBuilder();
        String[] header = result.columns().toArray(String[]::new);
        tableLine(out, header, width, new boolean[n]);
        for (int c = 0; c < n; c++) {
            out.append(c == 0 ? "" : "-+-").append("-".repeat(width[c]));
        }
        out.append('\n');
        for (String[] line : cells) {
            tableLine(out, line, width, numeric);
        }
        out.append('(').append(result.rows().size()).append(result.rows().size() == 1 ? " row)" : " rows)").append('\n');
        return out.toString();
    }

    /** One line per row: line breaks and tabs inside a value are shown escaped. */
    private static String cell(Object v) {
        return v == null ? "" : v.toString().replace("\\", "\\\\").replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t");
    }

    private static void tableLine(StringBuilder out, String[] values, int[] width, boolean[] rightAligned) {
        StringBuilder line = new StringBuilder();
        for (int c = 0; c < values.length; c++) {
            line.append(c == 0 ? "" : " | ");
            String pad = " ".repeat(width[c] - values[c].length());
            line.append(rightAligned[c] ? pad + values[c] : values[c] + pad);
        }
        out.append(line.toString().stripTrailing()).append('\n');
    }
}
