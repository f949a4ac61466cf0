package io.twinflow.local.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.twinflow.core.pipeline.PipelineSpec;
import java.time.DayOfWeek;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Next fire times worked out by hand from a calendar (2026-11-24 is a Tuesday, 2028 a leap year). */
class CronExpressionTest {

    @ParameterizedTest(name = "{0} after {1} -> {2}")
    @CsvSource(delimiter = '|', value = {
            // the pipeline's loader: minute 5 of every hour
            "cron(5 * * * ? *)          | 2026-11-24T10:04:59Z     | 2026-11-24T10:05:00Z",
            "cron(5 * * * ? *)          | 2026-11-24T10:05:00Z     | 2026-11-24T11:05:00Z",
            "cron(5 * * * ? *)          | 2026-11-24T10:05:00.001Z | 2026-11-24T11:05:00Z",
            "cron(5 * * * ? *)          | 2026-12-31T23:30:00Z     | 2027-01-01T00:05:00Z",
            // the pipeline's rollup: 01:30 every day
            "cron(30 1 * * ? *)         | 2026-11-24T01:29:00Z     | 2026-11-24T01:30:00Z",
            "cron(30 1 * * ? *)         | 2026-11-24T01:30:00Z     | 2026-11-25T01:30:00Z",
            "cron(30 1 * * ? *)         | 2026-11-30T02:00:00Z     | 2026-12-01T01:30:00Z",
            // steps from a start, from *, and within a range
            "cron(0/15 * * * ? *)       | 2026-11-24T10:16:00Z     | 2026-11-24T10:30:00Z",
            "cron(*/20 * * * ? *)       | 2026-11-24T10:40:00Z     | 2026-11-24T11:00:00Z",
            "cron(10-40/10 * * * ? *)   | 2026-11-24T10:41:00Z     | 2026-11-24T11:10:00Z",
            "cron(10-40/10 * * * ? *)   | 2026-11-24T10:10:00Z     | 2026-11-24T10:20:00Z",
            "cron(5/20 * * * ? *)       | 2026-11-24T10:46:00Z     | 2026-11-24T11:05:00Z",
            // weekdays by name and number (EventBridge: 1 = Sunday)
            "cron(0/15 9-17 ? * MON-FRI *) | 2026-11-27T17:46:00Z  | 2026-11-30T09:00:00Z",
            "cron(0/15 9-17 ? * MON-FRI *) | 2026-11-24T08:00:00Z  | 2026-11-24T09:00:00Z",
            "cron(0 8 ? * 1 *)          | 2026-11-24T00:00:00Z     | 2026-11-29T08:00:00Z",
            "cron(0 8 ? * 7 *)          | 2026-11-24T00:00:00Z     | 2026-11-28T08:00:00Z",
            "cron(0,30 6,18 ? * SAT,SUN *) | 2026-11-28T18:30:00Z  | 2026-11-29T06:00:00Z",
            // lists and names in month, days of month that not every month has
            "cron(0 0 1 JAN,jul ? *)    | 2026-11-24T00:00:00Z     | 2027-01-01T00:00:00Z",
            "cron(0 0 31 * ? *)         | 2026-11-24T00:00:00Z     | 2026-12-31T00:00:00Z",
            "cron(0 0 29 2 ? *)         | 2026-03-01T00:00:00Z     | 2028-02-29T00:00:00Z",
            "cron(15 10 1-3 * ? 2027-2028) | 2026-11-24T00:00:00Z  | 2027-01-01T10:15:00Z",
            "cron(0 0 1 1 ? 2030)       | 2026-11-24T00:00:00Z     | 2030-01-01T00:00:00Z",
    })
    void nextFireTimeMatchesTheCalendar(String expression, String after, String expected) {
        assertThat(CronExpression.parse(expression).next(Instant.parse(after))).contains(Instant.parse(expected));
    }

    @Test
    void anExpressionWhoseLastYearHasPassedNeverFiresAgain() {
        assertThat(CronExpression.parse("cron(0 0 1 1 ? 2030)").next(Instant.parse("2030-01-01T00:00:00Z"))).isEmpty();
        assertThat(CronExpression.parse("cron(0 0 30 2 ? *)").next(Instant.parse("2026-01-01T00:00:00Z"))).isEmpty();
    }

    @Test
    void thePipelinesOwnSchedulesParseAndFireHourlyAndOnceADay() {
        PipelineSpec.Schedules schedules = PipelineSpec.defaults().schedules();
        Instant midnight = Instant.parse("2026-11-24T00:00:00Z");
        List<Instant> loader = fireTimes(CronExpression.parse(schedules.loader()), midnight, 25);
        for (int i = 1; i < loader.size(); i++) {
            assertThat(loader.get(i)).isEqualTo(loader.get(i - 1).plusSeconds(3600));
        }
        List<Instant> rollup = fireTimes(CronExpression.parse(schedules.rollup()), midnight, 3);
        assertThat(rollup.get(0)).isBefore(midnight.plusSeconds(86_400));
        assertThat(rollup.get(1)).isEqualTo(rollup.get(0).plusSeconds(86_400));
        assertThat(rollup.get(2)).isEqualTo(rollup.get(1).plusSeconds(86_400));
    }

    @Test
    void weekdayNumberingIsEventBridges() {
        assertThat(CronExpression.eventBridgeWeekday(DayOfWeek.SUNDAY)).isEqualTo(1);
        assertThat(CronExpression.eventBridgeWeekday(DayOfWeek.MONDAY)).isEqualTo(2);
        assertThat(CronExpression.eventBridgeWeekday(DayOfWeek.SATURDAY)).isEqualTo(7);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "rate(1 hour)",
            "cron(5 * * * ?)",                // five fields
            "cron(5 * * * * *)",              // neither day field is ?
            "cron(5 * ? * ? *)",              // both are
            "cron(60 * * * ? *)",             // minute out of range
            "cron(0 24 * * ? *)",             // hour out of range
            "cron(0 0 0 * ? *)",              // day 0
            "cron(0 0 ? * 8 *)",              // weekday 8
            "cron(0 0 L * ? *)",              // last day: not supported locally
            "cron(0 0 15W * ? *)",            // nearest weekday: not supported
            "cron(0 0 ? * MON#2 *)",          // nth weekday: not supported
            "cron(0 0 ? * 6L *)",
            "cron(40-10 * * * ? *)",          // backwards range
            "cron(0/0 * * * ? *)",            // zero step
            "cron(1,,2 * * * ? *)",           // empty list entry
            "cron(0 0 1 FOO ? *)",
            "cron(0 0 1 * ? 1969)",
    })
    void unsupportedOrInvalidExpressionsAreRefusedWithAReason(String expression) {
        assertThatThrownBy(() -> CronExpression.parse(expression)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageFindingMatch(".+");
    }

    @Test
    void refusalsNameTheField() {
        assertThatThrownBy(() -> CronExpression.parse("cron(0 0 L * ? *)")).hasMessageContaining("day-of-month")
                .hasMessageContaining("not supported");
        assertThatThrownBy(() -> CronExpression.parse("cron(0 25 * * ? *)")).hasMessageContaining("hours");
    }

    private static List<Instant> fireTimes(CronExpression cron, Instant from, int n) {
        List<Instant> times = new ArrayList<>();
        Instant t = from;
        for (int i = 0; i < n; i++) {
            t = cron.next(t).orElseThrow();
            times.add(t);
        }
        return times;
    }
}
