package io.twinflow.warehouse.sql;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Every difference between Amazon Redshift and PostgreSQL that the warehouse needs, in one place.
 * Migrations name these differences with {@code {{placeholder}}} markers (see {@link #render}); the
 * load SQL asks for them by method. Everything else is SQL both engines accept unchanged.
 */
public enum Dialect {

    POSTGRES {
        @Override
        public String jsonType() {
            return "JSONB";
        }

        @Override
        public String longTextType() {
            return "TEXT";
        }

        @Override
        public String tableLayout(String distKey, List<String> sortKeys) {
            return "";
        }

        @Override
        public String parseJson(String textExpression) {
            return "CAST(" + textExpression + " AS JSONB)";
        }

        @Override
        public String minutesBetween(String from, String to) {
            return "(EXTRACT(EPOCH FROM (" + to + ") - (" + from + ")) / 60.0)";
        }

        @Override
        public String daysBetween(String from, String to) {
            return "((" + to + ") - (" + from + "))";
        }

        @Override
        public String createTempTable(String name, String columns) {
            // ON COMMIT DROP: a pooled connection never carries a staging table into the next load.
            return "CREATE TEMP TABLE " + name + " (" + columns + ") ON COMMIT DROP";
        }

        @Override
        public String createTempTableAs(String name, String query) {
            return "CREATE TEMP TABLE " + name + " ON COMMIT DROP AS " + query;
        }

        @Override
        public String mergeTarget(String qualifiedTable, String alias) {
            return qualifiedTable + " AS " + alias;
        }

        @Override
        public String mergeTargetRef(String table, String alias) {
            return alias;
        }

        @Override
        public String quote(String value) {
            // standard_conforming_strings is on (the default since 9.1): backslashes are literal.
            return "'" + value.replace("'", "''") + "'";
        }

        @Override
        public int maxStoredPayloadBytes() {
            return 1024 * 1024;
        }

        @Override
        public String lockForLoad(String schema) {
            // A transaction-scoped advisory lock: released by commit or rollback, even when the client dies.
            return "SELECT pg_advisory_xact_lock(" + lockKey("load", schema) + ")";
        }

        @Override
        public String lockForSummaries(String schema) {
            return "SELECT pg_advisory_xact_lock(" + lockKey("summaries", schema) + ")";
        }

        @Override
        public String metricRows(String eventsAlias) {
            return " CROSS JOIN LATERAL jsonb_each_text(" + eventsAlias + ".metrics) AS m(metric_name, metric_text)";
        }

        @Override
        public String bytewise(String textExpression) {
            // The database's collation may be a natural-language one (en_US ignores punctuation at first);
            // stream order is byte order, as on Redshift.
            return textExpression + " COLLATE \"C\"";
        }
    },

    REDSHIFT {
        @Override
        public String jsonType() {
            return "SUPER";
        }

        @Override
        public String longTextType() {
            // Redshift's TEXT is VARCHAR(256); the longest character type holds 65535 bytes.
            return "VARCHAR(65535)";
        }

        @Override
        public String tableLayout(String distKey, List<String> sortKeys) {
            String dist = distKey.isEmpty() ? "DISTSTYLE AUTO" : "DISTSTYLE KEY DISTKEY (" + distKey + ")";
            return sortKeys.isEmpty() ? dist : dist + " COMPOUND SORTKEY (" + String.join(", ", sortKeys) + ")";
        }

        @Override
        public String parseJson(String textExpression) {
            return "JSON_PARSE(" + textExpression + ")";
        }

        @Override
        public String minutesBetween(String from, String to) {
            return "DATEDIFF(minute, " + from + ", " + to + ")";
        }

        @Override
        public String daysBetween(String from, String to) {
            return "DATEDIFF(day, " + from + ", " + to + ")";
        }

        @Override
        public String createTempTable(String name, String columns) {
            // A Data API batch is one session, so the temp table lives exactly as long as the load.
            return "CREATE TEMP TABLE " + name + " (" + columns + ")";
        }

        @Override
        public String createTempTableAs(String name, String query) {
            return "CREATE TEMP TABLE " + name + " AS " + query;
        }

        @Override
        public String mergeTarget(String qualifiedTable, String alias) {
            // Redshift's MERGE takes no alias for its target; columns are qualified by the table name.
            return qualifiedTable;
        }

        @Override
        public String mergeTargetRef(String table, String alias) {
            return table;
        }

        @Override
        public String quote(String value) {
            // Redshift treats a backslash in a literal as an escape, so it is doubled too.
            return "'" + value.replace("\\", "\\\\").replace("'", "''") + "'";
        }

        @Override
        public int maxStoredPayloadBytes() {
            return 65535;
        }

        @Override
        public String lockForLoad(String schema) {
            // Redshift has no advisory locks; LOCK holds the tables exclusively until the transaction ends,
            // which also spares concurrent writers the serializable-isolation errors Redshift raises.
            return "LOCK " + schema + ".events, " + schema + ".quarantine, " + schema + ".load_log, " + schema + ".rollup_requests";
        }

        @Override
        public String lockForSummaries(String schema) {
            return "LOCK " + schema + ".device_daily_summary, " + schema + ".device_daily_metric, "
                    + schema + ".device_hourly, " + schema + ".device_hourly_metric";
        }

        @Override
        public String metricRows(String eventsAlias) {
            // PartiQL object unpivoting: one row per attribute of the SUPER object.
            return ", UNPIVOT " + eventsAlias + ".metrics AS metric_text AT metric_name";
        }

        @Override
        public String bytewise(String textExpression) {
            // Redshift compares character strings by their bytes already.
            return textExpression;
        }
    };

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{([a-z_]+)(?::([^}]*))?}}");
    private static final String ONLY_MARKER = "only:";

    /** The type of a column holding a JSON document (the event's full metrics map). */
    public abstract String jsonType();

    /** A character type for unbounded text such as quarantined payloads. */
    public abstract String longTextType();

    /** The physical-layout clause after {@code CREATE TABLE (...)}; PostgreSQL has none. */
    public abstract String tableLayout(String distKey, List<String> sortKeys);

    /** Turns a text expression holding JSON into the JSON column type. */
    public abstract String parseJson(String textExpression);

    /** Minutes from {@code from} to {@code to} (two timestamp expressions), as a number. */
    public abstract String minutesBetween(String from, String to);

    /** Whole days from {@code from} to {@code to} (two date expressions). */
    public abstract String daysBetween(String from, String to);

    /** Creates a staging table that lives no longer than the load's transaction or session. */
    public abstract String createTempTable(String name, String columns);

    /** Like {@link #createTempTable}, filled from a query. */
    public abstract String createTempTableAs(String name, String query);

    /** How the target of a MERGE is written. */
    public abstract String mergeTarget(String qualifiedTable, String alias);

    /** How the target's columns are qualified inside a MERGE. */
    public abstract String mergeTargetRef(String table, String alias);

    /** A string literal. Used where the Data API takes no bind parameters (batches, COPY). */
    public abstract String quote(String value);

    /** The most bytes of one quarantined payload the quarantine table stores. */
    public abstract int maxStoredPayloadBytes();

    /** Serializes raw-object loads until the end of the transaction. */
    public abstract String lockForLoad(String schema);

    /** Serializes summary replacements until the end of the transaction. */
    public abstract String lockForSummaries(String schema);

    /**
     * A FROM-clause continuation that turns each row of the events table under {@code eventsAlias} into
     * one row per entry of its {@code metrics} document, with columns {@code metric_name} and
     * {@code metric_text} (castable to DOUBLE PRECISION).
     */
    public abstract String metricRows(String eventsAlias);

    /** A text expression that compares and sorts by its UTF-8 bytes (stream positions, object keys). */
    public abstract String bytewise(String textExpression);

    /** A stable 64-bit advisory-lock key for one purpose in one schema. */
    public static long lockKey(String purpose, String schema) {
        return Hashing.fnv1a64("twinflow." + schema + "." + purpose);
    }

    /**
     * Renders a migration template: replaces {@code {{schema}}}, {@code {{json}}}, {@code {{long_text}}},
     * {@code {{layout:distkey|sortkey,sortkey}}}, {@code {{minutes_between:a|b}}} and
     * {@code {{days_between:a|b}}}, and drops each statement with a leading comment
     * {@code -- only: <dialect>} for another dialect (e.g. PostgreSQL's secondary indexes, which
     * Redshift does not have).
     */
    public String render(String template, String schema) {
        StringBuilder out = new StringBuilder(template.length());
        for (String statement : SqlScript.split(template)) {
            String only = SqlScript.leadingComments(statement).stream()
                    .filter(c -> c.startsWith(ONLY_MARKER))
                    .map(c -> c.substring(ONLY_MARKER.length()).strip())
                    .findFirst().orElse(null);
            if (only != null && !name().equalsIgnoreCase(only)) {
                continue;
            }
            out.append(substitute(statement, schema)).append(";\n\n");
        }
        return out.toString();
    }

    private String substitute(String sql, String schema) {
        Matcher m = PLACEHOLDER.matcher(sql);
        StringBuilder out = new StringBuilder(sql.length());
        while (m.find()) {
            String arg = m.group(2);
            String value = switch (m.group(1)) {
                case "schema" -> schema;
                case "json" -> jsonType();
                case "long_text" -> longTextType();
                case "layout" -> {
                    String[] parts = args(m, 2);
                    yield tableLayout(parts[0].strip(), parts[1].isBlank() ? List.of()
                            : List.of(parts[1].split("\\s*,\\s*")).stream().map(String::strip).toList());
                }
                case "minutes_between" -> {
                    String[] parts = args(m, 2);
                    yield minutesBetween(parts[0].strip(), parts[1].strip());
                }
                case "days_between" -> {
                    String[] parts = args(m, 2);
                    yield daysBetween(parts[0].strip(), parts[1].strip());
                }
                default -> throw new IllegalArgumentException("unknown placeholder " + m.group());
            };
            if (arg != null && !List.of("layout", "minutes_between", "days_between").contains(m.group(1))) {
                throw new IllegalArgumentException("placeholder takes no argument: " + m.group());
            }
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static String[] args(Matcher m, int count) {
        String arg = m.group(2);
        String[] parts = arg == null ? new String[0] : arg.split("\\|", -1);
        if (parts.length != count) {
            throw new IllegalArgumentException(m.group() + " needs " + count + " arguments separated by '|'");
        }
        return parts;
    }
}
