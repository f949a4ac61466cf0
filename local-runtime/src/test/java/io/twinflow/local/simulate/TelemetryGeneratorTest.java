package io.twinflow.local.simulate;

import static org.assertj.core.api.Assertions.assertThat;

import io.twinflow.core.event.DecodeResult;
import io.twinflow.core.event.EventDecoder;
import io.twinflow.core.event.ReasonCode;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TelemetryGeneratorTest {

    /*
     * The fleet's accounting trusts the plan: a bad record counts under the reason it was made for. The
     * times below hold the text the generator edits ("21.5", the metric's value) or look like it, which
     * once turned a planned NON_FINITE_METRIC into a BAD_TIMESTAMP.
     */
    @ParameterizedTest
    @ValueSource(strings = {"2026-11-28T10:15:21.500Z", "2026-11-28T21:05:21.500Z", "2026-11-28T10:15:00Z"})
    void everyPlannedBadRecordIsRejectedForTheReasonItWasMadeFor(String time) {
        Instant now = Instant.parse(time);
        TelemetryGenerator generator = new TelemetryGenerator(5, 0.0, 42);
        EventDecoder decoder = new EventDecoder();
        Map<ReasonCode, Integer> seen = new EnumMap<>(ReasonCode.class);
        for (int i = 0; i < 500; i++) {
            PlannedRecord planned = generator.bad(now);
            DecodeResult result = decoder.decode(planned.data(), now);
            assertThat(result).as("record made for " + planned.expectedReason()).isInstanceOfSatisfying(DecodeResult.Rejected.class,
                    rejected -> assertThat(rejected.reason()).as("record made for " + planned.expectedReason())
                            .isEqualTo(planned.expectedReason()));
            seen.merge(planned.expectedReason(), 1, Integer::sum);
        }
        assertThat(seen.keySet()).containsExactlyInAnyOrderElementsOf(TelemetryGenerator.BAD_KINDS);
    }
}
