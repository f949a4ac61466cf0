package io.twinflow.cli;

import io.twinflow.cli.command.TwinflowCommand;
import picocli.CommandLine;

/** Entry point of the {@code twinflow} command. */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    public static int run(String... args) {
        return new CommandLine(new TwinflowCommand())
                .setCaseInsensitiveEnumValuesAllowed(true)
                .setExecutionExceptionHandler((e, cmd, parsed) -> {
                    // Expected failures (no stack running, bad input) get one line, not a stack trace.
                    if (e instanceof IllegalStateException || e instanceof IllegalArgumentException) {
                        cmd.getErr().println("twinflow: " + e.getMessage());
                        return 2;
                    }
                    throw e;
                })
                .execute(args);
    }
}
