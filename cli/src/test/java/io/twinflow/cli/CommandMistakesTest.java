package io.twinflow.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.twinflow.cli.command.TwinflowCommand;
import io.twinflow.local.config.Endpoints;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real commands, run in-process through {@link Main} with no stack running: each user mistake
 * ends in exit 2 and one line that says how to fix it; a broken invariant in exit 70 and a stack trace.
 */
class CommandMistakesTest {

    @TempDir
    Path dir;

    private record Outcome(int code, String err) {
        /** The whole of stderr, which must be exactly one line. */
        String line() {
            assertThat(err.lines()).as(err).hasSize(1);
            return err.lines().findFirst().orElseThrow();
        }
    }

    private static Outcome twinflow(String... args) {
        StringWriter err = new StringWriter();
        return new Outcome(Main.run(Main.commandLine(new TwinflowCommand()).setErr(new PrintWriter(err, true)), args), err.toString());
    }

    private String noStack() {
        return dir.resolve("endpoints.json").toString();
    }

    @Test
    void noRunningStack() {
        Outcome o = twinflow("state", "sensor-1", "--endpoints-file", noStack());
        assertThat(o.code()).isEqualTo(2);
        assertThat(o.line()).isEqualTo("twinflow: no local stack is running (" + noStack() + " is missing or stale). "
                + "Start one with `./twinflow local up`, or pass --target aws.");
    }

    @Test
    void anEndpointsFileThatIsNotJson() throws Exception {
        Path file = Files.writeString(dir.resolve("endpoints.json"), "{\"region\": ");
        Outcome o = twinflow("metrics", "sensor-1", "--endpoints-file", file.toString());
        assertThat(o.code()).isEqualTo(2);
        assertThat(o.line()).startsWith("twinflow: cannot read " + file + " (")
                .endsWith("): delete it if no local stack is running (`./twinflow local up` writes a new one)");
    }

    @Test
    void aTimeThatIsNeitherAnInstantNorADuration() {
        Outcome o = twinflow("metrics", "sensor-1", "--from", "yesterday", "--endpoints-file", noStack());
        assertThat(o.code()).isEqualTo(2);
        assertThat(o.line()).isEqualTo("twinflow: --from yesterday is neither an ISO-8601 instant nor a duration: "
                + "give e.g. 2026-11-28T10:15:00Z or 90m");
    }

    @Test
    void aDayThatIsNotADay() {
        Outcome o = twinflow("reconcile", "--date", "2026-13-01");
        assertThat(o.code()).isEqualTo(2);
        assertThat(o.line()).isEqualTo("twinflow: Invalid value for option '--date': '2026-13-01' is not a day: "
                + "give YYYY-MM-DD, e.g. 2026-11-28 (see `twinflow reconcile --help`)");
    }

    @Test
    void aDurationWithAnUnknownUnit() {
        Outcome o = twinflow("simulate", "--duration", "5y");
        assertThat(o.code()).isEqualTo(2);
        assertThat(o.line()).startsWith("twinflow: Invalid value for option '--duration': ").contains("unknown unit 'y'")
                .endsWith("(see `twinflow simulate --help`)");
    }

    @Test
    void aFleetWithoutDevicesIsRefusedByTheLocalRuntimesConfig() {
        Outcome o = twinflow("simulate", "--devices", "0", "--endpoints-file", noStack());
        assertThat(o.code()).isEqualTo(2);
        assertThat(o.line()).isEqualTo("twinflow: devices must be >= 1, got 0");
    }

    @Test
    void aPrefixAgainstTheNamingRule() {
        Outcome o = twinflow("state", "sensor-1", "--target", "aws", "--region", "eu-west-1", "--prefix", "Twin_Flow");
        assertThat(o.code()).isEqualTo(2);
        assertThat(o.line()).startsWith("twinflow: Invalid value for option '--prefix': prefix must be 2-31 chars")
                .endsWith("Twin_Flow (see `twinflow state --help`)");
    }

    @Test
    void aMissingRequiredOption() {
        Outcome o = twinflow("batch", "run");
        assertThat(o.code()).isEqualTo(2);
        assertThat(o.line()).isEqualTo("twinflow: Missing required option: '--job=loader|rollup' (see `twinflow batch run --help`)");
    }

    @Test
    void anUnknownReport() {
        Outcome o = twinflow("query", "--report", "weekly", "--target", "aws", "--region", "eu-west-1");
        assertThat(o.code()).isEqualTo(2);
        assertThat(o.line()).startsWith("twinflow: unknown report 'weekly'; known: daily-fleet, ");
    }

    @Test
    void aDateWithSql() {
        Outcome o = twinflow("query", "--sql", "SELECT 1", "--date", "2026-11-28", "--endpoints-file", noStack());
        assertThat(o.code()).isEqualTo(2);
        assertThat(o.line()).isEqualTo("twinflow: --date applies to --report only; put the day into the SQL");
    }

    @Test
    void theWarehouseConnectionMissingFromFlagsAndEnvironment() {
        assumeTrue(System.getenv("TWINFLOW_REDSHIFT_WORKGROUP") == null && System.getenv("TWINFLOW_REDSHIFT_CLUSTER") == null,
                "the environment names a Redshift warehouse");
        Outcome o = twinflow("query", "--sql", "SELECT 1", "--target", "aws", "--region", "eu-west-1");
        assertThat(o.code()).isEqualTo(2);
        assertThat(o.line()).isEqualTo("twinflow: --target aws needs --workgroup or --cluster "
                + "(or TWINFLOW_REDSHIFT_WORKGROUP / _CLUSTER)");
    }

