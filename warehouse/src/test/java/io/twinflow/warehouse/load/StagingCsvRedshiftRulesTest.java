package io.twinflow.warehouse.load;

import static org.assertj.core.api.Assertions.assertThat;

import io.twinflow.warehouse.LoadRules;
import io.twinflow.warehouse.sql.Dialect;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Every staging record the loader writes for Redshift obeys the COPY rules written down in the README
 * ("Staging rules"), checked record by record on adversarial lines: random bytes, the bad-input corpus,
 * NUL and surrogate escapes in ids and echoed details, multi-byte ids at the column width.
 */
class StagingCsvRedshiftRulesTest {

    private static final Pattern VARCHAR = Pattern.compile("(\\w+) VARCHAR\\((\\d+)\\)");
    private static final Pattern TIMESTAMP = Pattern.compile("\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}\\.\\d{6}\\+00");
    private static final Pattern DATE = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");
    private static final Pattern NUMBER = Pattern.compile("-?\\d+(\\.\\d+)?(E-?\\d+)?");
    private static final List<String> TIMESTAMPS = List.of("ts", "window_start");
    private static final List<String> NUMBERS = List.of("line_no", "schema_version", "temperature", "humidity", "battery",
            "metric_count", "lat", "lon", "payload_bytes");

    @Test
    void everyStagedRecordIsOneLineOfValidUtf8WithoutNulAndEveryValueFitsItsColumnInBytes() {
        long seed = Long.getLong("twinflow.seed", System.nanoTime());
        Instant now = Instant.parse("2026-11-28T12:00:00Z");
        List<byte[]> lines = new ArrayList<>(AdversarialLines.generate(seed, 10_000, now));
        lines.addAll(AdversarialLines.corpus(Instant.parse("2026-11-24T10:16:00Z")));
        StagedLine staged = new StagedLine(LoadRules.defaults(), Dialect.REDSHIFT.maxStoredPayloadBytes());
        Map<String, Integer> widths = varcharWidths(new LoadSql(Dialect.REDSHIFT, "telemetry").createStage());

        long lineNo = 0;
        for (byte[] bytes : lines) {
            lineNo++;
            byte[] kept = bytes.length > staged.maxKeptBytes() ? Arrays.copyOf(bytes, staged.maxKeptBytes()) : bytes;
            String record = staged.toCsv(new RawLineReader.RawLine(lineNo, kept, bytes.length), now);
            String context = "seed " + seed + ", line " + lineNo + ": " + record;

            assertThat(record).as(context).endsWith("\n");
            String body = record.substring(0, record.length() - 1);
            assertThat(body).as("no CR or LF inside a record: " + context).doesNotContain("\n", "\r");
            assertThat(body).as("no NUL: " + context).doesNotContain("\u0000");
            assertThat(isStrictUtf8(record)).as("encodes as UTF-8 without replacement: " + context).isTrue();
            List<Field> fields = parse(body);
            assertThat(fields).as(context).hasSize(StagedLine.COLUMNS.size());
            for (int i = 0; i < fields.size(); i++) {
                String column = StagedLine.COLUMNS.get(i);
                Field field = fields.get(i);
                if (field.quoted()) {
                    assertThat(widths).as(column + " is a character column: " + context).containsKey(column);
                    assertThat(field.value().getBytes(StandardCharsets.UTF_8).length).as(column + " bytes: " + context)
                            .isLessThanOrEqualTo(widths.get(column));
                } else if (!field.value().isEmpty()) {
                    assertThat(field.value()).as(column + ": " + context).matches(unquotedPattern(column));
                }
            }
        }
        assertThat(staged.valid()).isPositive();
        assertThat(staged.valid() + staged.rejected()).isEqualTo(lines.size());
    }

    @Test
    void theStagingTableDeclaresEveryCharacterColumnWithAByteWidth() {
        Map<String, Integer> widths = varcharWidths(new LoadSql(Dialect.REDSHIFT, "telemetry").createStage());

        assertThat(widths).containsEntry("event_id", 512).containsEntry("device_id", 128).containsEntry("detail", 1024)
                .containsEntry("payload", 65535).containsEntry("metrics_json", 65535).containsEntry("stream_position", 192);
    }

    private static Pattern unquotedPattern(String column) {
        if (TIMESTAMPS.contains(column)) {
            return TIMESTAMP;
        }
        if (column.equals("dt")) {
            return DATE;
        }
        if (NUMBERS.contains(column)) {
            return NUMBER;
        }
        if (column.equals("payload_truncated")) {
            return Pattern.compile("true|false");
        }
        return Pattern.compile("(?!)"); // every other column is text and must be quoted
    }

    private static Map<String, Integer> varcharWidths(String createTable) {
        Map<String, Integer> widths = new HashMap<>();
        Matcher m = VARCHAR.matcher(createTable);
        while (m.find()) {
            widths.put(m.group(1), Integer.parseInt(m.group(2)));
        }
        return widths;
    }

    private static boolean isStrictUtf8(String s) {
        try {
            StandardCharsets.UTF_8.newEncoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).encode(CharBuffer.wrap(s));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    private record Field(String value, boolean quoted) {
    }

    /** CSV as COPY reads it: comma-separated, a quoted field doubles its quotes. */
    private static List<Field> parse(String line) {
        List<Field> fields = new ArrayList<>();
        int i = 0;
        while (true) {
            if (i < line.length() && line.charAt(i) == '"') {
                StringBuilder value = new StringBuilder();
                i++;
                while (true) {
                    char c = line.charAt(i);
                    if (c == '"') {
                        if (i + 1 < line.length() && line.charAt(i + 1) == '"') {
                            value.append('"');
                            i += 2;
                            continue;
                        }
                        i++;
                        break;
                    }
                    value.append(c);
                    i++;
                }
                fields.add(new Field(value.toString(), true));
            } else {
                int end = line.indexOf(',', i);
                end = end < 0 ? line.length() : end;
                fields.add(new Field(line.substring(i, end), false));
                i = end;
            }
            if (i >= line.length()) {
                return fields;
            }
            if (line.charAt(i) != ',') {
                throw new AssertionError("garbage after a quoted field at " + i + ": " + line);
            }
            i++;
        }
    }
}
