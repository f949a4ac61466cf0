package io.twinflow.warehouse.sql;

import java.util.List;

/**
 * Every difference between Amazon Redshift and PostgreSQL that the warehouse needs, in one place.
 * Migrations name these differences with {@code {{placeholder}}} markers (see {@link MigrationTemplate});
 * the load, summary and migration SQL ask for them by method. Everything else is SQL both engines
 * accept unchanged. Each method spells its difference for both engines side by side, and a switch over
 * the engines that misses one does not compile.
 */
public enum Dialect {

    POSTGRES,
    REDSHIFT;

    /** The type of a column holding a JSON document (the event's full metrics map). */
    public String jsonType() {
        return switch (this) {
            case POSTGRES -> "JSONB";
            case REDSHIFT -> "SUPER";
        };
    }

    /** A character type for unbounded text such as quarantined payloads. */
    public String longTextType() {
        return switch (this) {
            case POSTGRES -> "TEXT";
            // Redshift's TEXT is VARCHAR(256); the longest character type holds 65535 bytes.
            case REDSHIFT -> "VARCHAR(65535)";
        };
    }

    /** The most bytes of one quarantined payload the quarantine table stores. */
    public int maxStoredPayloadBytes() {
        return switch (this) {
            case POSTGRES -> 1024 * 1024;
            case REDSHIFT -> 65535;
        };
    }

    /** The physical-layout clause after {@code CREATE TABLE (...)}; PostgreSQL has none. */
    public String tableLayout(String distKey, List<String> sortKeys) {
        if (this == POSTGRES) {
            return "";
        }
        String dist = distKey.isEmpty() ? "DISTSTYLE AUTO" : "DISTSTYLE KEY DISTKEY (" + distKey + ")";
        return sortKeys.isEmpty() ? dist : dist + " COMPOUND SORTKEY (" + String.join(", ", sortKeys) + ")";
    }

    /** Turns a text expression holding JSON into the JSON column type. */
    public String parseJson(String textExpression) {
        return switch (this) {
            case POSTGRES -> "CAST(" + textExpression + " AS JSONB)";
            case REDSHIFT -> "JSON_PARSE(" + textExpression + ")";
        };
    }

    /** Minutes from {@code from} to {@code to} (two timestamp expressions), as a number. */
    public String minutesBetween(String from, String to) {
        return switch (this) {
            case POSTGRES -> "(EXTRACT(EPOCH FROM (" + to + ") - (" + from + ")) / 60.0)";
            case REDSHIFT -> "DATEDIFF(minute, " + from + ", " + to + ")";
        };
    }

    /** Whole days from {@code from} to {@code to} (two date expressions). */
    public String daysBetween(String from, String to) {
        return switch (this) {
            case POSTGRES -> "((" + to + ") - (" + from + "))";
            case REDSHIFT -> "DATEDIFF(day, " + from + ", " + to + ")";
        };
    }

    /**
     * Settings for the rest of one load's transaction. PostgreSQL: enough sort memory for the dedupe of
     * an object's lines (20,000 staged lines spilled ~9 MB to disk at the default 4 MB); Redshift sizes
     * query memory itself (WLM) and needs none.
     */
    public List<String> loadSettings() {
        return switch (this) {
            case POSTGRES -> List.of("SET LOCAL work_mem = '64MB'");
            case REDSHIFT -> List.of();
        };
    }

    /**
     * Statistics of a freshly loaded staging table's join columns, for the statements after it.
     * PostgreSQL keeps none for a temp table and guesses a few dozen rows; with that guess a slightly
     * narrower staging table once turned the per-window count into the inner side of a nested loop, run
     * once per staged line (minutes for 20,000 lines). A handful of columns costs little (a whole-row
     * ANALYZE with the payloads was measured too slow). The plan needs only rough counts (lines, distinct
     * (device, window)s), so the sample is 3,000 rows rather than 30,000 (every line of a 20,000-line
     * object): 10 ms instead of 25-35 ms, same plan. Redshift plans from its own table statistics.
     */
    public List<String> analyzeStaged(String table, List<String> columns) {
        return switch (this) {
            case POSTGRES -> List.of("SET LOCAL default_statistics_target = 10", "ANALYZE " + table + " (" + String.join(", ", columns) + ")");
            case REDSHIFT -> List.of();
        };
    }

    /** Creates a staging table that lives no longer than the load's transaction or session. */
    public String createTempTable(String name, String columns) {
        return "CREATE TEMP TABLE " + name + " (" + columns + ")" + tempTableLifetime();
    }

    /** Like {@link #createTempTable}, filled from a query. */
    public String createTempTableAs(String name, String query) {
        return "CREATE TEMP TABLE " + name + tempTableLifetime() + " AS " + query;
    }

