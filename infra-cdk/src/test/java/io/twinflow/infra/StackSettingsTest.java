package io.twinflow.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.services.kinesis.StreamMode;

class StackSettingsTest {

    @Test
    void withoutContextTheStackIsTheDefaultPipelineOnDemandAndRetainsData() {
        StackSettings settings = StackSettings.defaults();
        assertThat(settings.spec().prefix()).isEqualTo("twinflow");
        assertThat(settings.streamMode()).isEqualTo(StreamMode.ON_DEMAND);
        assertThat(settings.removalPolicy()).isEqualTo(RemovalPolicy.RETAIN);
        assertThat(settings.placeholderArtifacts()).isFalse();
        assertThat(settings.alarmEmail()).isNull();
        assertThat(settings.apiRateLimit()).isEqualTo(StackSettings.DEFAULT_API_RATE_LIMIT);
        assertThat(settings.apiBurstLimit()).isEqualTo(StackSettings.DEFAULT_API_BURST_LIMIT);
    }

    @Test
    void contextValuesArriveAsStringsFromTheCommandLineOrAsJsonTypesFromCdkJson() {
        Map<String, Object> context = Map.of("prefix", "twinflow-dev", "streamMode", "provisioned",
                "retainData", false, "placeholderArtifacts", "true", "alarmEmail", "ops@example.com",
                "functionsJar", "/tmp/f.jar", "apiRateLimit", "20", "apiBurstLimit", 40);
        StackSettings settings = StackSettings.fromContext(context::get);
        assertThat(settings.spec().stream().name()).isEqualTo("twinflow-dev-telemetry");
        assertThat(settings.streamMode()).isEqualTo(StreamMode.PROVISIONED);
        assertThat(settings.removalPolicy()).isEqualTo(RemovalPolicy.DESTROY);
        assertThat(settings.placeholderArtifacts()).isTrue();
        assertThat(settings.alarmEmail()).isEqualTo("ops@example.com");
        assertThat(settings.functionsJar()).isEqualTo(Path.of("/tmp/f.jar"));
        assertThat(settings.apiRateLimit()).isEqualTo(20);
        assertThat(settings.apiBurstLimit()).isEqualTo(40);
    }

    @Test
    void aTypoInAContextValueFailsTheSynthInsteadOfFallingBackToADefault() {
        assertThatThrownBy(() -> StackSettings.fromContext(Map.<String, Object>of("streamMode", "ondemmand")::get))
                .hasMessageContaining("streamMode");
        assertThatThrownBy(() -> StackSettings.fromContext(Map.<String, Object>of("retainData", "yes")::get))
                .hasMessageContaining("retainData");
        assertThatThrownBy(() -> StackSettings.fromContext(Map.<String, Object>of("prefix", "Twin_Flow")::get))
                .hasMessageContaining("prefix");
        assertThatThrownBy(() -> StackSettings.fromContext(Map.<String, Object>of("apiRateLimit", "0")::get))
                .hasMessageContaining("apiRateLimit");
        assertThatThrownBy(() -> StackSettings.fromContext(Map.<String, Object>of("apiBurstLimit", "lots")::get))
                .hasMessageContaining("apiBurstLimit");
    }
}
