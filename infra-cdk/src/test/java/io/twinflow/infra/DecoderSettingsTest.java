package io.twinflow.infra;

import static io.twinflow.infra.SynthesizedStack.TEMPLATE;
import static org.assertj.core.api.Assertions.assertThat;

import io.twinflow.core.event.DecoderLimits;
import io.twinflow.functions.FunctionSettings;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Capture;

/** {@link DecoderSettings} as deployed: every decoding path of the synthesized default stack gets the same limits. */
class DecoderSettingsTest {

    @Test
    void everyDecodingPathIsDeployedWithCoresLatenessBoundAndSkew() {
        DecoderLimits defaults = DecoderLimits.defaults();
        for (String handler : List.of(StreamProcessing.HANDLER, Batch.LOADER_HANDLER)) {
            Capture environment = new Capture();
            TEMPLATE.hasResourceProperties("AWS::Lambda::Function", Map.of(
                    "Handler", handler, "Environment", Map.of("Variables", environment)));
            Map<String, String> resolved = new HashMap<>();
            environment.asObject().forEach((name, value) -> resolved.put(name, value instanceof String text ? text : "resolved-" + name));
            // Read back by the functions' own settings reader: the names and units are the ones it reads.
            assertThat(FunctionSettings.fromEnvironment(resolved).decoderLimits())
                    .as(handler).isEqualTo(defaults);
            assertThat(resolved).containsEntry("TWINFLOW_MAX_LATENESS_SECONDS", String.valueOf(defaults.maxLateness().toSeconds()));
        }
        Capture arguments = new Capture();
        TEMPLATE.hasResourceProperties("AWS::Glue::Job", Map.of("DefaultArguments", arguments));
        assertThat(Duration.parse((String) arguments.asObject().get("--max-lateness"))).isEqualTo(defaults.maxLateness());
        assertThat(Duration.parse((String) arguments.asObject().get("--max-future-skew"))).isEqualTo(defaults.maxFutureSkew());
    }
}
