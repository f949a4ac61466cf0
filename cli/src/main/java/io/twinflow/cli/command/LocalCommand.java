package io.twinflow.cli.command;

import io.twinflow.core.error.UserMistakeException;
import io.twinflow.core.pipeline.PipelineSpec;
import io.twinflow.dashboard.Dashboard;
import io.twinflow.dashboard.DashboardServer;
import io.twinflow.emulators.EmulatorStartException;
import io.twinflow.local.config.Endpoints;
import io.twinflow.local.config.ServiceClients;
import io.twinflow.local.runtime.EmbeddedRuntime;
import io.twinflow.local.runtime.ExternalKafka;
import io.twinflow.local.runtime.StackServices;
import io.twinflow.local.runtime.StreamSource;
import io.twinflow.warehouse.Warehouse;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.function.Supplier;
import picocli.CommandLine;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

@CommandLine.Command(name = "local", mixinStandardHelpOptions = true,
        description = "The embedded local stack (no Docker).",
        subcommands = {LocalCommand.Up.class, LocalStatusCommand.class, LocalDownCommand.class})
public final class LocalCommand extends CommandGroup {

    @CommandLine.Command(name = "up", mixinStandardHelpOptions = true,
            description = {"Starts Kinesis (kinesalite), DynamoDB (dynalite), S3, SQS and PostgreSQL on loopback (or, with "
                    + "--target localstack, uses a container's Kinesis, DynamoDB, S3 and SQS), creates the pipeline's resources "
                    + "where missing, runs the stream-processor under event-source-mapping semantics and the "
                    + "archiver, migrates the warehouse schema on PostgreSQL, fires the batch loader and the daily rollup "
                    + "from the pipeline's EventBridge cron expressions (UTC), serves the dashboard on loopback (port "
                    + Dashboard.DEFAULT_PORT + ", or any free one when that is taken), writes .twinflow/endpoints.json and stays "
                    + "up until Ctrl-C or SIGTERM.",
                    "Logs: .twinflow/logs/stream-processor.log, batch.log (scheduled runs), rollup.log (the Spark JVM)."})
    static final class Up implements Callable<Integer> {

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @CommandLine.Option(names = "--prefix", converter = PrefixConverter.class,
                description = "Resource name prefix. Default: $TWINFLOW_PREFIX, else " + PipelineSpec.DEFAULT_PREFIX + ".")
        String prefix;

        @CommandLine.Option(names = "--data-dir", paramLabel = "DIR",
                description = "Keep streams, tables, buckets, the warehouse and the stream consumers' positions under DIR, "
                        + "and resume from there on the next start with the same DIR. Default: in memory, gone on stop.")
        Path dataDir;

        @CommandLine.Option(names = "--target", paramLabel = "local|localstack",
                description = "local: the embedded emulators; localstack: the Kinesis, DynamoDB, S3 and SQS of a LocalStack or "
                        + "Floci container at --endpoint-url (the resources are created where missing), with the embedded "
                        + "PostgreSQL as the warehouse. Default: ${DEFAULT-VALUE}.")
        TargetOptions.Target target = TargetOptions.Target.local;

        @CommandLine.Option(names = "--endpoint-url", paramLabel = "URL",
                description = "The container's edge endpoint (with --target localstack). Default: http://localhost:4566.")
        URI endpointUrl;

        @CommandLine.Option(names = "--region",
                description = "The container's region (with --target localstack). Default: $AWS_REGION, else us-east-1.")
        String region;

        /** Where --prefix and --region take their defaults from; tests give their own variables. */
        CliEnvironment environment = CliEnvironment.system();

        @CommandLine.Option(names = "--source", paramLabel = "kafka|kinesis|both",
                description = "The stream feeding the stream-processor: kinesis (the Kinesis emulator), kafka (Apache Kafka's own "
                        + "broker in KRaft mode, in a JVM of its own: Amazon MSK's stand-in) or both at once. Default: kinesis.")
        String source = StreamSource.KINESIS.cliName();

        @CommandLine.Option(names = "--kafka-bootstrap", paramLabel = "HOST:PORT",
                description = "With --source kafka|both: stream through the Kafka broker listening there (e.g. the one in "
                        + "localstack/docker-compose.yml, localhost:9092) instead of starting one; the topic is created where "
                        + "missing and the broker keeps running when the stack stops. Default: a broker of the stack's own.")
        String kafkaBootstrap;

