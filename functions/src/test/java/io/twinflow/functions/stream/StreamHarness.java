package io.twinflow.functions.stream;

import com.amazonaws.services.lambda.runtime.events.KinesisEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.twinflow.functions.AwsClients;
import io.twinflow.functions.FunctionSettings;
import io.twinflow.functions.testing.Batches;
import io.twinflow.functions.testing.FaultInjectingHttpClient;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.BiPredicate;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;

/**
 * The stream-processor handler as deployed, pointed at a test environment, with its summary lines
 * captured and, optionally, DynamoDB faults injected at the HTTP level.
 */
public final class StreamHarness {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final StreamProcessorHandler handler;
    private final FaultInjectingHttpClient http;
    private final ByteArrayOutputStream logs;

    private StreamHarness(StreamProcessorHandler handler, FaultInjectingHttpClient http, ByteArrayOutputStream logs) {
        this.handler = handler;
        this.http = http;
        this.logs = logs;
    }

    public static StreamHarness of(FunctionSettings settings) {
        return withFaults(settings, (operation, body) -> false, FaultInjectingHttpClient.Fault.throttling(), settings.sdkMaxAttempts());
    }

    /**
     * @param when given the DynamoDB operation and request body, whether to answer with {@code fault}
     */
    public static StreamHarness withFaults(FunctionSettings settings, BiPredicate<String, String> when,
                                           FaultInjectingHttpClient.Fault fault, int sdkAttempts) {
        FunctionSettings tuned = settings.withSdkMaxAttempts(sdkAttempts);
        FaultInjectingHttpClient http = new FaultInjectingHttpClient(UrlConnectionHttpClient.builder().build(), when,
                fault == null ? FaultInjectingHttpClient.Fault.throttling() : fault);
        ByteArrayOutputStream logs = new ByteArrayOutputStream();
        StreamProcessorHandler handler = StreamProcessorHandler.builder()
                .settings(tuned)
                .dynamoDb(AwsClients.dynamoDb(tuned, http))
                .summaryOutput(new PrintStream(logs, true, StandardCharsets.UTF_8))
                .build();
        return new StreamHarness(handler, http, logs);
    }

    public FaultInjectingHttpClient http() {
        return http;
    }

    /** What SnapStart does before its snapshot. */
    public void checkpoint() {
        handler.beforeCheckpoint(null);
    }

    /** The rehearsal SnapStart's checkpoint runs, on its own offline clients; the SDK requests it made. */
    public List<String> rehearse() {
        return handler.rehearse();
    }

    /** The Kafka handler in front of this harness's handler: same clients, same captured summary lines. */
    public KafkaProcessorHandler kafka() {
        return new KafkaProcessorHandler(handler);
    }

    public StreamsEventResponse invoke(KinesisEvent event) {
        return handler.handleRequest(event, null);
    }

    /** The summary line of every invocation so far, parsed. */
    public List<JsonNode> summaries() {
        return logs.toString(StandardCharsets.UTF_8).lines().map(line -> {
            try {
                return JSON.readTree(line);
            } catch (IOException e) {
                throw new AssertionError("summary is not JSON: " + line, e);
            }
        }).toList();
    }

    /**
     * Delivers like the event source mapping with ReportBatchItemFailures: after a partial failure,
     * everything from the lowest reported sequence number is delivered again.
     *
     * @return how many invocations it took
     */
    public int deliverUntilDone(KinesisEvent event, int maxAttempts) {
        KinesisEvent pending = event;
        for (int attempt = 1; attempt <= maxAttempts; attempt++) {
            StreamsEventResponse response = invoke(pending);
            if (response.getBatchItemFailures().isEmpty()) {
                return attempt;
            }
            pending = Batches.from(pending, response.getBatchItemFailures().get(0).getItemIdentifier());
        }
        throw new AssertionError("batch still failing after " + maxAttempts + " deliveries");
    }
}
