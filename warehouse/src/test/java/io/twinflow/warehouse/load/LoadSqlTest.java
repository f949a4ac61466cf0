package io.twinflow.warehouse.load;

import static org.assertj.core.api.Assertions.assertThat;

import io.twinflow.warehouse.sql.Dialect;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class LoadSqlTest {

    private static final LoadSql.Load LOAD = new LoadSql.Load("id-1", "raw/dt=2026-11-24/hour=10/o'brien\\x.gz", "abc123",
            1234, Instant.parse("2026-11-24T10:05:00Z"), Instant.parse("2026-11-24T11:05:00.123456Z"), "test", 10, 7);

    @Test
    void redshiftMergeHasNoTargetAliasAndParsesJsonIntoSuper() {
        String merge = new LoadSql(Dialect.REDSHIFT, "telemetry").mergeEvents(LOAD);

        assertThat(merge).startsWith("MERGE INTO telemetry.events USING stage_events s ON events.device_id = s.device_id "
                        + "AND events.event_id = s.event_id AND events.window_start = s.window_start ")
                .contains("WHEN MATCHED THEN UPDATE SET ts = CASE WHEN s.is_earlier = 1 THEN s.ts ELSE events.ts END, ")
                .contains("copies_seen = events.copies_seen + s.copies ")
                .contains("JSON_PARSE(s.metrics_json)")
                .contains("'raw/dt=2026-11-24/hour=10/o''brien\\\\x.gz'")
                .contains("CAST('2026-11-24 11:05:00.123456+00' AS TIMESTAMPTZ)");
    }

    @Test
    void postgresMergeAliasesTheTargetAndCastsJsonToJsonb() {
        String merge = new LoadSql(Dialect.POSTGRES, "telemetry").mergeEvents(LOAD);

        assertThat(merge).startsWith("MERGE INTO telemetry.events AS t USING stage_events s ON t.device_id = s.device_id "
                        + "AND t.event_id = s.event_id AND t.window_start = s.window_start ")
                .contains("copies_seen = t.copies_seen + s.copies")
                .contains("CAST(s.metrics_json AS JSONB)")
                .contains("'raw/dt=2026-11-24/hour=10/o''brien\\x.gz'");
    }

    @Test
    void redshiftCopyReadsTheGzipCsvFromS3WithTheRoleAndNoErrorsAllowed() {
        String copy = new LoadSql(Dialect.REDSHIFT, "telemetry")
                .copyStageFromS3("s3://stage-bucket/warehouse-staging/events/x.csv.gz", "arn:aws:iam::123456789012:role/copy");

        assertThat(copy).isEqualTo("COPY stage_lines (" + String.join(", ", StagedLine.COLUMNS) + ") "
                + "FROM 's3://stage-bucket/warehouse-staging/events/x.csv.gz' IAM_ROLE 'arn:aws:iam::123456789012:role/copy' "
                + "FORMAT AS CSV GZIP EMPTYASNULL TIMEFORMAT 'auto' DATEFORMAT 'YYYY-MM-DD' MAXERROR 0 COMPUPDATE OFF STATUPDATE OFF");
    }

    @Test
    void postgresCopiesFromStdinAndStagesInAnOnCommitDropTable() {
        LoadSql sql = new LoadSql(Dialect.POSTGRES, "telemetry");

        assertThat(sql.copyStageFromStdin()).startsWith("COPY stage_lines (line_no, event_id,").endsWith("FROM STDIN WITH (FORMAT csv)");
        assertThat(sql.createStage()).startsWith("CREATE TEMP TABLE stage_lines (line_no BIGINT NOT NULL").endsWith(") ON COMMIT DROP");
        assertThat(new LoadSql(Dialect.REDSHIFT, "telemetry").createStage()).endsWith("payload_truncated BOOLEAN)")
                .contains("payload VARCHAR(65535)");
    }

    @Test
    void theLockComesFirstAndEveryWriteIsGuardedByTheLoadLog() {
        for (Dialect dialect : Dialect.values()) {
            List<String> finish = new LoadSql(dialect, "telemetry").finish(LOAD);
            String guard = "NOT EXISTS (SELECT 1 FROM telemetry.load_log WHERE object_key = " + dialect.quote(LOAD.objectKey())
                    + " AND etag = 'abc123' AND status = 'LOADED')";

            assertThat(finish.get(0)).isEqualTo(dialect.lockForLoad("telemetry"));
            assertThat(finish.get(1)).startsWith("CREATE TEMP TABLE stage_identities").contains(guard);
            assertThat(finish.get(2)).startsWith("CREATE TEMP TABLE stage_events");
            assertThat(finish.get(3)).startsWith("INSERT INTO telemetry.quarantine").contains(guard);
            assertThat(finish.get(4)).startsWith("MERGE INTO telemetry.events");
            assertThat(finish.get(5)).startsWith("INSERT INTO telemetry.rollup_requests").contains(guard);
            assertThat(finish.get(6)).startsWith("DELETE FROM telemetry.load_log").contains("status <> 'LOADED'");
            assertThat(finish.get(7)).startsWith("INSERT INTO telemetry.load_log").contains(guard)
                    .contains("10, n.new_rows, 7 - n.new_rows - n.full_lines, 3 + n.full_lines,");
        }
    }

    @Test
    void streamOrderComparesBytesOnPostgresWhateverTheDatabaseCollation() {
        String identities = new LoadSql(Dialect.POSTGRES, "telemetry", 7).stageIdentities(LOAD);

        assertThat(identities).contains("ORDER BY CASE WHEN s.stream_position IS NULL THEN 0 ELSE 1 END, s.stream_position COLLATE \"C\", s.line_no")
                .contains("x.stream_position COLLATE \"C\" < e.stream_position COLLATE \"C\"")
                .contains("j.stored_in_window + j.rank_in_window > 7 THEN 1 ELSE 0 END AS is_full");
        assertThat(new LoadSql(Dialect.REDSHIFT, "telemetry").stageIdentities(LOAD)).doesNotContain("COLLATE")
                .contains("> 20000 THEN 1 ELSE 0 END AS is_full");
    }

    @Test
    void aFailureNoteNeverReplacesALoadedRow() {
        List<String> sql = new LoadSql(Dialect.POSTGRES, "telemetry").recordFailure("k", "e", "jdbc", "boom 'quoted'",
                Instant.parse("2026-11-24T00:00:00Z"));

        assertThat(sql.get(0)).isEqualTo("DELETE FROM telemetry.load_log WHERE object_key = 'k' AND etag = 'e' AND status <> 'LOADED'");
        assertThat(sql.get(1)).contains("'FAILED'", "'boom ''quoted'''").endsWith(
                "WHERE NOT EXISTS (SELECT 1 FROM telemetry.load_log WHERE object_key = 'k' AND etag = 'e' AND status = 'LOADED')");
    }

    @Test
    void loadedObjectsMatchAPrefixLiterallyNotAsALikePattern() {
        assertThat(new LoadSql(Dialect.POSTGRES, "telemetry").loadedUnder("raw/dt=2026_11/"))
                .contains("SUBSTRING(object_key, 1, 15) = 'raw/dt=2026_11/'").doesNotContain("LIKE");
    }
}
