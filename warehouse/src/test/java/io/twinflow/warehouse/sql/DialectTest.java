package io.twinflow.warehouse.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class DialectTest {

    private static String allMigrations(Dialect dialect) {
        StringBuilder sql = new StringBuilder();
        for (Migration m : Migrations.all()) {
            sql.append(dialect.render(m.template(), "telemetry"));
        }
        return sql.toString();
    }

    @Test
    void everyPlaceholderIsRenderedForBothEngines() {
        for (Dialect dialect : Dialect.values()) {
            assertThat(allMigrations(dialect)).as(dialect.name()).doesNotContain("{{").doesNotContain("}}")
                    .contains("CREATE TABLE IF NOT EXISTS telemetry.events (");
        }
    }

    @Test
    void postgresGetsJsonbTextAndIndexesButNoDistributionClauses() {
        String sql = allMigrations(Dialect.POSTGRES);

        assertThat(sql).contains("metrics         JSONB", "payload           TEXT", "CREATE INDEX IF NOT EXISTS events_dt_device",
                "EXTRACT(EPOCH FROM");
        assertThat(sql).doesNotContain("DISTKEY", "SORTKEY", "SUPER", "DATEDIFF", "DISTSTYLE");
    }

    @Test
    void redshiftGetsSuperWideVarcharsAndDistributionButNoIndexes() {
        String sql = allMigrations(Dialect.REDSHIFT);

        assertThat(sql).contains("metrics         SUPER", "payload           VARCHAR(65535)",
                ") DISTSTYLE KEY DISTKEY (device_id) COMPOUND SORTKEY (dt, device_id, ts);",
                ") DISTSTYLE AUTO COMPOUND SORTKEY (arrival_dt, reason);",
                "DATEDIFF(minute, d.last_seen, f.fleet_last_ts)", "DATEDIFF(day, w.week_start_dt, w.latest_dt)");
        assertThat(sql).doesNotContain("CREATE INDEX", "JSONB", " TEXT", "EXTRACT(EPOCH");
    }

    @Test
    void statementsForAnotherDialectAreDroppedWithTheirComments() {
        String template = "CREATE TABLE a (x INT);\n-- why: only PG has it\n-- only: postgres\nCREATE INDEX i ON a (x);\nSELECT 'a;b';";

        assertThat(SqlScript.split(Dialect.REDSHIFT.render(template, "s"))).containsExactly("CREATE TABLE a (x INT)", "SELECT 'a;b'");
        assertThat(SqlScript.split(Dialect.POSTGRES.render(template, "s"))).hasSize(3);
    }

    @Test
    void unknownPlaceholdersAndWrongArgumentsAreRejected() {
        assertThatThrownBy(() -> Dialect.POSTGRES.render("SELECT {{nope}}", "s")).hasMessageContaining("unknown placeholder");
        assertThatThrownBy(() -> Dialect.POSTGRES.render("SELECT {{json:x}}", "s")).hasMessageContaining("takes no argument");
        assertThatThrownBy(() -> Dialect.POSTGRES.render("SELECT {{layout:a}}", "s")).hasMessageContaining("needs 2 arguments");
    }

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
}
