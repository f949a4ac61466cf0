package io.twinflow.cli.command;

import com.amazonaws.services.lambda.runtime.events.KinesisEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.twinflow.functions.FunctionSettings;
import io.twinflow.functions.stream.StreamProcessorHandler;
import io.twinflow.local.config.Endpoints;
import io.twinflow.local.config.ServiceClients;
import io.twinflow.local.runtime.EmbeddedRuntime;
import io.twinflow.local.runtime.LocalLambdaContext;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine;

@CommandLine.Command(name = "invoke", mixinStandardHelpOptions = true,
        description = "Runs a function once on a sample event, in-process, like `sam local invoke`.",
        subcommands = {InvokeCommand.StreamProcessor.class})
public final class InvokeCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    @CommandLine.Command(name = "stream-processor", mixinStandardHelpOptions = true,
            description = {"Invokes the stream-processor handler with a Kinesis event (e.g. events/kinesis/*.json) "
                    + "and prints its response JSON (the partial batch response) on stdout.",
                    "Against the local stack by default; with --target aws the handler reads its settings from "
                            + "the environment (AWS_REGION, TWINFLOW_*) and uses real AWS."})
    static final class StreamProcessor implements Callable<Integer> {

        @CommandLine.Mixin
        TargetOptions target = new TargetOptions();

        @CommandLine.Option(names = "--event", required = true, paramLabel = "FILE", description = "The Kinesis event JSON.")
        Path event;

        @Override
        public Integer call() throws Exception {
            KinesisEvent kinesisEvent;
            try (InputStream in = Files.newInputStream(event)) {
                // Lambda's own serializer: plain Jackson cannot read the event's "Records" casing and base64 data.
                kinesisEvent = LambdaEventSerializers.serializerFor(KinesisEvent.class, getClass().getClassLoader()).fromJson(in);
            }
            FunctionSettings settings;
            ServiceClients clients = target.clients();
            if (clients.localEndpoints().isPresent()) {
                Endpoints e = clients.localEndpoints().get();
                settings = FunctionSettings.local(clients.spec(), URI.create(e.dynamodb()), URI.create(e.s3()));
            } else {
                settings = FunctionSettings.fromEnvironment(System.getenv());
            }
            String name = EmbeddedRuntime.functionName(settings.spec());
            LocalLambdaContext context = new LocalLambdaContext(name,
                    "arn:aws:lambda:" + settings.region() + ":" + EmbeddedRuntime.ACCOUNT + ":function:" + name,
                    Duration.ofSeconds(60), System.err);
            StreamsEventResponse response = new StreamProcessorHandler(settings).handleRequest(kinesisEvent, context);
            ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
            ObjectNode out = json.createObjectNode();
            ArrayNode failures = out.putArray("batchItemFailures");
            if (response != null && response.getBatchItemFailures() != null) {
                response.getBatchItemFailures().forEach(f -> failures.addObject().put("itemIdentifier", f.getItemIdentifier()));
            }
            System.out.println(json.writeValueAsString(out));
            return 0;
        }
    }
}
