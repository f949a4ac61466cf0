package io.twinflow.warehouse.load;

import static org.assertj.core.api.Assertions.assertThat;

import io.twinflow.core.aggregate.WindowState;
import io.twinflow.warehouse.sql.Dialect;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class LoadSqlTest {

    private static final LoadSql.Load LOAD = new LoadSql.Load("id-1", "raw/dt=2026-11-24/hour=10/o'brien\\x.gz", "abc123",
            1234, Instant.parse("2026-11-24T10:05:00Z"), Instant.parse("2026-11-24T11:05:00.123456Z"), "test", 10, 7);

    @Test
    void redshiftMergeHasNoTargetAliasAndParsesJsonIntoSuper() {
        String merge = sql(Dialect.REDSHIFT).mergeStoredEvents(LOAD);

        assertThat(merge).startsWith("MERGE INTO telemetry.events USING stage_stored s ON events.device_id = s.device_id "
                        + "AND events.event_id = s.event_id AND events.window_start = s.window_start ")
                .contains("WHEN MATCHED THEN UPDATE SET ts = CASE WHEN s.is_earlier = 1 THEN s.ts ELSE events.ts END, ")
                .contains("copies_seen = events.copies_seen + s.copies ")
                .contains("JSON_PARSE(s.metrics_json)")
                .contains("'raw/dt=2026-11-24/hour=10/o''brien\\\\x.gz'")
                .contains("CAST('2026-11-24 11:05:00.123456+00' AS TIMESTAMPTZ)");
    }

    @Test
    void postgresMergeAliasesTheTargetAndCastsJsonToJsonb() {
        String merge = sql(Dialect.POSTGRES).mergeStoredEvents(LOAD);

        assertThat(merge).startsWith("MERGE INTO telemetry.events AS t USING stage_stored s ON t.device_id = s.device_id "
                        + "AND t.event_id = s.event_id AND t.window_start = s.window_start ")
                .contains("copies_seen = t.copies_seen + s.copies")
                .contains("CAST(s.metrics_json AS JSONB)")
                .contains("'raw/dt=2026-11-24/hour=10/o''brien\\x.gz'");
    }

    @Test
    void redshiftCopyReadsTheGzipCsvFromS3WithTheRoleAndNoErrorsAllowed() {
        String copy = sql(Dialect.REDSHIFT)
                .copyStageFromS3("s3://stage-bucket/warehouse-staging/events/x.csv.gz", "arn:aws:iam::123456789012:role/copy");

        assertThat(copy).isEqualTo("COPY stage_lines (" + String.join(", ", StagedLine.COLUMNS) + ") "
                + "FROM 's3://stage-bucket/warehouse-staging/events/x.csv.gz' IAM_ROLE 'arn:aws:iam::123456789012:role/copy' "
                + "FORMAT AS CSV GZIP EMPTYASNULL TIMEFORMAT 'auto' DATEFORMAT 'YYYY-MM-DD' MAXERROR 0 COMPUPDATE OFF STATUPDATE OFF");
    }

    @Test
    void postgresCopiesFromStdinAndStagesInAnOnCommitDropTable() {
        LoadSql sql = sql(Dialect.POSTGRES);

        assertThat(sql.copyStageFromStdin()).startsWith("COPY stage_lines (line_no, event_id,").endsWith("FROM STDIN WITH (FORMAT binary)");
        assertThat(sql.createStage()).startsWith("CREATE TEMP TABLE stage_lines (line_no BIGINT NOT NULL").endsWith(") ON COMMIT DROP");
        assertThat(sql(Dialect.REDSHIFT).createStage()).endsWith("payload_truncated BOOLEAN)")
                .contains("payload VARCHAR(65535)");
    }

    @Test
    void theLockComesFirstAndEveryWriteIsGuardedByTheLoadLog() {
        for (Dialect dialect : Dialect.values()) {
            List<String> all = sql(dialect).finish(LOAD);
            String guard = "NOT EXISTS (SELECT 1 FROM telemetry.load_log WHERE object_key = " + dialect.quote(LOAD.objectKey())
                    + " AND etag = 'abc123' AND status = 'LOADED')";

            assertThat(all.get(0)).isEqualTo(dialect.lockForLoad("telemetry"));
            assertThat(all.subList(1, 1 + dialect.loadSettings().size())).isEqualTo(dialect.loadSettings());
            int judged = 1 + dialect.loadSettings().size() + dialect.analyzeStaged("stage_lines", List.of("x")).size();
            List<String> finish = new ArrayList<>(all.subList(judged, all.size()));
            assertThat(finish.get(0)).startsWith("CREATE TEMP TABLE stage_identities").contains(guard);
            assertThat(finish.remove(1)).startsWith("UPDATE stage_identities SET is_full = 1 FROM (");
            assertThat(finish.get(1)).startsWith("CREATE TEMP TABLE stage_stored").endsWith("FROM stage_identities WHERE is_new = 0");
            // Rejected lines UNION ALL the copies of full identities: each part guarded on its own.
            assertThat(finish.get(2)).startsWith("INSERT INTO telemetry.quarantine").contains(" UNION ALL ")
                    .contains("WHERE s.reason IS NOT NULL AND " + guard).endsWith("WHERE s.reason IS NULL AND i.is_full = 1 AND " + guard);
            assertThat(finish.get(2).split(Pattern.quote(guard), -1)).hasSize(3);
            // The new events come only from the guarded stage_identities, and never read the events table.
            assertThat(finish.get(3)).startsWith("INSERT INTO telemetry.events (")
                    .endsWith("FROM stage_identities s WHERE s.is_new = 1 AND s.is_full = 0");
            assertThat(finish.get(4)).startsWith("MERGE INTO telemetry.events");
            assertThat(finish.get(5)).startsWith("INSERT INTO telemetry.rollup_requests").contains(guard)
                    .contains("FROM stage_identities WHERE is_new = 1 AND is_full = 0").endsWith(" GROUP BY dt");
            assertThat(finish.get(6)).startsWith("DELETE FROM telemetry.load_log").contains("status <> 'LOADED'");
            assertThat(finish.get(7)).startsWith("INSERT INTO telemetry.load_log").contains(guard)
                    .contains("10, n.new_rows, 7 - n.new_rows - n.full_lines, 3 + n.full_lines,");
            assertThat(finish).hasSize(8);
        }
    }

    @Test
    void finishIsTheJudgementThenTheWritesAndOnlyPostgresAnalyzesTheStagedKeys() {
        for (Dialect dialect : Dialect.values()) {
            LoadSql sql = sql(dialect);
            List<String> judge = sql.judge(LOAD);

            assertThat(sql.finish(LOAD)).startsWith(judge.toArray(String[]::new)).endsWith(sql.write(LOAD).toArray(String[]::new))
                    .hasSize(judge.size() + sql.write(LOAD).size());
            assertThat(judge.get(judge.size() - 2)).startsWith("CREATE TEMP TABLE stage_identities");
            assertThat(judge.get(judge.size() - 1)).isEqualTo(sql.markFull());
            assertThat(sql.identify(LOAD)).isEqualTo(judge.subList(0, judge.size() - 1));
        }
        // A sample of 3,000 rows instead of 30,000 (all of an object's lines): the plan needs only rough counts.
        assertThat(sql(Dialect.POSTGRES).judge(LOAD))
                .containsSubsequence("SET LOCAL default_statistics_target = 10", "ANALYZE stage_lines (reason, device_id, window_start)");
        assertThat(sql(Dialect.REDSHIFT).judge(LOAD)).noneMatch(s -> s.startsWith("ANALYZE"));
    }

    @Test
    void aLoaderThatKnowsNothingIsQuarantinedOrStoredLeavesOutOnlyTheStatementsThatWouldChangeNothing() {
        LoadSql sql = sql(Dialect.POSTGRES);
        List<String> all = sql.write(LOAD);

        assertThat(sql.write(LOAD, true, true)).isEqualTo(all);
        assertThat(sql.write(LOAD, false, true)).isEqualTo(all.stream().filter(s -> !s.startsWith("INSERT INTO telemetry.quarantine")).toList());
        assertThat(sql.write(LOAD, true, false)).isEqualTo(all.stream()
                .filter(s -> !s.startsWith("CREATE TEMP TABLE stage_stored") && !s.startsWith("MERGE INTO")).toList());
        assertThat(sql.write(LOAD, false, false)).hasSize(all.size() - 3)
                .anyMatch(s -> s.startsWith("INSERT INTO telemetry.events")).anyMatch(s -> s.startsWith("INSERT INTO telemetry.load_log"));
        assertThat(sql.judgement()).isEqualTo(
                "SELECT COALESCE(MAX(stored_in_window + new_in_window), 0), COALESCE(SUM(1 - is_new), 0) FROM stage_identities");
        assertThat(sql.maxEventsPerWindow()).isEqualTo(WindowState.MAX_EVENTS);
    }

    @Test
    void onlyPostgresRaisesTheSortMemoryOfALoad() {
        assertThat(sql(Dialect.POSTGRES).finish(LOAD).get(1)).isEqualTo("SET LOCAL work_mem = '64MB'");
        assertThat(Dialect.REDSHIFT.loadSettings()).isEmpty();
    }

    @Test
    void streamOrderComparesBytesOnPostgresWhateverTheDatabaseCollation() {
        LoadSql postgres = new LoadSql(Dialect.POSTGRES, "telemetry", 7);

        assertThat(postgres.stageIdentities(LOAD))
                .contains("ORDER BY CASE WHEN s.stream_position IS NULL THEN 0 ELSE 1 END, s.stream_position COLLATE \"C\", s.line_no")
                .contains("x.stream_position COLLATE \"C\" < e.stream_position COLLATE \"C\"");
        assertThat(postgres.markFull())
                .contains("ORDER BY CASE WHEN i.stream_position IS NULL THEN 0 ELSE 1 END, i.stream_position COLLATE \"C\", i.line_no");
        assertThat(sql(Dialect.REDSHIFT).stageIdentities(LOAD)).doesNotContain("COLLATE");
        assertThat(sql(Dialect.REDSHIFT).markFull()).doesNotContain("COLLATE");
    }

    @Test
    void anIdentityIsLookedUpInEventsOnlyWhenItsWindowHoldsStoredEvents() {
        for (Dialect dialect : Dialect.values()) {
            String identities = sql(dialect).stageIdentities(LOAD);

            // The per-window count is joined first; a window without stored events gives the lookup a NULL key.
            assertThat(identities).contains("LEFT JOIN (SELECT e.device_id, e.window_start, COUNT(*) AS stored FROM telemetry.events e ")
                    .contains("LEFT JOIN telemetry.events e ON e.device_id = CASE WHEN c.stored IS NOT NULL THEN x.device_id END "
                            + "AND e.event_id = x.event_id AND e.window_start = x.window_start ");
            assertThat(identities.indexOf("COUNT(*) AS stored")).isLessThan(identities.indexOf("LEFT JOIN telemetry.events e ON"));
        }
    }

    @Test
    void onlyTheWindowsPastTheirCapacityAreRankedAndOnlyTheirLateNewIdentitiesMarkedFull() {
        LoadSql postgres = new LoadSql(Dialect.POSTGRES, "telemetry", 7);

        assertThat(postgres.stageIdentities(LOAD)).contains("0 AS is_full")
                .contains("SUM(CASE WHEN e.event_id IS NULL THEN 1 ELSE 0 END) OVER (PARTITION BY x.device_id, x.window_start) AS new_in_window");
        assertThat(postgres.markFull()).contains("WHERE i.is_new = 1 AND i.stored_in_window + i.new_in_window > 7")
                .endsWith("AND r.stored_in_window + r.rank_in_window > 7");
        assertThat(sql(Dialect.REDSHIFT).markFull()).endsWith("AND r.stored_in_window + r.rank_in_window > 20000");
    }

    private static LoadSql sql(Dialect dialect) {
        return new LoadSql(dialect, "telemetry", WindowState.MAX_EVENTS);
    }
}
