package io.twinflow.local.schedule;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * An EventBridge (Scheduler) cron expression, {@code cron(minutes hours day-of-month month day-of-week year)},
 * evaluated in UTC, so that the local scheduler fires the jobs when the deployed schedules would.
 *
 * <p>Supported: numbers, {@code *}, lists ({@code 1,15}), ranges ({@code 9-17}), steps ({@code 0/15},
 * {@code *}{@code /5}, {@code 10-40/10}), month names {@code JAN-DEC}, weekday names {@code SUN-SAT}
 * (EventBridge numbers Sunday 1 .. Saturday 7) and {@code ?}, which exactly one of day-of-month and
 * day-of-week must be, as EventBridge requires. {@code L}, {@code W} and {@code #} are refused rather
 * than approximated: a schedule that fired on other days locally than in AWS would be worse than none.
 */
public final class CronExpression {

    private static final List<String> MONTHS = List.of("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP",
            "OCT", "NOV", "DEC");
    private static final List<String> WEEKDAYS = List.of("SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT");
    private static final int MIN_YEAR = 1970;
    private static final int MAX_YEAR = 2199;

    private final String text;
    private final BitSet minutes;
    private final BitSet hours;
    /** Null when the field is {@code ?}. */
    private final BitSet daysOfMonth;
    private final BitSet months;
    /** EventBridge numbering, 1 = Sunday; null when the field is {@code ?}. */
    private final BitSet daysOfWeek;
    private final BitSet years;

    private CronExpression(String text, BitSet minutes, BitSet hours, BitSet daysOfMonth, BitSet months,
                           BitSet daysOfWeek, BitSet years) {
        this.text = text;
        this.minutes = minutes;
        this.hours = hours;
        this.daysOfMonth = daysOfMonth;
        this.months = months;
        this.daysOfWeek = daysOfWeek;
        this.years = years;
    }

    /** Parses {@code cron(...)}; throws {@link IllegalArgumentException} naming the offending field. */
    public static CronExpression parse(String expression) {
        String trimmed = expression.trim();
        if (!trimmed.startsWith("cron(") || !trimmed.endsWith(")")) {
            throw new IllegalArgumentException("not a cron(...) expression: " + expression);
        }
        String[] fields = trimmed.substring(5, trimmed.length() - 1).trim().split("\\s+");
        if (fields.length != 6) {
            throw new IllegalArgumentException("cron needs 6 fields (minutes hours day-of-month month day-of-week year), got "
                    + fields.length + ": " + expression);
        }
        boolean domAny = fields[2].equals("?");
        boolean dowAny = fields[4].equals("?");
        if (domAny == dowAny) {
            throw new IllegalArgumentException("exactly one of day-of-month and day-of-week must be '?': " + expression);
        }
        return new CronExpression(trimmed,
                field(fields[0], "minutes", 0, 59, List.of(), 0),
                field(fields[1], "hours", 0, 23, List.of(), 0),
                domAny ? null : field(fields[2], "day-of-month", 1, 31, List.of(), 1),
                field(fields[3], "month", 1, 12, MONTHS, 1),
                dowAny ? null : field(fields[4], "day-of-week", 1, 7, WEEKDAYS, 1),
                field(fields[5], "year", MIN_YEAR, MAX_YEAR, List.of(), MIN_YEAR));
    }

    /**
     * @param names the field's value names in order, the first meaning {@code namesBase}
     */
    private static BitSet field(String text, String name, int min, int max, List<String> names, int namesBase) {
        BitSet values = new BitSet(max + 1);
        for (String part : text.split(",", -1)) {
            if (part.isEmpty()) {
                throw new IllegalArgumentException(name + ": empty list entry in '" + text + "'");
            }
            if (part.equals("?")) {
                throw new IllegalArgumentException(name + ": '?' is only allowed alone in day-of-month or day-of-week");
            }
            String range = part;
            int step = 1;
            int slash = part.indexOf('/');
            if (slash >= 0) {
                range = part.substring(0, slash);
                step = number(part.substring(slash + 1), name, 1, max - min + 1, List.of(), 0);
            }
            int from;
            int to;
            if (range.equals("*")) {
                from = min;
                to = max;
            } else if (range.contains("-")) {
                String[] bounds = range.split("-", -1);
                if (bounds.length != 2) {
                    throw new IllegalArgumentException(name + ": bad range '" + range + "'");
                }
                from = number(bounds[0], name, min, max, names, namesBase);
                to = number(bounds[1], name, min, max, names, namesBase);
                if (from > to) {
                    throw new IllegalArgumentException(name + ": range '" + range + "' runs backwards");
                }
            } else {
                from = number(range, name, min, max, names, namesBase);
                // "5/15" means from 5 to the end in steps of 15; a bare "5" is just 5.
                to = slash >= 0 ? max : from;
            }
            for (int v = from; v <= to; v += step) {
                values.set(v);
            }
        }
        return values;
    }

    private static int number(String text, String name, int min, int max, List<String> names, int namesBase) {
        int index = names.indexOf(text.toUpperCase(Locale.ROOT));
        int value;
        if (index >= 0) {
            value = namesBase + index;
        } else {
            try {
                value = Integer.parseInt(text);
            } catch (NumberFormatException e) {
                if (text.toUpperCase(Locale.ROOT).matches(".*[LW#].*")) {
                    throw new IllegalArgumentException(name + ": L, W and # are not supported by the local scheduler: '" + text + "'");
                }
                throw new IllegalArgumentException(name + ": '" + text + "' is not a number" + (names.isEmpty() ? "" : " or name"));
            }
        }
        if (value < min || value > max) {
            throw new IllegalArgumentException(name + ": " + value + " is outside " + min + "-" + max);
        }
        return value;
    }

    /** The first fire time strictly after {@code after} (fire times are whole UTC minutes); empty after 2199. */
    public Optional<Instant> next(Instant after) {
        LocalDateTime t = LocalDateTime.ofInstant(after, ZoneOffset.UTC).truncatedTo(ChronoUnit.MINUTES).plusMinutes(1);
        // Each step either accepts the current field or jumps to the start of the next candidate of it,
        // resetting the smaller fields, so the loop ends within a few hundred steps per year searched.
        while (t.getYear() <= MAX_YEAR) {
            if (!years.get(t.getYear())) {
                t = LocalDateTime.of(t.getYear() + 1, 1, 1, 0, 0);
            } else if (!months.get(t.getMonthValue())) {
                t = t.withDayOfMonth(1).toLocalDate().plusMonths(1).atStartOfDay();
            } else if (!dayMatches(t)) {
                t = t.toLocalDate().plusDays(1).atStartOfDay();
            } else if (!hours.get(t.getHour())) {
                t = t.truncatedTo(ChronoUnit.HOURS).plusHours(1);
            } else if (!minutes.get(t.getMinute())) {
                t = t.plusMinutes(1);
            } else {
                return Optional.of(t.toInstant(ZoneOffset.UTC));
            }
        }
        return Optional.empty();
    }

    private boolean dayMatches(LocalDateTime t) {
        if (daysOfMonth != null) {
            return daysOfMonth.get(t.getDayOfMonth());
        }
        return daysOfWeek.get(eventBridgeWeekday(t.getDayOfWeek()));
    }

    /** java.time numbers Monday 1 .. Sunday 7; EventBridge Sunday 1 .. Saturday 7. */
    static int eventBridgeWeekday(DayOfWeek day) {
        return day.getValue() % 7 + 1;
    }

    @Override
    public String toString() {
        return text;
    }
}
