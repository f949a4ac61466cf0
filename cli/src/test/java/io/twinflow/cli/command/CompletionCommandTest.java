package io.twinflow.cli.command;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class CompletionCommandTest {

    /** The shipped script, relative to the cli module (Surefire runs there). */
    private static final Path SHIPPED = Path.of("completion", "twinflow.bash");

    @Test
    void theShippedScriptIsTheOneTheCommandsGenerateSoItNeverLagsBehindANewOption() throws Exception {
        assertThat(Files.readString(SHIPPED, StandardCharsets.UTF_8))
                .as("cli/completion/twinflow.bash is out of date: regenerate it with ./twinflow completion > cli/completion/twinflow.bash")
                .isEqualTo(CompletionCommand.script());
    }

    @Test
    void theScriptCompletesEveryCommandAndTheOptionsOfNestedOnes() {
        String script = CompletionCommand.script();
        for (String command : new CommandLine(new TwinflowCommand()).getSubcommands().keySet()) {
            assertThat(script).as(command).contains(command);
        }
        assertThat(script).contains("complete -F _complete_twinflow").contains("--source").contains("--output");
    }
}
