package io.twinflow.cli.command;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class BenchCommandTest {

    @Test
    void everyBenchmarkTheCommandOffersIsOneTheScriptRuns() throws Exception {
        Path script = Path.of("").toAbsolutePath().getParent().resolve("benchmarks/bench");
        String text = Files.readString(script);
        for (String name : BenchCommand.NAMES) {
            assertThat(text).as(name).contains("  " + name + ") main=");
        }
    }

    @Test
    void optionsPassThroughToTheScriptAndFreshnessIsTheDefault() {
        BenchCommand bare = new BenchCommand();
        new CommandLine(bare).parseArgs();
        assertThat(bare.name).isEqualTo("freshness");

        BenchCommand command = new BenchCommand();
        new CommandLine(command).parseArgs("freshness", "--rate", "300", "--seconds", "20");
        assertThat(command.name).isEqualTo("freshness");
        assertThat(BenchCommand.commandLine(Path.of("/repo/benchmarks/bench"), command.name, command.options))
                .containsExactly("/repo/benchmarks/bench", "freshness", "--rate", "300", "--seconds", "20");
    }

    @Test
    void anUnknownBenchmarkIsRefusedWithTheList() {
        int exit = new CommandLine(new TwinflowCommand()).setErr(new PrintWriter(new StringWriter()))
                .execute("bench", "nonsense");
        assertThat(exit).isNotZero();
        assertThat(BenchCommand.NAMES).contains("freshness", "write-cost");
    }
}
