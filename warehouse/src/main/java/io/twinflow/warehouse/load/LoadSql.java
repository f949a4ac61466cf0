package io.twinflow.warehouse.load;

import io.twinflow.warehouse.LoadRules;
import io.twinflow.warehouse.sql.Csv;
import io.twinflow.warehouse.sql.Dialect;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;

/**
 * The SQL of one raw-object load, identical for both adapters apart from the {@link Dialect} and the
 * COPY source: stage every line, then in the same transaction take the load lock, collapse the copies
 * of each event identity (device, eventId, window start) to its first copy in stream order, judge it
 * against the stored rows (new, an earlier copy of a stored one, or past its window's capacity),
 * quarantine the rejected lines and the {@code WINDOW_FULL} copies, MERGE the events, request the
 * rollup of the event days that got new rows and record the load.
 *
 * <p>Each statement that writes is guarded by "this object version is not LOADED yet", so running
 * the whole sequence for an object that a racing loader already finished changes nothing. The guard
 * is what makes a Data API batch (which cannot branch) idempotent; the JDBC adapter checks up front
 * as well, only to skip the download.
 */
public final class LoadSql {

    public static final String STAGE_LINES = "stage_lines";
    public static final String STAGE_IDENTITIES = "stage_identities";
    public static final String STAGE_EVENTS = "stage_events";
    public static final String STATUS_LOADED = "LOADED";
    public static final String STATUS_FAILED = "FAILED";
    public static final String WINDOW_FULL_DETAIL = "the event's (device, window) already holds the most distinct events a window counts";

    /** An event's identity: the stream counts a (device, eventId) once per event-time window. */
    private static final String IDENTITY = "device_id, event_id, window_start";

    private static final List<String> EVENT_COLUMNS = List.of(
            "event_id", "device_id", "ts", "dt", "schema_version", "temperature", "humidity", "battery",
            "metrics", "metric_count", "lat", "lon", "arrived_at", "source_key", "source_line", "copies_seen", "loaded_at",
            "window_start", "shard_id", "sequence_number", "stream_position");

    private final Dialect dialect;
    private final String schema;
    private final int maxEventsPerWindow;

    public LoadSql(Dialect dialect, String schema) {
        this(dialect, schema, LoadRules.defaults().maxEventsPerWindow());
    }

    public LoadSql(Dialect dialect, String schema, int maxEventsPerWindow) {
        this.dialect = dialect;
        this.schema = schema;
        this.maxEventsPerWindow = maxEventsPerWindow;
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
        return dialect.createTempTable(STAGE_LINES, "line_no BIGINT NOT NULL, event_id VARCHAR(" + StagedLine.MAX_EVENT_ID_BYTES + "), "
                + "device_id VARCHAR(" + StagedLine.MAX_DEVICE_ID_BYTES + "), ts TIMESTAMPTZ, dt DATE, window_start TIMESTAMPTZ, "
                + "schema_version SMALLINT, temperature DOUBLE PRECISION, humidity DOUBLE PRECISION, "
                + "battery DOUBLE PRECISION, metrics_json " + longText + ", metric_count SMALLINT, "
                + "lat DOUBLE PRECISION, lon DOUBLE PRECISION, shard_id VARCHAR(" + StagedLine.MAX_SHARD_ID_BYTES + "), "
                + "sequence_number VARCHAR(" + StagedLine.MAX_SEQUENCE_BYTES + "), stream_position VARCHAR(" + StagedLine.MAX_POSITION_BYTES + "), "
                + "reason VARCHAR(" + StagedLine.MAX_REASON_BYTES + "), detail VARCHAR(" + StagedLine.MAX_DETAIL_BYTES + "), "
                + "payload " + longText + ", payload_encoding VARCHAR(8), payload_bytes BIGINT, payload_truncated BOOLEAN");
    }

    /** PostgreSQL: the adapter streams the staging CSV through the connection. */
    public String copyStageFromStdin() {
        return "COPY " + STAGE_LINES + " (" + String.join(", ", StagedLine.COLUMNS) + ") FROM STDIN WITH (FORMAT csv)";
    }

    /** Redshift: the cluster reads the gzipped staging CSV from S3 with the given role. */
    public String copyStageFromS3(String s3Uri, String iamRoleArn) {
        return copyFromS3(STAGE_LINES, StagedLine.COLUMNS, s3Uri, iamRoleArn);
    }

    public String copyFromS3(String table, List<String> columns, String s3Uri, String iamRoleArn) {
        // MAXERROR 0: a staging file is machine-written, so any load error is a bug to surface, not skip.
        return "COPY " + table + " (" + String.join(", ", columns) + ") FROM " + dialect.quote(s3Uri)
                + " IAM_ROLE " + dialect.quote(iamRoleArn)
                + " FORMAT AS CSV GZIP EMPTYASNULL TIMEFORMAT 'auto' DATEFORMAT 'YYYY-MM-DD'"
                + " MAXERROR 0 COMPUPDATE OFF STATUPDATE OFF";
    }

