package io.twinflow.cli.command;

import io.twinflow.cli.config.Endpoints;
import io.twinflow.cli.runtime.EmbeddedRuntime;
import io.twinflow.core.pipeline.PipelineSpec;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;

@CommandLine.Command(name = "local", mixinStandardHelpOptions = true,
        description = "The embedded local stack (no Docker).",
        subcommands = {LocalCommand.Up.class})
public final class LocalCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    @CommandLine.Command(name = "up", mixinStandardHelpOptions = true,
            description = {"Starts Kinesis (kinesalite), DynamoDB (dynalite), S3, SQS and PostgreSQL on loopback, creates "
                    + "the pipeline's resources, runs the stream-processor under event-source-mapping semantics and the "
                    + "archiver, migrates the warehouse schema on PostgreSQL, fires the batch loader and the daily rollup "
                    + "from the pipeline's EventBridge cron expressions (UTC), writes .twinflow/endpoints.json and stays "
                    + "up until Ctrl-C or SIGTERM.",
                    "Logs: .twinflow/logs/stream-processor.log, batch.log (scheduled runs), rollup.log (the Spark JVM)."})
    static final class Up implements Callable<Integer> {

        @CommandLine.Option(names = "--prefix", description = "Resource name prefix. Default: ${DEFAULT-VALUE}.")
        String prefix = PipelineSpec.DEFAULT_PREFIX;

        @Override
        public Integer call() throws Exception {
            Path file = Endpoints.defaultFile();
            Optional<Endpoints> running = Endpoints.running(file);
            if (running.isPresent()) {
                throw new IllegalStateException("a local stack is already running (pid " + running.get().pid()
                        + ", " + file + "); stop it first");
            }
            try (LocalStack stack = LocalStack.start(PipelineSpec.withPrefix(prefix), file)) {
                Endpoints e = stack.runtime().endpoints();
                System.err.printf("twinflow local stack up in %.1f s (pid %d)%n",
                        stack.runtime().startupTime().toMillis() / 1000.0, e.pid());
                System.err.printf("  kinesis   %s  stream %s (%d shards)%n", e.kinesis(), e.resources().stream(), e.resources().shardCount());
                System.err.printf("  dynamodb  %s  tables %s%n", e.dynamodb(), String.join(", ", e.resources().tables().values()));
                System.err.printf("  s3        %s  buckets %s%n", e.s3(), String.join(", ", e.resources().buckets().values()));
                System.err.printf("  sqs       %s  queues %s%n", e.sqs(), String.join(", ", e.resources().queues().values()));
                System.err.printf("  postgres  %s (user %s, password %s)%n", e.postgres().jdbcUrl(), e.postgres().user(), e.postgres().password());
                PipelineSpec.Schedules schedules = stack.runtime().spec().schedules();
                System.err.printf("  schedules (UTC) loader %s, rollup %s of the day before; log .twinflow/logs/batch.log%n",
                        schedules.loader(), schedules.rollup());
                System.err.printf("  region %s; endpoints written to %s%nPress Ctrl-C to stop.%n", e.region(), file);
                System.out.println(e.toJson());
                System.out.flush();
                stack.awaitShutdown();
            }
            return 0;
        }
    }

    /**
     * A runtime plus its endpoints file, stopped by a JVM shutdown hook (Ctrl-C, SIGTERM) or by close,
     * whichever comes first.
     */
    static final class LocalStack implements AutoCloseable {
        private final EmbeddedRuntime runtime;
        private final Path endpointsFile;
        private final PrintStream functionLog;
        private final PrintStream batchLog;
        private final CountDownLatch stopped = new CountDownLatch(1);
        private final Thread hook;
        private boolean closed;

        private LocalStack(EmbeddedRuntime runtime, Path endpointsFile, PrintStream functionLog, PrintStream batchLog) {
            this.runtime = runtime;
            this.endpointsFile = endpointsFile;
            this.functionLog = functionLog;
            this.batchLog = batchLog;
            this.hook = new Thread(this::stop, "twinflow-shutdown");
        }

        static LocalStack start(PipelineSpec spec, Path endpointsFile) throws IOException {
            Path logs = endpointsFile.getParent().resolve("logs");
            Files.createDirectories(logs);
            PrintStream functionLog = new PrintStream(new FileOutputStream(logs.resolve("stream-processor.log").toFile(), true),
                    true, StandardCharsets.UTF_8);
            PrintStream batchLog = new PrintStream(new FileOutputStream(logs.resolve("batch.log").toFile(), true),
                    true, StandardCharsets.UTF_8);
            EmbeddedRuntime runtime;
            try {
                runtime = EmbeddedRuntime.start(spec, functionLog);
            } catch (RuntimeException | Error e) {
                functionLog.close();
                batchLog.close();
                throw e;
            }
            LocalStack stack = new LocalStack(runtime, endpointsFile, functionLog, batchLog);
            runtime.startSchedules(batchLog, logs.resolve("rollup.log"));
            Runtime.getRuntime().addShutdownHook(stack.hook);
            runtime.endpoints().write(endpointsFile);
            return stack;
        }

        EmbeddedRuntime runtime() {
            return runtime;
        }

        void awaitShutdown() throws InterruptedException {
            stopped.await();
        }

        private synchronized void stop() {
            if (closed) {
                return;
            }
            closed = true;
            try {
                Files.deleteIfExists(endpointsFile);
            } catch (IOException e) {
                System.err.println("twinflow: could not delete " + endpointsFile + ": " + e.getMessage());
            }
            runtime.close();
            functionLog.close();
            batchLog.close();
            stopped.countDown();
        }

        @Override
        public void close() {
            stop();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running or has run: nothing left to remove
            }
        }
    }
}
