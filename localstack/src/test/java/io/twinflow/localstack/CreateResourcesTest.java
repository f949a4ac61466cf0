package io.twinflow.localstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.regions.Region;

class CreateResourcesTest {

    @Test
    void defaultsAreTheEdgePortOfLocalStackAndFloci() {
        CreateResources.Arguments a = CreateResources.Arguments.parse(new String[0], Map.of());
        assertThat(a.endpoint()).isEqualTo(URI.create("http://localhost:4566"));
        assertThat(a.region()).isEqualTo(Region.US_EAST_1);
        assertThat(a.prefix()).isEqualTo("twinflow");
        assertThat(a.waitFor()).isZero();
    }

    @Test
    void theSdkEndpointVariableIsTheDefaultAndOptionsWin() {
        Map<String, String> env = Map.of("AWS_ENDPOINT_URL", "http://localstack:4566");
        assertThat(CreateResources.Arguments.parse(new String[0], env).endpoint()).isEqualTo(URI.create("http://localstack:4566"));
        CreateResources.Arguments a = CreateResources.Arguments.parse(
                new String[] {"--endpoint", "http://floci:4566", "--prefix", "demo", "--region", "eu-central-1", "--wait", "90"}, env);
        assertThat(a.endpoint()).isEqualTo(URI.create("http://floci:4566"));
        assertThat(a.prefix()).isEqualTo("demo");
        assertThat(a.region()).isEqualTo(Region.EU_CENTRAL_1);
        assertThat(a.waitFor()).isEqualTo(Duration.ofSeconds(90));
    }

    @Test
    void unknownOptionsMissingValuesAndRelativeEndpointsAreRefused() {
        assertThatThrownBy(() -> CreateResources.Arguments.parse(new String[] {"--endpoint-url", "x"}, Map.of()))
                .hasMessageContaining("unknown option --endpoint-url").hasMessageContaining("usage");
        assertThatThrownBy(() -> CreateResources.Arguments.parse(new String[] {"--prefix"}, Map.of()))
                .hasMessageContaining("--prefix needs a value");
        assertThatThrownBy(() -> CreateResources.Arguments.parse(new String[] {"--endpoint", "localhost:4566"}, Map.of()))
                .hasMessageContaining("absolute URL");
        assertThatThrownBy(() -> CreateResources.Arguments.parse(new String[] {"--wait", "2m"}, Map.of()))
                .hasMessageContaining("number of seconds");
    }
}
