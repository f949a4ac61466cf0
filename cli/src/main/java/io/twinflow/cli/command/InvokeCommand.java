package io.twinflow.cli.command;

import com.amazonaws.services.lambda.runtime.events.KinesisEvent;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.twinflow.cli.query.ResultFormat;
import io.twinflow.core.error.UserMistakeException;
import io.twinflow.core.pipeline.PipelineSpec;
import io.twinflow.functions.FunctionSettings;
import io.twinflow.functions.batch.BatchLoaderHandler;
import io.twinflow.functions.stream.StreamProcessorHandler;
import io.twinflow.local.batch.LocalBatch;
import io.twinflow.local.config.Endpoints;
import io.twinflow.local.config.ServiceClients;
import io.twinflow.local.runtime.BatchTally;
import io.twinflow.local.runtime.EmbeddedRuntime;
import io.twinflow.local.runtime.LocalLambdaContext;
import io.twinflow.warehouse.Warehouse;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import software.amazon.awssdk.services.s3.S3Client;

@CommandLine.Command(name = "invoke", mixinStandardHelpOptions = true,
        description = {"Runs a function's handler once, in-process, on an event, like `sam local invoke`: the function's response "
                + "JSON on stdout, its log and a one-line summary on stderr.",
                "Against the running local stack; when none runs (no .twinflow/endpoints.json, or its process is gone) against a "
                        + "private embedded stack started for the invocation and stopped after it, as `demo` does.",
                "Exit code 1 when the function reports a failure (records to retry, objects not loaded)."},
        subcommands = {InvokeCommand.StreamProcessor.class, InvokeCommand.BatchLoader.class})
public final class InvokeCommand extends CommandGroup {

    /** What the Lambda console calls the EventBridge envelope a schedule delivers. */
    static final String SCHEDULED_EVENT = "Scheduled Event";

    @CommandLine.Command(name = "stream-processor", mixinStandardHelpOptions = true,
            description = {"Invokes the stream-processor handler with a Kinesis event (e.g. events/kinesis/*.json) "
                    + "and prints its response JSON (the partial batch response) on stdout; its batch summary line and "
                    + "`twinflow invoke: stream-processor: N records, ...` on stderr.",
                    "With --target aws the handler reads its settings from the environment (AWS_REGION, TWINFLOW_*) and uses real AWS.",
                    "Exit code 1 when the response lists records for Lambda to retry (batchItemFailures).",
                    "--output: json (default), table or csv: the response's fields, one row each (batchItemFailures[0].itemIdentifier)."})
    static final class StreamProcessor implements Callable<Integer> {

        @CommandLine.Mixin
        TargetOptions target = new TargetOptions();

        @CommandLine.Option(names = {"-e", "--event"}, required = true, paramLabel = "FILE|-",
                description = "The Kinesis event JSON: a file, or - for standard input.")
        String event;

        @CommandLine.Mixin
        OutputOptions output = new OutputOptions();

        @Override
        public Integer call() throws Exception {
            EventSource source = new EventSource(event, "a Kinesis event", "events/kinesis/normal-batch.json");
            KinesisEvent kinesisEvent = source.parse(KinesisEvent.class);
            BatchTally tally = new BatchTally();
            PrintStream functionLog = tally.tee(System.err);
            StreamsEventResponse response;
            String where;
            try (Stack stack = Stack.open(target)) {
                FunctionSettings settings = stack.endpoints()
                        .map(e -> FunctionSettings.local(stack.spec(), URI.create(e.dynamodb()), URI.create(e.s3())))
                        .orElseGet(InvokeCommand::settingsFromEnvironment);
                String name = EmbeddedRuntime.functionName(settings.spec());
                response = new StreamProcessorHandler(settings).handleRequest(kinesisEvent,
                        context(name, settings.region(), Duration.ofSeconds(60), functionLog));
                where = stack.describe();
            }
            ObjectNode out = JsonOutput.MAPPER.createObjectNode();
            ArrayNode failures = out.putArray("batchItemFailures");
            if (response != null && response.getBatchItemFailures() != null) {
                response.getBatchItemFailures().forEach(f -> failures.addObject().put("itemIdentifier", f.getItemIdentifier()));
            }
            output.print(View.fields(out), ResultFormat.json);
            Map<String, Object> t = tally.snapshot();
            System.err.printf("twinflow invoke: stream-processor: %s records, %s applied, %s duplicates, %s quarantined, %s failed, "
                    + "%d to retry (%s)%n", t.get("records"), t.get("applied"), t.get("duplicates"), t.get("quarantined"), t.get("failed"),
                    failures.size(), where);
            return failures.isEmpty() ? 0 : 1;
        }
    }

