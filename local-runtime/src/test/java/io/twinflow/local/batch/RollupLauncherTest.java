package io.twinflow.local.batch;

import static org.assertj.core.api.Assertions.assertThat;

import io.twinflow.core.pipeline.PipelineSpec;
import io.twinflow.local.config.Endpoints;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RollupLauncherTest {

    private static final Endpoints LOCAL = new Endpoints("us-east-1", "http://127.0.0.1:1", "http://127.0.0.1:2",
            "http://127.0.0.1:3", "http://127.0.0.1:4",
            new Endpoints.Postgres("jdbc:postgresql://127.0.0.1:5/postgres", "127.0.0.1", 5, "postgres", "pg-user", "pg-pass"),
            new Endpoints.Resources("twinflow", "twinflow-telemetry", 2, Map.of(), Map.of(), Map.of(), Map.of()),
            new Endpoints.Credentials("AKID", "SECRET"), 1, "2026-11-24T00:00:00Z", "embedded", null);

    @Test
    void theJobRunsFromTheArgsFileAgainstTheLocalS3AndPostgres() {
        PipelineSpec spec = PipelineSpec.defaults();
        List<String> command = new RollupLauncher(Path.of("/x/glue-local.args"))
                .command(LocalDate.parse("2026-11-24"), LOCAL, spec);
        assertThat(command.get(1)).isEqualTo("@/x/glue-local.args");
        assertThat(command).contains(
                "-Dspark.hadoop.fs.s3a.endpoint=http://127.0.0.1:3",
                "-Dspark.hadoop.fs.s3a.path.style.access=true",
                "-Dspark.hadoop.fs.s3a.access.key=AKID",
                "-Dspark.hadoop.fs.s3a.secret.key=SECRET");
        // The JVM options all precede the main class; the job's arguments all follow it.
        int main = command.indexOf(RollupLauncher.MAIN_CLASS);
        assertThat(command.subList(1, main)).allMatch(a -> a.startsWith("-") || a.startsWith("@"));
        List<String> jobArgs = command.subList(main + 1, command.size());
        assertThat(String.join(" ", jobArgs)).isEqualTo("--date 2026-11-24"
                + " --raw-uri s3a://twinflow-raw/raw/ --curated-uri s3a://twinflow-curated/" + spec.buckets().curatedPrefix()
                + " --lateness " + spec.schedules().rollupLateness()
                + " --max-future-skew PT5M --max-lateness PT48H --window PT1M"
                + " --warehouse jdbc --warehouse-jdbc-url jdbc:postgresql://127.0.0.1:5/postgres"
                + " --warehouse-user pg-user --warehouse-password pg-pass --warehouse-schema telemetry");
    }

    @Test
    void aScheduledRunPassesTheSchedulesTimeInsteadOfADate() {
        PipelineSpec spec = PipelineSpec.defaults();
        List<String> command = new RollupLauncher(Path.of("/x/glue-local.args"))
                .scheduledCommand(Instant.parse("2026-11-25T03:30:00Z"), LOCAL, spec);

        List<String> jobArgs = command.subList(command.indexOf(RollupLauncher.MAIN_CLASS) + 1, command.size());
        assertThat(jobArgs.subList(0, 2)).containsExactly("--scheduled-time", "2026-11-25T03:30:00Z");
        assertThat(jobArgs).doesNotContain("--date").contains("--lateness", "--warehouse-jdbc-url");
    }

    @Test
    void theRunsOwnDayIsTheLastReportAndTheRequestedDaysPrecedeIt() {
        RollupLauncher.Result result = RollupLauncher.result(LocalDate.parse("2026-11-24"), 0, Duration.ofSeconds(40),
                List.of("{\"job\":\"daily-rollup\",\"date\":\"2026-11-20\",\"trigger\":\"request\"}",
                        "26/11/25 INFO SparkContext: stopped",
                        "{\"job\":\"daily-rollup\",\"date\":\"2026-11-24\",\"trigger\":\"scheduled\",\"events\":7}"),
                Path.of("/logs/rollup.log"));

        assertThat(result.succeeded()).isTrue();
        assertThat(result.report()).hasValueSatisfying(r -> assertThat(r).containsEntry("events", 7));
        assertThat(result.requestedDays()).extracting(r -> r.get("date")).containsExactly("2026-11-20");
        assertThat(result.toMap()).containsKey("requestedDays");
        // A run that died after an earlier day printed its report has no report of its own: it failed.
        assertThat(RollupLauncher.result(LocalDate.parse("2026-11-24"), 1, Duration.ofSeconds(40),
                List.of("{\"job\":\"daily-rollup\",\"date\":\"2026-11-20\"}"), Path.of("/l")).succeeded()).isFalse();
    }

    @Test
    void onlyTheJobsReportLineIsTakenFromItsOutput() {
        assertThat(RollupLauncher.reportLine("{\"job\":\"daily-rollup\",\"events\":5}")).hasValueSatisfying(
                r -> assertThat(r).containsEntry("events", 5));
        assertThat(RollupLauncher.reportLine("{\"level\":\"WARN\"}")).isEmpty();
        assertThat(RollupLauncher.reportLine("26/11/24 WARN Utils: hostname")).isEmpty();
        assertThat(RollupLauncher.reportLine("{not json")).isEmpty();
    }

    @Test
    void aFailedRunPointsAtItsLog() {
        RollupLauncher.Result failed = new RollupLauncher.Result(LocalDate.parse("2026-11-24"), 1, Duration.ofSeconds(3),
                Optional.empty(), Path.of("/logs/rollup.log"));
        assertThat(failed.succeeded()).isFalse();
        assertThat(failed.toMap()).containsEntry("exitCode", 1).containsEntry("log", "/logs/rollup.log");
    }
}
