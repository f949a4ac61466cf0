package io.twinflow.benchmarks;

import io.twinflow.core.archive.ArchiveLine;
import io.twinflow.core.event.DecodeResult;
import io.twinflow.core.event.EventDecoder;
import io.twinflow.core.event.TelemetryEvent;
import io.twinflow.core.window.Windows;
import io.twinflow.emulators.EmbeddedPostgres;
import io.twinflow.emulators.EmbeddedS3;
import io.twinflow.functions.stream.StreamRecord;
import io.twinflow.warehouse.LoadResult;
import io.twinflow.warehouse.LoadRules;
import io.twinflow.warehouse.RawObject;
import io.twinflow.warehouse.jdbc.JdbcWarehouse;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;

/**
 * Warehouse load speed: {@link JdbcWarehouse#load} (the loader's COPY FROM STDIN path: stage, INSERT/MERGE,
 * quarantine, load log in one transaction) against a row-by-row loader that decodes the same lines
 * with the same decoder and INSERTs each event with its own statement (one transaction per object,
 * which is the kind version of that pattern). Both read the same gzip NDJSON objects from the same
 * s3proxy and write identical, separately migrated schemas of one embedded PostgreSQL; the objects
 * are loaded alternately, the order flipping each time.
 *
 * <p>Arguments: {@code [--objects N] [--rows N]} (default 6 objects of 20,000 lines).
 */
public final class WarehouseLoad {

    private static final String BUCKET = "bench-raw";
    private static final DateTimeFormatter HOUR_PARTITION = DateTimeFormatter.ofPattern("'dt='yyyy-MM-dd'/hour='HH").withZone(ZoneOffset.UTC);
    private static final String COPY_SCHEMA = "telemetry";
    private static final String INSERT_SCHEMA = "telemetry_rowwise";

    private WarehouseLoad() {
    }

    public static void main(String[] args) throws Exception {
        int objects = StreamCpu.intArg(args, "--objects", 6);
        int rows = StreamCpu.intArg(args, "--rows", 20_000);
        Results results = new Results("warehouse-load");
        Map<String, Object> figures = new LinkedHashMap<>();
        try (EmbeddedPostgres postgres = EmbeddedPostgres.start(); EmbeddedS3 s3Server = EmbeddedS3.start();
             S3Client s3 = s3Server.s3Client()) {
            s3.createBucket(b -> b.bucket(BUCKET));
            // 100 devices every 100 ms: a busy hour's raw objects, each a different stretch of time.
            // An hour ago, so every event lies within the lateness bound of its arrival.
            Instant start = Instant.now().minus(Duration.ofHours(1)).truncatedTo(ChronoUnit.HOURS);
            List<StreamRecord> records = new Fleet(100, Duration.ofMillis(100), 5)
                    .records(start, Duration.ofMillis(100L * (objects + 1) * rows / 100), "shardId-000000000000");
            List<String> keys = new ArrayList<>();
            long rawBytes = 0;
            // Object 0 warms up both paths (class loading, JIT, PostgreSQL caches) and is not counted.
            for (int o = 0; o <= objects; o++) {
                String key = "raw/" + HOUR_PARTITION.format(start) + "/bench-" + o + ".json.gz";
                byte[] body = gzipLines(records.subList(o * rows, (o + 1) * rows));
                rawBytes += body.length;
                s3.putObject(b -> b.bucket(BUCKET).key(key).contentEncoding("gzip"), RequestBody.fromBytes(body));
                keys.add(key);
            }
            JdbcWarehouse warehouse = new JdbcWarehouse(postgres.dataSource(), s3, COPY_SCHEMA, LoadRules.defaults());
            warehouse.migrate();
            new JdbcWarehouse(postgres.dataSource(), s3, INSERT_SCHEMA, LoadRules.defaults()).migrate();
            RowByRowLoader rowByRow = new RowByRowLoader(postgres.dataSource(), s3, INSERT_SCHEMA);

            long copyNanos = 0;
            long insertNanos = 0;
            long copyRows = 0;
            long insertRows = 0;
            List<Double> ratios = new ArrayList<>();
            for (int o = 0; o <= objects; o++) {
                RawObject object = new RawObject(BUCKET, keys.get(o));
                long copyTime = 0;
                long insertTime = 0;
                for (int side = 0; side < 2; side++) {
                    boolean copyTurn = (side + o) % 2 == 0;
                    long t0 = System.nanoTime();
                    if (copyTurn) {
                        LoadResult r = warehouse.load(object);
                        copyRows += r.rowsLoaded();
                        copyTime = System.nanoTime() - t0;
                    } else {
                        insertRows += rowByRow.load(object);
                        insertTime = System.nanoTime() - t0;
                    }
                }
                if (o == 0) {
                    copyRows = 0;
                    insertRows = 0;
                    continue;
                }
                copyNanos += copyTime;
                insertNanos += insertTime;
                ratios.add((double) insertTime / copyTime);
            }
            figures.put("objects", objects);
            figures.put("warmUpObjects", 1);
            figures.put("linesPerObject", rows);
            figures.put("gzipMbTotal", Results.round(rawBytes / 1024.0 / 1024.0, 2));
            figures.put("copyPathRowsPerSecond", Math.round(copyRows / (copyNanos / 1e9)));
            figures.put("rowByRowInsertRowsPerSecond", Math.round(insertRows / (insertNanos / 1e9)));
            figures.put("ratioCopyToInsertOverall", Results.round((double) insertNanos / copyNanos, 2));
            figures.put("ratioCopyToInsertPerObjectMedian", Results.round(Results.median(ratios), 2));
            figures.put("ratioPerObject", ratios.stream().map(r -> Results.round(r, 2)).toList());
            figures.put("rowsLoadedCopyCounted", copyRows);
            figures.put("rowsLoadedInsertCounted", insertRows);
            figures.put("sameRows", same(postgres.dataSource()));
            figures.put("bareCopyCeilingRowsPerSecond", bareCopyCeiling(postgres.dataSource(), keys.subList(1, keys.size())));
        }
        results.write(Results.command("benchmarks/bench warehouse-load"), figures, List.of(
                "COPY path: JdbcWarehouse.load = S3 GET, gunzip, core decode, COPY FROM STDIN into a staging table, dedupe, "
                        + "INSERT of the new events and MERGE of copies of stored ones, quarantine insert, load log, one transaction. "
                        + "Row-by-row: the same GET, gunzip and decode, then one INSERT ... ON CONFLICT (device_id, event_id, "
                        + "window_start) per event through a prepared statement, one transaction per object.",
                "Time per object includes everything from the S3 GET to the commit, for both. Objects alternate which path goes first.",
                "PostgreSQL 17 (embedded, local disk, fsync and synchronous_commit off as the embedded server runs) stands in for "
                        + "Redshift; Redshift's COPY from S3 runs on the cluster's slices in parallel, so the cloud ratio is larger, "
                        + "and row-by-row INSERT on Redshift is far slower still.",
                "bareCopyCeilingRowsPerSecond: what this machine's PostgreSQL takes to write the same rows with nothing else: each "
                        + "counted object's events, read back as binary COPY data beforehand, COPYed in binary straight into an "
                        + "events-shaped table with the events primary key (no S3, no decode, no staging, no judgement), one transaction "
                        + "per object; the most any loader that writes each row once through COPY could reach here."));
    }

