package io.twinflow.warehouse.redshift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.twinflow.warehouse.QueryResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.redshiftdata.model.ColumnMetadata;
import software.amazon.awssdk.services.redshiftdata.model.DescribeStatementResponse;
import software.amazon.awssdk.services.redshiftdata.model.Field;
import software.amazon.awssdk.services.redshiftdata.model.StatusString;
import software.amazon.awssdk.services.redshiftdata.model.SubStatementData;

/** The Data API polling and error handling, against a fake client: no Redshift is reachable here. */
class DataApiStatementsTest {

    private final FakeRedshiftData client = new FakeRedshiftData();
    private final List<Duration> sleeps = new ArrayList<>();
    private long nanos;

    private final RedshiftDataApiSettings settings = new RedshiftDataApiSettings("dev", "wg", null,
            "arn:aws:secretsmanager:eu-central-1:123456789012:secret:rs", null, "arn:aws:iam::123456789012:role/copy",
            "stage", "warehouse-staging/", Duration.ofMillis(100), Duration.ofMillis(500), Duration.ofSeconds(10));

    private DataApiStatements statements() {
        return new DataApiStatements(client, settings, d -> {
            sleeps.add(d);
            nanos += d.toNanos();
        }, () -> nanos);
    }

    @Test
    void pollsWithDoublingBackoffCappedAtTheMaximumUntilFinished() {
        client.onBatch = request -> List.of(FakeRedshiftData.status(StatusString.SUBMITTED), FakeRedshiftData.status(StatusString.PICKED),
                FakeRedshiftData.status(StatusString.STARTED), FakeRedshiftData.status(StatusString.STARTED),
                FakeRedshiftData.status(StatusString.STARTED), FakeRedshiftData.finished(false));

        DescribeStatementResponse done = statements().runBatch(List.of("SELECT 1", "SELECT 2"), "t");

        assertThat(done.status()).isEqualTo(StatusString.FINISHED);
        assertThat(sleeps).containsExactly(Duration.ofMillis(100), Duration.ofMillis(200), Duration.ofMillis(400),
                Duration.ofMillis(500), Duration.ofMillis(500));
        assertThat(client.batches.get(0).sqls()).containsExactly("SELECT 1", "SELECT 2");
        assertThat(client.batches.get(0).workgroupName()).isEqualTo("wg");
        assertThat(client.batches.get(0).secretArn()).isEqualTo(settings.secretArn());
        assertThat(client.batches.get(0).database()).isEqualTo("dev");
    }

    @Test
    void aStatementStillRunningAtTheTimeoutIsCancelled() {
        client.onBatch = request -> List.of(FakeRedshiftData.status(StatusString.STARTED));

        assertThatThrownBy(() -> statements().runBatch(List.of("SELECT 1"), "t"))
                .isInstanceOf(DataApiStatementException.class).hasMessageContaining("cancelled");
        assertThat(client.cancelled).containsExactly("batch-1");
        assertThat(nanos).isGreaterThanOrEqualTo(Duration.ofSeconds(10).toNanos());
    }

