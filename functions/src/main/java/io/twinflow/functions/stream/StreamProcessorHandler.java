package io.twinflow.functions.stream;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.KinesisEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import io.twinflow.core.event.EventDecoder;
import io.twinflow.functions.AwsClients;
import io.twinflow.functions.FunctionSettings;
import io.twinflow.functions.RehearsalHttpClient;
import io.twinflow.functions.SummaryLog;
import io.twinflow.functions.live.DynamoDbLiveStateStore;
import io.twinflow.functions.quarantine.S3QuarantineSink;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.crac.Core;
import org.crac.Resource;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The Kinesis-triggered stream-processor Lambda. Thin: it turns the Lambda event into
 * {@link StreamRecord}s, delegates to {@link StreamProcessor}, logs one summary line and returns the
 * partial batch response. Clients and the thread pool are built once per container, at init.
 *
 * <p>Configure the event source mapping with {@code ReportBatchItemFailures}: the handler never
 * throws for bad data, and reports the records to retry instead.
 */
public class StreamProcessorHandler implements RequestHandler<KinesisEvent, StreamsEventResponse>, Resource {

    /** A valid event used to warm the decode path before a SnapStart snapshot. */
    static final byte[] PRIMING_EVENT = ("{\"schemaVersion\":1,\"eventId\":\"priming\",\"deviceId\":\"priming\","
            + "\"ts\":\"2026-01-01T00:00:00Z\",\"metrics\":{\"temperature\":20.5},\"location\":{\"lat\":0,\"lon\":0}}")
            .getBytes(StandardCharsets.UTF_8);
    /** The priming event's arrival: a second after its time, so the decoder finds it valid whatever today is. */
    static final Instant PRIMING_ARRIVAL = Instant.parse("2026-01-01T00:00:01Z");

    private final FunctionSettings settings;
    private final ExecutorService io;
    private final StreamProcessor processor;
    private final SummaryLog log;

    /** Used by the Lambda runtime: settings from the environment. */
    public StreamProcessorHandler() {
        this(builder());
    }

    /** Used by the local runtime and the CLI: the given settings, clients built from them. */
    public StreamProcessorHandler(FunctionSettings settings) {
        this(builder().settings(settings));
    }

    private StreamProcessorHandler(Builder builder) {
        this.settings = builder.settings != null ? builder.settings : FunctionSettings.fromEnvironment();
        this.io = io(settings);
        this.processor = processor(settings,
                builder.dynamoDb != null ? builder.dynamoDb : AwsClients.dynamoDb(settings),
                builder.s3 != null ? builder.s3 : AwsClients.s3(settings),
                io);
        this.log = new SummaryLog(builder.summaryOutput);
        Core.getGlobalContext().register(this);
    }

    /**
     * A handler wired exactly as for Lambda from the parts given, for tests and benchmarks (e.g. a
     * DynamoDB client with faults injected, or one that meters consumed capacity). Each part left out is
     * built as the Lambda runtime's handler builds it.
     */
    public static Builder builder() {
        return new Builder();
    }

    /** See {@link #builder()}. */
    public static final class Builder {
        private FunctionSettings settings;
        private DynamoDbClient dynamoDb;
        private S3Client s3;
        private PrintStream summaryOutput = System.out;

        private Builder() {
        }

        /** Default: {@link FunctionSettings#fromEnvironment()}. */
        public Builder settings(FunctionSettings settings) {
            this.settings = settings;
            return this;
        }

        /** Default: {@link AwsClients#dynamoDb(FunctionSettings)}. */
        public Builder dynamoDb(DynamoDbClient dynamoDb) {
            this.dynamoDb = dynamoDb;
            return this;
        }

        /** Default: {@link AwsClients#s3(FunctionSettings)}. */
        public Builder s3(S3Client s3) {
            this.s3 = s3;
            return this;
        }

        /** Where the batch summary line goes when an invocation has no Lambda logger. Default: standard output. */
        public Builder summaryOutput(PrintStream summaryOutput) {
            this.summaryOutput = summaryOutput;
            return this;
        }

        public StreamProcessorHandler build() {
            return new StreamProcessorHandler(this);
        }
    }

    /**
     * SnapStart takes its snapshot after init: rehearse a batch first, so that everything the first real
     * batch runs is loaded and JIT-warm in every restored copy. No AWS call is made: connections opened
     * before a snapshot would be stale after a restore.
     */
    @Override
    public void beforeCheckpoint(org.crac.Context<? extends Resource> context) { // qualified: Lambda's Context is the imported one
        processor.prime(PRIMING_EVENT, PRIMING_ARRIVAL);
        try {
            rehearse();
        } catch (RuntimeException e) {
            // A rehearsal only saves time: a snapshot without it is still correct, so it never fails the publish.
            System.err.println("{\"level\":\"WARN\",\"message\":\"SnapStart rehearsal failed; the first batch after a restore "
                    + "loads what it needs itself\",\"error\":\"" + e.getClass().getSimpleName() + "\"}");
        }
    }

