package io.twinflow.glue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.twinflow.core.aggregate.WindowState;
import io.twinflow.core.event.DecoderLimits;
import io.twinflow.core.window.Windows;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;

class JobArgumentsTest {

    @Test
    void gluesOwnArgumentsAreIgnoredAndDefaultsComeFromThePipelineSpec() {
        JobArguments a = JobArguments.parse("--JOB_NAME", "daily-rollup", "--date", "2026-11-23",
                "--raw-uri", "s3://raw/raw", "--curated-uri=s3://curated/events/", "--job-bookmark-option",
                "job-bookmark-disable", "--enable-metrics", "--TempDir", "s3://tmp/");

        assertThat(a.date()).isEqualTo(LocalDate.of(2026, 11, 23));
        assertThat(a.rawUri()).isEqualTo("s3://raw/raw/");
        assertThat(a.curatedUri()).isEqualTo("s3://curated/events/");
        assertThat(a.lateness()).isEqualTo(Duration.ofHours(3));
        assertThat(a.limits().maxFutureSkew()).isEqualTo(Duration.ofMinutes(5));
        assertThat(a.limits().maxLateness()).isEqualTo(DecoderLimits.DEFAULT_MAX_LATENESS);
        assertThat(a.window()).isEqualTo(Duration.ofMinutes(1));
        assertThat(a.maxWindowEvents()).isEqualTo(WindowState.MAX_EVENTS);
        assertThat(a.scheduled()).isFalse();
        assertThat(a.warehouse()).isInstanceOf(JobArguments.Warehouse.None.class);
    }

    @Test
    void aJdbcUrlSelectsTheJdbcWarehouseAndItsPasswordStaysOutOfToString() {
        JobArguments a = JobArguments.parse("--date", "2026-11-23", "--raw-uri", "s3a://b/raw/", "--curated-uri",
                "s3a://b/curated/", "--lateness", "PT90M", "--warehouse-jdbc-url", "jdbc:postgresql://h/db",
                "--warehouse-user", "u", "--warehouse-password", "secret");

        assertThat(a.lateness()).isEqualTo(Duration.ofMinutes(90));
        assertThat(a.warehouse()).isEqualTo(new JobArguments.Warehouse.Jdbc("jdbc:postgresql://h/db", "u", "secret", "telemetry"));
        assertThat(a.warehouse().toString()).doesNotContain("secret");
    }

    @Test
    void redshiftDataSplitsTheStagingUriIntoBucketAndPrefix() {
        JobArguments a = JobArguments.parse("--date", "2026-11-23", "--raw-uri", "s3://b/raw/", "--curated-uri",
                "s3://c/curated/", "--warehouse", "redshift-data", "--workgroup", "wg", "--database", "twinflow",
                "--secret-arn", "arn:secret", "--copy-role-arn", "arn:role", "--staging-uri", "s3://stage/summaries");

        assertThat(a.warehouse()).isEqualTo(new JobArguments.Warehouse.RedshiftData("wg", null, "twinflow", "arn:secret",
                null, "arn:role", "stage", "summaries/", "telemetry"));
    }

    @Test
    void aScheduledRunWithoutDateRollsUpTheLatestDayWhoseLatenessHasPassed() {
        JobArguments a = JobArguments.parse("--scheduled-time", "2026-11-25T03:30:00Z", "--raw-uri", "s3://b/raw/",
                "--curated-uri", "s3://c/curated/");

        assertThat(a.date()).isEqualTo(LocalDate.of(2026, 11, 24));
        assertThat(a.scheduledTime()).isEqualTo(Instant.parse("2026-11-25T03:30:00Z"));
        assertThat(JobArguments.scheduledDay("2026-11-25T03:00:00Z", Duration.ofHours(3))).isEqualTo(LocalDate.of(2026, 11, 24));
        assertThat(JobArguments.scheduledDay("2026-11-25T02:59:59Z", Duration.ofHours(3))).isEqualTo(LocalDate.of(2026, 11, 23));
        assertThat(JobArguments.scheduledDay("2026-11-25T01:30:00+00:00", Duration.ofHours(3))).isEqualTo(LocalDate.of(2026, 11, 23));
    }

    @Test
    void theDecoderLimitsCarryTheSkewAndTheLatenessBoundGiven() {
        JobArguments a = JobArguments.parse("--date", "2026-11-23", "--raw-uri", "s3://b/raw/", "--curated-uri", "s3://c/",
                "--max-future-skew", "PT1M", "--max-lateness", "PT36H", "--window", "PT5M", "--max-window-events", "3");

        assertThat(a.limits()).isEqualTo(DecoderLimits.defaults().withMaxFutureSkew(Duration.ofMinutes(1))
                .withMaxLateness(Duration.ofHours(36)));
        assertThat(a.windows()).isEqualTo(Windows.ofMinutes(5));
        assertThat(a.maxWindowEvents()).isEqualTo(3);
        assertThatThrownBy(() -> JobArguments.parse("--date", "2026-11-23", "--raw-uri", "s3://b/", "--curated-uri", "s3://c/",
                "--max-lateness", "P31D")).hasMessageContaining("--max-lateness");
        assertThatThrownBy(() -> JobArguments.parse("--date", "2026-11-23", "--raw-uri", "s3://b/", "--curated-uri", "s3://c/",
                "--window", "PT7M")).hasMessageContaining("--window");
    }

    @Test
    void missingOrMalformedArgumentsAreNamed() {
        assertThatThrownBy(() -> JobArguments.parse("--raw-uri", "s3://b/", "--curated-uri", "s3://c/"))
                .hasMessageContaining("--date");
        assertThatThrownBy(() -> JobArguments.parse("--date", "2026-11-23", "--raw-uri", "s3://b/raw/"))
                .hasMessageContaining("--curated-uri");
        assertThatThrownBy(() -> JobArguments.parse("--date", "23.11.2026", "--raw-uri", "s3://b/", "--curated-uri", "s3://c/"))
                .hasMessageContaining("--date");
        assertThatThrownBy(() -> JobArguments.parse("--date", "2026-11-23", "--raw-uri", "raw/", "--curated-uri", "s3://c/"))
                .hasMessageContaining("--raw-uri");
        assertThatThrownBy(() -> JobArguments.parse("--date", "2026-11-23", "--raw-uri", "s3://b/", "--curated-uri", "s3://c/",
                "--lateness", "3h")).hasMessageContaining("--lateness");
    }
}