    @Test
    void aFailedCopyIsReportedWithTheFileAndLineFromSysLoadErrorDetail() {
        String copy = "COPY stage_lines (line_no) FROM 's3://stage/x.csv.gz' IAM_ROLE 'r' FORMAT AS CSV GZIP";
        client.onBatch = request -> List.of(DescribeStatementResponse.builder().status(StatusString.FAILED)
                .error("Load into table 'stage_lines' failed. Check 'sys_load_error_detail' system table for details.")
                .subStatements(
                        SubStatementData.builder().id("b:1").status("FINISHED").queryString("CREATE TEMP TABLE x (a INT)").build(),
                        SubStatementData.builder().id("b:2").status("FAILED").queryString(copy).redshiftQueryId(4242L)
                                .error("Load into table 'stage_lines' failed.").build(),
                        SubStatementData.builder().id("b:3").status("ABORTED").queryString("MERGE ...").build())
                .build());
        client.onQuery = sql -> FakeRedshiftData.result(List.of("file_name", "line_number", "column_name", "error_message"),
                List.of(List.of(FakeRedshiftData.text("s3://stage/x.csv.gz"), FakeRedshiftData.number(17),
                        FakeRedshiftData.text("ts"), FakeRedshiftData.text("Invalid timestamp format or value"))));

        assertThatThrownBy(() -> statements().runBatch(List.of("CREATE TEMP TABLE x (a INT)", copy, "MERGE ..."), "load"))
                .isInstanceOfSatisfying(DataApiStatementException.class, e -> {
                    assertThat(e.failedSql()).isEqualTo(copy);
                    assertThat(e.loadErrors()).containsExactly(
                            new LoadError("s3://stage/x.csv.gz", 17, "ts", "Invalid timestamp format or value"));
                    assertThat(e.getMessage()).contains("FAILED", "s3://stage/x.csv.gz line 17 column ts: Invalid timestamp");
                });
        assertThat(client.queries).hasSize(1);
        assertThat(client.queries.get(0).sql()).contains("FROM sys_load_error_detail WHERE query_id = :query_id");
        assertThat(client.queries.get(0).parameters()).singleElement()
                .satisfies(p -> assertThat(p.name() + "=" + p.value()).isEqualTo("query_id=4242"));
    }

    @Test
    void aFailureOtherThanCopyDoesNotLookForLoadErrors() {
        client.onBatch = request -> List.of(DescribeStatementResponse.builder().status(StatusString.FAILED)
                .error("ERROR: relation \"telemetry.events\" does not exist").build());

        assertThatThrownBy(() -> statements().runBatch(List.of("MERGE INTO telemetry.events ..."), "t"))
                .isInstanceOfSatisfying(DataApiStatementException.class, e -> assertThat(e.loadErrors()).isEmpty())
                .hasMessageContaining("does not exist");
        assertThat(client.queries).isEmpty();
    }

    @Test
    void queryResultsArePagedAndTypedLikeJdbc() {
        client.onQuery = sql -> FakeRedshiftData.result(List.of("n", "s", "missing"),
                List.of(List.of(FakeRedshiftData.number(3), FakeRedshiftData.text("a"), FakeRedshiftData.nothing())));

        QueryResult result = statements().query("SELECT 3 AS n, 'a' AS s, NULL AS missing", List.of());

        assertThat(result.columns()).containsExactly("n", "s", "missing");
        assertThat(result.rows()).containsExactly(Arrays.asList(3L, "a", null));
        assertThat(DataApiStatements.value(Field.builder().stringValue("12").build(),
                ColumnMetadata.builder().typeName("numeric").build())).isEqualTo(12L);
        assertThat(DataApiStatements.value(Field.builder().stringValue("1.50").build(),
                ColumnMetadata.builder().typeName("numeric").build())).isEqualTo("1.50");
    }

    @Test
    void settingsRequireExactlyOneTargetAndACredential() {
        assertThatThrownBy(() -> new RedshiftDataApiSettings("dev", "wg", "cluster", "s", null, "r", "b", "", Duration.ofMillis(1),
                Duration.ofMillis(1), Duration.ofSeconds(1))).hasMessageContaining("exactly one");
        assertThatThrownBy(() -> new RedshiftDataApiSettings("dev", null, "cluster", null, null, "r", "b", "", Duration.ofMillis(1),
                Duration.ofMillis(1), Duration.ofSeconds(1))).hasMessageContaining("secretArn or dbUser");
        assertThat(RedshiftDataApiSettings.fromEnvironment(Map.of(
                "TWINFLOW_REDSHIFT_DATABASE", "dev", "TWINFLOW_REDSHIFT_CLUSTER", "c", "TWINFLOW_REDSHIFT_DB_USER", "loader",
                "TWINFLOW_REDSHIFT_COPY_ROLE_ARN", "r", "TWINFLOW_REDSHIFT_STAGING_BUCKET", "b")).stagingPrefix())
                .isEqualTo("warehouse-staging/");
    }
}
