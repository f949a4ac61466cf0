package io.twinflow.local.batch;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.twinflow.core.pipeline.PipelineSpec;
import io.twinflow.core.settings.FunctionEnvironment;
import io.twinflow.core.settings.RollupArguments;
import io.twinflow.emulators.Watchdog;
import io.twinflow.functions.FunctionSettings;
import io.twinflow.local.config.Endpoints;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Runs the Glue {@code daily-rollup} job ({@code io.twinflow.glue.DailyRollupJob}) in Spark local mode, in a
 * JVM of its own: Spark's classpath cannot share one with the emulators, and Glue too runs the job apart.
 * The classpath and Spark's JVM options come from {@code glue-scripts/target/glue-local.args}, which that
 * module's build writes; s3a is pointed at the local S3 and the summaries at the local PostgreSQL.
 *
 * <p>The job prints one JSON line per day it rolled up, its report, on stdout; everything else it says
 * (Spark's logging) goes to a log file. A run for a date rolls up that day; a scheduled run
 * ({@link #runScheduled}) is started as the deployed schedule starts the Glue job, with its scheduled
 * time instead of a date, and also rolls up the earlier days the loader requested (late events). Interrupting
 * the caller stops the child, so no Spark JVM outlives the stack.
 */
public final class RollupLauncher {

    /** The job's main class, in the -glue jar named by the args file. */
    public static final String MAIN_CLASS = "io.twinflow.glue.DailyRollupJob";
    /** Overrides where the args file is looked for (tests point it at the module's target directory). */
    public static final String ARGS_PROPERTY = "twinflow.glue.args";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ARGS_FILE = "glue-scripts/target/glue-local.args";

    private final Path argsFile;

    public RollupLauncher(Path argsFile) {
        this.argsFile = argsFile;
    }

    /**
     * What one run did; {@code report} is the job's JSON line for {@code date}, absent when it failed before
     * printing it; {@code requestedDays} the reports of the earlier days a scheduled run rolled up first.
     */
    public record Result(LocalDate date, int exitCode, Duration elapsed, Optional<Map<String, Object>> report, Path log,
                         List<Map<String, Object>> requestedDays) {

        public Result(LocalDate date, int exitCode, Duration elapsed, Optional<Map<String, Object>> report, Path log) {
            this(date, exitCode, elapsed, report, log, List.of());
        }

        public boolean succeeded() {
            return exitCode == 0 && report.isPresent();
        }

        /** The report plus how the run went, for summaries. */
        public Map<String, Object> toMap() {
            Map<String, Object> map = new LinkedHashMap<>();
            report.ifPresent(map::putAll);
            map.put("date", date.toString());
            map.put("exitCode", exitCode);
            map.put("wallMs", elapsed.toMillis());
            if (!requestedDays.isEmpty()) {
                map.put("requestedDays", requestedDays);
            }
            if (!succeeded()) {
                map.put("log", log.toString());
            }
            return map;
        }
    }

    /**
     * Finds the args file: the {@value #ARGS_PROPERTY} system property, else under {@code $TWINFLOW_HOME} or
     * the current directory and its parents (the CLI may run from {@code cli/}).
     */
    public static Optional<RollupLauncher> locate() {
        String property = System.getProperty(ARGS_PROPERTY);
        if (property != null && !property.isBlank()) {
            Path file = Path.of(property);
            return Files.isRegularFile(file) ? Optional.of(new RollupLauncher(file)) : Optional.empty();
        }
        List<Path> roots = new ArrayList<>();
        String home = System.getenv(Endpoints.HOME_VARIABLE);
        if (home != null && !home.isBlank()) {
            roots.add(Path.of(home));
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            roots.add(dir);
        }
        return roots.stream().map(r -> r.resolve(ARGS_FILE)).filter(Files::isRegularFile).findFirst().map(RollupLauncher::new);
    }

    /** The args file is missing: how to get it. */
    public static String missingMessage() {
        return "the rollup job is not built (" + ARGS_FILE + " is missing): run "
                + "`mvn -q -pl glue-scripts -am package -DskipTests` at the repository root (./twinflow does it for you)";
    }

    public Path argsFile() {
        return argsFile;
    }

    /** The child's command line: JVM options, then the job's arguments ({@code JobArguments} in glue-scripts). */
    List<String> command(LocalDate day, Endpoints endpoints, PipelineSpec spec) {
        return command(List.of(RollupArguments.DATE, day.toString()), endpoints, spec);
    }

    /** A scheduled run's command line: the schedule's time instead of a date, as the deployed schedule passes it. */
    List<String> scheduledCommand(Instant scheduledTime, Endpoints endpoints, PipelineSpec spec) {
        return command(List.of(RollupArguments.SCHEDULED_TIME, scheduledTime.toString()), endpoints, spec);
    }

    private List<String> command(List<String> dayArguments, Endpoints endpoints, PipelineSpec spec) {
        FunctionSettings stream = FunctionSettings.fromEnvironment(Map.of(FunctionEnvironment.PREFIX, spec.prefix()));
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "@" + argsFile.toAbsolutePath(),
                // The job's own heap: Spark spills to disk beyond it, and the laptop is shared with the stack.
                "-Xmx1g",
                "-Dspark.driver.bindAddress=127.0.0.1",
                "-Dspark.driver.host=127.0.0.1",
                "-Dspark.ui.enabled=false",
                "-Dspark.hadoop.fs.s3a.endpoint=" + endpoints.s3(),
                "-Dspark.hadoop.fs.s3a.endpoint.region=" + endpoints.region(),
                "-Dspark.hadoop.fs.s3a.path.style.access=true",
                "-Dspark.hadoop.fs.s3a.connection.ssl.enabled=false",
                "-Dspark.hadoop.fs.s3a.aws.credentials.provider=org.apache.hadoop.fs.s3a.SimpleAWSCredentialsProvider",
                "-Dspark.hadoop.fs.s3a.access.key=" + endpoints.credentials().accessKeyId(),
                "-Dspark.hadoop.fs.s3a.secret.key=" + endpoints.credentials().secretAccessKey(),
                MAIN_CLASS));
        command.addAll(dayArguments);
        command.addAll(List.of(
                RollupArguments.RAW_URI, "s3a://" + spec.buckets().raw() + "/" + spec.buckets().rawPrefix(),
                RollupArguments.CURATED_URI, "s3a://" + spec.buckets().curated() + "/" + spec.buckets().curatedPrefix(),
                RollupArguments.LATENESS, spec.schedules().rollupLateness().toString()));
        // The stream processor's limits and windows, from the same settings class: one verdict per record.
        RollupArguments.decoderLimitArguments(stream.decoderLimits()).forEach((name, value) -> command.addAll(List.of(name, value)));
        command.addAll(List.of(
                RollupArguments.WINDOW, stream.windows().size().toString(),
                RollupArguments.WAREHOUSE, RollupArguments.WAREHOUSE_JDBC,
                RollupArguments.WAREHOUSE_JDBC_URL, endpoints.postgres().jdbcUrl(),
                RollupArguments.WAREHOUSE_USER, endpoints.postgres().user(),
                RollupArguments.WAREHOUSE_PASSWORD, endpoints.postgres().password(),
                RollupArguments.WAREHOUSE_SCHEMA, spec.warehouse().schema()));
        return List.copyOf(command);
    }

    /**
     * Runs the job for one event-time day and waits for it.
     *
     * @param log where the child's stderr (Spark's logging) is appended
     */
    public Result run(LocalDate day, Endpoints endpoints, PipelineSpec spec, Path log) throws InterruptedException {
        return run(day, command(day, endpoints, spec), log);
    }

    /**
     * Runs the job as the schedule fired at {@code scheduledTime} runs it: its day is the one
     * {@code spec.schedules().rollupDay(scheduledTime)} names, after the earlier days with rollup requests.
     */
    public Result runScheduled(Instant scheduledTime, Endpoints endpoints, PipelineSpec spec, Path log) throws InterruptedException {
        return run(spec.schedules().rollupDay(scheduledTime), scheduledCommand(scheduledTime, endpoints, spec), log);
    }

    private Result run(LocalDate day, List<String> command, Path log) throws InterruptedException {
        long started = System.nanoTime();
        Process process = null;
        Path stdout = null;
        // Should this JVM be killed outright, the Spark JVM is stopped and its output file removed all the same.
        Watchdog watchdog = Watchdog.start();
        try {
            Files.createDirectories(log.toAbsolutePath().getParent());
            // stdout to a file rather than a pipe: waiting on the process is interruptible, reading a pipe is not.
            stdout = Files.createTempFile("twinflow-rollup-", ".out");
            watchdog.remove(stdout);
            process = new ProcessBuilder(command)
                    .redirectOutput(stdout.toFile())
                    .redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .start();
            watchdog.stopProcess(process.pid());
            int exit = process.waitFor();
            return result(day, exit, Duration.ofNanos(System.nanoTime() - started), Files.readAllLines(stdout, StandardCharsets.UTF_8), log);
        } catch (IOException e) {
            throw new UncheckedIOException("running the rollup JVM failed", e);
        } finally {
            if (process != null && process.isAlive()) {
                // Interrupted: Spark's non-daemon threads would keep the child alive on its own.
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
            if (stdout != null) {
                try {
                    Files.deleteIfExists(stdout);
                } catch (IOException e) {
                    // a temp file left behind is harmless
                }
            }
            watchdog.dismiss();
        }
    }

    /**
     * The result from the job's output: the run's own day is rolled up last, so its report is the line for
     * {@code day}; the report lines before it are the requested earlier days of a scheduled run.
     */
    static Result result(LocalDate day, int exitCode, Duration elapsed, List<String> stdout, Path log) {
        List<Map<String, Object>> reports = new ArrayList<>();
        for (String line : stdout) {
            reportLine(line).ifPresent(reports::add);
        }
        Map<String, Object> own = reports.isEmpty() || !day.toString().equals(reports.get(reports.size() - 1).get("date"))
                ? null : reports.remove(reports.size() - 1);
        return new Result(day, exitCode, elapsed, Optional.ofNullable(own), log, List.copyOf(reports));
    }

    /** The job's report line: a JSON object naming the job. Spark prints nothing else on stdout, but be sure. */
    @SuppressWarnings("unchecked")
    static Optional<Map<String, Object>> reportLine(String line) {
        String trimmed = line.trim();
        if (!trimmed.startsWith("{")) {
            return Optional.empty();
        }
        try {
            Map<String, Object> map = JSON.readValue(trimmed, LinkedHashMap.class);
            return "daily-rollup".equals(map.get("job")) ? Optional.of(map) : Optional.empty();
        } catch (IOException notJson) {
            return Optional.empty();
        }
    }
}
