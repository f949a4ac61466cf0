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
                "--output json: {state: running|stale|absent, file, endpoints?} (endpoints as in the file); csv: one row per field "
                        + "(field,value; nested fields as dotted paths, e.g. endpoints.postgres.jdbcUrl).",
                "Exit code 1 when none runs (no file, or a file whose process is gone)."})
final class LocalStatusCommand implements Callable<Integer> {

    @CommandLine.Option(names = "--endpoints-file", paramLabel = "FILE",
            description = "The local stack's endpoints file. Default: .twinflow/endpoints.json under $TWINFLOW_HOME or the current directory.")
    Path endpointsFile;

    @CommandLine.Mixin
    OutputOptions output = new OutputOptions();

    @Override
    public Integer call() throws Exception {
        LocalStackProcess.Status status = LocalStackProcess.status(endpointsFile != null ? endpointsFile : Endpoints.defaultFile());
        output.print(view(status));
        return status.state() == LocalStackProcess.State.RUNNING ? 0 : 1;
    }

    static View view(LocalStackProcess.Status status) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("state", status.state().name().toLowerCase(Locale.ROOT));
        json.put("file", status.file().toString());
        status.endpoints().ifPresent(e -> json.put("endpoints", e));
        StringBuilder text = new StringBuilder();
        switch (status.state()) {
            case ABSENT -> text.append("no local stack running (" + status.file() + " does not exist); start one with `./twinflow local up`")
                    .append(System.lineSeparator());
            case STALE -> text.append("no local stack running: " + status.file() + " names pid " + status.endpoints().orElseThrow().pid()
                    + ", which is gone (`./twinflow local down` deletes the file)").append(System.lineSeparator());
            default -> {
                Endpoints e = status.endpoints().orElseThrow();
                text.append("running: pid " + e.pid() + ", started " + e.startedAt() + ", target " + e.target()
                        + (e.dataDir() != null ? ", data in " + e.dataDir() : "")).append(System.lineSeparator());
                line(text, "kinesis", e.kinesis());
                line(text, "dynamodb", e.dynamodb());
                line(text, "s3", e.s3());
                line(text, "sqs", e.sqs());
                line(text, "postgres", e.postgres() == null ? null : e.postgres().jdbcUrl());
                line(text, "api", e.api());
                line(text, "dashboard", e.dashboard());
            }
        }
        return View.fields(json, text.toString());
    }

    private static void line(StringBuilder text, String name, String value) {
        if (value != null) {
            text.append(String.format("  %-10s %s%n", name, value));
        }
    }
}