    /**
     * Runs the priming event and one undecodable record through a processor wired exactly like this
     * one, but whose DynamoDB and S3 clients are answered by a {@link RehearsalHttpClient}: the decode,
     * window, latest-state, alert and quarantine paths, the SDK's request pipeline and the summary line
     * all run once, and nothing leaves the process. Returns the SDK requests the rehearsal made.
     */
    List<String> rehearse() {
        RehearsalHttpClient http = new RehearsalHttpClient();
        try (DynamoDbClient dynamoDb = AwsClients.dynamoDb(settings, http); S3Client s3 = AwsClients.s3(settings, http)) {
            BatchOutcome outcome = processor(settings, dynamoDb, s3, io).process(List.of(
                    new StreamRecord("rehearsal", "1", "priming", PRIMING_ARRIVAL, PRIMING_EVENT),
                    new StreamRecord("rehearsal", "2", "priming", PRIMING_ARRIVAL, "rehearsal".getBytes(StandardCharsets.UTF_8))),
                    () -> Long.MAX_VALUE);
            SummaryLog.json(outcome.summary().logLine(null, settings.spec().prefix(), BatchSummary.Source.KINESIS, Instant.now()));
        }
        return http.requests();
    }

    @Override
    public void afterRestore(org.crac.Context<? extends Resource> context) { // qualified: Lambda's Context is the imported one
        // Nothing to refresh: the SDK clients open connections lazily.
    }

    @Override
    public StreamsEventResponse handleRequest(KinesisEvent event, Context context) {
        BatchOutcome outcome = process(toStreamRecords(event), BatchSummary.Source.KINESIS, context);
        List<StreamsEventResponse.BatchItemFailure> failures = new ArrayList<>(outcome.retrySequenceNumbers().size());
        outcome.retrySequenceNumbers().forEach(seq -> failures.add(new StreamsEventResponse.BatchItemFailure(seq)));
        return new StreamsEventResponse(failures);
    }

    /**
     * Processes the records of one shard (or one Kafka partition), in order, and logs the batch summary
     * line: the one path every source's handler takes into the processor. The line's metrics are scoped to
     * this stack (the settings' prefix) and to the source the calling handler reads.
     */
    BatchOutcome process(List<StreamRecord> records, BatchSummary.Source source, Context context) {
        BatchOutcome outcome = processor.process(records,
                context == null ? () -> Long.MAX_VALUE : () -> context.getRemainingTimeInMillis());
        log.write(outcome.summary().logLine(SummaryLog.requestId(context), settings.spec().prefix(), source, Instant.now()), context);
        return outcome;
    }

    static List<StreamRecord> toStreamRecords(KinesisEvent event) {
        if (event == null || event.getRecords() == null) {
            return List.of();
        }
        List<StreamRecord> records = new ArrayList<>(event.getRecords().size());
        for (KinesisEvent.KinesisEventRecord r : event.getRecords()) {
            KinesisEvent.Record kinesis = r.getKinesis();
            records.add(new StreamRecord(shardId(r.getEventID()), kinesis.getSequenceNumber(), kinesis.getPartitionKey(),
                    kinesis.getApproximateArrivalTimestamp() == null ? Instant.EPOCH : kinesis.getApproximateArrivalTimestamp().toInstant(),
                    bytes(kinesis.getData())));
        }
        return records;
    }

    /** Lambda's eventID is {@code shardId-000000000000:<sequence number>}. */
    private static String shardId(String eventId) {
        if (eventId == null) {
            return "unknown";
        }
        int colon = eventId.lastIndexOf(':');
        return colon < 0 ? eventId : eventId.substring(0, colon);
    }

    private static byte[] bytes(ByteBuffer data) {
        if (data == null) {
            return new byte[0];
        }
        ByteBuffer view = data.duplicate();
        byte[] bytes = new byte[view.remaining()];
        view.get(bytes);
        return bytes;
    }

    private static StreamProcessor processor(FunctionSettings settings, DynamoDbClient dynamoDb, S3Client s3, ExecutorService io) {
        return new StreamProcessor(
                new EventDecoder(settings.decoderLimits()),
                settings.windows(),
                settings.alertRules(),
                new DynamoDbLiveStateStore(dynamoDb, settings.deviceStateTable(), settings.windowTable(),
                        settings.alertTable(), settings.windows(), settings.retention(), io),
                new S3QuarantineSink(s3, settings.quarantineBucket(), settings.quarantinePrefix(), io));
    }

    private static ExecutorService io(FunctionSettings settings) {
        AtomicInteger count = new AtomicInteger();
        return Executors.newFixedThreadPool(settings.writeConcurrency(), r -> {
            Thread t = new Thread(r, "twinflow-io-" + count.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }
}
