package io.twinflow.local.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.twinflow.core.error.UserMistakeException;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;

class DayRangeTest {

    @Test
    void daysAreEveryDayBothEndsIncludedOldestFirst() {
        assertThat(new DayRange(LocalDate.parse("2026-02-27"), LocalDate.parse("2026-03-02")).days()).containsExactly(
                LocalDate.parse("2026-02-27"), LocalDate.parse("2026-02-28"), LocalDate.parse("2026-03-01"), LocalDate.parse("2026-03-02"));
        assertThat(new DayRange(LocalDate.parse("2026-11-28"), LocalDate.parse("2026-11-28")).days())
                .containsExactly(LocalDate.parse("2026-11-28"));
    }

    @Test
    void aRangeThatEndsBeforeItStartsIsAUserMistake() {
        assertThatThrownBy(() -> new DayRange(LocalDate.parse("2026-11-28"), LocalDate.parse("2026-11-27")))
                .isInstanceOf(UserMistakeException.class).hasMessage("--from 2026-11-28 is after --to 2026-11-27: give the earlier day first");
    }

    @Test
    void aRangeOfMoreThan366DaysIsAUserMistakeAnd366AreFine() {
        assertThat(new DayRange(LocalDate.parse("2024-01-01"), LocalDate.parse("2024-12-31")).days()).hasSize(366);
        assertThatThrownBy(() -> new DayRange(LocalDate.parse("2024-01-01"), LocalDate.parse("2025-01-01")))
                .isInstanceOf(UserMistakeException.class).hasMessageContaining("spans 367 days, more than 366");
    }

    @Test
    void aHalfOpenRangeIsAUserMistake() {
        assertThatThrownBy(() -> new DayRange(LocalDate.parse("2026-11-28"), null))
                .isInstanceOf(UserMistakeException.class).hasMessageContaining("both --from and --to");
    }
}
