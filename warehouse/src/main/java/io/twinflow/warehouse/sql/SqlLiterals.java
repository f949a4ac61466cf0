package io.twinflow.warehouse.sql;

import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;

/** Time and date literals that both engines read the same way (UTC, microseconds). */
public final class SqlLiterals {

    private SqlLiterals() {
    }

    /**
     * {@code instant} as both engines store it, to the microsecond, so a value read back equals the
     * value written.
     */
    public static Instant stored(Instant instant) {
        return instant.truncatedTo(ChronoUnit.MICROS);
    }

    public static String timestamp(Instant instant) {
        return "CAST('" + Csv.timestampLiteral(instant) + "' AS TIMESTAMPTZ)";
    }

    public static String date(LocalDate date) {
        return "CAST('" + date + "' AS DATE)";
    }
}
