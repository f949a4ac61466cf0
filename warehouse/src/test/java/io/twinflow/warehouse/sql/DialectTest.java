package io.twinflow.warehouse.sql;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class DialectTest {

    @Test
    void literalsAreQuotedSoTheEngineReadsTheOriginalText() {
        assertThat(Dialect.POSTGRES.quote("it's a\\b")).isEqualTo("'it''s a\\b'");
        assertThat(Dialect.REDSHIFT.quote("it's a\\b")).isEqualTo("'it''s a\\\\b'");
    }

    @Test
    void layoutClauseListsSortKeysInOrder() {
        assertThat(Dialect.REDSHIFT.tableLayout("device_id", List.of("dt", "hour"))).isEqualTo(
                "DISTSTYLE KEY DISTKEY (device_id) COMPOUND SORTKEY (dt, hour)");
        assertThat(Dialect.REDSHIFT.tableLayout("", List.of())).isEqualTo("DISTSTYLE AUTO");
        assertThat(Dialect.POSTGRES.tableLayout("device_id", List.of("dt"))).isEmpty();
    }

    @Test
    void loadLocksDifferPerEngineAndDoNotCollideAcrossPurposes() {
        assertThat(Dialect.POSTGRES.lockForLoad("telemetry")).startsWith("SELECT pg_advisory_xact_lock(");
        assertThat(Dialect.REDSHIFT.lockForLoad("telemetry"))
                .isEqualTo("LOCK telemetry.events, telemetry.quarantine, telemetry.load_log, telemetry.rollup_requests");
        assertThat(Dialect.lockKey("load", "telemetry")).isNotEqualTo(Dialect.lockKey("summaries", "telemetry"))
                .isNotEqualTo(Dialect.lockKey("load", "other"));
    }

    @Test
    void postgresTakesAnAdvisoryLockPerObjectAndForMigrationsWhereRedshiftLocksTables() {
        assertThat(Dialect.POSTGRES.lockForObject("telemetry", "raw/a.gz"))
                .isEqualTo("SELECT pg_advisory_xact_lock(" + Dialect.lockKey("object:raw/a.gz", "telemetry") + ")")
                .isNotEqualTo(Dialect.POSTGRES.lockForObject("telemetry", "raw/b.gz"));
        assertThat(Dialect.POSTGRES.lockForMigrations("telemetry"))
                .isEqualTo("SELECT pg_advisory_xact_lock(" + Dialect.lockKey("migrate", "telemetry") + ")");
        assertThat(Dialect.REDSHIFT.lockForObject("telemetry", "raw/a.gz")).isEqualTo(Dialect.REDSHIFT.lockForLoad("telemetry"));
        assertThat(Dialect.REDSHIFT.lockForMigrations("telemetry")).isEqualTo("LOCK telemetry.schema_migrations");
    }

    @Test
    void temporaryTablesDieWithTheTransactionOnPostgresAndWithTheBatchOnRedshift() {
        assertThat(Dialect.POSTGRES.createTempTable("t", "x INT")).isEqualTo("CREATE TEMP TABLE t (x INT) ON COMMIT DROP");
        assertThat(Dialect.POSTGRES.createTempTableAs("t", "SELECT 1")).isEqualTo("CREATE TEMP TABLE t ON COMMIT DROP AS SELECT 1");
        assertThat(Dialect.REDSHIFT.createTempTable("t", "x INT")).isEqualTo("CREATE TEMP TABLE t (x INT)");
        assertThat(Dialect.REDSHIFT.createTempTableAs("t", "SELECT 1")).isEqualTo("CREATE TEMP TABLE t AS SELECT 1");
    }
}
