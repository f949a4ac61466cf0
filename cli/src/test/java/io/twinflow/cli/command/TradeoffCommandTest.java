package io.twinflow.cli.command;

import static org.assertj.core.api.Assertions.assertThat;

import io.twinflow.cli.Main;
import io.twinflow.cli.query.ResultFormat;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class TradeoffCommandTest {

    @TempDir
    Path dir;

    @Test
    void aPriceFileWithoutAFieldIsRefusedInOneLineWithExitTwoBeforeAnythingStarts() throws Exception {
        Path prices = Files.writeString(dir.resolve("prices.json"), "{\"region\":\"us-east-1\",\"asOf\":\"2026-11-28\",\"prices\":{}}");
        PrintStream stderr = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit;
        try {
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            exit = Main.run("tradeoff", "--prices", prices.toString());
        } finally {
            System.setErr(stderr);
        }
        String message = err.toString(StandardCharsets.UTF_8);

        assertThat(exit).isEqualTo(Main.USER_MISTAKE);
        assertThat(message.strip()).doesNotContain("\n").startsWith("twinflow: prices file " + prices)
                .contains("missing field prices.kinesisOnDemandStreamHour");
    }

    @Test
    void theOptionsOfTheIssueParse() {
        TradeoffCommand command = new TradeoffCommand();
        new CommandLine(command).setCaseInsensitiveEnumValuesAllowed(true).parseArgs("--devices", "50", "--rate", "200",
                "--duration", "30s", "--prices", "p.json", "--output", "json", "--html", "r.html");

        assertThat(command.fleet.devices).isEqualTo(50);
        assertThat(command.fleet.rate).isEqualTo(200);
        assertThat(command.duration).hasSeconds(30);
        assertThat(command.output.format(ResultFormat.table)).isEqualTo(ResultFormat.json);
        assertThat(command.html).isEqualTo(Path.of("r.html"));
    }
}
