package io.twinflow.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.twinflow.core.event.EventRules;
import io.twinflow.core.event.Timestamps;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The cheaper code the experiments measure (now core's own) gives exactly the answers of what it replaced. */
class ComponentCostsTest {

    @Test
    void fastInstantParseAgreesWithInstantParse() {
        for (String s : List.of("2026-11-24T10:15:30Z", "2026-11-24T10:15:30.1Z", "2026-11-24T10:15:30.123Z",
                "2026-11-24T10:15:30.123456789Z", "1970-01-01T00:00:00Z", "2024-02-29T23:59:59.999Z",
                "2026-11-24T10:15:30+02:00", "+12026-11-24T10:15:30Z")) {
            assertThat(Timestamps.parse(s)).as(s).isEqualTo(Instant.parse(s));
        }
        for (String edge : List.of("2026-02-30T10:15:30Z", "2026-11-24T24:00:00Z", "2026-11-24T23:59:60Z", "2026-11-24T10:15:30.Z",
                "2026-11-24 10:15:30Z", "2026-1-24T10:15:30.12345Z")) {
            Instant expected;
            try {
                expected = Instant.parse(edge);
            } catch (DateTimeException e) {
                assertThatThrownBy(() -> Timestamps.parse(edge)).as(edge).isInstanceOf(DateTimeException.class);
                continue;
            }
            assertThat(Timestamps.parse(edge)).as(edge).isEqualTo(expected);
        }
    }

    @Test
    void characterLoopsAcceptWhatTheDecoderPatternsAccept() {
        assertThat(EventRules.isDeviceId("sensor-0042.a_b:c")).isTrue();
        assertThat(EventRules.isDeviceId("sensor 42")).isFalse();
        assertThat(EventRules.isDeviceId("")).isFalse();
        assertThat(EventRules.isDeviceId("x".repeat(129))).isFalse();
        assertThat(EventRules.isMetricName("co2_ppm")).isTrue();
        assertThat(EventRules.isMetricName("co2-ppm")).isFalse();
        assertThat(EventRules.isMetricName("x".repeat(65))).isFalse();
    }
}
