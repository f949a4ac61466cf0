package io.twinflow.warehouse.jdbc;

/**
 * A hook the JDBC adapter calls at the points where a crash is most interesting, so tests can prove
 * that a load interrupted there leaves nothing behind. Production code passes {@link #NONE}.
 */
@FunctionalInterface
public interface LoadFailpoint {

    LoadFailpoint NONE = step -> { };

    enum Step {
        /** Every line is in the staging table; nothing is merged yet. */
        STAGED,
        /** Events merged, quarantine and load log written; the transaction is not committed. */
        MERGED
    }

    void reached(Step step);
}
