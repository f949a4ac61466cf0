package io.twinflow.core.window;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.time.Duration;
import java.time.Instant;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class WindowsTest {

    private final Windows minute = new Windows(Windows.DEFAULT_SIZE);

    private static Instant at(String iso) {
        return Instant.parse(iso);
    }

    @Test
    void anEventExactlyOnTheMinuteOpensItsWindow() {
        assertThat(minute.startOf(at("2026-11-24T10:15:00Z"))).isEqualTo(at("2026-11-24T10:15:00Z"));
        assertThat(minute.endOf(at("2026-11-24T10:15:00Z"))).isEqualTo(at("2026-11-24T10:16:00Z"));
    }

    @Test
    void theLastMillisecondBeforeTheMinuteBelongsToThePreviousWindow() {
        assertThat(minute.startOf(at("2026-11-24T10:14:59.999Z"))).isEqualTo(at("2026-11-24T10:14:00Z"));
        assertThat(minute.startOf(at("2026-11-24T10:14:59.999999999Z"))).isEqualTo(at("2026-11-24T10:14:00Z"));
        assertThat(minute.startOf(at("2026-11-24T10:15:59.999Z"))).isEqualTo(at("2026-11-24T10:15:00Z"));
    }

    @Test
    void theUnixEpochStartsAWindow() {
        assertThat(minute.startOf(Instant.EPOCH)).isEqualTo(Instant.EPOCH);
        assertThat(minute.startOf(at("1970-01-01T00:00:59.999Z"))).isEqualTo(Instant.EPOCH);
        assertThat(minute.startOf(at("1970-01-01T00:01:00Z"))).isEqualTo(at("1970-01-01T00:01:00Z"));
    }

    @Test
    void instantsBeforeTheEpochRoundDownNotTowardsZero() {
        // Integer division truncates towards zero; a window start must never be after the event.
        assertThat(minute.startOf(at("1969-12-31T23:59:59.999Z"))).isEqualTo(at("1969-12-31T23:59:00Z"));
    }

    @Test
    void farPastAndFarFutureAreAlignedToo() {
        assertThat(minute.startOf(at("2001-09-09T01:46:40.500Z"))).isEqualTo(at("2001-09-09T01:46:00Z"));
        assertThat(minute.startOf(at("9999-12-31T23:59:59.999Z"))).isEqualTo(at("9999-12-31T23:59:00Z"));
        assertThat(minute.endOf(at("9999-12-31T23:59:00Z"))).isEqualTo(at("+10000-01-01T00:00:00Z"));
        assertThat(Windows.ofMinutes(60).startOf(at("9999-06-30T12:34:56Z"))).isEqualTo(at("9999-06-30T12:00:00Z"));
    }

    @Test
    void fiveMinuteWindowsStartOnMultiplesOfFiveMinutes() {
        Windows five = Windows.ofMinutes(5);
        assertThat(five.startOf(at("2026-11-24T10:14:59.999Z"))).isEqualTo(at("2026-11-24T10:10:00Z"));
        assertThat(five.startOf(at("2026-11-24T10:15:00Z"))).isEqualTo(at("2026-11-24T10:15:00Z"));
        assertThat(five.startOf(at("2026-11-24T10:19:59.999Z"))).isEqualTo(at("2026-11-24T10:15:00Z"));
        assertThat(five.endOf(at("2026-11-24T10:15:00Z"))).isEqualTo(at("2026-11-24T10:20:00Z"));
    }

    @Test
    void everyInstantLiesInItsWindowAndWindowsTileTheTimeline() {
        Random random = new Random(42);
        for (long minutes : new long[] {1, 2, 5, 15, 60, 1440}) {
            Windows windows = Windows.ofMinutes(minutes);
            for (int i = 0; i < 2_000; i++) {
                Instant t = Instant.ofEpochSecond(random.nextLong(0, 253_402_300_799L), random.nextInt(1_000_000_000));
                Instant start = windows.startOf(t);
                Instant end = windows.endOf(start);
                assertThat(start).isBeforeOrEqualTo(t);
                assertThat(t).isBefore(end);
                assertThat(start.toEpochMilli() % windows.size().toMillis()).isZero();
                assertThat(windows.startOf(end)).isEqualTo(end);
            }
        }
    }

    @Test
    void windowsTileTheUtcDaySoADayIsAWholeNumberOfWindows() {
        Windows five = Windows.ofMinutes(5);
        assertThat(five.startOf(at("2026-11-24T00:00:00Z"))).isEqualTo(at("2026-11-24T00:00:00Z"));
        assertThat(five.startOf(at("2026-11-23T23:59:59.999Z"))).isEqualTo(at("2026-11-23T23:55:00Z"));
    }

    @ParameterizedTest
    @ValueSource(longs = {7, 11, 13, 25, 7 * 60 + 1})
    void sizesThatDoNotDivideADayAreRejected(long minutes) {
        assertThatThrownBy(() -> Windows.ofMinutes(minutes))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("divide a day");
    }

    @Test
    void secondsThatDoNotDivideADayAreRejectedWhileDivisorsAreAccepted() {
        assertThatThrownBy(() -> new Windows(Duration.ofSeconds(7))).isInstanceOf(IllegalArgumentException.class);
        for (long seconds : new long[] {1, 10, 30, 45, 90, 3600, 86_400}) {
            assertThat(new Windows(Duration.ofSeconds(seconds)).size()).isEqualTo(Duration.ofSeconds(seconds));
        }
    }

    @Test
    void nonPositiveFractionalAndOverlongSizesAreRejected() {
        for (Duration size : new Duration[] {Duration.ZERO, Duration.ofMinutes(-1), Duration.ofMillis(1500),
            Duration.ofMillis(500), Duration.ofSeconds(60).plusNanos(1), Duration.ofDays(2), Duration.ofDays(1).plusSeconds(1),
            Duration.ofSeconds(Long.MAX_VALUE)}) {
            assertThat(catchThrowable(() -> new Windows(size))).as(size.toString()).isInstanceOf(IllegalArgumentException.class);
        }
    }
}
