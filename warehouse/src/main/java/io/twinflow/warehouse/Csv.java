package io.twinflow.warehouse;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * Builds CSV records that PostgreSQL's {@code COPY ... (FORMAT csv)} and Redshift's
 * {@code COPY ... CSV EMPTYASNULL} both read the same way: a null is an empty unquoted field, every
 * string is quoted (so it is never mistaken for a null), timestamps are UTC with microseconds.
 */
final class Csv {

    private static final DateTimeFormatter TIMESTAMP =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS'+00'").withZone(ZoneOffset.UTC);

    private final StringBuilder row = new StringBuilder(256);
    private boolean first = true;

    Csv string(String value) {
        separator();
        if (value != null) {
            row.append('"');
            for (int i = 0; i < value.length(); i++) {
                char c = value.charAt(i);
                if (c == '"') {
                    row.append('"');
                }
                row.append(c);
            }
            row.append('"');
        }
        return this;
    }

    Csv number(Double value) {
        separator();
        if (value != null) {
            row.append(value.doubleValue());
        }
        return this;
    }

    Csv number(long value) {
        separator();
        row.append(value);
        return this;
    }

    Csv bool(boolean value) {
        separator();
        row.append(value ? "true" : "false");
        return this;
    }

    Csv timestamp(Instant value) {
        separator();
        if (value != null) {
            row.append(TIMESTAMP.format(value));
        }
        return this;
    }

    Csv date(LocalDate value) {
        separator();
        if (value != null) {
            row.append(value);
        }
        return this;
    }

    Csv nothing() {
        separator();
        return this;
    }

    /** The finished record including its newline; the builder is reset for the next one. */
    String end() {
        row.append('\n');
        String out = row.toString();
        row.setLength(0);
        first = true;
        return out;
    }

    static String timestampLiteral(Instant value) {
        return TIMESTAMP.format(value);
    }

    private void separator() {
        if (!first) {
            row.append(',');
        }
        first = false;
    }
}
