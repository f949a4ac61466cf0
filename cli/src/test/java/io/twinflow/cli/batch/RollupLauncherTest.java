package io.twinflow.cli.batch;

import static org.assertj.core.api.Assertions.assertThat;

import io.twinflow.cli.config.Endpoints;
import io.twinflow.core.pipeline.PipelineSpec;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
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
                + " --warehouse jdbc --warehouse-jdbc-url jdbc:postgresql://127.0.0.1:5/postgres"
                + " --warehouse-user pg-user --warehouse-password pg-pass --warehouse-schema telemetry");
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
        RollupLauncher.Result failed = new RollupLauncher.Result(LocalDate.parse("2026-11-24"), 1, java.time.Duration.ofSeconds(3),
                java.util.Optional.empty(), Path.of("/logs/rollup.log"));
        assertThat(failed.succeeded()).isFalse();
        assertThat(failed.toMap()).containsEntry("exitCode", 1).containsEntry("log", "/logs/rollup.log");
    }
}
