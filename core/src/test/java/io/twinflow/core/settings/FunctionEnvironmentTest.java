package io.twinflow.core.settings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.twinflow.core.event.DecoderLimits;
import io.twinflow.core.pipeline.PipelineSpec;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FunctionEnvironmentTest {

    @Test
    void theNamesAreTheOnesDeployedStacksAndTheReadmeUse() {
        // Renaming one would silently drop a deployed function's setting: the names are an interface.
        assertThat(List.of(FunctionEnvironment.PREFIX, FunctionEnvironment.DEVICE_STATE_TABLE, FunctionEnvironment.WINDOW_TABLE,
                FunctionEnvironment.ALERT_TABLE, FunctionEnvironment.QUARANTINE_BUCKET, FunctionEnvironment.RAW_BUCKET,
                FunctionEnvironment.LOADER_LOOKBACK_DAYS, FunctionEnvironment.WINDOW_SECONDS, FunctionEnvironment.WINDOW_RETENTION_DAYS,
                FunctionEnvironment.ALERT_RULES, FunctionEnvironment.MAX_FUTURE_SKEW_SECONDS, FunctionEnvironment.MAX_LATENESS_SECONDS,
                FunctionEnvironment.ENDPOINT_DYNAMODB, FunctionEnvironment.ENDPOINT_S3, FunctionEnvironment.SDK_MAX_ATTEMPTS,
                FunctionEnvironment.WRITE_CONCURRENCY)).containsExactly("TWINFLOW_PREFIX", "TWINFLOW_DEVICE_STATE_TABLE",
                "TWINFLOW_WINDOW_TABLE", "TWINFLOW_ALERT_TABLE", "TWINFLOW_QUARANTINE_BUCKET", "TWINFLOW_RAW_BUCKET",
                "TWINFLOW_LOADER_LOOKBACK_DAYS", "TWINFLOW_WINDOW_SECONDS", "TWINFLOW_WINDOW_RETENTION_DAYS", "TWINFLOW_ALERT_RULES",
                "TWINFLOW_MAX_FUTURE_SKEW_SECONDS", "TWINFLOW_MAX_LATENESS_SECONDS", "TWINFLOW_ENDPOINT_DYNAMODB", "TWINFLOW_ENDPOINT_S3",
                "TWINFLOW_SDK_MAX_ATTEMPTS", "TWINFLOW_WRITE_CONCURRENCY");
    }

    @Test
    void theDecoderLimitsAFunctionIsDeployedWithAreReadBackAsGiven() {
        DecoderLimits limits = DecoderLimits.defaults().withMaxFutureSkew(Duration.ofSeconds(90)).withMaxLateness(Duration.ofHours(30));

        Map<String, String> variables = FunctionEnvironment.decoderLimitVariables(limits);

        assertThat(variables).containsExactly(Map.entry("TWINFLOW_MAX_FUTURE_SKEW_SECONDS", "90"),
                Map.entry("TWINFLOW_MAX_LATENESS_SECONDS", "108000"));
        assertThat(FunctionEnvironment.of(variables).decoderLimits()).isEqualTo(limits);
    }

    @Test
    void namesTheSpecDerivesDefaultToThePrefixesSpec() {
        FunctionEnvironment env = FunctionEnvironment.of(Map.of(FunctionEnvironment.PREFIX, "blue",
                FunctionEnvironment.RAW_BUCKET, "deployed-raw"));
        PipelineSpec blue = PipelineSpec.withPrefix("blue");

        assertThat(env.spec()).isEqualTo(blue);
        assertThat(env.deviceStateTable()).isEqualTo(blue.tables().deviceState());
        assertThat(env.quarantineBucket()).isEqualTo(blue.buckets().quarantine());
        assertThat(env.rawBucket()).isEqualTo("deployed-raw");
        assertThat(env.windows().size()).isEqualTo(blue.window());
    }

    @Test
    void theRegionFallsBackToTheDefaultRegionThenUsEast1() {
        assertThat(FunctionEnvironment.of(Map.of()).region()).isEqualTo("us-east-1");
        assertThat(FunctionEnvironment.of(Map.of(FunctionEnvironment.DEFAULT_REGION, "eu-west-1")).region()).isEqualTo("eu-west-1");
        assertThat(FunctionEnvironment.of(Map.of(FunctionEnvironment.DEFAULT_REGION, "eu-west-1",
                FunctionEnvironment.REGION, "ap-south-1")).region()).isEqualTo("ap-south-1");
    }

    @Test
    void blankValuesMeanUnsetAndMalformedOnesNameTheirVariable() {
        FunctionEnvironment env = FunctionEnvironment.of(Map.of(FunctionEnvironment.SDK_MAX_ATTEMPTS, " ",
                FunctionEnvironment.ENDPOINT_S3, "", FunctionEnvironment.ENDPOINT_DYNAMODB, " http://127.0.0.1:8000 "));

        assertThat(env.sdkMaxAttempts()).isEqualTo(FunctionEnvironment.DEFAULT_SDK_MAX_ATTEMPTS);
        assertThat(env.s3Endpoint()).isEmpty();
        assertThat(env.dynamoDbEndpoint()).contains(URI.create("http://127.0.0.1:8000"));
        assertThatThrownBy(() -> FunctionEnvironment.of(Map.of(FunctionEnvironment.MAX_LATENESS_SECONDS, "2d")).decoderLimits())
                .hasMessageContaining("TWINFLOW_MAX_LATENESS_SECONDS");
    }
}
