package io.twinflow.cli.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.twinflow.cli.query.ResultFormat;
import io.twinflow.core.error.UserMistakeException;
import io.twinflow.warehouse.QueryResult;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class OutputOptionsTest {

    private static final QueryResult ROWS = new QueryResult(List.of("device", "events", "note"),
            List.of(List.of("sensor-1", 12L, "a, \"quoted\" note"), Arrays.asList("sensor-22", 3L, null)));

    /** A command that mixes the option in and prints ROWS, as every data-printing command does. */
    @CommandLine.Command(name = "probe")
    static final class Probe implements Callable<Integer> {
        @CommandLine.Mixin
        OutputOptions output = new OutputOptions();

        @Override
        public Integer call() throws Exception {
            output.print(View.table(ROWS.asMaps(), ROWS));
            return 0;
        }
    }

    private static String run(String... args) {
        PrintStream out = System.out;
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        System.setOut(new PrintStream(stdout, true, StandardCharsets.UTF_8));
        try {
            assertThat(new CommandLine(new Probe()).setCaseInsensitiveEnumValuesAllowed(true).execute(args)).isZero();
            return stdout.toString(StandardCharsets.UTF_8);
        } finally {
            System.setOut(out);
        }
    }

    private static final String TABLE = """
            device    | events | note
            ----------+--------+-----------------
            sensor-1  |     12 | a, "quoted" note
            sensor-22 |      3 |
            (2 rows)
            """;

    private static final String JSON = """
            [ {
              "device" : "sensor-1",
              "events" : 12,
              "note" : "a, \\"quoted\\" note"
            }, {
              "device" : "sensor-22",
              "events" : 3,
              "note" : null
            } ]
            """;

    private static final String CSV = "device,events,note\r\nsensor-1,12,\"a, \"\"quoted\"\" note\"\r\nsensor-22,3,\r\n";

    @Test
    void tableIsTheDefaultAndEachOutputPrintsItsFormat() {
        assertThat(run()).isEqualTo(TABLE);
        assertThat(run("--output", "table")).isEqualTo(TABLE);
        assertThat(run("--output", "json")).isEqualTo(JSON);
        assertThat(run("--output", "csv")).isEqualTo(CSV);
    }

    @Test
    void jsonAndFormatAreAliasesOfOutput() {
        assertThat(run("--json")).isEqualTo(JSON);
        assertThat(run("--format", "csv")).isEqualTo(CSV);
        assertThat(run("--format", "JSON")).isEqualTo(JSON);
        assertThat(run("--json", "--output", "json")).isEqualTo(JSON);
    }

    @Test
    void jsonWithAnotherOutputIsAOneLineMistake() {
        OutputOptions options = new OutputOptions();
        new CommandLine(options).parseArgs("--json", "--output", "csv");
        assertThatThrownBy(() -> options.format(ResultFormat.table)).isInstanceOf(UserMistakeException.class)
                .hasMessage("--json means --output json: give one of them, not --json with --output csv");
    }

    @Test
    void aCommandsOwnDefaultAppliesOnlyWhenNoOptionIsGiven() {
        OutputOptions none = new OutputOptions();
        new CommandLine(none).parseArgs();
        assertThat(none.format(ResultFormat.json)).isEqualTo(ResultFormat.json);
        OutputOptions table = new OutputOptions();
        new CommandLine(table).parseArgs("--output", "table");
        assertThat(table.format(ResultFormat.json)).isEqualTo(ResultFormat.table);
    }

    @Test
    void dataThatIsNoTableBecomesOneCsvRowPerFieldWithDottedPaths() throws Exception {
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("sent", 10);
        report.put("reconcile", Map.of("clean", true));
        report.put("drifts", List.of(Map.of("deviceId", "d,1")));
        report.put("empty", List.of());
        report.put("missing", null);
        assertThat(View.fields(report).render(ResultFormat.csv)).isEqualTo(
                "field,value\r\nsent,10\r\nreconcile.clean,true\r\ndrifts[0].deviceId,\"d,1\"\r\nempty,[]\r\nmissing,\r\n");
    }

    /** The commands that print data (Main's list; local up, local down, dashboard, bench and completion print none). */
    private static final List<String> DATA_COMMANDS = List.of("state", "metrics", "query", "reconcile", "status", "local status",
            "quarantine list", "quarantine show", "quarantine requeue", "batch run", "replay", "simulate", "demo", "tradeoff", "invoke stream-processor");

    @Test
    void everyDataPrintingCommandTakesOutputWithItsAliases() {
        CommandLine root = new CommandLine(new TwinflowCommand());
        for (String path : DATA_COMMANDS) {
            CommandLine line = root;
            for (String name : path.split(" ")) {
                line = line.getSubcommands().get(name);
            }
            for (String option : List.of("--output", "--format", "--json")) {
                assertThat(line.getCommandSpec().findOption(option)).as(path + " " + option).isNotNull();
            }
        }
    }

    private static ResultFormat parsed(String... args) {
        CommandLine.ParseResult result = new CommandLine(new TwinflowCommand()).setCaseInsensitiveEnumValuesAllowed(true).parseArgs(args);
        while (result.hasSubcommand()) {
            result = result.subcommand();
        }
        Object command = result.commandSpec().userObject();
        OutputOptions options = command instanceof StateCommand c ? c.output
                : command instanceof MetricsCommand c ? c.output
                : command instanceof ReconcileCommand c ? c.output
                : ((QueryCommand) command).output;
        return options.format(ResultFormat.table);
    }

    @Test
    void theOldSpellingsStillWorkOnTheCommandsThatHadThem() {
        assertThat(parsed("state", "sensor-1", "--json")).isEqualTo(ResultFormat.json);
        assertThat(parsed("metrics", "sensor-1", "--json")).isEqualTo(ResultFormat.json);
        assertThat(parsed("reconcile", "--date", "2026-11-27", "--json")).isEqualTo(ResultFormat.json);
        assertThat(parsed("query", "--sql", "SELECT 1", "--format", "csv")).isEqualTo(ResultFormat.csv);
        assertThat(parsed("query", "--sql", "SELECT 1", "--output", "csv")).isEqualTo(ResultFormat.csv);
        assertThat(parsed("state", "sensor-1")).isEqualTo(ResultFormat.table);
    }
}