    @Test
    void theBatchPathOnAContainerIsRefusedByTheLocalRuntime() {
        Outcome o = twinflow("batch", "run", "--job", "rollup", "--target", "localstack", "--endpoints-file", noStack());
        assertThat(o.code()).isEqualTo(2);
        assertThat(o.line()).isEqualTo("twinflow: Glue jobs is not available on LocalStack's free edition or Floci: "
                + "run the batch path with --target local (embedded PostgreSQL and Spark) or --target aws");
    }

    @Test
    void anEventFileThatIsMissingOrNotAnEvent() throws Exception {
        Outcome missing = twinflow("invoke", "stream-processor", "--event", dir.resolve("none.json").toString());
        assertThat(missing.code()).isEqualTo(2);
        assertThat(missing.line()).isEqualTo("twinflow: cannot read the event file " + dir.resolve("none.json")
                + ": give a Kinesis event JSON file, e.g. events/kinesis/normal-batch.json");

        Path notJson = Files.writeString(dir.resolve("event.json"), "Records: none");
        Outcome bad = twinflow("invoke", "stream-processor", "--event", notJson.toString());
        assertThat(bad.code()).isEqualTo(2);
        assertThat(bad.line()).startsWith("twinflow: " + notJson + " is not a Kinesis event (")
                .endsWith("): give one like events/kinesis/normal-batch.json");
    }

    @Test
    void anUnknownStreamSource() {
        Outcome o = twinflow("demo", "--source", "pulsar");
        assertThat(o.code()).isEqualTo(2);
        assertThat(o.line()).isEqualTo("twinflow: unknown stream source 'pulsar': use --source kinesis|kafka|both");
    }

    @Test
    void simulatingToKafkaOnAStackWithoutIt() throws Exception {
        Path file = dir.resolve("endpoints.json");
        new Endpoints("us-east-1", "http://127.0.0.1:1", "http://127.0.0.1:1", "http://127.0.0.1:1", "http://127.0.0.1:1",
                new Endpoints.Postgres("jdbc:postgresql://127.0.0.1:1/postgres", "127.0.0.1", 1, "postgres", "u", "p"),
                new Endpoints.Resources("twinflow", "twinflow-telemetry", 2, Map.of(), Map.of(), Map.of(), Map.of()),
                new Endpoints.Credentials("k", "s"), ProcessHandle.current().pid(), "2026-11-28T00:00:00Z", "embedded", null)
                .write(file);
        Outcome o = twinflow("simulate", "--source", "kafka", "--endpoints-file", file.toString());
        assertThat(o.code()).isEqualTo(2);
        assertThat(o.line()).isEqualTo("twinflow: the local stack (pid " + ProcessHandle.current().pid() + ") runs without Kafka: "
                + "restart it with `./twinflow local up --source kafka` (or --source both)");
        assertThat(twinflow("simulate", "--source", "both").line())
                .isEqualTo("twinflow: simulate sends to one stream: use --source kinesis or --source kafka");
    }

    @Test
    void anUnknownBenchmark() {
        Outcome o = twinflow("bench", "nonsense");
        assertThat(o.code()).isEqualTo(2);
        assertThat(o.line()).startsWith("twinflow: unknown benchmark 'nonsense'; one of [freshness, ")
                .endsWith("(see `twinflow bench --help`)");
    }

    /** `local up` writes only prefixes that follow the naming rule: one that does not is a broken invariant, not a mistake. */
    @Test
    void anEndpointsFileNoStackCouldHaveWrittenIsABugWithAStackTrace() throws Exception {
        Path file = dir.resolve("endpoints.json");
        new Endpoints("us-east-1", "http://127.0.0.1:1", "http://127.0.0.1:1", "http://127.0.0.1:1", "http://127.0.0.1:1",
                new Endpoints.Postgres("jdbc:postgresql://127.0.0.1:1/postgres", "127.0.0.1", 1, "postgres", "u", "p"),
                new Endpoints.Resources("Not A Prefix", "s", 2, Map.of(), Map.of(), Map.of(), Map.of()),
                new Endpoints.Credentials("k", "s"), ProcessHandle.current().pid(), "2026-11-28T00:00:00Z", "embedded", null)
                .write(file);
        Outcome o = twinflow("state", "sensor-1", "--endpoints-file", file.toString());
        assertThat(o.code()).isEqualTo(Main.INTERNAL_ERROR).isEqualTo(70);
        assertThat(o.err()).startsWith("java.lang.IllegalArgumentException: prefix must be")
                .contains("\tat io.twinflow.core.pipeline.PipelineSpec.withPrefix(")
                .doesNotStartWith("twinflow:");
        assertThat(o.err().lines().count()).isGreaterThan(5);
    }

    @Test
    void aKafkaBootstrapThatIsNotHostPort() {
        Outcome o = twinflow("local", "up", "--source", "kafka", "--kafka-bootstrap", "localhost");
        assertThat(o.code()).isEqualTo(2);
        assertThat(o.line()).isEqualTo("twinflow: --kafka-bootstrap 'localhost' is not HOST:PORT (e.g. localhost:9092, or several "
                + "separated by commas): pass the broker's listener address");
    }

    @Test
    void aKafkaBootstrapWithoutAKafkaSource() {
        Outcome o = twinflow("local", "up", "--target", "localstack", "--kafka-bootstrap", "localhost:9092");
        assertThat(o.code()).isEqualTo(2);
        assertThat(o.line()).isEqualTo("twinflow: --kafka-bootstrap names the broker of a stack on Kafka: add --source kafka or --source both");
    }
}
