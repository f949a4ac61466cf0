package io.twinflow.core.settings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.twinflow.core.event.DecoderLimits;
import io.twinflow.core.pipeline.PipelineSpec;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FunctionEnvironmentTest {

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