    /**
     * The ceiling: binary COPY of each object's rows, prepared beforehand, into a table shaped like
     * {@code events} with its primary key, growing object by object as {@code events} did.
     */
    private static long bareCopyCeiling(DataSource dataSource, List<String> keys) throws SQLException, IOException {
        long rows = 0;
        long nanos = 0;
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement()) {
            CopyManager copy = c.unwrap(PGConnection.class).getCopyAPI();
            st.execute("CREATE TABLE public.ceiling_events (LIKE " + COPY_SCHEMA + ".events INCLUDING DEFAULTS, "
                    + "PRIMARY KEY (device_id, window_start, event_id))");
            c.setAutoCommit(false);
            for (String key : keys) {
                ByteArrayOutputStream data = new ByteArrayOutputStream();
                copy.copyOut("COPY (SELECT * FROM " + COPY_SCHEMA + ".events WHERE source_key = '" + key.replace("'", "''")
                        + "') TO STDOUT (FORMAT binary)", data);
                long t0 = System.nanoTime();
                rows += copy.copyIn("COPY public.ceiling_events FROM STDIN (FORMAT binary)", new ByteArrayInputStream(data.toByteArray()));
                c.commit();
                nanos += System.nanoTime() - t0;
            }
        }
        return Math.round(rows / (nanos / 1e9));
    }

    private static byte[] gzipLines(List<StreamRecord> records) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(bytes)) {
            for (StreamRecord r : records) {
                gz.write(ArchiveLine.encode(r.data(), r.arrivalTime(), r.shardId(), r.sequenceNumber()));
            }
        }
        return bytes.toByteArray();
    }

    /** Both schemas must hold the same events with the same values. */
    private static Map<String, Object> same(DataSource dataSource) throws SQLException {
        String summary = "SELECT COUNT(*), COUNT(DISTINCT device_id), SUM(temperature), SUM(metric_count), MIN(ts), MAX(ts) FROM ";
        Map<String, Object> m = new LinkedHashMap<>();
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement()) {
            List<String> sides = new ArrayList<>();
            for (String schema : List.of(COPY_SCHEMA, INSERT_SCHEMA)) {
                try (ResultSet rs = st.executeQuery(summary + schema + ".events")) {
                    rs.next();
                    sides.add(rs.getLong(1) + " events, " + rs.getLong(2) + " devices, sum(temperature) "
                            + Math.round(rs.getDouble(3) * 1000) / 1000.0 + ", " + rs.getLong(4) + " metrics, "
                            + rs.getString(5) + " .. " + rs.getString(6));
                }
            }
            m.put(COPY_SCHEMA, sides.get(0));
            m.put(INSERT_SCHEMA, sides.get(1));
            m.put("match", sides.get(0).equals(sides.get(1)));
        }
        return m;
    }

    /** The row-by-row baseline. */
    static final class RowByRowLoader {
        private final DataSource dataSource;
        private final S3Client s3;
        private final String schema;
        private static final Windows WINDOWS = new Windows(Windows.DEFAULT_SIZE);
        private final EventDecoder decoder = new EventDecoder();

        RowByRowLoader(DataSource dataSource, S3Client s3, String schema) {
            this.dataSource = dataSource;
            this.s3 = s3;
            this.schema = schema;
        }

        long load(RawObject object) throws SQLException, IOException {
            HeadObjectResponse head = s3.headObject(b -> b.bucket(object.bucket()).key(object.key()));
            byte[] gz = s3.getObjectAsBytes(b -> b.bucket(object.bucket()).key(object.key())).asByteArray();
            String text;
            try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gz))) {
                text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            Instant arrived = head.lastModified();
            long inserted = 0;
            try (Connection c = dataSource.getConnection()) {
                c.setAutoCommit(false);
                try (PreparedStatement insert = c.prepareStatement("INSERT INTO " + schema + ".events (event_id, device_id, ts, dt, "
                        + "schema_version, temperature, humidity, battery, metrics, metric_count, lat, lon, arrived_at, source_key, "
                        + "source_line, copies_seen, loaded_at, window_start) VALUES (?, ?, ?, ?, ?, ?, ?, ?, CAST(? AS JSONB), ?, ?, ?, ?, ?, ?, 1, now(), ?) "
                        + "ON CONFLICT (device_id, event_id, window_start) DO UPDATE SET copies_seen = " + schema + ".events.copies_seen + 1")) {
                    long lineNo = 0;
                    for (String line : text.split("\n")) {
                        lineNo++;
                        ArchiveLine.Read read = ArchiveLine.read(line.getBytes(StandardCharsets.UTF_8), arrived);
                        if (read instanceof ArchiveLine.Record r
                                && decoder.decode(r.record().data(), r.record().arrival()) instanceof DecodeResult.Valid valid) {
                            bind(insert, valid.event(), r.record().arrival(), object.key(), lineNo);
                            inserted += insert.executeUpdate();
                        }
                    }
                }
                c.commit();
            }
            return inserted;
        }

        private static void bind(PreparedStatement st, TelemetryEvent e, Instant arrived, String key, long lineNo) throws SQLException {
            Map<String, Double> m = e.metrics();
            st.setString(1, e.eventId());
            st.setString(2, e.deviceId());
            st.setTimestamp(3, Timestamp.from(e.ts()));
            st.setObject(4, LocalDate.ofInstant(e.ts(), ZoneOffset.UTC));
            st.setInt(5, e.schemaVersion());
            setDouble(st, 6, m.get("temperature"));
            setDouble(st, 7, m.get("humidity"));
            setDouble(st, 8, m.get("battery"));
            StringBuilder json = new StringBuilder("{");
            m.forEach((name, value) -> json.append(json.length() > 1 ? "," : "").append('"').append(name).append("\":").append(value));
            st.setString(9, json.append('}').toString());
            st.setInt(10, m.size());
            setDouble(st, 11, e.location() == null ? null : e.location().lat());
            setDouble(st, 12, e.location() == null ? null : e.location().lon());
            st.setTimestamp(13, Timestamp.from(arrived));
            st.setString(14, key);
            st.setLong(15, lineNo);
            st.setTimestamp(16, Timestamp.from(WINDOWS.startOf(e.ts())));
        }

        private static void setDouble(PreparedStatement st, int index, Double value) throws SQLException {
            if (value == null) {
                st.setNull(index, Types.DOUBLE);
            } else {
                st.setDouble(index, value);
            }
        }
    }

}
