package io.twinflow.warehouse;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;

/**
 * The SQL of one raw-object load, identical for both adapters apart from the {@link Dialect} and the
 * COPY source: stage every line, then in the same transaction take the load lock, collapse copies of
 * an event within the object, quarantine the rejected lines, MERGE the events and record the load.
 *
 * <p>Each statement that writes is guarded by "this object version is not LOADED yet", so running
 * the whole sequence for an object that a racing loader already finished changes nothing. The guard
 * is what makes a Data API batch (which cannot branch) idempotent; the JDBC adapter checks up front
 * as well, only to skip the download.
 */
final class LoadSql {

    static final String STAGE_LINES = "stage_lines";
    static final String STAGE_EVENTS = "stage_events";
    static final String STATUS_LOADED = "LOADED";
    static final String STATUS_FAILED = "FAILED";

    private static final List<String> EVENT_COLUMNS = List.of(
            "event_id", "device_id", "ts", "dt", "schema_version", "temperature", "humidity", "battery",
            "metrics", "metric_count", "lat", "lon", "arrived_at", "source_key", "source_line", "copies_seen", "loaded_at");

    private final Dialect dialect;
    private final String schema;

    LoadSql(Dialect dialect, String schema) {
        this.dialect = dialect;
        this.schema = schema;
    }

    /**
     * What the statements need to know about the object being loaded.
     *
     * @param loadId unique per attempt: tells the attempt that wrote the LOADED row from one that lost a race
     * @param linesRead lines in the object; {@code validLines} of them decoded to events
     */
    record Load(String loadId, String objectKey, String etag, long objectBytes, Instant arrivedAt, Instant loadedAt,
                String loader, long linesRead, long validLines) {
    }

    String createStage() {
        String longText = dialect.longTextType();
        return dialect.createTempTable(STAGE_LINES, "line_no BIGINT NOT NULL, event_id VARCHAR(512), device_id VARCHAR(128), ts TIMESTAMPTZ, dt DATE, "
                + "schema_version SMALLINT, temperature DOUBLE PRECISION, humidity DOUBLE PRECISION, "
                + "battery DOUBLE PRECISION, metrics_json " + longText + ", metric_count SMALLINT, "
                + "lat DOUBLE PRECISION, lon DOUBLE PRECISION, reason VARCHAR(32), detail VARCHAR(1024), "
                + "payload " + longText + ", payload_encoding VARCHAR(8), payload_bytes BIGINT, payload_truncated BOOLEAN");
    }

    /** PostgreSQL: the adapter streams the staging CSV through the connection. */
    String copyStageFromStdin() {
        return "COPY " + STAGE_LINES + " (" + String.join(", ", StagedLine.COLUMNS) + ") FROM STDIN WITH (FORMAT csv)";
    }

    /** Redshift: the cluster reads the gzipped staging CSV from S3 with the given role. */
    String copyStageFromS3(String s3Uri, String iamRoleArn) {
        return copyFromS3(STAGE_LINES, StagedLine.COLUMNS, s3Uri, iamRoleArn);
    }

    String copyFromS3(String table, List<String> columns, String s3Uri, String iamRoleArn) {
        // MAXERROR 0: a staging file is machine-written, so any load error is a bug to surface, not skip.
        return "COPY " + table + " (" + String.join(", ", columns) + ") FROM " + dialect.quote(s3Uri)
                + " IAM_ROLE " + dialect.quote(iamRoleArn)
                + " FORMAT AS CSV GZIP EMPTYASNULL TIMEFORMAT 'auto' DATEFORMAT 'YYYY-MM-DD'"
                + " MAXERROR 0 COMPUPDATE OFF STATUPDATE OFF";
    }

    /** The statements after the COPY, in order, up to but not including the commit. */
    List<String> finish(Load load) {
        return List.of(
                lock(),
                stageEvents(load),
                quarantine(load),
                mergeEvents(load),
                clearFailure(load),
                recordLoaded(load));
    }

    /** Serializes loaders from here to the commit, so MERGE sees every event a racing loader committed. */
    String lock() {
        return dialect.lockForLoad(schema);
    }

    String alreadyLoaded(String objectKey, String etag) {
        return "SELECT 1 FROM " + schema + ".load_log WHERE object_key = " + dialect.quote(objectKey)
                + " AND etag = " + dialect.quote(etag) + " AND status = '" + STATUS_LOADED + "'";
    }

    private String notLoadedGuard(Load load) {
        return "NOT EXISTS (" + alreadyLoaded(load.objectKey(), load.etag()) + ")";
    }

    /**
     * One row per event id of this object (its first line wins; {@code copies} counts its lines) and
     * whether the warehouse has it already; MERGE needs duplicate-free input on both engines.
     */
    String stageEvents(Load load) {
        return dialect.createTempTableAs(STAGE_EVENTS, "SELECT x.line_no, x.event_id, x.device_id, x.ts, x.dt, x.schema_version, x.temperature, x.humidity, "
                + "x.battery, x.metrics_json, x.metric_count, x.lat, x.lon, x.copies, "
                + "CASE WHEN e.event_id IS NULL THEN 1 ELSE 0 END AS is_new "
                + "FROM (SELECT s.*, ROW_NUMBER() OVER (PARTITION BY s.event_id ORDER BY s.line_no) AS copy_no, "
                + "COUNT(*) OVER (PARTITION BY s.event_id) AS copies "
                + "FROM " + STAGE_LINES + " s WHERE s.reason IS NULL) x "
                + "LEFT JOIN " + schema + ".events e ON e.event_id = x.event_id "
                + "WHERE x.copy_no = 1 AND " + notLoadedGuard(load));
    }

