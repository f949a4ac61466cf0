package io.twinflow.warehouse.redshift;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * Where and how the Data API adapter reaches Redshift. Exactly one of {@code workgroupName}
 * (Redshift Serverless) and {@code clusterIdentifier} (provisioned) is set; credentials come from
 * {@code secretArn} (Secrets Manager) or, for a provisioned cluster, temporary ones for {@code dbUser}.
 *
 * @param copyRoleArn the IAM role Redshift assumes to read staging objects in COPY
 * @param stagingBucket where cleaned rows are written for COPY (objects are deleted after the load)
 * @param pollInitial first wait between status checks; doubles up to {@code pollMax}
 * @param statementTimeout a statement still running after this is cancelled and reported as failed
 */
public record RedshiftDataApiSettings(String database, String workgroupName, String clusterIdentifier,
                                      String secretArn, String dbUser, String copyRoleArn,
                                      String stagingBucket, String stagingPrefix,
                                      Duration pollInitial, Duration pollMax, Duration statementTimeout) {

    public static final Duration DEFAULT_POLL_INITIAL = Duration.ofMillis(100);
    public static final Duration DEFAULT_POLL_MAX = Duration.ofSeconds(5);
    public static final Duration DEFAULT_STATEMENT_TIMEOUT = Duration.ofMinutes(10);

    public RedshiftDataApiSettings {
        Objects.requireNonNull(database, "database");
        Objects.requireNonNull(copyRoleArn, "copyRoleArn");
        Objects.requireNonNull(stagingBucket, "stagingBucket");
        Objects.requireNonNull(stagingPrefix, "stagingPrefix");
        Objects.requireNonNull(pollInitial, "pollInitial");
        Objects.requireNonNull(pollMax, "pollMax");
        Objects.requireNonNull(statementTimeout, "statementTimeout");
        if ((workgroupName == null) == (clusterIdentifier == null)) {
            throw new IllegalArgumentException("set exactly one of workgroupName and clusterIdentifier");
        }
        if (secretArn == null && dbUser == null) {
            throw new IllegalArgumentException("set secretArn or dbUser");
        }
        if (workgroupName != null && dbUser != null && secretArn == null) {
            throw new IllegalArgumentException("Redshift Serverless takes a secretArn (or the caller's IAM identity), not dbUser");
        }
        if (pollInitial.isNegative() || pollInitial.isZero() || pollMax.compareTo(pollInitial) < 0) {
            throw new IllegalArgumentException("need 0 < pollInitial <= pollMax");
        }
        if (!stagingPrefix.isEmpty() && !stagingPrefix.endsWith("/")) {
            throw new IllegalArgumentException("stagingPrefix must be empty or end with '/': " + stagingPrefix);
        }
    }

    /** Redshift Serverless with a Secrets Manager secret, default polling. */
    public static RedshiftDataApiSettings serverless(String database, String workgroupName, String secretArn,
                                                     String copyRoleArn, String stagingBucket, String stagingPrefix) {
        return new RedshiftDataApiSettings(database, workgroupName, null, secretArn, null, copyRoleArn,
                stagingBucket, stagingPrefix, DEFAULT_POLL_INITIAL, DEFAULT_POLL_MAX, DEFAULT_STATEMENT_TIMEOUT);
    }

    /**
     * Reads {@code TWINFLOW_REDSHIFT_DATABASE}, {@code _WORKGROUP} or {@code _CLUSTER},
     * {@code _SECRET_ARN} and/or {@code _DB_USER}, {@code _COPY_ROLE_ARN}, {@code _STAGING_BUCKET} and
     * {@code _STAGING_PREFIX} (default {@code warehouse-staging/}) from the given environment.
     */
    public static RedshiftDataApiSettings fromEnvironment(Map<String, String> env) {
        return new RedshiftDataApiSettings(
                required(env, "TWINFLOW_REDSHIFT_DATABASE"),
                env.get("TWINFLOW_REDSHIFT_WORKGROUP"),
                env.get("TWINFLOW_REDSHIFT_CLUSTER"),
                env.get("TWINFLOW_REDSHIFT_SECRET_ARN"),
                env.get("TWINFLOW_REDSHIFT_DB_USER"),
                required(env, "TWINFLOW_REDSHIFT_COPY_ROLE_ARN"),
                required(env, "TWINFLOW_REDSHIFT_STAGING_BUCKET"),
                env.getOrDefault("TWINFLOW_REDSHIFT_STAGING_PREFIX", "warehouse-staging/"),
                DEFAULT_POLL_INITIAL, DEFAULT_POLL_MAX, DEFAULT_STATEMENT_TIMEOUT);
    }

    private static String required(Map<String, String> env, String name) {
        String value = env.get(name);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("environment variable " + name + " is not set");
        }
        return value;
    }
}