    private String tempTableLifetime() {
        return switch (this) {
            // ON COMMIT DROP: a pooled connection never carries a staging table into the next load.
            case POSTGRES -> " ON COMMIT DROP";
            // A Data API batch is one session, so the temp table lives exactly as long as the load.
            case REDSHIFT -> "";
        };
    }

    /** How the target of a MERGE is written. */
    public String mergeTarget(String qualifiedTable, String alias) {
        return switch (this) {
            case POSTGRES -> qualifiedTable + " AS " + alias;
            // Redshift's MERGE takes no alias for its target; columns are qualified by the table name.
            case REDSHIFT -> qualifiedTable;
        };
    }

    /** How the target's columns are qualified inside a MERGE. */
    public String mergeTargetRef(String table, String alias) {
        return switch (this) {
            case POSTGRES -> alias;
            case REDSHIFT -> table;
        };
    }

    /** A string literal. Used where the Data API takes no bind parameters (batches, COPY). */
    public String quote(String value) {
        return switch (this) {
            // standard_conforming_strings is on (the default since 9.1): backslashes are literal.
            case POSTGRES -> "'" + value.replace("'", "''") + "'";
            // Redshift treats a backslash in a literal as an escape, so it is doubled too.
            case REDSHIFT -> "'" + value.replace("\\", "\\\\").replace("'", "''") + "'";
        };
    }

    /**
     * A FROM-clause continuation that turns each row of the events table under {@code eventsAlias} into
     * one row per entry of its {@code metrics} document, with columns {@code metric_name} and
     * {@code metric_text} (castable to DOUBLE PRECISION).
     */
    public String metricRows(String eventsAlias) {
        return switch (this) {
            case POSTGRES -> " CROSS JOIN LATERAL jsonb_each_text(" + eventsAlias + ".metrics) AS m(metric_name, metric_text)";
            // PartiQL object unpivoting: one row per attribute of the SUPER object.
            case REDSHIFT -> ", UNPIVOT " + eventsAlias + ".metrics AS metric_text AT metric_name";
        };
    }

    /** A text expression that compares and sorts by its UTF-8 bytes (stream positions, object keys). */
    public String bytewise(String textExpression) {
        return switch (this) {
            // The database's collation may be a natural-language one (en_US ignores punctuation at first);
            // stream order is byte order, as on Redshift.
            case POSTGRES -> textExpression + " COLLATE \"C\"";
            // Redshift compares character strings by their bytes already.
            case REDSHIFT -> textExpression;
        };
    }

    /*
     * Locks. Every one ends with the transaction, so a crashed writer releases it. PostgreSQL takes
     * transaction-scoped advisory locks; Redshift has none, so it LOCKs the tables a writer changes,
     * which also spares concurrent writers the serializable-isolation errors Redshift raises.
     */

    /** Serializes migration runners until the end of the transaction. */
    public String lockForMigrations(String schema) {
        return switch (this) {
            case POSTGRES -> advisoryLock("migrate", schema);
            case REDSHIFT -> "LOCK " + schema + ".schema_migrations";
        };
    }

    /**
     * Serializes the loaders of one raw object, so a second loader waits and then finds it loaded.
     * Redshift has only table locks: there it is the load lock.
     */
    public String lockForObject(String schema, String objectKey) {
        return switch (this) {
            case POSTGRES -> advisoryLock("object:" + objectKey, schema);
            case REDSHIFT -> lockForLoad(schema);
        };
    }

    /** Serializes raw-object loads until the end of the transaction. */
    public String lockForLoad(String schema) {
        return switch (this) {
            case POSTGRES -> advisoryLock("load", schema);
            case REDSHIFT -> "LOCK " + schema + ".events, " + schema + ".quarantine, " + schema + ".load_log, "
                    + schema + ".rollup_requests";
        };
    }

    /** Serializes summary replacements until the end of the transaction. */
    public String lockForSummaries(String schema) {
        return switch (this) {
            case POSTGRES -> advisoryLock("summaries", schema);
            case REDSHIFT -> "LOCK " + schema + ".device_daily_summary, " + schema + ".device_daily_metric, "
                    + schema + ".device_hourly, " + schema + ".device_hourly_metric";
        };
    }

    private static String advisoryLock(String purpose, String schema) {
        return "SELECT pg_advisory_xact_lock(" + lockKey(purpose, schema) + ")";
    }

    /** A stable 64-bit advisory-lock key for one purpose in one schema. */
    static long lockKey(String purpose, String schema) {
        return Hashing.fnv1a64("twinflow." + schema + "." + purpose);
    }
}
