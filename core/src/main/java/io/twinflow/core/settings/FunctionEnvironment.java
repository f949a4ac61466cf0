package io.twinflow.core.settings;

import io.twinflow.core.alert.AlertRules;
import io.twinflow.core.event.DecoderLimits;
import io.twinflow.core.pipeline.PipelineSpec;
import io.twinflow.core.window.Windows;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The environment the Lambda functions are configured by: every variable's name, and its parse into a
 * value. It lives in core, not next to the handlers, because both sides need the names: the CDK stack
 * and the local runtime write them, the functions' {@code FunctionSettings} reads them through this class,
 * and neither the stack nor core may depend on the Lambda module. The {@code TWINFLOW_REDSHIFT_*}
 * variables are the warehouse adapter's and are read there.
 *
 * <table>
 *   <caption>Environment variables</caption>
 *   <tr><td>{@value #REGION}, {@value #DEFAULT_REGION}</td><td>region of the clients (set by Lambda; default us-east-1)</td></tr>
 *   <tr><td>{@value #PREFIX}</td><td>resource name prefix of {@link PipelineSpec} (default {@code twinflow})</td></tr>
 *   <tr><td>{@value #DEVICE_STATE_TABLE}, {@value #WINDOW_TABLE}, {@value #ALERT_TABLE}</td>
 *       <td>table names; default from the spec</td></tr>
 *   <tr><td>{@value #QUARANTINE_BUCKET}, {@value #RAW_BUCKET}</td><td>buckets; default from the spec</td></tr>
 *   <tr><td>{@value #LOADER_LOOKBACK_DAYS}</td><td>days of raw partitions the batch loader scans (default 3)</td></tr>
 *   <tr><td>{@value #WINDOW_SECONDS}</td><td>window size (default: the spec's, 60)</td></tr>
 *   <tr><td>{@value #WINDOW_RETENTION_DAYS}</td><td>TTL of window and alert items (default 35)</td></tr>
 *   <tr><td>{@value #ALERT_RULES}</td><td>{@code id:metric>threshold,...} (default {@link AlertRules#DEFAULT_SPEC})</td></tr>
 *   <tr><td>{@value #MAX_FUTURE_SKEW_SECONDS}</td><td>allowed clock skew of device time (default 300)</td></tr>
 *   <tr><td>{@value #MAX_LATENESS_SECONDS}</td><td>the lateness bound: older events are TOO_LATE (default 172800, 2 days)</td></tr>
 *   <tr><td>{@value #ENDPOINT_DYNAMODB}, {@value #ENDPOINT_S3}</td><td>endpoint overrides for local stacks</td></tr>
 *   <tr><td>{@value #SDK_MAX_ATTEMPTS}</td><td>SDK attempts per call, with backoff (default 6)</td></tr>
 *   <tr><td>{@value #WRITE_CONCURRENCY}</td><td>parallel writes per invocation (default 8)</td></tr>
 *   <tr><td>{@value #LAMBDA_FUNCTION_NAME}, {@value #ACCESS_KEY_ID}</td><td>only looked at: where credentials come from</td></tr>
 * </table>
 */
public final class FunctionEnvironment {

    public static final String REGION = "AWS_REGION";
    public static final String DEFAULT_REGION = "AWS_DEFAULT_REGION";
    public static final String LAMBDA_FUNCTION_NAME = "AWS_LAMBDA_FUNCTION_NAME";
    public static final String ACCESS_KEY_ID = "AWS_ACCESS_KEY_ID";
    public static final String PREFIX = "TWINFLOW_PREFIX";
    public static final String DEVICE_STATE_TABLE = "TWINFLOW_DEVICE_STATE_TABLE";
    public static final String WINDOW_TABLE = "TWINFLOW_WINDOW_TABLE";
    public static final String ALERT_TABLE = "TWINFLOW_ALERT_TABLE";
    public static final String QUARANTINE_BUCKET = "TWINFLOW_QUARANTINE_BUCKET";
    public static final String RAW_BUCKET = "TWINFLOW_RAW_BUCKET";
    public static final String LOADER_LOOKBACK_DAYS = "TWINFLOW_LOADER_LOOKBACK_DAYS";
    public static final String WINDOW_SECONDS = "TWINFLOW_WINDOW_SECONDS";
    public static final String WINDOW_RETENTION_DAYS = "TWINFLOW_WINDOW_RETENTION_DAYS";
    public static final String ALERT_RULES = "TWINFLOW_ALERT_RULES";
    public static final String MAX_FUTURE_SKEW_SECONDS = "TWINFLOW_MAX_FUTURE_SKEW_SECONDS";
    public static final String MAX_LATENESS_SECONDS = "TWINFLOW_MAX_LATENESS_SECONDS";
    public static final String ENDPOINT_DYNAMODB = "TWINFLOW_ENDPOINT_DYNAMODB";
    public static final String ENDPOINT_S3 = "TWINFLOW_ENDPOINT_S3";
    public static final String SDK_MAX_ATTEMPTS = "TWINFLOW_SDK_MAX_ATTEMPTS";
    public static final String WRITE_CONCURRENCY = "TWINFLOW_WRITE_CONCURRENCY";

    public static final String FALLBACK_REGION = "us-east-1";
    public static final int DEFAULT_LOADER_LOOKBACK_DAYS = 3;
    public static final int DEFAULT_WINDOW_RETENTION_DAYS = 35;
    public static final int DEFAULT_SDK_MAX_ATTEMPTS = 6;
    public static final int DEFAULT_WRITE_CONCURRENCY = 8;

    private final Map<String, String> variables;

    private FunctionEnvironment(Map<String, String> variables) {
        this.variables = Map.copyOf(variables);
    }

    public static FunctionEnvironment of(Map<String, String> variables) {
        return new FunctionEnvironment(Objects.requireNonNull(variables, "variables"));
    }

    /**
     * The decoder limits as a function is deployed with them: the two variables {@link #decoderLimits()}
     * reads back, in whole seconds, in a stable order.
     */
    public static Map<String, String> decoderLimitVariables(DecoderLimits limits) {
        Map<String, String> variables = new TreeMap<>();
        variables.put(MAX_FUTURE_SKEW_SECONDS, String.valueOf(limits.maxFutureSkew().toSeconds()));
        variables.put(MAX_LATENESS_SECONDS, String.valueOf(limits.maxLateness().toSeconds()));
        return variables;
    }

    public boolean has(String name) {
        return variables.containsKey(name);
    }

    public String region() {
        return variables.getOrDefault(REGION, variables.getOrDefault(DEFAULT_REGION, FALLBACK_REGION));
    }

    public PipelineSpec spec() {
        return PipelineSpec.withPrefix(variables.getOrDefault(PREFIX, PipelineSpec.DEFAULT_PREFIX));
    }

    public String deviceStateTable() {
        return variables.getOrDefault(DEVICE_STATE_TABLE, spec().tables().deviceState());
    }

    public String windowTable() {
        return variables.getOrDefault(WINDOW_TABLE, spec().tables().deviceWindows());
    }

    public String alertTable() {
        return variables.getOrDefault(ALERT_TABLE, spec().tables().alerts());
    }

    public String quarantineBucket() {
        return variables.getOrDefault(QUARANTINE_BUCKET, spec().buckets().quarantine());
    }

    public String rawBucket() {
        return variables.getOrDefault(RAW_BUCKET, spec().buckets().raw());
    }

    public int loaderLookbackDays() {
        return integer(LOADER_LOOKBACK_DAYS, DEFAULT_LOADER_LOOKBACK_DAYS);
    }

    public Windows windows() {
        return new Windows(Duration.ofSeconds(integer(WINDOW_SECONDS, (int) spec().window().toSeconds())));
    }

    public Duration retention() {
        return Duration.ofDays(integer(WINDOW_RETENTION_DAYS, DEFAULT_WINDOW_RETENTION_DAYS));
    }

    public AlertRules alertRules() {
        return AlertRules.parse(variables.getOrDefault(ALERT_RULES, AlertRules.DEFAULT_SPEC));
    }

    /** Core's default limits with the skew and the lateness bound this environment sets. */
    public DecoderLimits decoderLimits() {
        DecoderLimits defaults = DecoderLimits.defaults();
        return defaults
                .withMaxFutureSkew(Duration.ofSeconds(integer(MAX_FUTURE_SKEW_SECONDS, (int) defaults.maxFutureSkew().toSeconds())))
                .withMaxLateness(Duration.ofSeconds(integer(MAX_LATENESS_SECONDS, (int) defaults.maxLateness().toSeconds())));
    }

    public Optional<URI> dynamoDbEndpoint() {
        return uri(ENDPOINT_DYNAMODB);
    }

    public Optional<URI> s3Endpoint() {
        return uri(ENDPOINT_S3);
    }

    public int sdkMaxAttempts() {
        return integer(SDK_MAX_ATTEMPTS, DEFAULT_SDK_MAX_ATTEMPTS);
    }

    public int writeConcurrency() {
        return integer(WRITE_CONCURRENCY, DEFAULT_WRITE_CONCURRENCY);
    }

    private int integer(String name, int fallback) {
        String value = variables.get(name);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be an integer, got '" + value + "'", e);
        }
    }

    private Optional<URI> uri(String name) {
        String value = variables.get(name);
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(URI.create(value.trim()));
    }
}
