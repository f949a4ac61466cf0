package io.twinflow.functions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.twinflow.core.alert.AlertRules;
import io.twinflow.core.event.DecoderLimits;
import io.twinflow.core.pipeline.PipelineSpec;
import io.twinflow.core.settings.FunctionEnvironment;
import io.twinflow.core.window.Windows;
import io.twinflow.functions.FunctionSettings.CredentialsSource;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class FunctionSettingsTest {

    @Test
    void anEmptyEnvironmentGivesTheBuildersDefaultsWhichAreTheDeployedOnes() {
        FunctionSettings settings = FunctionSettings.fromEnvironment(Map.of());

        assertThat(settings).isEqualTo(FunctionSettings.builder().build());
        PipelineSpec spec = PipelineSpec.defaults();
        assertThat(settings.region()).isEqualTo("us-east-1");
        assertThat(settings.spec()).isEqualTo(spec);
        assertThat(settings.deviceStateTable()).isEqualTo(spec.tables().deviceState());
        assertThat(settings.windowTable()).isEqualTo(spec.tables().deviceWindows());
        assertThat(settings.alertTable()).isEqualTo(spec.tables().alerts());
        assertThat(settings.quarantineBucket()).isEqualTo(spec.buckets().quarantine());
        assertThat(settings.rawBucket()).isEqualTo(spec.buckets().raw());
        assertThat(settings.loaderLookbackDays()).isEqualTo(3);
        assertThat(settings.redshift()).isEmpty();
        assertThat(settings.windows()).isEqualTo(Windows.ofMinutes(1));
        assertThat(settings.retention()).isEqualTo(Duration.ofDays(35));
        assertThat(settings.alertRules()).isEqualTo(AlertRules.defaults());
        assertThat(settings.decoderLimits()).isEqualTo(DecoderLimits.defaults());
        assertThat(settings.sdkMaxAttempts()).isEqualTo(6);
        assertThat(settings.writeConcurrency()).isEqualTo(8);
        assertThat(settings.credentials()).isEqualTo(CredentialsSource.DEFAULT_CHAIN);
    }

    @Test
    void everyVariableTheStackSetsIsReadUnderItsConstantsName() {
        FunctionSettings settings = FunctionSettings.fromEnvironment(Map.ofEntries(
                Map.entry(FunctionEnvironment.REGION, "eu-central-1"),
                Map.entry(FunctionEnvironment.PREFIX, "blue"),
                Map.entry(FunctionEnvironment.DEVICE_STATE_TABLE, "state-t"),
                Map.entry(FunctionEnvironment.WINDOW_TABLE, "windows-t"),
                Map.entry(FunctionEnvironment.ALERT_TABLE, "alerts-t"),
                Map.entry(FunctionEnvironment.QUARANTINE_BUCKET, "quarantine-b"),
                Map.entry(FunctionEnvironment.RAW_BUCKET, "raw-b"),
                Map.entry(FunctionEnvironment.LOADER_LOOKBACK_DAYS, "5"),
                Map.entry(FunctionEnvironment.WINDOW_SECONDS, "300"),
                Map.entry(FunctionEnvironment.WINDOW_RETENTION_DAYS, "40"),
                Map.entry(FunctionEnvironment.ALERT_RULES, "hot:temperature>90"),
                Map.entry(FunctionEnvironment.MAX_FUTURE_SKEW_SECONDS, "60"),
                Map.entry(FunctionEnvironment.MAX_LATENESS_SECONDS, "3600"),
                Map.entry(FunctionEnvironment.SDK_MAX_ATTEMPTS, "2"),
                Map.entry(FunctionEnvironment.WRITE_CONCURRENCY, "4")));

        assertThat(settings).isEqualTo(FunctionSettings.builder()
                .region("eu-central-1")
                .spec(PipelineSpec.withPrefix("blue"))
                .deviceStateTable("state-t")
                .windowTable("windows-t")
                .alertTable("alerts-t")
                .quarantineBucket("quarantine-b")
                .rawBucket("raw-b")
                .loaderLookbackDays(5)
                .windows(Windows.ofMinutes(5))
                .retention(Duration.ofDays(40))
                .alertRules(AlertRules.parse("hot:temperature>90"))
                .decoderLimits(DecoderLimits.defaults().withMaxFutureSkew(Duration.ofMinutes(1)).withMaxLateness(Duration.ofHours(1)))
                .sdkMaxAttempts(2)
                .writeConcurrency(4)
                .build());
    }

    @Test
    void localEndpointsWithoutKeysUseStaticCredentialsAndLambdaUsesItsOwn() {
        FunctionSettings local = FunctionSettings.local(PipelineSpec.withPrefix("dev"),
                URI.create("http://127.0.0.1:4567"), URI.create("http://127.0.0.1:4568"));
        assertThat(local.credentials()).isEqualTo(CredentialsSource.LOCAL_STATIC);
        assertThat(local.dynamoDbEndpoint()).contains(URI.create("http://127.0.0.1:4567"));
        assertThat(local.s3Endpoint()).contains(URI.create("http://127.0.0.1:4568"));
        assertThat(local.windowTable()).isEqualTo(PipelineSpec.withPrefix("dev").tables().deviceWindows());

        assertThat(FunctionSettings.fromEnvironment(Map.of(FunctionEnvironment.ENDPOINT_S3, "http://127.0.0.1:1",
                FunctionEnvironment.ACCESS_KEY_ID, "AKIA")).credentials()).isEqualTo(CredentialsSource.DEFAULT_CHAIN);
        assertThat(FunctionSettings.fromEnvironment(Map.of(FunctionEnvironment.LAMBDA_FUNCTION_NAME, "f",
                FunctionEnvironment.ENDPOINT_S3, "http://127.0.0.1:1")).credentials()).isEqualTo(CredentialsSource.LAMBDA_ENVIRONMENT);
    }

    @Test
    void aBuilderFollowsItsSpecForTheNamesItDerivesUnlessTheyAreSet() {
        PipelineSpec green = PipelineSpec.withPrefix("green");
        FunctionSettings settings = FunctionSettings.builder().spec(green).alertTable("own-alerts").build();

        assertThat(settings.deviceStateTable()).isEqualTo(green.tables().deviceState());
        assertThat(settings.alertTable()).isEqualTo("own-alerts");
        assertThat(settings.rawBucket()).isEqualTo(green.buckets().raw());
        assertThat(settings.quarantinePrefix()).isEqualTo(green.buckets().quarantinePrefix());
    }

    @Test
    void withSdkMaxAttemptsChangesTheAttemptsAndNothingElse() {
        FunctionSettings settings = FunctionSettings.builder().spec(PipelineSpec.withPrefix("tuned")).writeConcurrency(3)
                .dynamoDbEndpoint(Optional.of(URI.create("http://127.0.0.1:1"))).build();

        FunctionSettings tuned = settings.withSdkMaxAttempts(1);

        assertThat(tuned.sdkMaxAttempts()).isEqualTo(1);
        assertThat(tuned).usingRecursiveComparison().ignoringFields("sdkMaxAttempts").isEqualTo(settings);
    }

    @Test
    void aMalformedNumberNamesItsVariable() {
        assertThatThrownBy(() -> FunctionSettings.fromEnvironment(Map.of(FunctionEnvironment.WRITE_CONCURRENCY, "eight")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(FunctionEnvironment.WRITE_CONCURRENCY);
    }
}
