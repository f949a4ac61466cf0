package io.twinflow.warehouse.sql;

import java.io.IOException;
import java.io.Writer;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

/**
 * Builds CSV records that PostgreSQL's {@code COPY ... (FORMAT csv)} and Redshift's
 * {@code COPY ... CSV EMPTYASNULL} both read the same way: a null is an empty unquoted field, every
 * string is quoted (so it is never mistaken for a null), timestamps are UTC with microseconds.
 */
public final class Csv implements CopyRecord {

    /**
     * Writes CSV records (a table's rows, a raw object's staging records), rendered only while they are
     * copied, so they are never held as one big string.
     */
    @FunctionalInterface
    public interface Source {
        void writeTo(Writer out) throws IOException;
    }

    private final StringBuilder row = new StringBuilder(256);
    private boolean first = true;

    @Override
    public Csv string(String value) {
        separator();
        if (value != null) {
            row.append('"').append(value.indexOf('"') < 0 ? value : value.replace("\"", "\"\"")).append('"');
        }
        return this;
    }

    @Override
    public Csv number(Double value) {
        separator();
        if (value != null) {
            row.append(value.doubleValue());
        }
        return this;
    }

    @Override
    public Csv number(long value) {
        separator();
        row.append(value);
        return this;
    }

    @Override
    public Csv bool(boolean value) {
        separator();
        row.append(value ? "true" : "false");
        return this;
    }

    @Override
    public Csv timestamp(Instant value) {
        separator();
        if (value != null) {
            appendTimestamp(row, value);
        }
        return this;
    }

    @Override
    public Csv date(LocalDate value) {
        separator();
        if (value != null) {
            row.append(value);
        }
        return this;
    }

    @Override
    public Csv nothing() {
        separator();
        return this;
    }

    /** The finished record including its newline; the builder is reset for the next one. */
    public String end() {
        row.append('\n');
        String out = row.toString();
        row.setLength(0);
        first = true;
        return out;
    }

    public static String timestampLiteral(Instant value) {
        StringBuilder out = new StringBuilder(30);
        appendTimestamp(out, value);
        return out.toString();
    }

    /**
     * {@code yyyy-MM-dd HH:mm:ss.SSSSSS+00} in UTC, written by hand: a DateTimeFormatter cost as much as
     * decoding the event, and every staged event has two timestamps. Years are 1970-9999 (see
     * {@link io.twinflow.warehouse.load.StagedLine}), so four digits always suffice.
     */
    private static void appendTimestamp(StringBuilder out, Instant value) {
        LocalDateTime t = LocalDateTime.ofEpochSecond(value.getEpochSecond(), value.getNano(), ZoneOffset.UTC);
        pad(out, t.getYear(), 4).append('-');
        pad(out, t.getMonthValue(), 2).append('-');
        pad(out, t.getDayOfMonth(), 2).append(' ');
        pad(out, t.getHour(), 2).append(':');
        pad(out, t.getMinute(), 2).append(':');
        pad(out, t.getSecond(), 2).append('.');
        pad(out, t.getNano() / 1000, 6).append("+00");
    }

    private static StringBuilder pad(StringBuilder out, int value, int digits) {
        for (int limit = 10, i = 1; i < digits; i++, limit *= 10) {
            if (value < limit) {
                out.append('0');
            }
        }
        return out.append(value);
    }

    private void separator() {
        if (!first) {
            row.append(',');
        }
        first = false;
    }
}