    String quarantine(Load load) {
        return "INSERT INTO " + schema + ".quarantine (source_key, source_etag, line_no, reason, detail, payload, "
                + "payload_encoding, payload_bytes, payload_truncated, arrived_at, arrival_dt, quarantined_at) "
                + "SELECT " + dialect.quote(load.objectKey()) + ", " + dialect.quote(load.etag()) + ", line_no, reason, "
                + "detail, COALESCE(payload, ''), payload_encoding, payload_bytes, payload_truncated, "
                + timestamp(load.arrivedAt()) + ", " + date(arrivalDate(load)) + ", " + timestamp(load.loadedAt())
                + " FROM " + STAGE_LINES + " WHERE reason IS NOT NULL AND " + notLoadedGuard(load);
    }

    /**
     * Inserts new events; for one already in the warehouse (a producer retry that landed in another
     * object) only adds to {@code copies_seen}, keeping the first copy loaded.
     */
    String mergeEvents(Load load) {
        String t = dialect.mergeTargetRef("events", "t");
        return "MERGE INTO " + dialect.mergeTarget(schema + ".events", "t") + " USING " + STAGE_EVENTS + " s "
                + "ON " + t + ".event_id = s.event_id "
                + "WHEN MATCHED THEN UPDATE SET copies_seen = " + t + ".copies_seen + s.copies "
                + "WHEN NOT MATCHED THEN INSERT (" + String.join(", ", EVENT_COLUMNS) + ") VALUES ("
                + "s.event_id, s.device_id, s.ts, s.dt, s.schema_version, s.temperature, s.humidity, s.battery, "
                + dialect.parseJson("s.metrics_json") + ", s.metric_count, s.lat, s.lon, "
                + timestamp(load.arrivedAt()) + ", " + dialect.quote(load.objectKey()) + ", s.line_no, s.copies, "
                + timestamp(load.loadedAt()) + ")";
    }

    String clearFailure(Load load) {
        return "DELETE FROM " + schema + ".load_log WHERE object_key = " + dialect.quote(load.objectKey())
                + " AND etag = " + dialect.quote(load.etag()) + " AND status <> '" + STATUS_LOADED + "'";
    }

    String recordLoaded(Load load) {
        long quarantined = load.linesRead() - load.validLines();
        return "INSERT INTO " + schema + ".load_log (object_key, etag, status, loader, load_id, object_bytes, arrived_at, "
                + "lines_read, rows_loaded, rows_duplicate, rows_quarantined, error, loaded_at) "
                + "SELECT " + dialect.quote(load.objectKey()) + ", " + dialect.quote(load.etag()) + ", '" + STATUS_LOADED + "', "
                + dialect.quote(load.loader()) + ", " + dialect.quote(load.loadId()) + ", " + load.objectBytes() + ", " + timestamp(load.arrivedAt()) + ", "
                + load.linesRead() + ", n.new_rows, " + load.validLines() + " - n.new_rows, " + quarantined + ", "
                + "CAST(NULL AS VARCHAR(2048)), " + timestamp(load.loadedAt())
                + " FROM (SELECT COALESCE(SUM(is_new), 0) AS new_rows FROM " + STAGE_EVENTS + ") n"
                + " WHERE " + notLoadedGuard(load);
    }

    /**
     * Notes a failed attempt in its own transaction, after the load's was rolled back; never
     * overwrites a LOADED row that a racing loader wrote.
     */
    List<String> recordFailure(String objectKey, String etag, String loader, String error, Instant at) {
        String key = dialect.quote(objectKey);
        String tag = dialect.quote(etag);
        return List.of(
                "DELETE FROM " + schema + ".load_log WHERE object_key = " + key + " AND etag = " + tag
                        + " AND status <> '" + STATUS_LOADED + "'",
                "INSERT INTO " + schema + ".load_log (object_key, etag, status, loader, error, loaded_at) "
                        + "SELECT " + key + ", " + tag + ", '" + STATUS_FAILED + "', " + dialect.quote(loader) + ", "
                        + dialect.quote(StagedLine.truncateUtf8(error, 2000)) + ", " + timestamp(at)
                        + " WHERE NOT EXISTS (" + alreadyLoaded(objectKey, etag) + ")");
    }

    /** Object versions already loaded under a key prefix: what the batch loader skips. */
    String loadedUnder(String keyPrefix) {
        return "SELECT object_key, etag FROM " + schema + ".load_log WHERE status = '" + STATUS_LOADED + "'"
                + " AND SUBSTRING(object_key, 1, " + keyPrefix.length() + ") = " + dialect.quote(keyPrefix)
                + " ORDER BY object_key";
    }

    String readLoadLog(String objectKey, String etag) {
        return "SELECT status, lines_read, rows_loaded, rows_duplicate, rows_quarantined, load_id FROM " + schema + ".load_log"
                + " WHERE object_key = " + dialect.quote(objectKey) + " AND etag = " + dialect.quote(etag);
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
