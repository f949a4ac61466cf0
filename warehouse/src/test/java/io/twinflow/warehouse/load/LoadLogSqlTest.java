package io.twinflow.warehouse.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.twinflow.warehouse.LoadResult;
import io.twinflow.warehouse.QueryResult;
import io.twinflow.warehouse.WarehouseException;
import io.twinflow.warehouse.sql.Dialect;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class LoadLogSqlTest {

    private static final List<String> LOG_COLUMNS = List.of("status", "lines_read", "rows_loaded", "rows_duplicate",
            "rows_quarantined", "load_id");

    @Test
    void aFailureNoteIsTakenUnderTheObjectsLockAndNeverReplacesALoadedRow() {
        List<String> sql = new LoadLogSql(Dialect.POSTGRES, "telemetry").recordFailure("k", "e", "jdbc", "boom 'quoted'",
                Instant.parse("2026-11-24T00:00:00Z"));

        assertThat(sql.get(0)).isEqualTo(Dialect.POSTGRES.lockForObject("telemetry", "k"));
        assertThat(sql.get(1)).isEqualTo("DELETE FROM telemetry.load_log WHERE object_key = 'k' AND etag = 'e' AND status <> 'LOADED'");
        assertThat(sql.get(2)).contains("'FAILED'", "'boom ''quoted'''").endsWith(
                "WHERE NOT EXISTS (SELECT 1 FROM telemetry.load_log WHERE object_key = 'k' AND etag = 'e' AND status = 'LOADED')");
    }

    @Test
    void onRedshiftAFailureNoteWaitsForTheLoadLock() {
        List<String> sql = new LoadLogSql(Dialect.REDSHIFT, "telemetry").recordFailure("k", "e", "redshift-data-api", "boom",
                Instant.parse("2026-11-24T00:00:00Z"));

        assertThat(sql.get(0)).isEqualTo(Dialect.REDSHIFT.lockForLoad("telemetry"));
    }

    @Test
    void loadedObjectsMatchAPrefixLiterallyNotAsALikePattern() {
        assertThat(new LoadLogSql(Dialect.POSTGRES, "telemetry").loadedUnder("raw/dt=2026_11/"))
                .contains("SUBSTRING(object_key, 1, 15) = 'raw/dt=2026_11/'").doesNotContain("LIKE");
    }

    @Test
    void theAttemptThatWroteTheLoadedRowGetsItsCountsAndAnotherFindsTheObjectLoaded() {
        QueryResult logged = new QueryResult(LOG_COLUMNS, List.of(List.of("LOADED", 10L, 6L, 1L, 3L, "id-1")));

        assertThat(LoadLogSql.loadResult(logged, "k", "e", "id-1", Duration.ZERO))
                .isEqualTo(new LoadResult("k", "e", LoadResult.Status.LOADED, 10, 6, 1, 3, Duration.ZERO));
        assertThat(LoadLogSql.loadResult(logged, "k", "e", "id-2", Duration.ZERO))
                .isEqualTo(LoadResult.alreadyLoaded("k", "e", Duration.ZERO));
    }

    @Test
    void aCommittedLoadWithoutALoadedRowIsAnError() {
        QueryResult failed = new QueryResult(LOG_COLUMNS, List.of(Arrays.asList("FAILED", null, null, null, null, null)));

        assertThatThrownBy(() -> LoadLogSql.loadResult(failed, "k", "e", "id-1", Duration.ZERO))
                .isInstanceOf(WarehouseException.class).hasMessageContaining("no LOADED row");
        assertThatThrownBy(() -> LoadLogSql.loadResult(new QueryResult(LOG_COLUMNS, List.of()), "k", "e", "id-1", Duration.ZERO))
                .isInstanceOf(WarehouseException.class);
    }
}
