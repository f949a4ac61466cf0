package io.twinflow.warehouse;

import io.twinflow.core.alert.AlertRules;
import io.twinflow.warehouse.jdbc.JdbcWarehouse;
import io.twinflow.warehouse.redshift.RedshiftDataApiWarehouse;
import io.twinflow.warehouse.sql.Dialect;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The warehouse as the batch jobs and the CLI see it, whatever engine is behind it:
 * {@link RedshiftDataApiWarehouse} in AWS, {@link JdbcWarehouse} on PostgreSQL locally. Every
 * operation is one transaction and safe to repeat.
 */
public interface Warehouse {

    /** Applies the migrations not yet applied; returns their versions. Safe to run concurrently. */
    List<Integer> migrate();

    /**
     * Loads one raw archive object (gzip NDJSON) into {@code events} and {@code quarantine} and records
     * it in {@code load_log}, all or nothing. An object version (key and ETag) that is already loaded
     * is not loaded again; events already in the warehouse are not duplicated.
     */
    LoadResult load(RawObject object);

    /** The object versions under {@code keyPrefix} that are loaded: the batch loader skips these. */
    Set<LoadedObject> loadedObjects(String keyPrefix);

    /**
     * Replaces the daily and hourly summaries of one event-time day with these rows in one
     * transaction, so a rerun of the rollup overwrites its day instead of adding to it.
     *
     * @param daily one row per device, each starting at {@code dt}'s midnight UTC
     * @param hourly one row per device and hour of {@code dt}
     */
    void replaceDaySummaries(LocalDate dt, List<DeviceSummary> daily, List<DeviceSummary> hourly);

    /**
     * Like {@link #replaceDaySummaries(LocalDate, List, List)}, and in the same transaction deletes the
     * rollup requests of {@code dt} made no later than {@code requestsUpTo}: the moment the rollup
     * listed the raw objects it read. A request made after that (a load that committed while the
     * rollup ran) stays, so that day is rolled up again.
     */
    void replaceDaySummaries(LocalDate dt, List<DeviceSummary> daily, List<DeviceSummary> hourly, Instant requestsUpTo);

    /**
     * The event days with a pending rollup request, oldest first: days that received new rows after
     * their summaries may have been written (late events, objects loaded late).
     */
    List<LocalDate> pendingRollupDays();

    /**
     * The batch loader's horizon for a raw prefix: the oldest {@code dt=} partition that may still hold
     * an object not loaded. Empty before the first run (the loader then lists the whole archive once).
     */
    Optional<LocalDate> loaderWatermark(String rawPrefix);

    /** Stores the loader's horizon for a raw prefix (replacing the previous one). */
    void saveLoaderWatermark(String rawPrefix, LocalDate oldestUnloaded);

    /** Replaces the alert rules the alert report applies, so it uses the stream's thresholds. */
    void replaceAlertRules(AlertRules rules);

    /**
     * Runs one SQL statement in its own transaction and returns its rows (reports, ad-hoc queries,
     * reconciliation); a statement without a result set returns no columns and no rows. Values are
     * Long, Double, Boolean, String or null; other types (timestamps, dates, decimals) as their text.
     */
    QueryResult query(String sql);

    /** The SQL dialect of the engine behind this warehouse, for queries written outside this module. */
    Dialect dialect();
}
