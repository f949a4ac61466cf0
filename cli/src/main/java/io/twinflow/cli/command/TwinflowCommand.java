package io.twinflow.cli.command;

import picocli.CommandLine;

@CommandLine.Command(name = "twinflow", mixinStandardHelpOptions = true, version = "twinflow 0.1.0",
        description = "Devices -> Kinesis -> Lambda -> DynamoDB, and S3 -> Glue -> Redshift: run it locally, feed it, query it.",
        subcommands = {LocalCommand.class, SimulateCommand.class, InvokeCommand.class, StateCommand.class,
                MetricsCommand.class, BatchCommand.class, QueryCommand.class, ReconcileCommand.class,
                DashboardCommand.class, DemoCommand.class, TradeoffCommand.class, BenchCommand.class, QuarantineCommand.class,
                ReplayCommand.class, StatusCommand.class, CompletionCommand.class,
                CommandLine.HelpCommand.class})
public final class TwinflowCommand extends CommandGroup {
}
