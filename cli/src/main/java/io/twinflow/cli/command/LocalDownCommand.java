package io.twinflow.cli.command;

import io.twinflow.local.config.Endpoints;
import io.twinflow.local.config.LocalStackProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine;

@CommandLine.Command(name = "down", mixinStandardHelpOptions = true,
        description = {"Stops the local stack started with `local up` in another terminal, as Ctrl-C there would (SIGTERM to the "
                + "pid in .twinflow/endpoints.json), and waits until it has stopped. A stale endpoints file is deleted.",
                "Exit code 0 also when none was running; 2 when it did not stop within --timeout."})
final class LocalDownCommand implements Callable<Integer> {

    @CommandLine.Option(names = "--endpoints-file", paramLabel = "FILE",
            description = "The local stack's endpoints file. Default: .twinflow/endpoints.json under $TWINFLOW_HOME or the current directory.")
    Path endpointsFile;

    @CommandLine.Option(names = "--timeout", converter = DurationConverter.class, paramLabel = "D",
            description = "How long to wait for the stack to stop. Default: 60s.")
    Duration timeout = Duration.ofSeconds(60);

    @Override
    public Integer call() {
        Path file = endpointsFile != null ? endpointsFile : Endpoints.defaultFile();
        long pid = LocalStackProcess.status(file).endpoints().map(Endpoints::pid).orElse(-1L);
        switch (LocalStackProcess.stop(file, timeout)) {
            case STOPPED -> System.out.println("stopped the local stack (pid " + pid + ")");
            case STALE_FILE_REMOVED -> System.out.println("no local stack was running; deleted the stale " + file + " (pid " + pid + " is gone)");
            default -> System.out.println("no local stack was running (" + file + " does not exist)");
        }
        return 0;
    }
}