    @CommandLine.Command(name = "batch-loader", mixinStandardHelpOptions = true,
            description = {"Invokes the batch-loader handler with an EventBridge \"Scheduled Event\", as its hourly schedule does: "
                    + "it loads the raw archive objects not yet in the warehouse's load log and prints its report JSON on stdout.",
                    "The event: -e FILE (e.g. events/scheduled/hourly.json), -e - (standard input), or --scheduled [--time T] "
                            + "(one built here; the default when neither is given). The loader runs as fired at the event's time: "
                            + "its lookback counts back from that day.",
                    "Local stack: the handler on the stack's PostgreSQL warehouse. --target aws: the handler in-process with the "
                            + "deployed settings from the environment (TWINFLOW_REDSHIFT_* for Redshift's Data API).",
                    "The daily rollup is a Glue job, not a function: run it with `twinflow batch run --job rollup`.",
                    "Exit code 1 when an object failed to load.",
                    "--output: json (default), table or csv: the report's fields, one row each."})
    static final class BatchLoader implements Callable<Integer> {

        @CommandLine.Mixin
        TargetOptions target = new TargetOptions();

        @CommandLine.Mixin
        OutputOptions output = new OutputOptions();

        @CommandLine.Option(names = {"-e", "--event"}, paramLabel = "FILE|-",
                description = "The scheduled event JSON: a file, or - for standard input.")
        String event;

        @CommandLine.Option(names = "--scheduled",
                description = "Build the \"Scheduled Event\" EventBridge delivers for the loader's schedule (instead of -e).")
        boolean scheduled;

        @CommandLine.Option(names = "--time", paramLabel = "T",
                description = "With --scheduled: the firing time, an ISO-8601 instant (2026-11-24T11:05:00Z) or a duration ago (90m). "
                        + "Default: now.")
        String time;

        @Override
        public Integer call() throws Exception {
            if (event != null && (scheduled || time != null)) {
                throw new UserMistakeException("give either -e FILE (an event) or --scheduled [--time T] (one built here), not both");
            }
            if (time != null && !scheduled) {
                throw new UserMistakeException("--time is the firing time of --scheduled: add --scheduled, or leave --time out");
            }
            Instant firedAt;
            byte[] json;
            // The event is read and checked before any stack starts: a mistake in it costs no start-up.
            if (event != null) {
                EventSource source = new EventSource(event, "a scheduled event", "events/scheduled/hourly.json");
                json = source.bytes();
                firedAt = firedAt(source.parse(ScheduledEvent.class), source.name());
            } else {
                Instant now = Instant.now();
                firedAt = (time == null ? now : MetricsCommand.instant("--time", time, now)).truncatedTo(ChronoUnit.SECONDS);
                json = scheduledEvent(target.prefix(), region(), firedAt);
            }
            Map<String, Object> input = JsonOutput.MAPPER.readValue(json, new TypeReference<Map<String, Object>>() { });
            try (Stack stack = Stack.open(target)) {
                PipelineSpec spec = stack.spec();
                String name = spec.functions().batchLoader();
                Map<String, Object> report;
                try (Loader loader = Loader.open(stack, Clock.fixed(firedAt, ZoneOffset.UTC))) {
                    report = loader.handler().handleRequest(input, context(name, region(), spec.deployment().batchLoaderTimeout(), System.err));
                }
                output.print(View.fields(report), ResultFormat.json);
                System.err.printf("twinflow invoke: batch-loader fired at %s: %s objects loaded, %s rows, %s failed (%s)%n",
                        firedAt, report.get("loaded"), report.get("rowsLoaded"), report.get("failed"), stack.describe());
                return ((Number) report.get("failed")).intValue() == 0 ? 0 : 1;
            }
        }

