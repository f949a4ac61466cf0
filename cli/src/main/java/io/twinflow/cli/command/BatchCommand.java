package io.twinflow.cli.command;

import io.twinflow.cli.progress.StatusLine;
import io.twinflow.cli.query.ResultFormat;
import io.twinflow.core.error.UserMistakeException;
import io.twinflow.core.settings.RollupArguments;
import io.twinflow.functions.batch.LoaderReport;
import io.twinflow.local.batch.DayRange;
import io.twinflow.local.batch.LocalBatch;
import io.twinflow.local.batch.RollupLauncher;
import io.twinflow.local.config.Endpoints;
import io.twinflow.local.config.ServiceClients;
import io.twinflow.warehouse.QueryResult;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;
import picocli.CommandLine;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.glue.GlueClient;
import software.amazon.awssdk.services.glue.model.JobRun;
import software.amazon.awssdk.services.glue.model.JobRunState;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.InvocationType;
import software.amazon.awssdk.services.lambda.model.InvokeResponse;

@CommandLine.Command(name = "batch", mixinStandardHelpOptions = true,
        description = "The batch path's jobs, run now instead of at their scheduled time.",
        subcommands = {BatchCommand.Run.class})
public final class BatchCommand extends CommandGroup {

    public enum Job { loader, rollup }

    @CommandLine.Command(name = "run", mixinStandardHelpOptions = true,
            description = {"Runs the loader (new raw objects -> telemetry.events) or the daily rollup (one event-time day -> "
                    + "curated Parquet + daily/hourly summaries) now, and prints its report JSON on stdout; progress on stderr.",
                    "Local stack (default): the loader in-process on PostgreSQL, the rollup as a Spark local-mode JVM "
                            + "(its log: .twinflow/logs/rollup.log). --target aws: invokes the deployed batch-loader Lambda, "
                            + "or starts a run of the Glue job and polls it to the end.",
                    "--from D --to D (a backfill): the job for each day of the range in turn, oldest first, each day's result "
                            + "one row of a table (or one element of a JSON array with --output json); stops at the first day that "
                            + "fails. Safe to re-run: the loader skips what its load log holds, a rollup replaces its day.",
                    "--output: table (default for a range; a row per day, the report's scalar fields as columns), json (default for "
                            + "one run: its report; for a range, an array of them), csv (the table's rows).",
                    "Exit code 1 when the job failed (a loader object failed, the rollup did not succeed)."})
    static final class Run implements Callable<Integer> {

        private static final Set<JobRunState> GLUE_DONE = Set.of(JobRunState.SUCCEEDED, JobRunState.FAILED, JobRunState.ERROR,
                JobRunState.TIMEOUT, JobRunState.STOPPED, JobRunState.EXPIRED);

        @CommandLine.Mixin
        TargetOptions target = new TargetOptions();

        @CommandLine.Option(names = "--job", required = true, paramLabel = "loader|rollup", description = "Which job.")
        Job job;

        @CommandLine.Option(names = "--date", converter = DayConverter.class, paramLabel = "D", description = {
                "rollup: the UTC event-time day to roll up. Default: today (the schedule rolls up yesterday at its fire time).",
                "loader (local only): load only objects that arrived that day (raw/dt=D/). Default: the loader's lookback window."})
        LocalDate date;

        @CommandLine.Option(names = "--from", converter = DayConverter.class, paramLabel = "D",
                description = "First UTC day of a backfill range (with --to; at most " + DayRange.MAX_DAYS + " days).")
        LocalDate from;

        @CommandLine.Option(names = "--to", converter = DayConverter.class, paramLabel = "D",
                description = "Last UTC day of a backfill range, included.")
        LocalDate to;

        @CommandLine.Mixin
        OutputOptions output = new OutputOptions();

        @CommandLine.Option(names = "--poll", paramLabel = "DURATION", converter = DurationConverter.class,
                description = "How often a Glue job run is polled (--target aws). Default: 10s.")
        Duration poll = Duration.ofSeconds(10);

        @Override
        public Integer call() throws Exception {
            Optional<DayRange> range = range();
            // The days to run, one report each; empty: the loader's own lookback window (one report).
            List<Optional<LocalDate>> days = range.map(r -> r.days().stream().map(Optional::of).toList())
                    .orElseGet(() -> List.of(Optional.ofNullable(date)));
            ServiceClients clients = target.clients();
            if (clients.localEndpoints().isEmpty() && job == Job.loader && (date != null || range.isPresent())) {
                throw new UserMistakeException("--date and --from/--to are for the local loader only: the deployed loader always works "
                        + "from its load log and lookback; leave them out");
            }
            List<Map<String, Object>> reports = new ArrayList<>();
            boolean ok = true;
            // try-with-resources skips a null resource: the stack's batch path is only connected for a local target.
            try (LocalBatch batch = clients.localEndpoints().map(LocalBatch::connect).orElse(null)) {
                for (Optional<LocalDate> day : days) {
                    Map<String, Object> report;
                    if (batch != null && job == Job.loader) {
                        LoaderReport r = loadLocally(batch, day);
                        report = new LinkedHashMap<>();
                        day.ifPresent(d -> report.put("date", d.toString()));
                        report.putAll(r.toMap());
                        ok = r.failedKeys().isEmpty();
                    } else if (batch != null) {
                        RollupLauncher.Result r = rollupLocally(batch, day.orElseGet(Run::today));
                        report = r.toMap();
                        ok = r.succeeded();
                    } else if (job == Job.loader) {
                        report = invokeLoader(clients);
                        ok = !report.containsKey("functionError");
                    } else {
                        report = runGlueJob(clients, day.orElseGet(Run::today));
                        ok = JobRunState.SUCCEEDED.toString().equals(report.get("state"));
                    }
                    reports.add(report);
                    if (!ok) {
                        break;
                    }
                }
            }
            print(range.isPresent(), reports);
            return ok ? 0 : 1;
        }

