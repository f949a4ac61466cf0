package io.twinflow.warehouse.sql;

/**
 * The warehouse's schema name, spliced into every statement (SQL takes no bind parameter for an
 * identifier): so it must be a plain lower-case identifier.
 */
public final class SchemaName {

    private SchemaName() {
    }

    /** Returns {@code schema}, or throws when it is not a lower-case SQL identifier. */
    public static String require(String schema) {
        if (schema == null || !schema.matches("[a-z_][a-z0-9_]{0,62}")) {
            throw new IllegalArgumentException("schema must be a lower-case SQL identifier: " + schema);
        }
        return schema;
    }
}
