package io.twinflow.local.batch;

import io.twinflow.core.error.UserMistakeException;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * The UTC days of a backfill ({@code batch run --from D --to D}), both ends included, in order. A range
 * that ends before it starts or spans more than {@link #MAX_DAYS} days is a user mistake: a year of
 * rollups is already hours of Spark runs, so a longer span is far more likely a typo in a year.
 */
public record DayRange(LocalDate from, LocalDate to) {

    public static final int MAX_DAYS = 366;

    public DayRange {
        if (from == null || to == null) {
            throw new UserMistakeException("a day range needs both --from and --to (YYYY-MM-DD); for one day give --date D");
        }
        if (from.isAfter(to)) {
            throw new UserMistakeException("--from " + from + " is after --to " + to + ": give the earlier day first");
        }
        long days = ChronoUnit.DAYS.between(from, to) + 1;
        if (days > MAX_DAYS) {
            throw new UserMistakeException("--from " + from + " --to " + to + " spans " + days + " days, more than " + MAX_DAYS
                    + ": run the backfill in ranges of at most " + MAX_DAYS + " days");
        }
    }

    /** Every day from {@code from} to {@code to}, both included, oldest first. */
    public List<LocalDate> days() {
        return from.datesUntil(to.plusDays(1)).toList();
    }
}