        private String region() {
            return target.region().orElseGet(() -> settingsFromEnvironment().region());
        }

        private static Instant firedAt(ScheduledEvent event, String name) {
            if (!SCHEDULED_EVENT.equals(event.getDetailType()) || event.getTime() == null) {
                throw new UserMistakeException(name + " is not a scheduled event (it needs \"detail-type\": \"" + SCHEDULED_EVENT
                        + "\" and a \"time\"): give one like events/scheduled/hourly.json");
            }
            return Instant.ofEpochMilli(event.getTime().getMillis());
        }

        /**
         * The envelope EventBridge delivers for the loader's schedule, field for field as it writes it (a time in whole
         * seconds, no milliseconds), which is also the shape of events/scheduled/hourly.json.
         */
        static byte[] scheduledEvent(String prefix, String region, Instant at) throws IOException {
            ObjectNode e = JsonOutput.MAPPER.createObjectNode();
            e.put("version", "0");
            e.put("id", UUID.randomUUID().toString());
            e.put("detail-type", SCHEDULED_EVENT);
            e.put("source", "aws.events");
            e.put("account", EmbeddedRuntime.ACCOUNT);
            e.put("time", at.truncatedTo(ChronoUnit.SECONDS).toString());
            e.put("region", region);
            e.putArray("resources").add("arn:aws:scheduler:" + region + ":" + EmbeddedRuntime.ACCOUNT + ":schedule/default/"
                    + prefix + "-hourly-loader");
            e.putObject("detail");
            return JsonOutput.MAPPER.writeValueAsBytes(e);
        }
    }

    /** The loader handler wired to the stack's warehouse, or as the Lambda runtime wires it (AWS). */
    private record Loader(BatchLoaderHandler handler, AutoCloseable resources) implements AutoCloseable {

        static Loader open(Stack stack, Clock clock) {
            if (stack.endpoints().isEmpty()) {
                FunctionSettings settings = settingsFromEnvironment();
                if (settings.redshift().isEmpty()) {
                    throw new UserMistakeException("the batch loader needs TWINFLOW_REDSHIFT_DATABASE and the other TWINFLOW_REDSHIFT_* "
                            + "variables with --target aws: set them as the deployed function has them");
                }
                return new Loader(BatchLoaderHandler.builder().settings(settings).clock(clock).summaryOutput(System.err).build(), () -> { });
            }
            Endpoints e = stack.endpoints().get();
            LocalBatch batch = stack.batch();
            S3Client s3 = ServiceClients.local(e).s3();
            Warehouse warehouse = batch.warehouse();
            BatchLoaderHandler handler = BatchLoaderHandler.builder()
                    .settings(FunctionSettings.local(stack.spec(), URI.create(e.dynamodb()), URI.create(e.s3())))
                    .warehouse(warehouse).s3(s3).clock(clock).summaryOutput(System.err).build();
            return new Loader(handler, () -> {
                s3.close();
                stack.releaseBatch(batch);
            });
        }

        @Override
        public void close() throws Exception {
            resources.close();
        }
    }

    /**
     * Where an invocation runs: the running local stack, a private embedded one started for it (and stopped when it is
     * closed), or nothing local at all ({@code --target aws}, or a container without a local stack).
     */
    static final class Stack implements AutoCloseable {

        private final Optional<Endpoints> endpoints;
        private final PipelineSpec spec;
        private final EmbeddedRuntime privateRuntime;
        private final String description;