        private Optional<DayRange> range() {
            if (from == null && to == null) {
                return Optional.empty();
            }
            if (date != null) {
                throw new UserMistakeException("give either --date D (one day) or --from D --to D (a range), not both");
            }
            return Optional.of(new DayRange(from, to));
        }

        private void print(boolean isRange, List<Map<String, Object>> reports) throws IOException {
            output.print(view(isRange, reports), isRange ? ResultFormat.table : ResultFormat.json);
        }

        private LoaderReport loadLocally(LocalBatch batch, Optional<LocalDate> day) {
            AtomicLong objects = new AtomicLong();
            AtomicLong lines = new AtomicLong();
            AtomicLong failed = new AtomicLong();
            try (StatusLine status = new StatusLine(System.err, "loader")) {
                day.ifPresent(d -> status.set(d + ": listing raw/dt=" + d + "/"));
                return batch.load(day, outcome -> {
                    objects.incrementAndGet();
                    if (outcome.result() != null) {
                        lines.addAndGet(outcome.result().linesRead());
                    } else {
                        failed.incrementAndGet();
                        System.err.printf("%nloader: %s failed: %s%n", outcome.key(), outcome.error());
                    }
                    status.set(String.format("%d objects, %d lines, %d failed  (%s)", objects.get(), lines.get(), failed.get(),
                            outcome.key()));
                });
            }
        }

        private RollupLauncher.Result rollupLocally(LocalBatch batch, LocalDate day) throws InterruptedException {
            try (StatusLine status = new StatusLine(System.err, "rollup")) {
                status.set(day + " in a Spark local-mode JVM");
                RollupLauncher.Result result = batch.rollup(List.of(day), Endpoints.stateDir().resolve("logs").resolve("rollup.log")).get(0);
                status.set(day + (result.succeeded() ? " done" : " FAILED, see " + result.log()));
                return result;
            }
        }

        private Map<String, Object> invokeLoader(ServiceClients clients) {
            String function = clients.spec().functions().batchLoader();
            try (LambdaClient lambda = clients.lambda(); StatusLine status = new StatusLine(System.err, "loader")) {
                status.set("invoking " + function);
                // The deployed loader ignores its input and works from the load log, as on its schedule.
                InvokeResponse response = lambda.invoke(b -> b.functionName(function).invocationType(InvocationType.REQUEST_RESPONSE)
                        .payload(SdkBytes.fromString("{}", StandardCharsets.UTF_8)));
                Map<String, Object> report = new LinkedHashMap<>();
                report.put("function", function);
                report.put("statusCode", response.statusCode());
                String payload = response.payload() == null ? "" : response.payload().asUtf8String();
                try {
                    report.put("response", JsonOutput.MAPPER.readValue(payload, Object.class));
                } catch (IOException notJson) {
                    report.put("response", payload);
                }
                if (response.functionError() != null) {
                    report.put("functionError", response.functionError());
                }
                status.set(function + (response.functionError() == null ? " done" : " FAILED: " + response.functionError()));
                return report;
            }
        }

        private Map<String, Object> runGlueJob(ServiceClients clients, LocalDate day) throws InterruptedException {
            String jobName = clients.spec().functions().rollupJob();
            try (GlueClient glue = clients.glue(); StatusLine status = new StatusLine(System.err, "rollup")) {
                String runId = glue.startJobRun(b -> b.jobName(jobName).arguments(Map.of(RollupArguments.DATE, day.toString()))).jobRunId();
                JobRun run;
                while (true) {
                    run = glue.getJobRun(b -> b.jobName(jobName).runId(runId)).jobRun();
                    status.set(String.format("%s %s %s", jobName, runId, run.jobRunState()));
                    if (GLUE_DONE.contains(run.jobRunState())) {
                        break;
                    }
                    Thread.sleep(poll.toMillis());
                }
                Map<String, Object> report = new LinkedHashMap<>();
                report.put("job", jobName);
                report.put("runId", runId);
                report.put("date", day.toString());
                report.put("state", run.jobRunStateAsString());
                report.put("executionTimeS", run.executionTime());
                if (run.errorMessage() != null) {
                    report.put("errorMessage", run.errorMessage());
                }
                return report;
            }
        }

        /** A row per day; the columns are the reports' scalar fields (lists such as failedKeys stay in the JSON). */
        static View view(boolean isRange, List<Map<String, Object>> reports) {
            List<String> columns = new ArrayList<>();
            for (Map<String, Object> report : reports) {
                report.forEach((key, value) -> {
                    if (!(value instanceof Collection || value instanceof Map) && !columns.contains(key)) {
                        columns.add(key);
                    }
                });
            }
            columns.remove("date");
            columns.add(0, "date");
            List<List<Object>> rows = new ArrayList<>();
            for (Map<String, Object> report : reports) {
                List<Object> row = new ArrayList<>();
                columns.forEach(c -> row.add(report.get(c)));
                rows.add(row);
            }
            return View.table(isRange ? reports : reports.get(0), new QueryResult(columns, rows));
        }

        private static LocalDate today() {
            return LocalDate.now(ZoneOffset.UTC);
        }
    }
}
