package io.twinflow.warehouse;

import io.twinflow.core.event.DecodeResult;
import io.twinflow.core.event.EventDecoder;
import io.twinflow.core.event.ReasonCode;
import io.twinflow.core.event.TelemetryEvent;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * Turns one raw archive line into one staging record: a valid event's columns, or a rejection with
 * its reason, detail and payload. Every line becomes exactly one record, so the n-th record of a
 * staging file is line n of the raw object (Redshift's load errors name staging lines).
 */
final class StagedLine {

    /** Staging columns, in CSV order; the load SQL and both COPY commands use this list. */
    static final List<String> COLUMNS = List.of(
            "line_no", "event_id", "device_id", "ts", "dt", "schema_version",
            "temperature", "humidity", "battery", "metrics_json", "metric_count", "lat", "lon",
            "reason", "detail", "payload", "payload_encoding", "payload_bytes", "payload_truncated");

    static final int MAX_DETAIL_BYTES = 1024;

    private final EventDecoder decoder;
    private final int maxStoredPayloadBytes;
    private final Csv csv = new Csv();
    private long valid;
    private long rejected;

    StagedLine(EventDecoder decoder, int maxStoredPayloadBytes) {
        this.decoder = decoder;
        this.maxStoredPayloadBytes = maxStoredPayloadBytes;
    }

    /** How many bytes of a line the reader must keep: enough to judge it and to store its payload. */
    int maxKeptBytes() {
        return Math.max(maxStoredPayloadBytes, decoder.limits().maxRecordBytes() + 1);
    }

    long valid() {
        return valid;
    }

    long rejected() {
        return rejected;
    }

    /** The CSV record for this line, judged with the raw object's arrival as the reference time. */
    String toCsv(RawLineReader.RawLine line, Instant referenceTime) {
        DecodeResult result = line.truncated()
                ? new DecodeResult.Rejected(ReasonCode.RECORD_TOO_LARGE, "record is " + line.fullLength()
                        + " bytes, the limit is " + decoder.limits().maxRecordBytes())
                : decoder.decode(line.kept(), referenceTime);
        if (result instanceof DecodeResult.Valid v) {
            valid++;
            return validRecord(line.number(), v.event());
        }
        rejected++;
        return rejectedRecord(line, (DecodeResult.Rejected) result);
    }

    private String validRecord(long lineNo, TelemetryEvent e) {
        Map<String, Double> metrics = e.metrics();
        csv.number(lineNo)
                .string(e.eventId())
                .string(e.deviceId())
                .timestamp(e.ts())
                .date(LocalDate.ofInstant(e.ts(), ZoneOffset.UTC))
                .number(e.schemaVersion())
                .number(metrics.get("temperature"))
                .number(metrics.get("humidity"))
                .number(metrics.get("battery"))
                .string(metricsJson(metrics))
                .number(metrics.size())
                .number(e.location() == null ? null : e.location().lat())
                .number(e.location() == null ? null : e.location().lon());
        for (int i = 0; i < 6; i++) {
            csv.nothing();
        }
        return csv.end();
    }

    private String rejectedRecord(RawLineReader.RawLine line, DecodeResult.Rejected rejection) {
        Payload payload = payload(line);
        csv.number(line.number());
        for (int i = 0; i < 12; i++) {
            csv.nothing();
        }
        return csv.string(rejection.reason().name())
                .string(truncateUtf8(oneLine(rejection.detail()), MAX_DETAIL_BYTES))
                .string(payload.text())
                .string(payload.encoding())
                .number(line.fullLength())
                .bool(payload.truncated())
                .end();
    }

    /** Names match {@code [A-Za-z0-9_]} and values are finite, so neither needs JSON escaping. */
    static String metricsJson(Map<String, Double> metrics) {
        StringBuilder json = new StringBuilder(16 + metrics.size() * 24).append('{');
        metrics.forEach((name, value) -> {
            if (json.length() > 1) {
                json.append(',');
            }
            json.append('"').append(name).append("\":").append(value.doubleValue());
        });
        return json.append('}').toString();
    }

    record Payload(String text, String encoding, boolean truncated) {
    }

    /**
     * The payload as stored: UTF-8 text when it is valid UTF-8 without NUL (neither engine stores NUL
     * in text), otherwise base64; cut to what the quarantine column holds.
     */
    Payload payload(RawLineReader.RawLine line) {
        byte[] bytes = line.kept();
        String text = utf8WithoutNul(bytes);
        if (text != null) {
            String stored = truncateUtf8(text, maxStoredPayloadBytes);
            return new Payload(stored, "utf8", line.truncated() || stored.length() < text.length());
        }
        int rawLimit = maxStoredPayloadBytes / 4 * 3;
        byte[] cut = bytes.length > rawLimit ? Arrays.copyOf(bytes, rawLimit) : bytes;
        return new Payload(Base64.getEncoder().encodeToString(cut), "base64", line.truncated() || cut.length < bytes.length);
    }

    private static String utf8WithoutNul(byte[] bytes) {
        for (byte b : bytes) {
            if (b == 0) {
                return null;
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    /** The longest prefix of {@code s} whose UTF-8 encoding fits {@code maxBytes}, never splitting a character. */
    static String truncateUtf8(String s, int maxBytes) {
        if (s.length() * 3L <= maxBytes) {
            return s;
        }
        int bytes = 0;
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            int size = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
            if (bytes + size > maxBytes) {
                return s.substring(0, i);
            }
            bytes += size;
            i += Character.charCount(cp);
        }
        return s;
    }

    /** Staging files are counted in lines, so a detail must not contain line breaks. */
    private static String oneLine(String s) {
        return s.replace('\n', ' ').replace('\r', ' ');
    }
}
