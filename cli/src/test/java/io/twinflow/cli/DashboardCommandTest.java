package io.twinflow.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.twinflow.cli.command.TwinflowCommand;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code twinflow dashboard}'s user mistakes: exit 2 and one line that says what to do. */
class DashboardCommandTest {

    @TempDir
    Path dir;

    private static String[] run(String... args) {
        StringWriter err = new StringWriter();
        int code = Main.run(Main.commandLine(new TwinflowCommand()).setErr(new PrintWriter(err, true)), args);
        return new String[] {String.valueOf(code), err.toString()};
    }

    @Test
    void aPortOutOfRange() {
        String[] o = run("dashboard", "--port", "70000");
        assertThat(o[0]).isEqualTo("2");
        assertThat(o[1]).isEqualTo("twinflow: --port 70000 is not a port: give 1 to 65535, or 0 for any free one" + System.lineSeparator());
    }

    @Test
    void noRunningStack() {
        String file = dir.resolve("endpoints.json").toString();
        String[] o = run("dashboard", "--port", "0", "--endpoints-file", file);
        assertThat(o[0]).isEqualTo("2");
        assertThat(o[1].lines()).containsExactly("twinflow: no local stack is running (" + file + " is missing or stale). "
                + "Start one with `./twinflow local up`, or pass --target aws.");
    }
}
