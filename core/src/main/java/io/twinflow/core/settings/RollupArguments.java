package io.twinflow.core.settings;

import io.twinflow.core.event.DecoderLimits;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The daily-rollup job's arguments: every argument's name, the {@code --name value} (or
 * {@code --name=value}) parse and the typed lookups whose errors name the argument. It lives in core,
 * not in the Spark module, because both sides need the names: the CDK stack writes them as the Glue
 * job's default arguments, the local runtime onto the job's command line, and the job's
 * {@code JobArguments} reads them through this class. Names the job does not know are kept but never
 * asked for: Glue adds its own ({@code --JOB_NAME}, {@code --JOB_ID}, {@code --TempDir}, ...).
 */
public final class RollupArguments {

    public static final String DATE = "--date";
    public static final String SCHEDULED_TIME = "--scheduled-time";
    public static final String RAW_URI = "--raw-uri";
    public static final String CURATED_URI = "--curated-uri";
    public static final String LATENESS = "--lateness";
    public static final String MAX_FUTURE_SKEW = "--max-future-skew";
    public static final String MAX_LATENESS = "--max-lateness";
    public static final String WINDOW = "--window";
    public static final String MAX_WINDOW_EVENTS = "--max-window-events";
    public static final String EVENTS_PER_FILE = "--events-per-file";
    /** One of {@link #WAREHOUSE_NONE}, {@link #WAREHOUSE_JDBC}, {@link #WAREHOUSE_REDSHIFT_DATA}. */
    public static final String WAREHOUSE = "--warehouse";
    public static final String WAREHOUSE_SCHEMA = "--warehouse-schema";
    public static final String WAREHOUSE_JDBC_URL = "--warehouse-jdbc-url";
    public static final String WAREHOUSE_USER = "--warehouse-user";
    public static final String WAREHOUSE_PASSWORD = "--warehouse-password";
    public static final String WORKGROUP = "--workgroup";
    public static final String CLUSTER = "--cluster";
    public static final String DATABASE = "--database";
    public static final String SECRET_ARN = "--secret-arn";
    public static final String DB_USER = "--db-user";
    public static final String COPY_ROLE_ARN = "--copy-role-arn";
    public static final String STAGING_URI = "--staging-uri";

    public static final String WAREHOUSE_NONE = "none";
    public static final String WAREHOUSE_JDBC = "jdbc";
    public static final String WAREHOUSE_REDSHIFT_DATA = "redshift-data";

    private static final String DASHES = "--";

    private final Map<String, String> named;

    private RollupArguments(Map<String, String> named) {
        this.named = Map.copyOf(named);
    }

    public static RollupArguments parse(String... args) {
        Map<String, String> named = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (!arg.startsWith(DASHES)) {
                continue; // a stray value of an ignored Glue argument
            }
            int eq = arg.indexOf('=');
            if (eq > 0) {
                named.put(arg.substring(0, eq), arg.substring(eq + 1));
            } else if (i + 1 < args.length && !args[i + 1].startsWith(DASHES)) {
                named.put(arg, args[++i]);
            } else {
                named.put(arg, "");
            }
        }
        return new RollupArguments(named);
    }

    /**
     * The decoder limits as the job is started with them: the two arguments {@link #decoderLimits()}
     * reads back, as ISO-8601 durations, in a stable order.
     */
    public static Map<String, String> decoderLimitArguments(DecoderLimits limits) {
        Map<String, String> arguments = new TreeMap<>();
        arguments.put(MAX_FUTURE_SKEW, limits.maxFutureSkew().toString());
        arguments.put(MAX_LATENESS, limits.maxLateness().toString());
        return arguments;
    }

    public boolean has(String name) {
        return named.containsKey(name);
    }

    public Optional<String> text(String name) {
        return Optional.ofNullable(named.get(name));
    }

    public String text(String name, String fallback) {
        return named.getOrDefault(name, fallback);
    }

    public String required(String name) {
        return required(name, name);
    }

    /** A required value; its absence is reported as {@code reportedName} (an argument that can stand in for it). */
    public String required(String name, String reportedName) {
        String value = named.get(name);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("missing argument " + reportedName);
        }
        return value;
    }

    public Duration duration(String name, Duration fallback) {
        String text = named.get(name);
        if (text == null) {
            return fallback;
        }
        try {
            return Duration.parse(text);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(name + " must be an ISO-8601 duration such as PT3H: " + text, e);
        }
    }

    public int integer(String name, int fallback) {
        long value = number(name, fallback);
        if (value != (int) value) {
            throw new IllegalArgumentException(name + " is out of range: " + value);
        }
        return (int) value;
    }

    public long number(String name, long fallback) {
        String text = named.get(name);
        if (text == null) {
            return fallback;
        }
        try {
            return Long.parseLong(text.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be an integer: " + text, e);
        }
    }

    /** Core's default limits with the skew and the lateness bound these arguments set. */
    public DecoderLimits decoderLimits() {
        DecoderLimits defaults = DecoderLimits.defaults();
        Duration skew = duration(MAX_FUTURE_SKEW, defaults.maxFutureSkew());
        Duration lateness = duration(MAX_LATENESS, defaults.maxLateness());
        try {
            return defaults.withMaxFutureSkew(skew).withMaxLateness(lateness);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(MAX_FUTURE_SKEW + " / " + MAX_LATENESS + ": " + e.getMessage(), e);
        }
    }
}