    /** The statements after the COPY, in order, up to but not including the commit. */
    public List<String> finish(Load load) {
        return List.of(
                lock(),
                stageIdentities(load),
                stageEvents(),
                quarantine(load),
                mergeEvents(load),
                requestRollups(load),
                clearFailure(load),
                recordLoaded(load));
    }

    /** Serializes loaders from here to the commit, so MERGE sees every event a racing loader committed. */
    public String lock() {
        return dialect.lockForLoad(schema);
    }

    public String alreadyLoaded(String objectKey, String etag) {
        return "SELECT 1 FROM " + schema + ".load_log WHERE object_key = " + dialect.quote(objectKey)
                + " AND etag = " + dialect.quote(etag) + " AND status = '" + STATUS_LOADED + "'";
    }

    private String notLoadedGuard(Load load) {
        return "NOT EXISTS (" + alreadyLoaded(load.objectKey(), load.etag()) + ")";
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
     * and whether it does not fit its (device, window) ({@code is_full}): the identities already stored
     * for that window count first, then this object's new identities in stream order.
     */
    public String stageIdentities(Load load) {
        String eventCols = "x.line_no, x.event_id, x.device_id, x.ts, x.dt, x.window_start, x.schema_version, x.temperature, "
                + "x.humidity, x.battery, x.metrics_json, x.metric_count, x.lat, x.lon, x.shard_id, x.sequence_number, "
                + "x.stream_position, x.copies";
        String firstCopies = "SELECT s.*, ROW_NUMBER() OVER (PARTITION BY s.device_id, s.event_id, s.window_start ORDER BY "
                + objectOrder("s") + ") AS copy_no, COUNT(*) OVER (PARTITION BY s.device_id, s.event_id, s.window_start) AS copies "
                + "FROM " + STAGE_LINES + " s WHERE s.reason IS NULL";
        String storedPerWindow = "SELECT e.device_id, e.window_start, COUNT(*) AS stored FROM " + schema + ".events e "
                + "JOIN (SELECT DISTINCT device_id, window_start FROM " + STAGE_LINES + " WHERE reason IS NULL) k "
                + "ON e.device_id = k.device_id AND e.window_start = k.window_start GROUP BY e.device_id, e.window_start";
        String judged = "SELECT " + eventCols + ", "
                + "CASE WHEN e.event_id IS NULL THEN 1 ELSE 0 END AS is_new, "
                + "CASE WHEN e.event_id IS NOT NULL AND (" + earlierThanStored(load) + ") THEN 1 ELSE 0 END AS is_earlier, "
                + "COALESCE(c.stored, 0) AS stored_in_window, "
                + "ROW_NUMBER() OVER (PARTITION BY x.device_id, x.window_start, CASE WHEN e.event_id IS NULL THEN 1 ELSE 0 END "
                + "ORDER BY " + objectOrder("x") + ") AS rank_in_window "
                + "FROM (" + firstCopies + ") x "
                + "LEFT JOIN " + schema + ".events e ON e.device_id = x.device_id AND e.event_id = x.event_id AND e.window_start = x.window_start "
                + "LEFT JOIN (" + storedPerWindow + ") c ON c.device_id = x.device_id AND c.window_start = x.window_start "
                + "WHERE x.copy_no = 1 AND " + notLoadedGuard(load);
        return dialect.createTempTableAs(STAGE_IDENTITIES, "SELECT j.*, CASE WHEN j.is_new = 1 AND j.stored_in_window + j.rank_in_window > "
                + maxEventsPerWindow + " THEN 1 ELSE 0 END AS is_full FROM (" + judged + ") j");
    }

    /**
     * Whether this object's first copy {@code x} comes before the stored row {@code e} in stream
     * order: a plain line (the older format, no position) before an envelope line, as the rollup orders
     * them; two positions by position; otherwise (or on a tie: the same record archived twice) by object
     * arrival, object key and line number.
     */
    private String earlierThanStored(Load load) {
        String arrived = timestamp(load.arrivedAt());
        String key = dialect.quote(load.objectKey());
        String byObject = "(" + arrived + " < e.arrived_at OR (" + arrived + " = e.arrived_at AND ("
                + dialect.bytewise(key) + " < " + dialect.bytewise("e.source_key")
                + " OR (" + key + " = e.source_key AND x.line_no < e.source_line))))";
        return "(x.stream_position IS NULL AND e.stream_position IS NOT NULL) "
                + "OR (x.stream_position IS NOT NULL AND e.stream_position IS NOT NULL AND "
                + dialect.bytewise("x.stream_position") + " < " + dialect.bytewise("e.stream_position") + ") "
                + "OR (((x.stream_position IS NULL AND e.stream_position IS NULL) OR x.stream_position = e.stream_position) AND " + byObject + ")";
    }

    /** The identities that fit their window: MERGE's source, free of duplicates as both engines require. */
    public String stageEvents() {
        return dialect.createTempTableAs(STAGE_EVENTS, "SELECT * FROM " + STAGE_IDENTITIES + " WHERE is_full = 0");
    }

    /** Rejected lines, and every copy of an identity that did not fit its window ({@code WINDOW_FULL}). */
    public String quarantine(Load load) {
        return "INSERT INTO " + schema + ".quarantine (source_key, source_etag, line_no, reason, detail, payload, "
                + "payload_encoding, payload_bytes, payload_truncated, arrived_at, arrival_dt, quarantined_at, shard_id, sequence_number) "
                + "SELECT " + dialect.quote(load.objectKey()) + ", " + dialect.quote(load.etag()) + ", s.line_no, "
                + "COALESCE(s.reason, 'WINDOW_FULL'), COALESCE(s.detail, " + dialect.quote(WINDOW_FULL_DETAIL) + "), "
                + "COALESCE(s.payload, ''), s.payload_encoding, s.payload_bytes, s.payload_truncated, "
                + timestamp(load.arrivedAt()) + ", " + date(arrivalDate(load)) + ", " + timestamp(load.loadedAt())
                + ", s.shard_id, s.sequence_number FROM " + STAGE_LINES + " s LEFT JOIN " + STAGE_IDENTITIES + " i "
                + "ON i.device_id = s.device_id AND i.event_id = s.event_id AND i.window_start = s.window_start AND i.is_full = 1 "
                + "WHERE (s.reason IS NOT NULL OR i.event_id IS NOT NULL) AND " + notLoadedGuard(load);
    }

    /**
     * Inserts new events. For one already stored (a copy from another object) adds to
     * {@code copies_seen}; when this object's copy is earlier in stream order, it also replaces the
     * stored copy's columns, so the first copy in stream order is the one kept whatever the load order.
     */
    public String mergeEvents(Load load) {
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
        set.append("arrived_at = CASE WHEN s.is_earlier = 1 THEN ").append(timestamp(load.arrivedAt())).append(" ELSE ")
                .append(t).append(".arrived_at END, ");
        set.append("source_key = CASE WHEN s.is_earlier = 1 THEN ").append(dialect.quote(load.objectKey())).append(" ELSE ")
                .append(t).append(".source_key END, ");
        set.append("source_line = CASE WHEN s.is_earlier = 1 THEN s.line_no ELSE ").append(t).append(".source_line END, ");
        set.append("copies_seen = ").append(t).append(".copies_seen + s.copies");
        return "MERGE INTO " + dialect.mergeTarget(schema + ".events", "t") + " USING " + STAGE_EVENTS + " s "
                + "ON " + t + ".device_id = s.device_id AND " + t + ".event_id = s.event_id AND " + t + ".window_start = s.window_start "
                + "WHEN MATCHED THEN UPDATE SET " + set + " "
                + "WHEN NOT MATCHED THEN INSERT (" + String.join(", ", EVENT_COLUMNS) + ") VALUES ("
                + "s.event_id, s.device_id, s.ts, s.dt, s.schema_version, s.temperature, s.humidity, s.battery, "
                + dialect.parseJson("s.metrics_json") + ", s.metric_count, s.lat, s.lon, "
                + timestamp(load.arrivedAt()) + ", " + dialect.quote(load.objectKey()) + ", s.line_no, s.copies, "
                + timestamp(load.loadedAt()) + ", s.window_start, s.shard_id, s.sequence_number, s.stream_position)";
    }

    /**
     * One rollup request per event day that received new rows, in the load's transaction: the rollup
     * re-runs those days, so an event that arrives after its day was rolled up still reaches the summaries.
     */
    public String requestRollups(Load load) {
        return "INSERT INTO " + schema + ".rollup_requests (dt, requested_at, source_key) "
                + "SELECT DISTINCT dt, " + timestamp(load.loadedAt()) + ", " + dialect.quote(load.objectKey())
                + " FROM " + STAGE_EVENTS + " WHERE is_new = 1 AND " + notLoadedGuard(load);
    }

    public String clearFailure(Load load) {
        return "DELETE FROM " + schema + ".load_log WHERE object_key = " + dialect.quote(load.objectKey())
                + " AND etag = " + dialect.quote(load.etag()) + " AND status <> '" + STATUS_LOADED + "'";
    }

    /**
     * Every line is counted once: a new row, a copy of a stored or earlier identity ({@code rows_duplicate}),
     * or quarantined (rejected by the decoder, or every copy of an identity whose window was full).
     */
    public String recordLoaded(Load load) {
        long rejected = load.linesRead() - load.validLines();
        return "INSERT INTO " + schema + ".load_log (object_key, etag, status, loader, load_id, object_bytes, arrived_at, "
                + "lines_read, rows_loaded, rows_duplicate, rows_quarantined, error, loaded_at) "
                + "SELECT " + dialect.quote(load.objectKey()) + ", " + dialect.quote(load.etag()) + ", '" + STATUS_LOADED + "', "
                + dialect.quote(load.loader()) + ", " + dialect.quote(load.loadId()) + ", " + load.objectBytes() + ", " + timestamp(load.arrivedAt()) + ", "
                + load.linesRead() + ", n.new_rows, " + load.validLines() + " - n.new_rows - n.full_lines, " + rejected + " + n.full_lines, "
                + "CAST(NULL AS VARCHAR(2048)), " + timestamp(load.loadedAt())
                + " FROM (SELECT COALESCE(SUM(CASE WHEN is_new = 1 AND is_full = 0 THEN 1 ELSE 0 END), 0) AS new_rows, "
                + "COALESCE(SUM(CASE WHEN is_full = 1 THEN copies ELSE 0 END), 0) AS full_lines FROM " + STAGE_IDENTITIES + ") n"
                + " WHERE " + notLoadedGuard(load);
    }

    /**
     * Notes a failed attempt in its own transaction, after the load's was rolled back; never
     * overwrites a LOADED row that a racing loader wrote.
     */
    public List<String> recordFailure(String objectKey, String etag, String loader, String error, Instant at) {
        String key = dialect.quote(objectKey);
        String tag = dialect.quote(etag);
        return List.of(
                "DELETE FROM " + schema + ".load_log WHERE object_key = " + key + " AND etag = " + tag
                        + " AND status <> '" + STATUS_LOADED + "'",
                "INSERT INTO " + schema + ".load_log (object_key, etag, status, loader, error, loaded_at) "
                        + "SELECT " + key + ", " + tag + ", '" + STATUS_FAILED + "', " + dialect.quote(loader) + ", "
                        + dialect.quote(StagingText.printable(error, 2000)) + ", " + timestamp(at)
                        + " WHERE NOT EXISTS (" + alreadyLoaded(objectKey, etag) + ")");
    }

    /** Object versions already loaded under a key prefix: what the batch loader skips. */
    public String loadedUnder(String keyPrefix) {
        return "SELECT object_key, etag FROM " + schema + ".load_log WHERE status = '" + STATUS_LOADED + "'"
                + " AND SUBSTRING(object_key, 1, " + keyPrefix.length() + ") = " + dialect.quote(keyPrefix)
                + " ORDER BY object_key";
    }

    public String readLoadLog(String objectKey, String etag) {
        return "SELECT status, lines_read, rows_loaded, rows_duplicate, rows_quarantined, load_id FROM " + schema + ".load_log"
                + " WHERE object_key = " + dialect.quote(objectKey) + " AND etag = " + dialect.quote(etag);
    }

    public String pendingRollupDays() {
        return "SELECT DISTINCT dt FROM " + schema + ".rollup_requests ORDER BY dt";
    }

    public String loaderWatermark(String rawPrefix) {
        return "SELECT CAST(oldest_unloaded_dt AS VARCHAR(10)) FROM " + schema + ".loader_watermark WHERE raw_prefix = "
                + dialect.quote(rawPrefix);
    }

    /** Replaces a prefix's watermark in one transaction, under the load lock so racing loaders take turns. */
    public List<String> saveLoaderWatermark(String rawPrefix, LocalDate oldestUnloaded, Instant at) {
        String prefix = dialect.quote(rawPrefix);
        return List.of(
                lock(),
                "DELETE FROM " + schema + ".loader_watermark WHERE raw_prefix = " + prefix,
                "INSERT INTO " + schema + ".loader_watermark (raw_prefix, oldest_unloaded_dt, updated_at) VALUES ("
                        + prefix + ", " + date(oldestUnloaded) + ", " + timestamp(at) + ")");
    }

    private static LocalDate arrivalDate(Load load) {
        return LocalDate.ofInstant(load.arrivedAt(), ZoneOffset.UTC);
    }

    private static String timestamp(Instant instant) {
        return "CAST('" + Csv.timestampLiteral(instant) + "' AS TIMESTAMPTZ)";
    }

    private static String date(LocalDate date) {
        return "CAST('" + date + "' AS DATE)";
    }
}
