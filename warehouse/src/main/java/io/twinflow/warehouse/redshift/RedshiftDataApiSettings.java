package io.twinflow.warehouse.redshift;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * Where and how the Data API adapter reaches Redshift. Exactly one of {@code workgroupName}
 * (Redshift Serverless) and {@code clusterIdentifier} (provisioned) is set; credentials come from
 * {@code secretArn} (Secrets Manager) or, for a provisioned cluster, temporary ones for {@code dbUser}.
 * Built with {@link #builder()} or read from the environment by {@link #fromEnvironment}, whose
 * variable names are the {@code ENV_} constants here (the CDK stack sets them with these constants).
 */
public final class RedshiftDataApiSettings {

    public static final String ENV_DATABASE = "TWINFLOW_REDSHIFT_DATABASE";
    public static final String ENV_WORKGROUP = "TWINFLOW_REDSHIFT_WORKGROUP";
    public static final String ENV_CLUSTER = "TWINFLOW_REDSHIFT_CLUSTER";
    public static final String ENV_SECRET_ARN = "TWINFLOW_REDSHIFT_SECRET_ARN";
    public static final String ENV_DB_USER = "TWINFLOW_REDSHIFT_DB_USER";
    public static final String ENV_COPY_ROLE_ARN = "TWINFLOW_REDSHIFT_COPY_ROLE_ARN";
    public static final String ENV_STAGING_BUCKET = "TWINFLOW_REDSHIFT_STAGING_BUCKET";
    public static final String ENV_STAGING_PREFIX = "TWINFLOW_REDSHIFT_STAGING_PREFIX";

    public static final String DEFAULT_STAGING_PREFIX = "warehouse-staging/";
    public static final Duration DEFAULT_POLL_INITIAL = Duration.ofMillis(100);
    public static final Duration DEFAULT_POLL_MAX = Duration.ofSeconds(5);
    public static final Duration DEFAULT_STATEMENT_TIMEOUT = Duration.ofMinutes(10);

    private final String database;
    private final String workgroupName;
    private final String clusterIdentifier;
    private final String secretArn;
    private final String dbUser;
    private final String copyRoleArn;
    private final String stagingBucket;
    private final String stagingPrefix;
    private final Duration pollInitial;
    private final Duration pollMax;
    private final Duration statementTimeout;

    private RedshiftDataApiSettings(Builder b) {
        this.database = Objects.requireNonNull(b.database, "database");
        this.workgroupName = b.workgroupName;
        this.clusterIdentifier = b.clusterIdentifier;
        this.secretArn = b.secretArn;
        this.dbUser = b.dbUser;
        this.copyRoleArn = Objects.requireNonNull(b.copyRoleArn, "copyRoleArn");
        this.stagingBucket = Objects.requireNonNull(b.stagingBucket, "stagingBucket");
        this.stagingPrefix = Objects.requireNonNull(b.stagingPrefix, "stagingPrefix");
        this.pollInitial = Objects.requireNonNull(b.pollInitial, "pollInitial");
        this.pollMax = Objects.requireNonNull(b.pollMax, "pollMax");
        this.statementTimeout = Objects.requireNonNull(b.statementTimeout, "statementTimeout");
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

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Reads {@link #ENV_DATABASE}, {@link #ENV_WORKGROUP} or {@link #ENV_CLUSTER}, {@link #ENV_SECRET_ARN}
     * and/or {@link #ENV_DB_USER}, {@link #ENV_COPY_ROLE_ARN}, {@link #ENV_STAGING_BUCKET} and
     * {@link #ENV_STAGING_PREFIX} (default {@value #DEFAULT_STAGING_PREFIX}) from the given environment.
     */
    public static RedshiftDataApiSettings fromEnvironment(Map<String, String> env) {
        return builder()
                .database(required(env, ENV_DATABASE))
                .workgroupName(env.get(ENV_WORKGROUP))
                .clusterIdentifier(env.get(ENV_CLUSTER))
                .secretArn(env.get(ENV_SECRET_ARN))
                .dbUser(env.get(ENV_DB_USER))
                .copyRoleArn(required(env, ENV_COPY_ROLE_ARN))
                .stagingBucket(required(env, ENV_STAGING_BUCKET))
                .stagingPrefix(env.getOrDefault(ENV_STAGING_PREFIX, DEFAULT_STAGING_PREFIX))
                .build();
    }

    private static String required(Map<String, String> env, String name) {
        String value = env.get(name);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("environment variable " + name + " is not set");
        }
        return value;
    }

    public String database() {
        return database;
    }

    /** Redshift Serverless's workgroup, or null for a provisioned cluster. */
    public String workgroupName() {
        return workgroupName;
    }

    /** The provisioned cluster, or null on Redshift Serverless. */
    public String clusterIdentifier() {
        return clusterIdentifier;
    }

    public String secretArn() {
        return secretArn;
    }

    public String dbUser() {
        return dbUser;
    }

    /** The IAM role Redshift assumes to read staging objects in COPY. */
    public String copyRoleArn() {
        return copyRoleArn;
    }

    /** Where cleaned rows are written for COPY (objects are deleted after the load). */
    public String stagingBucket() {
        return stagingBucket;
    }

    public String stagingPrefix() {
        return stagingPrefix;
    }

    /** First wait between status checks; doubles up to {@link #pollMax}. */
    public Duration pollInitial() {
        return pollInitial;
    }

    public Duration pollMax() {
        return pollMax;
    }

    /** A statement still running after this is cancelled and reported as failed. */
    public Duration statementTimeout() {
        return statementTimeout;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RedshiftDataApiSettings s && database.equals(s.database)
                && Objects.equals(workgroupName, s.workgroupName) && Objects.equals(clusterIdentifier, s.clusterIdentifier)
                && Objects.equals(secretArn, s.secretArn) && Objects.equals(dbUser, s.dbUser)
                && copyRoleArn.equals(s.copyRoleArn) && stagingBucket.equals(s.stagingBucket) && stagingPrefix.equals(s.stagingPrefix)
                && pollInitial.equals(s.pollInitial) && pollMax.equals(s.pollMax) && statementTimeout.equals(s.statementTimeout);
    }

    @Override
    public int hashCode() {
        return Objects.hash(database, workgroupName, clusterIdentifier, secretArn, dbUser, copyRoleArn, stagingBucket, stagingPrefix,
                pollInitial, pollMax, statementTimeout);
    }

    @Override
    public String toString() {
        return "RedshiftDataApiSettings[database=" + database + ", workgroupName=" + workgroupName
                + ", clusterIdentifier=" + clusterIdentifier + ", secretArn=" + secretArn + ", dbUser=" + dbUser
                + ", copyRoleArn=" + copyRoleArn + ", stagingBucket=" + stagingBucket + ", stagingPrefix=" + stagingPrefix
                + ", pollInitial=" + pollInitial + ", pollMax=" + pollMax + ", statementTimeout=" + statementTimeout + "]";
    }

    /**
     * Named settings; {@code database}, {@code copyRoleArn}, {@code stagingBucket}, a target
     * (workgroup or cluster) and credentials (secret or database user) have no default. The staging
     * prefix defaults to {@value #DEFAULT_STAGING_PREFIX}, polling to 100 ms doubling up to 5 s, the
     * statement timeout to 10 minutes.
     */
    public static final class Builder {
        private String database;
        private String workgroupName;
        private String clusterIdentifier;
        private String secretArn;
        private String dbUser;
        private String copyRoleArn;
        private String stagingBucket;
        private String stagingPrefix = DEFAULT_STAGING_PREFIX;
        private Duration pollInitial = DEFAULT_POLL_INITIAL;
        private Duration pollMax = DEFAULT_POLL_MAX;
        private Duration statementTimeout = DEFAULT_STATEMENT_TIMEOUT;

        private Builder() {
        }

        public Builder database(String value) {
            database = value;
            return this;
        }

        public Builder workgroupName(String value) {
            workgroupName = value;
            return this;
        }

        public Builder clusterIdentifier(String value) {
            clusterIdentifier = value;
            return this;
        }

        public Builder secretArn(String value) {
            secretArn = value;
            return this;
        }

        public Builder dbUser(String value) {
            dbUser = value;
            return this;
        }

        public Builder copyRoleArn(String value) {
            copyRoleArn = value;
            return this;
        }

        public Builder stagingBucket(String value) {
            stagingBucket = value;
            return this;
        }

        public Builder stagingPrefix(String value) {
            stagingPrefix = value;
            return this;
        }

        public Builder pollInitial(Duration value) {
            pollInitial = value;
            return this;
        }

        public Builder pollMax(Duration value) {
            pollMax = value;
            return this;
        }

        public Builder statementTimeout(Duration value) {
            statementTimeout = value;
            return this;
        }

        /** @throws IllegalArgumentException or NullPointerException naming the setting that is missing or wrong */
        public RedshiftDataApiSettings build() {
            return new RedshiftDataApiSettings(this);
        }
    }
}
