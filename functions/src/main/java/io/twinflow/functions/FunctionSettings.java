package io.twinflow.functions;

import io.twinflow.core.alert.AlertRules;
import io.twinflow.core.event.DecoderLimits;
import io.twinflow.core.pipeline.PipelineSpec;
import io.twinflow.core.window.Windows;
import io.twinflow.warehouse.redshift.RedshiftDataApiSettings;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * Everything the functions read from their environment, read in one place. The CDK stack sets these
 * variables; the local runtime passes the same names with endpoint overrides.
 *
 * <table>
 *   <caption>Environment variables</caption>
 *   <tr><td>AWS_REGION</td><td>region of the clients (set by Lambda)</td></tr>
 *   <tr><td>TWINFLOW_PREFIX</td><td>resource name prefix of {@link PipelineSpec} (default {@code twinflow})</td></tr>
 *   <tr><td>TWINFLOW_DEVICE_STATE_TABLE, TWINFLOW_WINDOW_TABLE, TWINFLOW_ALERT_TABLE</td>
 *       <td>table names; default from the spec</td></tr>
 *   <tr><td>TWINFLOW_QUARANTINE_BUCKET, TWINFLOW_RAW_BUCKET</td><td>buckets; default from the spec</td></tr>
 *   <tr><td>TWINFLOW_LOADER_LOOKBACK_DAYS</td><td>days of raw partitions the batch loader scans (default 3)</td></tr>
 *   <tr><td>TWINFLOW_REDSHIFT_*</td><td>the batch loader's warehouse, see {@link RedshiftDataApiSettings#fromEnvironment}</td></tr>
 *   <tr><td>TWINFLOW_WINDOW_SECONDS</td><td>window size (default 60)</td></tr>
 *   <tr><td>TWINFLOW_WINDOW_RETENTION_DAYS</td><td>TTL of window and alert items (default 35)</td></tr>
 *   <tr><td>TWINFLOW_ALERT_RULES</td><td>{@code id:metric>threshold,...} (default {@link AlertRules#DEFAULT_SPEC})</td></tr>
 *   <tr><td>TWINFLOW_MAX_FUTURE_SKEW_SECONDS</td><td>allowed clock skew of device time (default 300)</td></tr>
 *   <tr><td>TWINFLOW_MAX_LATENESS_SECONDS</td><td>the lateness bound: older events are TOO_LATE (default 172800, 2 days)</td></tr>
 *   <tr><td>TWINFLOW_ENDPOINT_DYNAMODB, TWINFLOW_ENDPOINT_S3</td><td>endpoint overrides for local stacks</td></tr>
 *   <tr><td>TWINFLOW_SDK_MAX_ATTEMPTS</td><td>SDK attempts per call, with backoff (default 6)</td></tr>
 *   <tr><td>TWINFLOW_WRITE_CONCURRENCY</td><td>parallel writes per invocation (default 8)</td></tr>
 * </table>
 */
public record FunctionSettings(
        String region,
        PipelineSpec spec,
        String deviceStateTable,
        String windowTable,
        String alertTable,
        String quarantineBucket,
        String quarantinePrefix,
        String rawBucket,
        int loaderLookbackDays,
        Optional<RedshiftDataApiSettings> redshift,
        Windows windows,
        Duration retention,
        AlertRules alertRules,
        DecoderLimits decoderLimits,
        Optional<URI> dynamoDbEndpoint,
        Optional<URI> s3Endpoint,
        int sdkMaxAttempts,
        int writeConcurrency,
        CredentialsSource credentials) {

    /** Where the SDK clients take their credentials from. */
    public enum CredentialsSource {
        /** In Lambda: the function role's keys in the environment; skips the slower default chain. */
        LAMBDA_ENVIRONMENT,
        /** A local emulator and no keys configured: any static key works. */
        LOCAL_STATIC,
        /** Everything else: the SDK's default chain (profiles, SSO, environment, instance roles). */
        DEFAULT_CHAIN
    }

    public static FunctionSettings fromEnvironment() {
        return fromEnvironment(System.getenv());
    }

    public static FunctionSettings fromEnvironment(Map<String, String> env) {
        PipelineSpec spec = PipelineSpec.withPrefix(env.getOrDefault("TWINFLOW_PREFIX", PipelineSpec.DEFAULT_PREFIX));
        DecoderLimits defaults = DecoderLimits.defaults();
        DecoderLimits limits = defaults
                .withMaxFutureSkew(Duration.ofSeconds(intValue(env, "TWINFLOW_MAX_FUTURE_SKEW_SECONDS", (int) defaults.maxFutureSkew().toSeconds())))
                .withMaxLateness(Duration.ofSeconds(intValue(env, "TWINFLOW_MAX_LATENESS_SECONDS", (int) defaults.maxLateness().toSeconds())));
        return new FunctionSettings(
                env.getOrDefault("AWS_REGION", env.getOrDefault("AWS_DEFAULT_REGION", "us-east-1")),
                spec,
                env.getOrDefault("TWINFLOW_DEVICE_STATE_TABLE", spec.tables().deviceState()),
                env.getOrDefault("TWINFLOW_WINDOW_TABLE", spec.tables().deviceWindows()),
                env.getOrDefault("TWINFLOW_ALERT_TABLE", spec.tables().alerts()),
                env.getOrDefault("TWINFLOW_QUARANTINE_BUCKET", spec.buckets().quarantine()),
                spec.buckets().quarantinePrefix(),
                env.getOrDefault("TWINFLOW_RAW_BUCKET", spec.buckets().raw()),
                intValue(env, "TWINFLOW_LOADER_LOOKBACK_DAYS", 3),
                env.containsKey("TWINFLOW_REDSHIFT_DATABASE") ? Optional.of(RedshiftDataApiSettings.fromEnvironment(env)) : Optional.empty(),
                new Windows(Duration.ofSeconds(intValue(env, "TWINFLOW_WINDOW_SECONDS", (int) spec.window().toSeconds()))),
                Duration.ofDays(intValue(env, "TWINFLOW_WINDOW_RETENTION_DAYS", 35)),
                AlertRules.parse(env.getOrDefault("TWINFLOW_ALERT_RULES", AlertRules.DEFAULT_SPEC)),
                limits,
                uri(env, "TWINFLOW_ENDPOINT_DYNAMODB"),
                uri(env, "TWINFLOW_ENDPOINT_S3"),
                intValue(env, "TWINFLOW_SDK_MAX_ATTEMPTS", 6),
                intValue(env, "TWINFLOW_WRITE_CONCURRENCY", 8),
                credentialsSource(env));
    }

    private static CredentialsSource credentialsSource(Map<String, String> env) {
        if (env.containsKey("AWS_LAMBDA_FUNCTION_NAME")) {
            return CredentialsSource.LAMBDA_ENVIRONMENT;
        }
        boolean local = env.containsKey("TWINFLOW_ENDPOINT_DYNAMODB") || env.containsKey("TWINFLOW_ENDPOINT_S3");
        return local && !env.containsKey("AWS_ACCESS_KEY_ID") ? CredentialsSource.LOCAL_STATIC : CredentialsSource.DEFAULT_CHAIN;
    }

    /** Settings for a local stack whose endpoints are given; everything else as deployed. */
    public static FunctionSettings local(PipelineSpec spec, URI dynamoDb, URI s3) {
        return fromEnvironment(Map.of(
                "AWS_REGION", "us-east-1",
                "TWINFLOW_PREFIX", spec.prefix(),
                "TWINFLOW_ENDPOINT_DYNAMODB", dynamoDb.toString(),
                "TWINFLOW_ENDPOINT_S3", s3.toString()));
    }

    public FunctionSettings withSdkMaxAttempts(int attempts) {
        return new FunctionSettings(region, spec, deviceStateTable, windowTable, alertTable, quarantineBucket,
                quarantinePrefix, rawBucket, loaderLookbackDays, redshift, windows, retention, alertRules, decoderLimits, dynamoDbEndpoint, s3Endpoint,
                attempts, writeConcurrency, credentials);
    }

    private static int intValue(Map<String, String> env, String name, int fallback) {
        String value = env.get(name);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be an integer, got '" + value + "'", e);
        }
    }

    private static Optional<URI> uri(Map<String, String> env, String name) {
        String value = env.get(name);
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(URI.create(value.trim()));
    }
}
