package io.twinflow.warehouse.redshift;

/**
 * One row of Redshift's {@code sys_load_error_detail}: where a COPY failed. Staging files hold one
 * record per raw line, so {@code line} is also the line of the raw object.
 */
public record LoadError(String file, long line, String column, String message) {

    @Override
    public String toString() {
        return file + " line " + line + (column == null || column.isBlank() ? "" : " column " + column) + ": " + message;
    }
}
