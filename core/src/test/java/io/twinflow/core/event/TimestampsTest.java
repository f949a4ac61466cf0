package io.twinflow.core.event;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.DateTimeException;
import java.time.Instant;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TimestampsTest {

    /** Instant.parse's verdict: the instant, or null when it refuses. */
    private static Instant jdk(String text) {
        try {
            return Instant.parse(text);
        } catch (DateTimeException e) {
            return null;
        }
    }

    private static Instant ours(String text) {
        try {
            return Timestamps.parse(text);
        } catch (DateTimeException e) {
            return null;
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "2026-11-24T10:15:30Z", "2026-11-24T10:15:30.1Z", "2026-11-24T10:15:30.123Z", "2026-11-24T10:15:30.123456789Z",
        "2024-02-29T00:00:00Z", "2023-02-29T00:00:00Z", "1900-02-29T00:00:00Z", "2000-02-29T23:59:59.999Z",
        "2026-04-31T00:00:00Z", "2026-13-01T00:00:00Z", "2026-00-10T00:00:00Z", "2026-11-00T00:00:00Z",
        "2026-11-24T24:00:00Z", "2026-11-24T23:60:00Z", "2016-12-31T23:59:60Z", "2026-11-24T10:15:30.Z",
        "2026-11-24T10:15:30.1234567890Z", "2026-11-24T10:15:30+01:00", "2026-11-24T10:15:30.5-05:30",
        "2026-11-24t10:15:30Z", "2026-11-24T10:15:30z", "2026-11-24 10:15:30Z", "+12026-11-24T10:15:30Z",
        "2026-1-24T10:15:30Z", "2026-11-24T10:15Z", "1970-01-01T00:00:00Z", "0001-01-01T00:00:00Z",
        "2026-11-24T10:15:3aZ", "2026-11-24T10:15:30.12a4Z", "Z026-11-24T10:15:30Z", ""})
    void acceptsAndRejectsExactlyWhatInstantParseDoes(String text) {
        assertThat(ours(text)).as(text).isEqualTo(jdk(text));
    }

    @Test
    void randomCanonicalTimesParseToTheSameInstant() {
        Random random = new Random(42);
        for (int i = 0; i < 20_000; i++) {
            Instant instant = Instant.ofEpochSecond(random.nextLong(0, 8_000_000_000L), random.nextInt(1_000_000_000));
            String canonical = instant.toString();
            assertThat(Timestamps.parseCanonical(canonical)).as(canonical).isEqualTo(instant);
        }
    }

    @Test
    void randomDigitStringsInTheCanonicalShapeAgreeWithTheJdk() {
        Random random = new Random(7);
        for (int i = 0; i < 20_000; i++) {
            String text = String.format("%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", random.nextInt(10_000), random.nextInt(14),
                    random.nextInt(33), random.nextInt(26), random.nextInt(62), random.nextInt(62), random.nextInt(1000));
            assertThat(ours(text)).as(text).isEqualTo(jdk(text));
        }
    }
}
