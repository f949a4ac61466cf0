package io.twinflow.cli.command;

import io.twinflow.local.config.Endpoints;
import io.twinflow.local.config.LocalStackProcess;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;

@CommandLine.Command(name = "status", mixinStandardHelpOptions = true,
        description = {"Says whether a local stack runs (started with `local up`, in this or another terminal): its process, "
                + "start time, target and endpoints, from .twinflow/endpoints.json.",
                "Exit code 1 when none runs (no file, or a file whose process is gone)."})
final class LocalStatusCommand implements Callable<Integer> {

    public enum Output { table, json }

    @CommandLine.Option(names = "--endpoints-file", paramLabel = "FILE",
            description = "The local stack's endpoints file. Default: .twinflow/endpoints.json under $TWINFLOW_HOME or the current directory.")
    Path endpointsFile;

    @CommandLine.Option(names = "--output", paramLabel = "table|json",
            description = "json: {state: running|stale|absent, file, endpoints?} (endpoints as in the file). Default: ${DEFAULT-VALUE}.")
    Output output = Output.table;

    @Override
    public Integer call() throws Exception {
        LocalStackProcess.Status status = LocalStackProcess.status(endpointsFile != null ? endpointsFile : Endpoints.defaultFile());
        boolean running = status.state() == LocalStackProcess.State.RUNNING;
        if (output == Output.json) {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("state", status.state().name().toLowerCase(Locale.ROOT));
            json.put("file", status.file().toString());
            status.endpoints().ifPresent(e -> json.put("endpoints", e));
            JsonOutput.print(json);
            return running ? 0 : 1;
        }
        switch (status.state()) {
            case ABSENT -> System.out.println("no local stack running (" + status.file() + " does not exist); start one with `./twinflow local up`");
            case STALE -> System.out.println("no local stack running: " + status.file() + " names pid " + status.endpoints().orElseThrow().pid()
                    + ", which is gone (`./twinflow local down` deletes the file)");
            default -> {
                Endpoints e = status.endpoints().orElseThrow();
                System.out.println("running: pid " + e.pid() + ", started " + e.startedAt() + ", target " + e.target()
                        + (e.dataDir() != null ? ", data in " + e.dataDir() : ""));
                line("kinesis", e.kinesis());
                line("dynamodb", e.dynamodb());
                line("s3", e.s3());
                line("sqs", e.sqs());
                line("postgres", e.postgres() == null ? null : e.postgres().jdbcUrl());
                line("api", e.api());
                line("dashboard", e.dashboard());
            }
        }
        return running ? 0 : 1;
    }

    private static void line(String name, String value) {
        if (value != null) {
            System.out.printf("  %-10s %s%n", name, value);
        }
    }
}
