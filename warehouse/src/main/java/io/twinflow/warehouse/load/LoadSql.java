package io.twinflow.warehouse.load;

import io.twinflow.warehouse.LoadRules;
import io.twinflow.warehouse.sql.CopySql;
import io.twinflow.warehouse.sql.Dialect;
import io.twinflow.warehouse.sql.SqlLiterals;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The SQL of one raw-object load, identical for both adapters apart from the {@link Dialect} and the
 * COPY source: stage every line, then in the same transaction take the load lock, collapse the copies
 * of each event identity (device, eventId, window start) to its first copy in stream order, judge it
 * against the stored rows (new, an earlier copy of a stored one, or past its window's capacity),
 * quarantine the rejected lines and the {@code WINDOW_FULL} copies, INSERT the new events and MERGE
 * the copies of stored ones, request the rollup of the event days that got new rows and record the load.
 *
 * <p>New and stored identities are told apart once, under the load lock, in {@code stage_identities};
 * so the new events (nearly all of a load) are a plain INSERT ... SELECT that never reads the events
 * table, and only the identities already stored go through MERGE, whose join with the events table
 * then stays as small as the overlap instead of scanning or probing it for every line.
 *
 * <p>Each statement that writes is guarded by "this object version is not LOADED yet", so running
 * the whole sequence for an object that a racing loader already finished changes nothing. The guard
 * is what makes a Data API batch (which cannot branch) idempotent; the JDBC adapter checks up front
 * as well, only to skip the download.
 */
public final class LoadSql {

    static final String STAGE_LINES = "stage_lines";
    static final String STAGE_IDENTITIES = "stage_identities";
    static final String STAGE_STORED = "stage_stored";
    static final String WINDOW_FULL_DETAIL = "the event's (device, window) already holds the most distinct events a window counts";

    /**
     * An identity's columns in the order of the events key and of the per-window grouping below: rows
     * sorted for this partition come out already sorted by (device, window) for the window counts.
     */
    private static final String IDENTITY = "s.device_id, s.window_start, s.event_id";

    private static final List<String> EVENT_COLUMNS = List.of(
            "event_id", "device_id", "ts", "dt", "schema_version", "temperature", "humidity", "battery",
            "metrics", "metric_count", "lat", "lon", "arrived_at", "source_key", "source_line", "copies_seen", "loaded_at",
            "window_start", "shard_id", "sequence_number", "stream_position");

    private final Dialect dialect;
    private final String schema;
    private final int maxEventsPerWindow;
    private final LoadLogSql log;

    /** @param maxEventsPerWindow the distinct events one (device, window) holds ({@link LoadRules#maxEventsPerWindow}) */
    public LoadSql(Dialect dialect, String schema, int maxEventsPerWindow) {
        this.dialect = dialect;
        this.schema = schema;
        this.maxEventsPerWindow = maxEventsPerWindow;
        this.log = new LoadLogSql(dialect, schema);
    }

    /**
     * What the statements need to know about the object being loaded.
     *
     * @param loadId unique per attempt: tells the attempt that wrote the LOADED row from one that lost a race
     * @param linesRead lines in the object; {@code validLines} of them decoded to events
     */
    public record Load(String loadId, String objectKey, String etag, long objectBytes, Instant arrivedAt, Instant loadedAt,
                String loader, long linesRead, long validLines) {
    }

    public String createStage() {
        String longText = dialect.longTextType();
        return dialect.createTempTable(STAGE_LINES, StagedLine.STAGE_COLUMNS.stream()
                .map(c -> c.name() + " " + (c.sqlType() == null ? longText : c.sqlType()))
                .collect(Collectors.joining(", ")));
    }

    /** PostgreSQL: the adapter streams the staging records through the connection, in the binary format ({@link StagedLine#writeObjectBinary}). */
    public String copyStageFromStdin() {
        return CopySql.fromStdinBinary(STAGE_LINES, StagedLine.COLUMNS);
    }

    /** Redshift: the cluster reads the gzipped staging CSV from S3 with the given role. */
    public String copyStageFromS3(String s3Uri, String iamRoleArn) {
        return CopySql.fromS3(dialect, STAGE_LINES, StagedLine.COLUMNS, s3Uri, iamRoleArn);
    }

    /** The statements after the COPY, in order, up to but not including the commit: {@link #judge} then {@link #write}. */
    public List<String> finish(Load load) {
        List<String> statements = new ArrayList<>(judge(load));
        statements.addAll(write(load));
        return statements;
    }

    /** Takes the load lock and judges each staged identity ({@code stage_identities}); writes nothing permanent. */
    public List<String> judge(Load load) {
        List<String> statements = new ArrayList<>(identify(load));
        statements.add(markFull());
        return statements;
    }

    /**
     * {@link #judge} up to but not including {@link #markFull}: a loader that can branch runs
     * {@link #judgement} next and marks full identities only when a window may overflow.
     */
    public List<String> identify(Load load) {
        List<String> statements = new ArrayList<>();
        // Serializes loaders from here to the commit, so the judgement of new against stored sees every
        // event a racing loader committed, and stays true until this load commits.
        statements.add(dialect.lockForLoad(schema));
        statements.addAll(dialect.loadSettings());
        statements.addAll(dialect.analyzeStaged(STAGE_LINES, List.of("reason", "device_id", "window_start")));
        statements.add(stageIdentities(load));
        return statements;
    }

    /**
     * After {@link #identify}, one row that lets a loader leave out statements that would change nothing:
     * the most identities stored and new in one of the object's windows (none past the capacity when it is
     * at most {@code maxEventsPerWindow}, so {@link #markFull} marks nothing) and how many of the object's
     * identities are stored already (none: {@code stage_stored} is empty and the MERGE matches nothing).
     */
    public String judgement() {
        return "SELECT COALESCE(MAX(stored_in_window + new_in_window), 0), COALESCE(SUM(1 - is_new), 0) FROM " + STAGE_IDENTITIES;
    }

    /** After {@link #judge}: quarantine, events, rollup requests and the load log. */
    public List<String> write(Load load) {
        return write(load, true, true);
    }

    /**
     * {@link #write} without the statements a loader knows change nothing.
     *
     * @param quarantines false when no line is quarantined: none was rejected by the decoder (the loader
     *     counted them while staging) and {@link #markFull} marked no identity
     * @param anyStored false when {@link #judgement} found no identity stored already
     */
    public List<String> write(Load load, boolean quarantines, boolean anyStored) {
        List<String> statements = new ArrayList<>();
        if (anyStored) {
            statements.add(stageStored());
        }
        if (quarantines) {
            statements.add(quarantine(load));
        }
        statements.add(insertNewEvents(load));
        if (anyStored) {
            statements.add(mergeStoredEvents(load));
        }
        statements.add(requestRollups(load));
        statements.add(log.clearFailure(load.objectKey(), load.etag()));
        statements.add(recordLoaded(load));
        return statements;
    }

    /** At most this many distinct identities fit one (device, window). */
    public int maxEventsPerWindow() {
        return maxEventsPerWindow;
    }

    /** Empties the staging table in the load's transaction, for staging the same lines again. */
    public String emptyStage() {
        return "DELETE FROM " + STAGE_LINES;
    }

    /**
     * Stream order inside one object: plain lines (the older archive format, without a position) first,
     * in line order; then envelope lines by stream position. The rollup orders copies the same way.
     */
    private String objectOrder(String alias) {
        return "CASE WHEN " + alias + ".stream_position IS NULL THEN 0 ELSE 1 END, "
                + dialect.bytewise(alias + ".stream_position") + ", " + alias + ".line_no";
    }

    /**
     * One row per event identity of this object: its first copy in stream order, how many lines carry
     * it ({@code copies}), whether the warehouse has it already ({@code is_new}), whether this copy is
     * earlier in stream order than the stored one ({@code is_earlier}: an earlier object loaded late),
     * how many identities its (device, window) holds already ({@code stored_in_window}) and how many
     * new ones this object brings to it ({@code new_in_window}). {@code is_full} starts at 0 and
     * {@link #markFull} sets it where a window overflows: counting new identities needs no ordering
     * beyond the (device, window) the join already delivers, where ranking them in stream order sorted
     * every line of the object again for windows that, nearly always, are far from full. An identity
     * is looked up in events only when its window holds stored events at all: the lookup's key is NULL
     * otherwise, which PostgreSQL's index scan answers without reading the index (an object's windows
     * are mostly new ones, whose lines then cost no probe).
     */
    String stageIdentities(Load load) {
        String eventCols = "x.line_no, x.event_id, x.device_id, x.ts, x.dt, x.window_start, x.schema_version, x.temperature, "
                + "x.humidity, x.battery, x.metrics_json, x.metric_count, x.lat, x.lon, x.shard_id, x.sequence_number, "
                + "x.stream_position, x.copies";
        // Only the columns an event needs: the payload and rejection columns would make the sort twice as wide.
        String firstCopies = "SELECT s.line_no, s.event_id, s.device_id, s.ts, s.dt, s.window_start, s.schema_version, "
                + "s.temperature, s.humidity, s.battery, s.metrics_json, s.metric_count, s.lat, s.lon, s.shard_id, "
                + "s.sequence_number, s.stream_position, ROW_NUMBER() OVER (PARTITION BY " + IDENTITY + " ORDER BY "
                + objectOrder("s") + ") AS copy_no, COUNT(*) OVER (PARTITION BY " + IDENTITY + ") AS copies "
                + "FROM " + STAGE_LINES + " s WHERE s.reason IS NULL";
        String storedPerWindow = "SELECT e.device_id, e.window_start, COUNT(*) AS stored FROM " + schema + ".events e "
                + "JOIN (SELECT DISTINCT device_id, window_start FROM " + STAGE_LINES + " WHERE reason IS NULL) k "
                + "ON e.device_id = k.device_id AND e.window_start = k.window_start GROUP BY e.device_id, e.window_start";
        String isNew = "CASE WHEN e.event_id IS NULL THEN 1 ELSE 0 END";
        return dialect.createTempTableAs(STAGE_IDENTITIES, "SELECT " + eventCols + ", "
                + isNew + " AS is_new, "
                + "CASE WHEN e.event_id IS NOT NULL AND (" + earlierThanStored(load) + ") THEN 1 ELSE 0 END AS is_earlier, "
                + "COALESCE(c.stored, 0) AS stored_in_window, "
                + "SUM(" + isNew + ") OVER (PARTITION BY x.device_id, x.window_start) AS new_in_window, "
                + "0 AS is_full "
                + "FROM (" + firstCopies + ") x "
                + "LEFT JOIN (" + storedPerWindow + ") c ON c.device_id = x.device_id AND c.window_start = x.window_start "
                + "LEFT JOIN " + schema + ".events e ON e.device_id = CASE WHEN c.stored IS NOT NULL THEN x.device_id END "
                + "AND e.event_id = x.event_id AND e.window_start = x.window_start "
                + "WHERE x.copy_no = 1 AND " + notLoaded(load));
    }

    /**
     * The new identities that do not fit their (device, window): the identities already stored count
     * first, then this object's new ones in stream order. Only the windows whose stored and new
     * identities together exceed the capacity are ranked (rare: none, nearly always).
     */
    public String markFull() {
        String ranked = "SELECT i.device_id, i.window_start, i.event_id, i.stored_in_window, ROW_NUMBER() OVER (PARTITION BY "
                + "i.device_id, i.window_start ORDER BY " + objectOrder("i") + ") AS rank_in_window FROM " + STAGE_IDENTITIES + " i "
                + "WHERE i.is_new = 1 AND i.stored_in_window + i.new_in_window > " + maxEventsPerWindow;
        return "UPDATE " + STAGE_IDENTITIES + " SET is_full = 1 FROM (" + ranked + ") r WHERE r.device_id = " + STAGE_IDENTITIES
                + ".device_id AND r.window_start = " + STAGE_IDENTITIES + ".window_start AND r.event_id = " + STAGE_IDENTITIES
                + ".event_id AND r.stored_in_window + r.rank_in_window > " + maxEventsPerWindow;
    }

    /**
     * Whether this object's first copy {@code x} comes before the stored row {@code e} in stream
     * order: a plain line (the older format, no position) before an envelope line, as the rollup orders
     * them; two positions by position; otherwise (or on a tie: the same record archived twice) by object
     * arrival, object key and line number.
     */
    private String earlierThanStored(Load load) {
        String arrived = SqlLiterals.timestamp(load.arrivedAt());
        String key = dialect.quote(load.objectKey());
        String byObject = "(" + arrived + " < e.arrived_at OR (" + arrived + " = e.arrived_at AND ("
                + dialect.bytewise(key) + " < " + dialect.bytewise("e.source_key")
                + " OR (" + key + " = e.source_key AND x.line_no < e.source_line))))";
        return "(x.stream_position IS NULL AND e.stream_position IS NOT NULL) "
                + "OR (x.stream_position IS NOT NULL AND e.stream_position IS NOT NULL AND "
                + dialect.bytewise("x.stream_position") + " < " + dialect.bytewise("e.stream_position") + ") "
                + "OR (((x.stream_position IS NULL AND e.stream_position IS NULL) OR x.stream_position = e.stream_position) AND " + byObject + ")";
    }

    /**
     * The identities already stored (copies of them are never past their window's capacity): MERGE's
     * source, a table because Redshift's MERGE reads no subquery, free of duplicates as both engines require.
     */
    String stageStored() {
        return dialect.createTempTableAs(STAGE_STORED, "SELECT * FROM " + STAGE_IDENTITIES + " WHERE is_new = 0");
    }

    /**
     * Rejected lines, and every copy of an identity that did not fit its window ({@code WINDOW_FULL}). Two
     * disjoint parts (by {@code reason}): the rejected lines are one scan of the staged
     * lines, and the full copies a join with the full identities, which a PostgreSQL hash join skips when
     * there are none (nearly always), instead of joining every staged line with the judgement.
     */
    String quarantine(Load load) {
        String values = "SELECT " + dialect.quote(load.objectKey()) + ", " + dialect.quote(load.etag()) + ", s.line_no, "
                + "COALESCE(s.reason, 'WINDOW_FULL'), COALESCE(s.detail, " + dialect.quote(WINDOW_FULL_DETAIL) + "), "
                + "COALESCE(s.payload, ''), s.payload_encoding, s.payload_bytes, s.payload_truncated, "
                + SqlLiterals.timestamp(load.arrivedAt()) + ", " + SqlLiterals.date(arrivalDate(load)) + ", " + SqlLiterals.timestamp(load.loadedAt())
                + ", s.shard_id, s.sequence_number FROM " + STAGE_LINES + " s ";
        return "INSERT INTO " + schema + ".quarantine (source_key, source_etag, line_no, reason, detail, payload, "
                + "payload_encoding, payload_bytes, payload_truncated, arrived_at, arrival_dt, quarantined_at, shard_id, sequence_number) "
                + values + "WHERE s.reason IS NOT NULL AND " + notLoaded(load)
                + " UNION ALL " + values + "JOIN " + STAGE_IDENTITIES + " i "
                + "ON i.device_id = s.device_id AND i.event_id = s.event_id AND i.window_start = s.window_start "
                + "WHERE s.reason IS NULL AND i.is_full = 1 AND " + notLoaded(load);
    }

    /** The new identities that fit their window, each as its first copy in stream order. */
    String insertNewEvents(Load load) {
        return "INSERT INTO " + schema + ".events (" + String.join(", ", EVENT_COLUMNS) + ") SELECT " + newEventValues(load)
                + " FROM " + STAGE_IDENTITIES + " s WHERE s.is_new = 1 AND s.is_full = 0";
    }

    /**
     * For an identity already stored (a copy from another object) adds to {@code copies_seen}; when this
     * object's copy is earlier in stream order, it also replaces the stored copy's columns, so the first
     * copy in stream order is the one kept whatever the load order. Every source row matches under the
     * load lock; the insert clause (which Redshift's MERGE requires) keeps the statement right on its own.
     */
    String mergeStoredEvents(Load load) {
        String t = dialect.mergeTargetRef("events", "t");
        List<String> replaced = List.of("ts", "dt", "schema_version", "temperature", "humidity", "battery", "metric_count",
                "lat", "lon", "shard_id", "sequence_number", "stream_position");
        StringBuilder set = new StringBuilder();
        for (String column : replaced) {
            set.append(column).append(" = CASE WHEN s.is_earlier = 1 THEN s.").append(column).append(" ELSE ")
                    .append(t).append('.').append(column).append(" END, ");
        }
        set.append("metrics = CASE WHEN s.is_earlier = 1 THEN ").append(dialect.parseJson("s.metrics_json")).append(" ELSE ")
                .append(t).append(".metrics END, ");
        set.append("arrived_at = CASE WHEN s.is_earlier = 1 THEN ").append(SqlLiterals.timestamp(load.arrivedAt())).append(" ELSE ")
                .append(t).append(".arrived_at END, ");
        set.append("source_key = CASE WHEN s.is_earlier = 1 THEN ").append(dialect.quote(load.objectKey())).append(" ELSE ")
                .append(t).append(".source_key END, ");
        set.append("source_line = CASE WHEN s.is_earlier = 1 THEN s.line_no ELSE ").append(t).append(".source_line END, ");
        set.append("copies_seen = ").append(t).append(".copies_seen + s.copies");
        return "MERGE INTO " + dialect.mergeTarget(schema + ".events", "t") + " USING " + STAGE_STORED + " s "
                + "ON " + t + ".device_id = s.device_id AND " + t + ".event_id = s.event_id AND " + t + ".window_start = s.window_start "
                + "WHEN MATCHED THEN UPDATE SET " + set + " "
                + "WHEN NOT MATCHED THEN INSERT (" + String.join(", ", EVENT_COLUMNS) + ") VALUES (" + newEventValues(load) + ")";
    }

    /** A new row's values from a staged identity {@code s}, in {@link #EVENT_COLUMNS} order. */
    private String newEventValues(Load load) {
        return "s.event_id, s.device_id, s.ts, s.dt, s.schema_version, s.temperature, s.humidity, s.battery, "
                + dialect.parseJson("s.metrics_json") + ", s.metric_count, s.lat, s.lon, "
                + SqlLiterals.timestamp(load.arrivedAt()) + ", " + dialect.quote(load.objectKey()) + ", s.line_no, s.copies, "
                + SqlLiterals.timestamp(load.loadedAt()) + ", s.window_start, s.shard_id, s.sequence_number, s.stream_position";
    }

    /**
     * One rollup request per event day that received new rows, in the load's transaction: the rollup
     * re-runs those days, so an event that arrives after its day was rolled up still reaches the summaries.
     */
    String requestRollups(Load load) {
        return "INSERT INTO " + schema + ".rollup_requests (dt, requested_at, source_key) "
                + "SELECT dt, " + SqlLiterals.timestamp(load.loadedAt()) + ", " + dialect.quote(load.objectKey())
                + " FROM " + STAGE_IDENTITIES + " WHERE is_new = 1 AND is_full = 0 AND " + notLoaded(load) + " GROUP BY dt";
    }

    /**
     * Every line is counted once: a new row, a copy of a stored or earlier identity ({@code rows_duplicate}),
     * or quarantined (rejected by the decoder, or every copy of an identity whose window was full).
     */
    String recordLoaded(Load load) {
        long rejected = load.linesRead() - load.validLines();
        return "INSERT INTO " + schema + ".load_log (object_key, etag, status, loader, load_id, object_bytes, arrived_at, "
                + "lines_read, rows_loaded, rows_duplicate, rows_quarantined, error, loaded_at) "
                + "SELECT " + dialect.quote(load.objectKey()) + ", " + dialect.quote(load.etag()) + ", '" + LoadLogSql.STATUS_LOADED + "', "
                + dialect.quote(load.loader()) + ", " + dialect.quote(load.loadId()) + ", " + load.objectBytes() + ", "
                + SqlLiterals.timestamp(load.arrivedAt()) + ", "
                + load.linesRead() + ", n.new_rows, " + load.validLines() + " - n.new_rows - n.full_lines, " + rejected + " + n.full_lines, "
                + "CAST(NULL AS VARCHAR(2048)), " + SqlLiterals.timestamp(load.loadedAt())
                + " FROM (SELECT COALESCE(SUM(CASE WHEN is_new = 1 AND is_full = 0 THEN 1 ELSE 0 END), 0) AS new_rows, "
                + "COALESCE(SUM(CASE WHEN is_full = 1 THEN copies ELSE 0 END), 0) AS full_lines FROM " + STAGE_IDENTITIES + ") n"
                + " WHERE " + notLoaded(load);
    }

    private String notLoaded(Load load) {
        return log.notLoadedGuard(load.objectKey(), load.etag());
    }

    private static LocalDate arrivalDate(Load load) {
        return LocalDate.ofInstant(load.arrivedAt(), ZoneOffset.UTC);
    }
}