        @Override
        public Integer call() throws Exception {
            StreamSource streams = StreamSource.parse(source);
            Optional<ExternalKafka> externalKafka = externalKafka(streams);
            Supplier<StackServices> base = placement();
            Supplier<StackServices> placement = externalKafka.<Supplier<StackServices>>map(broker -> () -> base.get().withKafka(broker))
                    .orElse(base);
            Path file = Endpoints.defaultFile();
            Optional<Endpoints> running = TargetOptions.running(file);
            if (running.isPresent()) {
                throw new UserMistakeException("a local stack is already running (pid " + running.get().pid()
                        + ", " + file + "); stop it first");
            }
            try (LocalStack stack = startStack(file, placement, streams)) {
                Endpoints e = stack.endpoints();
                System.err.printf("twinflow local stack up in %.1f s (pid %d)%n",
                        stack.runtime().startupTime().toMillis() / 1000.0, e.pid());
                System.err.printf("  kinesis   %s  stream %s (%d shards)%n", e.kinesis(), e.resources().stream(), e.resources().shardCount());
                System.err.printf("  dynamodb  %s  tables %s%n", e.dynamodb(), String.join(", ", e.resources().tables().values()));
                System.err.printf("  s3        %s  buckets %s%n", e.s3(), String.join(", ", e.resources().buckets().values()));
                System.err.printf("  sqs       %s  queues %s%n", e.sqs(), String.join(", ", e.resources().queues().values()));
                if (e.kafka() != null) {
                    String where = stack.runtime().embeddedKafka().map(own -> "broker log " + own.directory().resolve("broker.log"))
                            .orElse("an external broker, left running on stop");
                    System.err.printf("  kafka     %s  topic %s (%d partitions; %s)%n", e.kafka().bootstrapServers(),
                            e.kafka().topic(), e.resources().shardCount(), where);
                }
                System.err.printf("  postgres  %s (user %s, password %s)%n", e.postgres().jdbcUrl(), e.postgres().user(), e.postgres().password());
                System.err.printf("  api       %s  live API: /v1/devices, /v1/devices/{deviceId}[/windows], /v1/alerts%n", e.api());
                PipelineSpec.Schedules schedules = stack.runtime().spec().schedules();
                System.err.printf("  schedules (UTC) loader %s, rollup %s of the day before; log .twinflow/logs/batch.log%n",
                        schedules.loader(), schedules.rollup());
                System.err.printf("  dashboard %s%n", e.dashboard());
                if (e.dataDir() != null) {
                    System.err.printf("  data      %s (kept; the next start with it resumes there)%n", e.dataDir());
                }
                System.err.printf("  region %s; endpoints written to %s%nPress Ctrl-C to stop.%n", e.region(), file);
                System.out.println(e.toJson());
                System.out.flush();
                stack.awaitShutdown();
            }
            return 0;
        }

        /** The stack, or one line on what kept it from starting and how to fix that. */
        private LocalStack startStack(Path file, Supplier<StackServices> placement, StreamSource streams) throws IOException {
            try {
                return LocalStack.start(PipelineSpec.withPrefix(environment.prefix(prefix)), file, placement, streams);
            } catch (EmulatorStartException e) {
                StringBuilder line = new StringBuilder(e.getMessage());
                for (Throwable cause = e.getCause(); cause instanceof EmulatorStartException; cause = cause.getCause()) {
                    line.append(": ").append(cause.getMessage());
                }
                throw new UserMistakeException(line.toString(), e);
            } catch (SdkClientException e) {
                if (target != TargetOptions.Target.localstack) {
                    throw e;
                }
                Throwable root = e;
                while (root.getCause() != null) {
                    root = root.getCause();
                }
                throw new UserMistakeException("cannot reach the container at "
                        + (endpointUrl != null ? endpointUrl : TargetOptions.DEFAULT_EDGE) + " (" + root.getMessage()
                        + "): start LocalStack or Floci (localstack/docker-compose.yml) or pass its --endpoint-url", e);
            }
        }

        /** The broker {@code --kafka-bootstrap} names: only a stack on Kafka streams through one. */
        private Optional<ExternalKafka> externalKafka(StreamSource streams) {
            if (kafkaBootstrap == null) {
                return Optional.empty();
            }
            if (!streams.kafka()) {
                throw new UserMistakeException("--kafka-bootstrap names the broker of a stack on Kafka: add --source kafka or --source both");
            }
            return Optional.of(ExternalKafka.at(kafkaBootstrap));
        }

