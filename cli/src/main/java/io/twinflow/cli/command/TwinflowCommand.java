package io.twinflow.cli.command;

import java.util.Arrays;
import java.util.Optional;
import picocli.CommandLine;

@CommandLine.Command(name = TwinflowCommand.NAME, mixinStandardHelpOptions = true, version = "twinflow 0.1.0",
        description = "Devices -> Kinesis -> Lambda -> DynamoDB, and S3 -> Glue -> Redshift: run it locally, feed it, query it.",
        subcommands = {LocalCommand.class, SimulateCommand.class, InvokeCommand.class, StateCommand.class,
                MetricsCommand.class, BatchCommand.class, QueryCommand.class, ReconcileCommand.class,
                DashboardCommand.class, DemoCommand.class, TradeoffCommand.class, BenchCommand.class, QuarantineCommand.class,
                ReplayCommand.class, StatusCommand.class, CompletionCommand.class,
                CommandLine.HelpCommand.class})
public final class TwinflowCommand extends CommandGroup {

    public static final String NAME = "twinflow";

    /**
     * The top-level command {@code name} names (its name or an alias), from the list above; empty for {@code help} and
     * {@code completion}, which need every command, and for a name that is no command.
     */
    public static Optional<Class<?>> command(String name) {
        for (Class<?> command : TwinflowCommand.class.getAnnotation(CommandLine.Command.class).subcommands()) {
            CommandLine.Command annotation = command.getAnnotation(CommandLine.Command.class);
            if (command == CommandLine.HelpCommand.class || command == CompletionCommand.class || annotation == null) {
                continue;
            }
            if (annotation.name().equals(name) || Arrays.asList(annotation.aliases()).contains(name)) {
                return Optional.of(command);
            }
        }
        return Optional.empty();
    }
}
