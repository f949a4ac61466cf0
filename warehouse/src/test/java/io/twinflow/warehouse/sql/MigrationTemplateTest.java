package io.twinflow.warehouse.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class MigrationTemplateTest {

    private static String allMigrations(Dialect dialect) {
        StringBuilder sql = new StringBuilder();
        for (Migration m : Migrations.all()) {
            sql.append(MigrationTemplate.render(dialect, m.template(), "telemetry"));
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

        assertThat(SqlScript.split(MigrationTemplate.render(Dialect.REDSHIFT, template, "s"))).containsExactly("CREATE TABLE a (x INT)", "SELECT 'a;b'");
        assertThat(SqlScript.split(MigrationTemplate.render(Dialect.POSTGRES, template, "s"))).hasSize(3);
    }

    @Test
    void unknownPlaceholdersAndWrongArgumentsAreRejected() {
        assertThatThrownBy(() -> MigrationTemplate.render(Dialect.POSTGRES, "SELECT {{nope}}", "s")).hasMessageContaining("unknown placeholder");
        assertThatThrownBy(() -> MigrationTemplate.render(Dialect.POSTGRES, "SELECT {{json:x}}", "s")).hasMessageContaining("takes no argument");
        assertThatThrownBy(() -> MigrationTemplate.render(Dialect.POSTGRES, "SELECT {{layout:a}}", "s")).hasMessageContaining("needs 2 arguments");
    }
}
