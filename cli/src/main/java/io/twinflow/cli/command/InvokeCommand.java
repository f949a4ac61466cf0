package io.twinflow.cli.command;

import com.amazonaws.services.lambda.runtime.events.KinesisEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.twinflow.cli.query.ResultFormat;
import io.twinflow.core.error.UserMistakeException;
import io.twinflow.functions.FunctionSettings;
import io.twinflow.functions.stream.StreamProcessorHandler;
import io.twinflow.local.config.Endpoints;
import io.twinflow.local.config.ServiceClients;
import io.twinflow.local.runtime.EmbeddedRuntime;
import io.twinflow.local.runtime.LocalLambdaContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine;

@CommandLine.Command(name = "invoke", mixinStandardHelpOptions = true,
        description = "Runs a function once on a sample event, in-process, like `sam local invoke`.",
        subcommands = {InvokeCommand.StreamProcessor.class})
public final class InvokeCommand extends CommandGroup {

    @CommandLine.Command(name = "stream-processor", mixinStandardHelpOptions = true,
            description = {"Invokes the stream-processor handler with a Kinesis event (e.g. events/kinesis/*.json) "
                    + "and prints its response JSON (the partial batch response) on stdout.",
                    "Against the local stack by default; with --target aws the handler reads its settings from "
                            + "the environment (AWS_REGION, TWINFLOW_*) and uses real AWS.",
                    "--output: json (default), table or csv: the response's fields, one row each (batchItemFailures[0].itemIdentifier)."})
    static final class StreamProcessor implements Callable<Integer> {

        @CommandLine.Mixin
        TargetOptions target = new TargetOptions();

        @CommandLine.Option(names = "--event", required = true, paramLabel = "FILE", description = "The Kinesis event JSON.")
        Path event;

        @CommandLine.Mixin
        OutputOptions output = new OutputOptions();

        @Override
        public Integer call() throws Exception {
            KinesisEvent kinesisEvent = readEvent();
            FunctionSettings settings;
            ServiceClients clients = target.clients();
            if (clients.localEndpoints().isPresent()) {
                Endpoints e = clients.localEndpoints().get();
                settings = FunctionSettings.local(clients.spec(), URI.create(e.dynamodb()), URI.create(e.s3()));
            } else {
                settings = settingsFromEnvironment();
            }
            String name = EmbeddedRuntime.functionName(settings.spec());
            LocalLambdaContext context = new LocalLambdaContext(name,
                    "arn:aws:lambda:" + settings.region() + ":" + EmbeddedRuntime.ACCOUNT + ":function:" + name,
                    Duration.ofSeconds(60), System.err);
            StreamsEventResponse response = new StreamProcessorHandler(settings).handleRequest(kinesisEvent, context);
            ObjectNode out = JsonOutput.MAPPER.createObjectNode();
            ArrayNode failures = out.putArray("batchItemFailures");
            if (response != null && response.getBatchItemFailures() != null) {
                response.getBatchItemFailures().forEach(f -> failures.addObject().put("itemIdentifier", f.getItemIdentifier()));
            }
            output.print(View.fields(out), ResultFormat.json);
            return 0;
        }

        private KinesisEvent readEvent() throws IOException {
            if (!Files.isRegularFile(event) || !Files.isReadable(event)) {
                throw new UserMistakeException("cannot read the event file " + event
                        + ": give a Kinesis event JSON file, e.g. events/kinesis/normal-batch.json");
            }
            try (InputStream in = Files.newInputStream(event)) {
                // Lambda's own serializer: plain Jackson cannot read the event's "Records" casing and base64 data.
                return LambdaEventSerializers.serializerFor(KinesisEvent.class, getClass().getClassLoader()).fromJson(in);
            } catch (UncheckedIOException notAnEvent) {
                throw new UserMistakeException(event + " is not a Kinesis event (" + notAnEvent.getCause().getMessage().lines().findFirst().orElse("")
                        + "): give one like events/kinesis/normal-batch.json", notAnEvent);
            }
        }

        /** The deployed function's settings; a variable it cannot read is the caller's to fix. */
        private static FunctionSettings settingsFromEnvironment() {
            try {
                return FunctionSettings.fromEnvironment(System.getenv());
            } catch (IllegalArgumentException badVariable) {
                throw new UserMistakeException("the function's environment is not usable: " + badVariable.getMessage()
                        + "; fix or unset that variable", badVariable);
            }
        }
    }
}
