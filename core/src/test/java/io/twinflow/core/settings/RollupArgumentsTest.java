package io.twinflow.core.settings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.twinflow.core.event.DecoderLimits;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RollupArgumentsTest {

    @Test
    void theDecoderLimitsAJobIsStartedWithAreReadBackAsGiven() {
        DecoderLimits limits = DecoderLimits.defaults().withMaxFutureSkew(Duration.ofSeconds(90)).withMaxLateness(Duration.ofHours(30));

        Map<String, String> arguments = RollupArguments.decoderLimitArguments(limits);

        assertThat(arguments).containsExactly(Map.entry("--max-future-skew", "PT1M30S"), Map.entry("--max-lateness", "PT30H"));
        List<String> commandLine = new ArrayList<>();
        arguments.forEach((name, value) -> commandLine.addAll(List.of(name, value)));
        assertThat(RollupArguments.parse(commandLine.toArray(String[]::new)).decoderLimits()).isEqualTo(limits);
    }

    @Test
    void bothSpellingsAreReadAndStrayValuesAndBareFlagsAreKeptApart() {
        RollupArguments named = RollupArguments.parse("stray", "--raw-uri", "s3://raw/", "--curated-uri=s3://c/x=y/",
                "--enable-metrics", "--date", "2026-11-23");

        assertThat(named.text(RollupArguments.RAW_URI)).contains("s3://raw/");
        assertThat(named.text(RollupArguments.CURATED_URI)).contains("s3://c/x=y/");
        assertThat(named.text("--enable-metrics")).contains("");
        assertThat(named.required(RollupArguments.DATE)).isEqualTo("2026-11-23");
        assertThat(named.has("stray")).isFalse();
    }

    @Test
    void errorsNameTheArgument() {
        RollupArguments named = RollupArguments.parse("--lateness", "3h", "--max-window-events", "many", "--date", "",
                "--max-lateness", "P31D");

        assertThatThrownBy(() -> named.required(RollupArguments.DATE)).hasMessage("missing argument --date");
        assertThatThrownBy(() -> named.required(RollupArguments.SCHEDULED_TIME, RollupArguments.DATE))
                .hasMessage("missing argument --date");
        assertThatThrownBy(() -> named.duration(RollupArguments.LATENESS, Duration.ZERO)).hasMessageContaining("--lateness");
        assertThatThrownBy(() -> named.integer(RollupArguments.MAX_WINDOW_EVENTS, 1)).hasMessageContaining("--max-window-events");
        assertThatThrownBy(named::decoderLimits).hasMessageContaining("--max-lateness");
        assertThatThrownBy(() -> RollupArguments.parse("--max-window-events", "3000000000").integer(RollupArguments.MAX_WINDOW_EVENTS, 1))
                .hasMessageContaining("--max-window-events");
    }
}
