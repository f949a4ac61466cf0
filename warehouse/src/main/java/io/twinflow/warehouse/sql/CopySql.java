package io.twinflow.warehouse.sql;

import java.util.List;

/**
 * The COPY commands that bring staged CSV into a table: PostgreSQL reads it from the connection
 * (the JDBC adapter streams it; raw objects' staging records in the binary format), Redshift from a
 * gzip object in S3 with an IAM role.
 */
public final class CopySql {

    private CopySql() {
    }

    public static String fromStdin(String table, List<String> columns) {
        return "COPY " + table + " (" + String.join(", ", columns) + ") FROM STDIN WITH (FORMAT csv)";
    }

    /** PostgreSQL only: records in the binary format of {@link PgBinaryCopy}. */
    public static String fromStdinBinary(String table, List<String> columns) {
        return "COPY " + table + " (" + String.join(", ", columns) + ") FROM STDIN WITH (FORMAT binary)";
    }

    public static String fromS3(Dialect dialect, String table, List<String> columns, String s3Uri, String iamRoleArn) {
        // MAXERROR 0: a staging file is machine-written, so any load error is a bug to surface, not skip.
        return "COPY " + table + " (" + String.join(", ", columns) + ") FROM " + dialect.quote(s3Uri)
                + " IAM_ROLE " + dialect.quote(iamRoleArn)
                + " FORMAT AS CSV GZIP EMPTYASNULL TIMEFORMAT 'auto' DATEFORMAT 'YYYY-MM-DD'"
                + " MAXERROR 0 COMPUPDATE OFF STATUPDATE OFF";
    }
}