        private Supplier<StackServices> placement() {
            Optional<Path> kept = Optional.ofNullable(dataDir).map(dir -> dir.toAbsolutePath().normalize());
            return switch (target) {
                case local -> {
                    if (endpointUrl != null || region != null) {
                        throw new CommandLine.ParameterException(spec.commandLine(),
                                "--endpoint-url and --region go with --target localstack; the embedded stack picks its own ports");
                    }
                    yield () -> StackServices.embedded(kept);
                }
                case localstack -> {
                    URI edge = endpointUrl != null ? endpointUrl : TargetOptions.DEFAULT_EDGE;
                    Region r = Region.of(environment.region(region).orElse(TargetOptions.DEFAULT_CONTAINER_REGION));
                    yield () -> StackServices.container(edge, r, kept);
                }
                case aws -> throw new CommandLine.ParameterException(spec.commandLine(),
                        "local up runs a local stack: --target local or localstack (deploy to AWS with cdk deploy)");
            };
        }
    }

    /**
     * A runtime plus its endpoints file, stopped by a JVM shutdown hook (Ctrl-C, SIGTERM) or by close,
     * whichever comes first.
     */
    static final class LocalStack implements AutoCloseable {
        private final EmbeddedRuntime runtime;
        private final DynamoDbClient dashboardReads;
        private final DashboardServer dashboard;
        private final Path endpointsFile;
        private final PrintStream functionLog;
        private final PrintStream batchLog;
        private final CountDownLatch stopped = new CountDownLatch(1);
        private final Thread hook;
        private boolean closed;

        private LocalStack(EmbeddedRuntime runtime, DynamoDbClient dashboardReads, DashboardServer dashboard, Path endpointsFile,
                           PrintStream functionLog, PrintStream batchLog) {
            this.runtime = runtime;
            this.dashboardReads = dashboardReads;
            this.dashboard = dashboard;
            this.endpointsFile = endpointsFile;
            this.functionLog = functionLog;
            this.batchLog = batchLog;
            this.hook = new Thread(this::stop, "twinflow-shutdown");
        }

        static LocalStack start(PipelineSpec spec, Path endpointsFile, Supplier<StackServices> placement, StreamSource source)
                throws IOException {
            Path logs = endpointsFile.getParent().resolve("logs");
            Files.createDirectories(logs);
            PrintStream functionLog = new PrintStream(new FileOutputStream(logs.resolve("stream-processor.log").toFile(), true),
                    true, StandardCharsets.UTF_8);
            PrintStream batchLog = new PrintStream(new FileOutputStream(logs.resolve("batch.log").toFile(), true),
                    true, StandardCharsets.UTF_8);
            EmbeddedRuntime runtime;
            try {
                runtime = EmbeddedRuntime.start(spec, functionLog, placement, source);
            } catch (RuntimeException | Error e) {
                functionLog.close();
                batchLog.close();
                throw e;
            }
            DynamoDbClient dashboardReads = ServiceClients.local(runtime.endpoints()).dynamoDb();
            DashboardServer dashboard;
            try {
                dashboard = startDashboard(runtime, dashboardReads);
            } catch (RuntimeException | Error e) {
                dashboardReads.close();
                runtime.close();
                functionLog.close();
                batchLog.close();
                throw e;
            }
            LocalStack stack = new LocalStack(runtime, dashboardReads, dashboard, endpointsFile, functionLog, batchLog);
            runtime.startSchedules(batchLog, logs.resolve("rollup.log"));
            Runtime.getRuntime().addShutdownHook(stack.hook);
            stack.endpoints().write(endpointsFile);
            return stack;
        }

        /** On the dashboard's usual port, so that its address stays the same; on any free one when that is taken. */
        private static DashboardServer startDashboard(EmbeddedRuntime runtime, DynamoDbClient dynamoDb) {
            Optional<Warehouse> warehouse = Optional.of(runtime.batch().warehouse());
            try {
                return Dashboard.start(runtime.spec(), dynamoDb, warehouse, "", Dashboard.DEFAULT_PORT, "local", true, Endpoints.stateDir());
            } catch (UserMistakeException portTaken) {
                return Dashboard.start(runtime.spec(), dynamoDb, warehouse, "", 0, "local", true, Endpoints.stateDir());
            }
        }

        /** The runtime's endpoints plus the dashboard's address: what endpoints.json holds. */
        Endpoints endpoints() {
            return runtime.endpoints().withDashboard(dashboard.url().toString());
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
            dashboard.close();
            dashboardReads.close();
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
