package io.twinflow.cli.command;

import io.twinflow.core.error.UserMistakeException;
import io.twinflow.local.config.Endpoints;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;

/**
 * {@code twinflow bench}: the end-to-end benchmarks. The measuring code lives in the benchmarks module
 * (it builds on local-runtime, as this CLI does); this command runs it in its own JVM through
 * {@code benchmarks/bench}, which builds it, prints the figures and writes {@code benchmarks/results/NAME.json}.
 * Not in-process: JMH's forks inherit the launching JVM's class path, the figures want a JVM of their own
 * (heap, JIT, logging) running a private copy of freshly built classes, and the CLI would have to depend
 * on the benchmarks module and JMH.
 * The exit code is the script's.
 */
@CommandLine.Command(name = "bench", mixinStandardHelpOptions = true,
        description = {"Run a benchmark on this machine and write benchmarks/results/NAME.json.",
            "Each figure is measured against a baseline in the same run (see benchmarks/README.md)."})
public final class BenchCommand implements Callable<Integer> {

    /** The benchmarks {@code benchmarks/bench} knows. */
    static final List<String> NAMES = List.of("freshness", "write-cost", "stream-cpu", "cold-start", "warehouse-load", "spark-rollup");

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Parameters(index = "0", defaultValue = "freshness", paramLabel = "NAME",
            description = "freshness (default: put -> visible in DynamoDB on the embedded stack, 1,000 records/s for 60 s on 2 shards), "
                    + "write-cost, stream-cpu, cold-start, warehouse-load or spark-rollup.")
    String name;

    @CommandLine.Unmatched
    List<String> options = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        if (!NAMES.contains(name)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "unknown benchmark '" + name + "'; one of " + NAMES);
        }
        Path script = home().resolve("benchmarks").resolve("bench");
        if (!Files.isExecutable(script)) {
            throw new UserMistakeException(script + " is missing: run twinflow from a checkout of the repository");
        }
        return new ProcessBuilder(commandLine(script, name, options)).inheritIO().start().waitFor();
    }

    static List<String> commandLine(Path script, String name, List<String> options) {
        List<String> command = new ArrayList<>();
        command.add(script.toString());
        command.add(name);
        command.addAll(options);
        return command;
    }

    private static Path home() {
        String home = System.getenv(Endpoints.HOME_VARIABLE);
        return home != null && !home.isBlank() ? Path.of(home) : Path.of("").toAbsolutePath();
    }
}
