package io.twinflow.functions;

import io.twinflow.core.alert.AlertRules;
import io.twinflow.core.event.DecoderLimits;
import io.twinflow.core.pipeline.PipelineSpec;
import io.twinflow.core.settings.FunctionEnvironment;
import io.twinflow.core.window.Windows;
import io.twinflow.warehouse.redshift.RedshiftDataApiSettings;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything the functions read from their environment, read in one place. The CDK stack sets these
 * variables; the local runtime passes the same names with endpoint overrides. The names, their defaults
 * and their parse into values are core's {@link FunctionEnvironment} (the stack cannot depend on this
 * module); the {@code TWINFLOW_REDSHIFT_*} variables are {@link RedshiftDataApiSettings#fromEnvironment}'s
 * ({@code RedshiftDataApiSettings.ENV_*}).
 * Tests and benchmarks build settings with {@link #builder()}: every setting is named and has the
 * deployed default.
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

    public FunctionSettings {
        Objects.requireNonNull(region, "region");
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(deviceStateTable, "deviceStateTable");
        Objects.requireNonNull(windowTable, "windowTable");
        Objects.requireNonNull(alertTable, "alertTable");
        Objects.requireNonNull(quarantineBucket, "quarantineBucket");
        Objects.requireNonNull(quarantinePrefix, "quarantinePrefix");
        Objects.requireNonNull(rawBucket, "rawBucket");
        Objects.requireNonNull(redshift, "redshift");
        Objects.requireNonNull(windows, "windows");
        Objects.requireNonNull(retention, "retention");
        Objects.requireNonNull(alertRules, "alertRules");
        Objects.requireNonNull(decoderLimits, "decoderLimits");
        Objects.requireNonNull(dynamoDbEndpoint, "dynamoDbEndpoint");
        Objects.requireNonNull(s3Endpoint, "s3Endpoint");
        Objects.requireNonNull(credentials, "credentials");
    }

    public static FunctionSettings fromEnvironment() {
        return fromEnvironment(System.getenv());
    }

    public static FunctionSettings fromEnvironment(Map<String, String> env) {
        FunctionEnvironment e = FunctionEnvironment.of(env);
        return builder()
                .region(e.region())
                .spec(e.spec())
                .deviceStateTable(e.deviceStateTable())
                .windowTable(e.windowTable())
                .alertTable(e.alertTable())
                .quarantineBucket(e.quarantineBucket())
                .rawBucket(e.rawBucket())
                .loaderLookbackDays(e.loaderLookbackDays())
                .redshift(env.containsKey(RedshiftDataApiSettings.ENV_DATABASE)
                        ? Optional.of(RedshiftDataApiSettings.fromEnvironment(env)) : Optional.empty())
                .windows(e.windows())
                .retention(e.retention())
                .alertRules(e.alertRules())
                .decoderLimits(e.decoderLimits())
                .dynamoDbEndpoint(e.dynamoDbEndpoint())
                .s3Endpoint(e.s3Endpoint())
                .sdkMaxAttempts(e.sdkMaxAttempts())
                .writeConcurrency(e.writeConcurrency())
                .credentials(credentialsSource(e))
                .build();
    }

    private static CredentialsSource credentialsSource(FunctionEnvironment env) {
        if (env.has(FunctionEnvironment.LAMBDA_FUNCTION_NAME)) {
            return CredentialsSource.LAMBDA_ENVIRONMENT;
        }
        boolean local = env.has(FunctionEnvironment.ENDPOINT_DYNAMODB) || env.has(FunctionEnvironment.ENDPOINT_S3);
        return local && !env.has(FunctionEnvironment.ACCESS_KEY_ID) ? CredentialsSource.LOCAL_STATIC : CredentialsSource.DEFAULT_CHAIN;
    }

    /** Settings for a local stack whose endpoints are given; everything else as deployed. */
    public static FunctionSettings local(PipelineSpec spec, URI dynamoDb, URI s3) {
        return fromEnvironment(Map.of(
                FunctionEnvironment.REGION, FunctionEnvironment.FALLBACK_REGION,
                FunctionEnvironment.PREFIX, spec.prefix(),
                FunctionEnvironment.ENDPOINT_DYNAMODB, dynamoDb.toString(),
                FunctionEnvironment.ENDPOINT_S3, s3.toString()));
    }

    /** Settings as deployed with the default prefix and no environment: change what a test needs. */
    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return new Builder(this);
    }

    public FunctionSettings withSdkMaxAttempts(int attempts) {
        return toBuilder().sdkMaxAttempts(attempts).build();
    }

    /**
     * Named settings. Names the spec derives (tables, buckets, window size) follow the spec unless set,
     * so {@code builder().spec(PipelineSpec.withPrefix("t")).build()} names the tables of prefix {@code t};
     * everything else defaults to what {@link FunctionEnvironment} reads from an empty environment.
     */
    public static final class Builder {
        private String region = FunctionEnvironment.FALLBACK_REGION;
        private PipelineSpec spec = PipelineSpec.defaults();
        private String deviceStateTable;
        private String windowTable;
        private String alertTable;
        private String quarantineBucket;
        private String rawBucket;
        private int loaderLookbackDays = FunctionEnvironment.DEFAULT_LOADER_LOOKBACK_DAYS;
        private Optional<RedshiftDataApiSettings> redshift = Optional.empty();
        private Windows windows;
        private Duration retention = Duration.ofDays(FunctionEnvironment.DEFAULT_WINDOW_RETENTION_DAYS);
        private AlertRules alertRules = AlertRules.defaults();
        private DecoderLimits decoderLimits = DecoderLimits.defaults();
        private Optional<URI> dynamoDbEndpoint = Optional.empty();
        private Optional<URI> s3Endpoint = Optional.empty();
        private int sdkMaxAttempts = FunctionEnvironment.DEFAULT_SDK_MAX_ATTEMPTS;
        private int writeConcurrency = FunctionEnvironment.DEFAULT_WRITE_CONCURRENCY;
        private CredentialsSource credentials = CredentialsSource.DEFAULT_CHAIN;

        private Builder() {
        }

        private Builder(FunctionSettings s) {
            region = s.region;
            spec = s.spec;
            deviceStateTable = s.deviceStateTable;
            windowTable = s.windowTable;
            alertTable = s.alertTable;
            quarantineBucket = s.quarantineBucket;
            rawBucket = s.rawBucket;
            loaderLookbackDays = s.loaderLookbackDays;
            redshift = s.redshift;
            windows = s.windows;
            retention = s.retention;
            alertRules = s.alertRules;
            decoderLimits = s.decoderLimits;
            dynamoDbEndpoint = s.dynamoDbEndpoint;
            s3Endpoint = s.s3Endpoint;
            sdkMaxAttempts = s.sdkMaxAttempts;
            writeConcurrency = s.writeConcurrency;
            credentials = s.credentials;
        }

        public Builder region(String value) {
            region = value;
            return this;
        }

        public Builder spec(PipelineSpec value) {
            spec = value;
            return this;
        }

        public Builder deviceStateTable(String value) {
            deviceStateTable = value;
            return this;
        }

        public Builder windowTable(String value) {
            windowTable = value;
            return this;
        }

        public Builder alertTable(String value) {
            alertTable = value;
            return this;
        }

        public Builder quarantineBucket(String value) {
            quarantineBucket = value;
            return this;
        }

        public Builder rawBucket(String value) {
            rawBucket = value;
            return this;
        }

        public Builder loaderLookbackDays(int value) {
            loaderLookbackDays = value;
            return this;
        }

        public Builder redshift(Optional<RedshiftDataApiSettings> value) {
            redshift = value;
            return this;
        }

        public Builder windows(Windows value) {
            windows = value;
            return this;
        }

        public Builder retention(Duration value) {
            retention = value;
            return this;
        }

        public Builder alertRules(AlertRules value) {
            alertRules = value;
            return this;
        }

        public Builder decoderLimits(DecoderLimits value) {
            decoderLimits = value;
            return this;
        }

        public Builder dynamoDbEndpoint(Optional<URI> value) {
            dynamoDbEndpoint = value;
            return this;
        }

        public Builder s3Endpoint(Optional<URI> value) {
            s3Endpoint = value;
            return this;
        }

        public Builder sdkMaxAttempts(int value) {
            sdkMaxAttempts = value;
            return this;
        }

        public Builder writeConcurrency(int value) {
            writeConcurrency = value;
            return this;
        }

        public Builder credentials(CredentialsSource value) {
            credentials = value;
            return this;
        }

        public FunctionSettings build() {
            return new FunctionSettings(region, spec,
                    deviceStateTable != null ? deviceStateTable : spec.tables().deviceState(),
                    windowTable != null ? windowTable : spec.tables().deviceWindows(),
                    alertTable != null ? alertTable : spec.tables().alerts(),
                    quarantineBucket != null ? quarantineBucket : spec.buckets().quarantine(),
                    spec.buckets().quarantinePrefix(),
                    rawBucket != null ? rawBucket : spec.buckets().raw(),
                    loaderLookbackDays, redshift,
                    windows != null ? windows : new Windows(spec.window()),
                    retention, alertRules, decoderLimits, dynamoDbEndpoint, s3Endpoint, sdkMaxAttempts,
                    writeConcurrency, credentials);
        }
    }
}