        private Stack(Optional<Endpoints> endpoints, PipelineSpec spec, EmbeddedRuntime privateRuntime, String description) {
            this.endpoints = endpoints;
            this.spec = spec;
            this.privateRuntime = privateRuntime;
            this.description = description;
        }

        static Stack open(TargetOptions target) {
            if (target.localStackMissing()) {
                System.err.println("twinflow invoke: no local stack running; starting a private one for this invocation...");
                // The stack's own consumers find an empty stream: the function log they would write is of no interest here.
                EmbeddedRuntime runtime = EmbeddedRuntime.start(PipelineSpec.defaults(), new PrintStream(OutputStream.nullOutputStream()));
                return new Stack(Optional.of(runtime.endpoints()), runtime.spec(), runtime, "private stack, stopped");
            }
            ServiceClients clients = target.clients();
            return new Stack(clients.localEndpoints(), clients.spec(), null,
                    clients.localEndpoints().map(e -> "local stack pid " + e.pid()).orElse("target " + target.target()));
        }

        Optional<Endpoints> endpoints() {
            return endpoints;
        }

        PipelineSpec spec() {
            return spec;
        }

        /** The private stack's batch path, or a connection to the running stack's ({@link #releaseBatch} closes it). */
        LocalBatch batch() {
            return privateRuntime != null ? privateRuntime.batch() : LocalBatch.connect(endpoints.orElseThrow());
        }

        void releaseBatch(LocalBatch batch) {
            if (privateRuntime == null) {
                batch.close();
            }
        }

        /** For the summary line on stderr: where the function ran. */
        String describe() {
            return description;
        }

        @Override
        public void close() {
            if (privateRuntime != null) {
                privateRuntime.close();
            }
        }
    }

    /** An event given as {@code -e FILE} or {@code -e -} (standard input), read once and parsed by Lambda's own serializers. */
    static final class EventSource {

        private final String argument;
        private final String kind;
        private final String example;
        private byte[] bytes;

        EventSource(String argument, String kind, String example) {
            this.argument = argument;
            this.kind = kind;
            this.example = example;
        }

        String name() {
            return "-".equals(argument) ? "standard input" : argument;
        }

        byte[] bytes() throws IOException {
            if (bytes != null) {
                return bytes;
            }
            if ("-".equals(argument)) {
                bytes = System.in.readAllBytes();
                if (bytes.length == 0) {
                    throw new UserMistakeException("standard input is empty: pipe " + kind + " in, e.g. `< " + example + "`");
                }
                return bytes;
            }
            Path file = Path.of(argument);
            if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
                throw new UserMistakeException("cannot read the event file " + argument + ": give " + kind + " JSON file, e.g. " + example);
            }
            bytes = Files.readAllBytes(file);
            return bytes;
        }

        <T> T parse(Class<T> type) throws IOException {
            byte[] json = bytes();
            try {
                // Lambda's own serializer: plain Jackson cannot read the events' casing ("Records", "detail-type") and base64 data.
                return LambdaEventSerializers.serializerFor(type, InvokeCommand.class.getClassLoader()).fromJson(new ByteArrayInputStream(json));
            } catch (UncheckedIOException notAnEvent) {
                throw new UserMistakeException(name() + " is not " + kind + " (" + notAnEvent.getCause().getMessage().lines().findFirst()
                        .orElse("") + "): give one like " + example, notAnEvent);
            }
        }
    }

    /** The deployed function's settings; a variable it cannot read is the caller's to fix. */
    static FunctionSettings settingsFromEnvironment() {
        try {
            return FunctionSettings.fromEnvironment(System.getenv());
        } catch (IllegalArgumentException badVariable) {
            throw new UserMistakeException("the function's environment is not usable: " + badVariable.getMessage()
                    + "; fix or unset that variable", badVariable);
        }
    }

    static LocalLambdaContext context(String name, String region, Duration timeout, PrintStream log) {
        return new LocalLambdaContext(name, "arn:aws:lambda:" + region + ":" + EmbeddedRuntime.ACCOUNT + ":function:" + name, timeout, log);
    }
}
