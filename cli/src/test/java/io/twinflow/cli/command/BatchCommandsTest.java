package io.twinflow.cli.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.twinflow.core.error.UserMistakeException;
import io.twinflow.local.config.ServiceClients;
import io.twinflow.warehouse.Report;
import io.twinflow.warehouse.redshift.RedshiftDataApiSettings;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class BatchCommandsTest {

    private static String help(String... path) {
        CommandLine line = new CommandLine(new TwinflowCommand());
        for (String name : path) {
            line = line.getSubcommands().get(name);
        }
        StringWriter out = new StringWriter();
        line.usage(new PrintWriter(out));
        return out.toString();
    }

    @Test
    void queryHelpNamesEveryReportTheWarehouseKnows() {
        String help = help("query");
        for (Report report : Report.values()) {
            assertThat(help).contains(report.cliName());
        }
    }

    @Test
    void theNewCommandsHaveHelp() {
        assertThat(help("batch", "run")).contains("--job", "--date", "--target");
        assertThat(help("reconcile")).contains("--date", "--json", "--workgroup");
        assertThat(help("query")).contains("--report", "--sql", "--format");
    }

    @Test
    void queryTakesEitherAReportOrSqlNotBoth() {
        CommandLine line = new CommandLine(new TwinflowCommand());
        assertThatThrownBy(() -> line.parseArgs("query", "--report", "daily-fleet", "--sql", "SELECT 1"))
                .isInstanceOf(CommandLine.ParameterException.class);
        assertThatThrownBy(() -> line.parseArgs("query")).isInstanceOf(CommandLine.ParameterException.class);
    }

    @Test
    void redshiftSettingsComeFromFlagsBeforeTheFunctionsEnvironment() {
        ServiceClients clients = ServiceClients.aws("eu-west-1", null, "twinflow");
        Map<String, String> env = Map.of("TWINFLOW_REDSHIFT_WORKGROUP", "wg-env", "TWINFLOW_REDSHIFT_SECRET_ARN", "arn:env",
                "TWINFLOW_REDSHIFT_DATABASE", "db-env");
        WarehouseOptions options = new WarehouseOptions();
        RedshiftDataApiSettings fromEnv = options.settings(clients, env::get);
        assertThat(fromEnv.workgroupName()).isEqualTo("wg-env");
        assertThat(fromEnv.secretArn()).isEqualTo("arn:env");
        assertThat(fromEnv.database()).isEqualTo("db-env");

        options.cluster = "cluster-flag";
        options.dbUser = "analyst";
        options.database = "db-flag";
        RedshiftDataApiSettings fromFlags = options.settings(clients, env::get);
        assertThat(fromFlags.clusterIdentifier()).isEqualTo("cluster-flag");
        assertThat(fromFlags.workgroupName()).as("a --cluster flag overrides the workgroup variable").isNull();
        assertThat(fromFlags.database()).isEqualTo("db-flag");
        assertThat(fromFlags.dbUser()).isEqualTo("analyst");
    }

    @Test
    void redshiftWithoutWorkgroupOrClusterIsAClearError() {
        ServiceClients clients = ServiceClients.aws("eu-west-1", null, "twinflow");
        assertThatThrownBy(() -> new WarehouseOptions().settings(clients, name -> null))
                .isInstanceOf(UserMistakeException.class).hasMessageContaining("--workgroup");
    }

    @Test
    void theDatabaseDefaultsToThePipelines() {
        ServiceClients clients = ServiceClients.aws("eu-west-1", null, "twinflow");
        WarehouseOptions options = new WarehouseOptions();
        options.workgroup = "wg";
        options.secretArn = "arn:secret";
        assertThat(options.settings(clients, name -> null).database()).isEqualTo(clients.spec().warehouse().database());
    }
}
