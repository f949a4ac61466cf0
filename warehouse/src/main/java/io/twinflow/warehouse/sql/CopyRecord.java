package io.twinflow.warehouse.sql;

import java.time.Instant;
import java.time.LocalDate;

/**
 * The fields of one COPY record, in column order, whatever the format: {@link Csv} (both engines) or
 * {@link PgBinaryCopy} (PostgreSQL's binary COPY). A null value is SQL NULL in either.
 */
public interface CopyRecord {

    CopyRecord string(String value);

    CopyRecord number(Double value);

    CopyRecord number(long value);

    CopyRecord bool(boolean value);

    CopyRecord timestamp(Instant value);

    CopyRecord date(LocalDate value);

    /** A NULL field. */
    CopyRecord nothing();
}
