package io.twinflow.glue;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

class RawArchiveTest {

    private static final LocalDate DAY = LocalDate.of(2026, 11, 23);

    @Test
    void readsTheHourBeforeMidnightTheDayAndEveryHourStartingWithinTheLateness() {
        List<String> hours = RawArchive.hourPartitions(DAY, Duration.ofHours(3));

        assertThat(hours).hasSize(1 + 24 + 3);
        assertThat(hours.get(0)).isEqualTo("dt=2026-11-22/hour=23");
        assertThat(hours.get(1)).isEqualTo("dt=2026-11-23/hour=00");
        assertThat(hours.get(24)).isEqualTo("dt=2026-11-23/hour=23");
        assertThat(hours.get(27)).isEqualTo("dt=2026-11-24/hour=02");
    }

    @Test
    void aPartialHourOfLatenessReadsThatWholeHour() {
        assertThat(RawArchive.hourPartitions(DAY, Duration.ofMinutes(61))).last().isEqualTo("dt=2026-11-24/hour=01");
        assertThat(RawArchive.hourPartitions(DAY, Duration.ZERO)).last().isEqualTo("dt=2026-11-23/hour=23");
    }
}
