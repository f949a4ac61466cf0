package io.twinflow.warehouse.load;

import static io.twinflow.warehouse.sql.PgBinaryCopy.Type.BOOL;
import static io.twinflow.warehouse.sql.PgBinaryCopy.Type.DATE;
import static io.twinflow.warehouse.sql.PgBinaryCopy.Type.FLOAT8;
import static io.twinflow.warehouse.sql.PgBinaryCopy.Type.INT2;
import static io.twinflow.warehouse.sql.PgBinaryCopy.Type.INT8;
import static io.twinflow.warehouse.sql.PgBinaryCopy.Type.TEXT;
import static io.twinflow.warehouse.sql.PgBinaryCopy.Type.TIMESTAMPTZ;

import io.twinflow.core.archive.ArchiveLine;
import io.twinflow.core.archive.ArchivedRecord;
import io.twinflow.core.event.DecodeResult;
import io.twinflow.core.event.EventDecoder;
import io.twinflow.core.event.ReasonCode;
import io.twinflow.core.event.TelemetryEvent;
import io.twinflow.warehouse.LoadRules;
import io.twinflow.warehouse.sql.CopyRecord;
import io.twinflow.warehouse.sql.Csv;
import io.twinflow.warehouse.sql.PgBinaryCopy;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Writer;
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
 * Turns one raw archive line into one staging record: the archive envelope is read with core's
 * {@link ArchiveLine}, the record's bytes are judged against the record's own arrival time, and the
 * result is a valid event's columns or a rejection with its reason, detail and payload. Every line
 * becomes exactly one record, so the n-th record of a staging file is line n of the raw object
 * (Redshift's load errors name staging lines).
 *
 * <p>Every record is safe for both COPY engines by construction (see {@link StagingText} and the
 * README's staging rules): a value that could break the COPY never reaches the CSV; at worst its line
 * is quarantined with a reason.
 */
public final class StagedLine {

    /** Byte widths of the staging table's and the target tables' VARCHAR columns. */
    static final int MAX_EVENT_ID_BYTES = 512;
    static final int MAX_DEVICE_ID_BYTES = 128;
    static final int MAX_SHARD_ID_BYTES = ArchiveLine.MAX_SHARD_ID_LENGTH;
    static final int MAX_SEQUENCE_BYTES = 56;
    static final int MAX_POSITION_BYTES = 192;
    static final int MAX_REASON_BYTES = 32;
    static final int MAX_DETAIL_BYTES = 1024;

    /**
     * A staging column: its name, its SQL type ({@code null}: the dialect's long text type, {@link LoadSql#createStage})
     * and its type in PostgreSQL's binary COPY.
     */
    record Column(String name, String sqlType, PgBinaryCopy.Type binary) {
    }

    /** The staging table's columns, in record order: its DDL, both COPY commands and both record formats follow this list. */
    static final List<Column> STAGE_COLUMNS = List.of(
            new Column("line_no", "BIGINT NOT NULL", INT8),
            new Column("event_id", varchar(MAX_EVENT_ID_BYTES), TEXT),
            new Column("device_id", varchar(MAX_DEVICE_ID_BYTES), TEXT),
            new Column("ts", "TIMESTAMPTZ", TIMESTAMPTZ),
            new Column("dt", "DATE", DATE),
            new Column("window_start", "TIMESTAMPTZ", TIMESTAMPTZ),
            new Column("schema_version", "SMALLINT", INT2),
            new Column("temperature", "DOUBLE PRECISION", FLOAT8),
            new Column("humidity", "DOUBLE PRECISION", FLOAT8),
            new Column("battery", "DOUBLE PRECISION", FLOAT8),
            new Column("metrics_json", null, TEXT),
            new Column("metric_count", "SMALLINT", INT2),
            new Column("lat", "DOUBLE PRECISION", FLOAT8),
            new Column("lon", "DOUBLE PRECISION", FLOAT8),
            new Column("shard_id", varchar(MAX_SHARD_ID_BYTES), TEXT),
            new Column("sequence_number", varchar(MAX_SEQUENCE_BYTES), TEXT),
            new Column("stream_position", varchar(MAX_POSITION_BYTES), TEXT),
            new Column("reason", varchar(MAX_REASON_BYTES), TEXT),
            new Column("detail", varchar(MAX_DETAIL_BYTES), TEXT),
            new Column("payload", null, TEXT),
            new Column("payload_encoding", varchar(8), TEXT),
            new Column("payload_bytes", "BIGINT", INT8),
            new Column("payload_truncated", "BOOLEAN", BOOL));

    /** The staging columns' names, in record order. */
    static final List<String> COLUMNS = STAGE_COLUMNS.stream().map(Column::name).toList();

    /** The staging columns' binary COPY types, in record order. */
    static final List<PgBinaryCopy.Type> BINARY_TYPES = STAGE_COLUMNS.stream().map(Column::binary).toList();

    private static String varchar(int bytes) {
        return "VARCHAR(" + bytes + ")";
    }

    private final EventDecoder decoder;
    private final LoadRules rules;
    private final int maxStoredPayloadBytes;
    private final boolean payloadOfValidLines;
    private final Csv csv = new Csv();
    private long valid;
    private long rejected;

    /** Stages the payload of every line, valid ones included (what a load that cannot branch needs: Redshift's). */
    public StagedLine(LoadRules rules, int maxStoredPayloadBytes) {
        this(rules, maxStoredPayloadBytes, true);
    }

    /**
     * @param payloadOfValidLines whether a valid line's payload is staged too. Only a valid line past its
     *     window's capacity ({@code WINDOW_FULL}) is quarantined with it, which is rare; without it the
     *     staging file is about half as large (the payload is most of a valid line's record). A loader
     *     that stages without must stage again with them when {@link LoadSql#markFull} marks such lines.
     */
    public StagedLine(LoadRules rules, int maxStoredPayloadBytes, boolean payloadOfValidLines) {
        this.rules = rules;
        this.decoder = new EventDecoder(rules.limits());
        this.maxStoredPayloadBytes = maxStoredPayloadBytes;
        this.payloadOfValidLines = payloadOfValidLines;
    }

    /**
     * How many bytes of a line the reader must keep: enough to store its payload and one more than the
     * longest line that can hold a record the decoder could accept ({@link ArchiveLine#longestLine}),
     * so a line cut short always holds a record that is too large.
     */
    int maxKeptBytes() {
        return Math.max(maxStoredPayloadBytes, ArchiveLine.longestLine(rules.limits().maxRecordBytes()) + 1);
    }

    /**
     * Stages every line of a raw object (gzip or plain) into {@code out}, one record per line, reading
     * one line at a time.
     *
     * @param objectTime the raw object's LastModified: the arrival time of a line without an envelope
     */
    public void writeObject(InputStream rawObject, Instant objectTime, Writer out) throws IOException {
        RawLineReader reader = lines(rawObject);
        RawLineReader.RawLine line;
        while ((line = reader.next()) != null) {
            out.write(toCsv(line, objectTime));
        }
    }

    /**
     * Like {@link #writeObject}, in PostgreSQL's binary COPY format ({@link PgBinaryCopy}): the same
     * values as the CSV records, which the server then need not parse.
     */
    public void writeObjectBinary(InputStream rawObject, Instant objectTime, OutputStream out) throws IOException {
        RawLineReader reader = lines(rawObject);
        PgBinaryCopy copy = new PgBinaryCopy(out, BINARY_TYPES);
        RawLineReader.RawLine line;
        while ((line = reader.next()) != null) {
            stage(line, objectTime, copy);
            copy.endRecord();
        }
        copy.finish();
    }

    private RawLineReader lines(InputStream rawObject) throws IOException {
        return new RawLineReader(RawLineReader.gunzipIfNeeded(rawObject), maxKeptBytes());
    }

    public long valid() {
        return valid;
    }

    public long rejected() {
        return rejected;
    }

    /**
     * The CSV record for this line.
     *
     * @param objectTime the raw object's LastModified: the arrival time of a line without an envelope
     */
    String toCsv(RawLineReader.RawLine line, Instant objectTime) {
        stage(line, objectTime, csv);
        return csv.end();
    }

    /** Writes this line's fields, in {@link #COLUMNS} order, to {@code out}. */
    private void stage(RawLineReader.RawLine line, Instant objectTime, CopyRecord out) {
        ArchiveLine.Read read = ArchiveLine.read(line.kept(), objectTime);
        if (ArchiveLine.holdsTooLargeRecord(line.fullLength(), rules.limits().maxRecordBytes())) {
            ArchivedRecord partial = read instanceof ArchiveLine.Record r ? r.record() : null;
            rejected(out, line.number(), partial, ReasonCode.RECORD_TOO_LARGE.name(),
                    "archive line is " + line.fullLength() + " bytes, longer than any record of the limit "
                            + rules.limits().maxRecordBytes() + " bytes",
                    payload(line));
            return;
        }
        if (read instanceof ArchiveLine.Malformed m) {
            rejected(out, line.number(), null, ReasonCode.BAD_ARCHIVE_LINE.name(), m.detail(), payload(line));
            return;
        }
        ArchivedRecord record = ((ArchiveLine.Record) read).record();
        DecodeResult result = decoder.decode(record.data(), record.arrival());
        if (result instanceof DecodeResult.Rejected r) {
            rejected(out, line.number(), record, r.reason().name(), r.detail(), payload(record.data(), record.data().length, false));
            return;
        }
        TelemetryEvent event = ((DecodeResult.Valid) result).event();
        if (!StagingText.isStorable(event.eventId(), MAX_EVENT_ID_BYTES)
                || !StagingText.isStorable(event.deviceId(), MAX_DEVICE_ID_BYTES)) {
            rejected(out, line.number(), record, ReasonCode.STORE_REJECTED.name(),
                    "eventId or deviceId cannot be stored faithfully by the warehouse", validPayload(record));
            return;
        }
        valid++;
        validRecord(out, line.number(), record, event, payloadOfValidLines ? validPayload(record) : null);
    }

    private Payload validPayload(ArchivedRecord record) {
        // The decoder accepted the bytes, so they are valid UTF-8 without a raw NUL (JSON escapes control
        // characters in strings and allows none outside them): only CR and LF can keep them from being text.
        return hasLineBreak(record.data())
                ? payload(record.data(), record.data().length, false)
                : new Payload(StagingText.truncateUtf8(new String(record.data(), StandardCharsets.UTF_8), maxStoredPayloadBytes),
                        "utf8", record.data().length, record.data().length > maxStoredPayloadBytes);
    }

    /** @param payload null when valid lines are staged without theirs */
    private void validRecord(CopyRecord out, long lineNo, ArchivedRecord record, TelemetryEvent e, Payload payload) {
        Map<String, Double> metrics = e.metrics();
        out.number(lineNo)
                .string(e.eventId())
                .string(e.deviceId())
                .timestamp(e.ts())
                .date(LocalDate.ofInstant(e.ts(), ZoneOffset.UTC))
                .timestamp(rules.windows().startOf(e.ts()))
                .number(e.schemaVersion())
                .number(metrics.get("temperature"))
                .number(metrics.get("humidity"))
                .number(metrics.get("battery"))
                .string(metricsJson(metrics))
                .number(metrics.size())
                .number(e.location() == null ? null : e.location().lat())
                .number(e.location() == null ? null : e.location().lon());
        position(out, record);
        out.nothing().nothing();
        if (payload == null) {
            out.nothing().nothing().nothing().nothing();
            return;
        }
        // A line that the window capacity rejects in SQL is quarantined with its payload.
        out.string(payload.text())
                .string(payload.encoding())
                .number(payload.bytes())
                .bool(payload.truncated());
    }

    private void rejected(CopyRecord out, long lineNo, ArchivedRecord record, String reason, String detail, Payload payload) {
        rejected++;
        out.number(lineNo);
        for (int i = 0; i < 13; i++) {
            out.nothing();
        }
        position(out, record);
        out.string(reason)
                .string(StagingText.printable(detail, MAX_DETAIL_BYTES))
                .string(payload.text())
                .string(payload.encoding())
                .number(payload.bytes())
                .bool(payload.truncated());
    }

    private static void position(CopyRecord out, ArchivedRecord record) {
        if (record != null && record.hasPosition()) {
            out.string(record.shardId()).string(record.sequenceNumber()).string(record.position());
        } else {
            out.nothing().nothing().nothing();
        }
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

    /**
     * @param bytes the record's (or the line's) real length in bytes
     * @param truncated whether {@code text} holds only a prefix of it
     */
    record Payload(String text, String encoding, long bytes, boolean truncated) {
    }

    /** A line's payload: for lines that hold no readable record (malformed envelopes, lines cut short). */
    Payload payload(RawLineReader.RawLine line) {
        return payload(line.kept(), line.fullLength(), line.truncated());
    }

    /**
     * The payload as stored: UTF-8 text when the bytes are valid UTF-8 without NUL, CR or LF,
     * otherwise base64 (which has none of them); cut at a character boundary to what the quarantine
     * column holds.
     */
    private Payload payload(byte[] bytes, long fullLength, boolean alreadyCut) {
        String text = plainText(bytes);
        if (text != null) {
            String stored = StagingText.truncateUtf8(text, maxStoredPayloadBytes);
            return new Payload(stored, "utf8", fullLength, alreadyCut || stored.length() < text.length());
        }
        int rawLimit = maxStoredPayloadBytes / 4 * 3;
        byte[] cut = bytes.length > rawLimit ? Arrays.copyOf(bytes, rawLimit) : bytes;
        return new Payload(Base64.getEncoder().encodeToString(cut), "base64", fullLength, alreadyCut || cut.length < bytes.length);
    }

    private static boolean hasLineBreak(byte[] bytes) {
        for (byte b : bytes) {
            if (b == '\r' || b == '\n') {
                return true;
            }
        }
        return false;
    }

    private static String plainText(byte[] bytes) {
        for (byte b : bytes) {
            if (b == 0 || b == '\r' || b == '\n') {
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
}
