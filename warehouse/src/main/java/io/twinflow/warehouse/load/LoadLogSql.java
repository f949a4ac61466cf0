package io.twinflow.warehouse.load;

import io.twinflow.warehouse.LoadResult;
import io.twinflow.warehouse.LoadedObject;
import io.twinflow.warehouse.QueryResult;
import io.twinflow.warehouse.WarehouseException;
import io.twinflow.warehouse.sql.Dialect;
import io.twinflow.warehouse.sql.SqlLiterals;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The bookkeeping around loads, identical for both engines apart from the {@link Dialect}: the load
 * log (which object versions are loaded, which attempts failed and why) and the batch loader's
 * watermark.
 */
public final class LoadLogSql {

    static final String STATUS_LOADED = "LOADED";
    private static final String STATUS_FAILED = "FAILED";

    private final Dialect dialect;
    private final String schema;

    public LoadLogSql(Dialect dialect, String schema) {
        this.dialect = dialect;
        this.schema = schema;
    }

    /** One row when this object version is loaded, none otherwise. */
    public String alreadyLoaded(String objectKey, String etag) {
        return "SELECT 1 FROM " + schema + ".load_log WHERE object_key = " + dialect.quote(objectKey)
                + " AND etag = " + dialect.quote(etag) + " AND status = '" + STATUS_LOADED + "'";
    }

    /** The guard on every write of a load: a racing loader that finished first makes it change nothing. */
    String notLoadedGuard(String objectKey, String etag) {
        return "NOT EXISTS (" + alreadyLoaded(objectKey, etag) + ")";
    }

    /** Deletes a failed attempt's note, never a LOADED row. */
    String clearFailure(String objectKey, String etag) {
        return "DELETE FROM " + schema + ".load_log WHERE object_key = " + dialect.quote(objectKey)
                + " AND etag = " + dialect.quote(etag) + " AND status <> '" + STATUS_LOADED + "'";
    }

    /**
     * Notes a failed attempt in its own transaction, after the load's was rolled back, under the
     * object's lock; never overwrites a LOADED row that a racing loader wrote.
     */
    public List<String> recordFailure(String objectKey, String etag, String loader, String error, Instant at) {
        return List.of(
                dialect.lockForObject(schema, objectKey),
                clearFailure(objectKey, etag),
                "INSERT INTO " + schema + ".load_log (object_key, etag, status, loader, error, loaded_at) "
                        + "SELECT " + dialect.quote(objectKey) + ", " + dialect.quote(etag) + ", '" + STATUS_FAILED + "', "
                        + dialect.quote(loader) + ", " + dialect.quote(StagingText.printable(error, 2000)) + ", "
                        + SqlLiterals.timestamp(at) + " WHERE " + notLoadedGuard(objectKey, etag));
    }

    /** Object versions already loaded under a key prefix: what the batch loader skips. */
    public String loadedUnder(String keyPrefix) {
        return "SELECT object_key, etag FROM " + schema + ".load_log WHERE status = '" + STATUS_LOADED + "'"
                + " AND SUBSTRING(object_key, 1, " + keyPrefix.length() + ") = " + dialect.quote(keyPrefix)
                + " ORDER BY object_key";
    }

    /** The object versions in {@link #loadedUnder}'s rows. */
    public static Set<LoadedObject> loadedObjects(QueryResult rows) {
        Set<LoadedObject> loaded = new LinkedHashSet<>();
        for (List<Object> row : rows.rows()) {
            loaded.add(new LoadedObject((String) row.get(0), (String) row.get(1)));
        }
        return loaded;
    }

    /** The load log row of one object version, read by {@link #loadResult}. */
    public String readLoadLog(String objectKey, String etag) {
        return "SELECT status, lines_read, rows_loaded, rows_duplicate, rows_quarantined, load_id FROM " + schema + ".load_log"
                + " WHERE object_key = " + dialect.quote(objectKey) + " AND etag = " + dialect.quote(etag);
    }

    /**
     * What a committed load did, from its {@link #readLoadLog} rows. A LOADED row another attempt wrote
     * (a racing loader committed this version first, and the guards made this attempt change nothing)
     * means this attempt found the object loaded.
     */
    public static LoadResult loadResult(QueryResult logged, String objectKey, String etag, String loadId, Duration elapsed) {
        List<List<Object>> rows = logged.rows();
        if (rows.isEmpty() || !STATUS_LOADED.equals(rows.get(0).get(0))) {
            throw new WarehouseException("load of " + objectKey + " committed but load_log has no LOADED row");
        }
        List<Object> r = rows.get(0);
        if (!loadId.equals(r.get(5))) {
            return LoadResult.alreadyLoaded(objectKey, etag, elapsed);
        }
        return new LoadResult(objectKey, etag, LoadResult.Status.LOADED, longAt(r, 1), longAt(r, 2), longAt(r, 3), longAt(r, 4),
                elapsed);
    }

    private static long longAt(List<Object> row, int i) {
        Object value = row.get(i);
        return value == null ? 0 : ((Number) value).longValue();
    }

    public String loaderWatermark(String rawPrefix) {
        return "SELECT CAST(oldest_unloaded_dt AS VARCHAR(10)) FROM " + schema + ".loader_watermark WHERE raw_prefix = "
                + dialect.quote(rawPrefix);
    }

    /** The watermark in {@link #loaderWatermark}'s rows, if there is one. */
    public static Optional<LocalDate> watermark(QueryResult rows) {
        return rows.rows().isEmpty() ? Optional.empty() : Optional.of(LocalDate.parse((String) rows.rows().get(0).get(0)));
    }

    /** Replaces a prefix's watermark in one transaction, under the load lock so racing loaders take turns. */
    public List<String> saveLoaderWatermark(String rawPrefix, LocalDate oldestUnloaded, Instant at) {
        String prefix = dialect.quote(rawPrefix);
        return List.of(
                dialect.lockForLoad(schema),
                "DELETE FROM " + schema + ".loader_watermark WHERE raw_prefix = " + prefix,
                "INSERT INTO " + schema + ".loader_watermark (raw_prefix, oldest_unloaded_dt, updated_at) VALUES ("
                        + prefix + ", " + SqlLiterals.date(oldestUnloaded) + ", " + SqlLiterals.timestamp(at) + ")");
    }
}
