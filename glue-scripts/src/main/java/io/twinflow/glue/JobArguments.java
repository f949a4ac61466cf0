package io.twinflow.glue;

import io.twinflow.core.aggregate.WindowState;
import io.twinflow.core.event.DecoderLimits;
import io.twinflow.core.pipeline.PipelineSpec;
import io.twinflow.core.settings.RollupArguments;
import io.twinflow.core.window.Windows;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Objects;

/**
 * The daily-rollup job's arguments, {@code --name value} pairs (or {@code --name=value}). Names this
 * job does not know are ignored: Glue adds its own ({@code --JOB_NAME}, {@code --JOB_ID},
 * {@code --TempDir}, ...). Without {@code --date}, {@code --scheduled-time} (the schedule's time) picks
 * the day. The names, and their parse into values, are core's {@link RollupArguments}, which the CDK
 * stack and the local runtime write them with; the module README lists them.
 *
 * @param date the day to roll up; a scheduled run's own day
 * @param lateness how long after midnight a scheduled run waits before it rolls up a day (default: the
 *     pipeline's {@code schedules().rollupLateness()}); later arrivals reach the day through rollup requests
 * @param limits the decoder's limits: core's defaults with {@code --max-future-skew} (the allowed clock skew)
 *     and {@code --max-lateness} (the lateness bound: older events are {@code TOO_LATE}, and the arrival
 *     hours read reach this far past the day), as the stream processor's settings give them
 * @param window the stream's event-time window size (default: the pipeline's)
 * @param maxWindowEvents distinct events one (device, window) holds (default: core's; smaller only in tests)
 * @param eventsPerFile roughly how many events one curated Parquet file holds
 * @param warehouse where the summaries go, or {@link Warehouse.None} to skip that step
 * @param scheduledTime the schedule's time when the run was started without {@code --date}, else null: such
 *     a run also rolls up the older days the warehouse has rollup requests for
 */
public record JobArguments(LocalDate date, String rawUri, String curatedUri, Duration lateness, DecoderLimits limits,
                           Duration window, int maxWindowEvents, long eventsPerFile, Warehouse warehouse, Instant scheduledTime) {

    public static final long DEFAULT_EVENTS_PER_FILE = 500_000;

    /** The warehouse the summaries are written to. */
    public sealed interface Warehouse {
        /** No warehouse: only the curated Parquet is written. */
        record None() implements Warehouse {
        }

        /** PostgreSQL over JDBC, the local stand-in for Redshift. */
        record Jdbc(String url, String user, String password, String schema) implements Warehouse {
            public Jdbc {
                Objects.requireNonNull(url, RollupArguments.WAREHOUSE_JDBC_URL);
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
        Objects.requireNonNull(date, RollupArguments.DATE);
        Objects.requireNonNull(rawUri, RollupArguments.RAW_URI);
        Objects.requireNonNull(curatedUri, RollupArguments.CURATED_URI);
        Objects.requireNonNull(lateness, "lateness");
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(window, "window");
        Objects.requireNonNull(warehouse, "warehouse");
        if (lateness.isNegative() || lateness.compareTo(Duration.ofDays(1)) > 0) {
            throw new IllegalArgumentException(RollupArguments.LATENESS + " must be between PT0S and P1D: " + lateness);
        }
        if (eventsPerFile < 1) {
            throw new IllegalArgumentException(RollupArguments.EVENTS_PER_FILE + " must be positive");
        }
        if (maxWindowEvents < 1) {
            throw new IllegalArgumentException(RollupArguments.MAX_WINDOW_EVENTS + " must be positive");
        }
        try {
            new Windows(window);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(RollupArguments.WINDOW + ": " + e.getMessage(), e);
        }
    }

    public Windows windows() {
        return new Windows(window);
    }

    /** Whether the run was started by the schedule (no {@code --date}). */
    public boolean scheduled() {
        return scheduledTime != null;
    }

    public static JobArguments parse(String... args) {
        RollupArguments named = RollupArguments.parse(args);
        PipelineSpec spec = PipelineSpec.defaults();
        Duration lateness = named.duration(RollupArguments.LATENESS, spec.schedules().rollupLateness());
        Instant scheduledTime = named.has(RollupArguments.DATE) ? null
                : scheduledTime(named.required(RollupArguments.SCHEDULED_TIME, RollupArguments.DATE));
        return new JobArguments(
                scheduledTime == null ? date(named.required(RollupArguments.DATE)) : PipelineSpec.Schedules.rollupDay(scheduledTime, lateness),
                directory(named.required(RollupArguments.RAW_URI), RollupArguments.RAW_URI),
                directory(named.required(RollupArguments.CURATED_URI), RollupArguments.CURATED_URI),
                lateness,
                named.decoderLimits(),
                named.duration(RollupArguments.WINDOW, spec.window()),
                named.integer(RollupArguments.MAX_WINDOW_EVENTS, WindowState.MAX_EVENTS),
                named.number(RollupArguments.EVENTS_PER_FILE, DEFAULT_EVENTS_PER_FILE),
                warehouse(named, spec.warehouse().schema()),
                scheduledTime);
    }

    private static Warehouse warehouse(RollupArguments named, String defaultSchema) {
        String schema = named.text(RollupArguments.WAREHOUSE_SCHEMA, defaultSchema);
        String kind = named.text(RollupArguments.WAREHOUSE, named.has(RollupArguments.WAREHOUSE_JDBC_URL)
                ? RollupArguments.WAREHOUSE_JDBC : RollupArguments.WAREHOUSE_NONE);
        return switch (kind) {
            case RollupArguments.WAREHOUSE_NONE -> new Warehouse.None();
            case RollupArguments.WAREHOUSE_JDBC -> new Warehouse.Jdbc(named.required(RollupArguments.WAREHOUSE_JDBC_URL),
                    named.text(RollupArguments.WAREHOUSE_USER).orElse(null),
                    named.text(RollupArguments.WAREHOUSE_PASSWORD).orElse(null), schema);
            case RollupArguments.WAREHOUSE_REDSHIFT_DATA -> {
                URI staging = URI.create(directory(named.required(RollupArguments.STAGING_URI), RollupArguments.STAGING_URI));
                if (!"s3".equals(staging.getScheme()) || staging.getHost() == null) {
                    throw new IllegalArgumentException(RollupArguments.STAGING_URI + " must be s3://bucket/prefix/: " + staging);
                }
                yield new Warehouse.RedshiftData(named.text(RollupArguments.WORKGROUP).orElse(null),
                        named.text(RollupArguments.CLUSTER).orElse(null), named.required(RollupArguments.DATABASE),
                        named.text(RollupArguments.SECRET_ARN).orElse(null), named.text(RollupArguments.DB_USER).orElse(null),
                        named.required(RollupArguments.COPY_ROLE_ARN), staging.getHost(), staging.getPath().substring(1), schema);
            }
            default -> throw new IllegalArgumentException(RollupArguments.WAREHOUSE + " must be jdbc, redshift-data or none: " + kind);
        };
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
            throw new IllegalArgumentException(RollupArguments.SCHEDULED_TIME + " must be an ISO-8601 time such as 2026-11-24T03:30:00Z: " + text, e);
        }
    }

    private static LocalDate date(String text) {
        try {
            return LocalDate.parse(text);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(RollupArguments.DATE + " must be YYYY-MM-DD: " + text, e);
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
