package io.twinflow.glue;

import io.twinflow.core.aggregate.WindowState;
import io.twinflow.core.event.DecoderLimits;
import io.twinflow.core.pipeline.PipelineSpec;
import io.twinflow.core.window.Windows;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The daily-rollup job's arguments, {@code --name value} pairs (or {@code --name=value}). Names this
 * job does not know are ignored: Glue adds its own ({@code --JOB_NAME}, {@code --JOB_ID},
 * {@code --TempDir}, ...). Without {@code --date}, {@code --scheduled-time} (the schedule's time) picks
 * the day. See the module README for the list.
 *
 * @param date the day to roll up; a scheduled run's own day
 * @param lateness how long after midnight a scheduled run waits before it rolls up a day (default: the
 *     pipeline's {@code schedules().rollupLateness()}); later arrivals reach the day through rollup requests
 * @param maxFutureSkew the decoder's allowed clock skew (default: core's, as the stream processor)
 * @param maxLateness the lateness bound: older events are {@code TOO_LATE}, and the arrival hours read
 *     reach this far past the day (default: core's, as the stream processor)
 * @param window the stream's event-time window size (default: the pipeline's)
 * @param maxWindowEvents distinct events one (device, window) holds (default: core's; smaller only in tests)
 * @param eventsPerFile roughly how many events one curated Parquet file holds
 * @param warehouse where the summaries go, or {@link Warehouse.None} to skip that step
 * @param scheduledTime the schedule's time when the run was started without {@code --date}, else null: such
 *     a run also rolls up the older days the warehouse has rollup requests for
 */
public record JobArguments(LocalDate date, String rawUri, String curatedUri, Duration lateness, Duration maxFutureSkew,
                           Duration maxLateness, Duration window, int maxWindowEvents, long eventsPerFile,
                           Warehouse warehouse, Instant scheduledTime) {

    public static final long DEFAULT_EVENTS_PER_FILE = 500_000;

    /** The warehouse the summaries are written to. */
    public sealed interface Warehouse {
        /** No warehouse: only the curated Parquet is written. */
        record None() implements Warehouse {
        }

        /** PostgreSQL over JDBC, the local stand-in for Redshift. */
        record Jdbc(String url, String user, String password, String schema) implements Warehouse {
            public Jdbc {
                Objects.requireNonNull(url, "--warehouse-jdbc-url");
            }

            @Override
            public String toString() {
                return "Jdbc[url=" + url + ", user=" + user + ", schema=" + schema + "]"; // never the password
            }
        }

        /**
         * Redshift through the Data API. Exactly one of {@code workgroup} and {@code cluster};
         * {@code secretArn} or {@code dbUser}. The summaries are staged as CSV under {@code stagingUri}
         * and COPYed with {@code copyRoleArn}.
         */
        record RedshiftData(String workgroup, String cluster, String database, String secretArn, String dbUser,
                            String copyRoleArn, String stagingBucket, String stagingPrefix, String schema) implements Warehouse {
        }
    }

    public JobArguments {
        Objects.requireNonNull(date, "--date");
        Objects.requireNonNull(rawUri, "--raw-uri");
        Objects.requireNonNull(curatedUri, "--curated-uri");
        Objects.requireNonNull(lateness, "lateness");
        Objects.requireNonNull(maxFutureSkew, "maxFutureSkew");
        Objects.requireNonNull(maxLateness, "maxLateness");
        Objects.requireNonNull(window, "window");
        Objects.requireNonNull(warehouse, "warehouse");
        if (lateness.isNegative() || lateness.compareTo(Duration.ofDays(1)) > 0) {
            throw new IllegalArgumentException("--lateness must be between PT0S and P1D: " + lateness);
        }
        if (eventsPerFile < 1) {
            throw new IllegalArgumentException("--events-per-file must be positive");
        }
        if (maxWindowEvents < 1) {
            throw new IllegalArgumentException("--max-window-events must be positive");
        }
        try {
            // The parameters, not the accessors: in a compact constructor the fields are not assigned yet.
            DecoderLimits.defaults().withMaxFutureSkew(maxFutureSkew).withMaxLateness(maxLateness);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--max-future-skew / --max-lateness: " + e.getMessage(), e);
        }
        try {
            new Windows(window);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--window: " + e.getMessage(), e);
        }
    }

    /** The decoder limits: core's defaults with this run's skew and lateness bound, as the stream's settings give them. */
    public DecoderLimits limits() {
        return DecoderLimits.defaults().withMaxFutureSkew(maxFutureSkew).withMaxLateness(maxLateness);
    }

    public Windows windows() {
        return new Windows(window);
    }

    /** Whether the run was started by the schedule (no {@code --date}). */
    public boolean scheduled() {
        return scheduledTime != null;
    }

    public static JobArguments parse(String... args) {
        Map<String, String> named = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (!arg.startsWith("--")) {
                continue; // a stray value of an ignored Glue argument
            }
            int eq = arg.indexOf('=');
            if (eq > 0) {
                named.put(arg.substring(2, eq), arg.substring(eq + 1));
            } else if (i + 1 < args.length && !args[i + 1].startsWith("--")) {
                named.put(arg.substring(2), args[++i]);
            } else {
                named.put(arg.substring(2), "");
            }
        }
        PipelineSpec spec = PipelineSpec.defaults();
        Duration lateness = duration(named, "lateness", spec.schedules().rollupLateness());
        Instant scheduledTime = named.containsKey("date") ? null : scheduledTime(required(named, "scheduled-time", "date"));
        DecoderLimits defaults = DecoderLimits.defaults();
        return new JobArguments(
                scheduledTime == null ? date(required(named, "date")) : PipelineSpec.Schedules.rollupDay(scheduledTime, lateness),
                directory(required(named, "raw-uri"), "--raw-uri"),
                directory(required(named, "curated-uri"), "--curated-uri"),
                lateness,
                duration(named, "max-future-skew", defaults.maxFutureSkew()),
                duration(named, "max-lateness", defaults.maxLateness()),
                duration(named, "window", spec.window()),
                Integer.parseInt(named.getOrDefault("max-window-events", String.valueOf(WindowState.MAX_EVENTS))),
                Long.parseLong(named.getOrDefault("events-per-file", String.valueOf(DEFAULT_EVENTS_PER_FILE))),
                warehouse(named, spec.warehouse().schema()),
                scheduledTime);
    }

    private static Warehouse warehouse(Map<String, String> named, String defaultSchema) {
        String schema = named.getOrDefault("warehouse-schema", defaultSchema);
        String kind = named.getOrDefault("warehouse", named.containsKey("warehouse-jdbc-url") ? "jdbc" : "none");
        return switch (kind) {
            case "none" -> new Warehouse.None();
            case "jdbc" -> new Warehouse.Jdbc(required(named, "warehouse-jdbc-url"), named.get("warehouse-user"),
                    named.get("warehouse-password"), schema);
            case "redshift-data" -> {
                URI staging = URI.create(directory(required(named, "staging-uri"), "--staging-uri"));
                if (!"s3".equals(staging.getScheme()) || staging.getHost() == null) {
                    throw new IllegalArgumentException("--staging-uri must be s3://bucket/prefix/: " + staging);
                }
                yield new Warehouse.RedshiftData(named.get("workgroup"), named.get("cluster"), required(named, "database"),
                        named.get("secret-arn"), named.get("db-user"), required(named, "copy-role-arn"),
                        staging.getHost(), staging.getPath().substring(1), schema);
            }
            default -> throw new IllegalArgumentException("--warehouse must be jdbc, redshift-data or none: " + kind);
        };
    }

    private static String required(Map<String, String> named, String name) {
        return required(named, name, name);
    }

    private static String required(Map<String, String> named, String name, String reportedName) {
        String value = named.get(name);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("missing argument --" + reportedName);
        }
        return value;
    }

    /**
     * The day a scheduled run rolls up when no {@code --date} is given (EventBridge Scheduler passes its
     * time, it cannot compute a date): the latest day whose arrivals are complete, i.e. whose midnight
     * plus the lateness is not after the scheduled time. A retried run keeps its scheduled time and so
     * its day.
     */
    static LocalDate scheduledDay(String scheduledTime, Duration lateness) {
        return PipelineSpec.Schedules.rollupDay(scheduledTime(scheduledTime), lateness);
    }

    private static Instant scheduledTime(String text) {
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("--scheduled-time must be an ISO-8601 time such as 2026-11-24T03:30:00Z: " + text, e);
        }
    }

    private static LocalDate date(String text) {
        try {
            return LocalDate.parse(text);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("--date must be YYYY-MM-DD: " + text, e);
        }
    }

    private static Duration duration(Map<String, String> named, String name, Duration fallback) {
        String text = named.get(name);
        if (text == null) {
            return fallback;
        }
        try {
            return Duration.parse(text);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("--" + name + " must be an ISO-8601 duration such as PT3H: " + text, e);
        }
    }

    /** Paths are joined to these, so a missing trailing slash would glue names together. */
    private static String directory(String uri, String name) {
        if (!uri.contains("://")) {
            throw new IllegalArgumentException(name + " must be a URI such as s3a://bucket/prefix/: " + uri);
        }
        return uri.endsWith("/") ? uri : uri + "/";
    }
}
