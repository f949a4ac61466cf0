package io.twinflow.infra;

import io.github.cdklabs.cdknag.NagPackSuppression;
import io.github.cdklabs.cdknag.NagSuppressions;
import io.twinflow.core.pipeline.PipelineSpec;
import io.twinflow.core.settings.FunctionEnvironment;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.services.kinesis.IStream;
import software.amazon.awscdk.services.kms.IKey;
import software.amazon.awscdk.services.lambda.Code;
import software.amazon.awscdk.services.lambda.StartingPosition;
import software.amazon.awscdk.services.lambda.eventsources.KinesisEventSource;
import software.amazon.awscdk.services.lambda.eventsources.SqsDlq;
import software.amazon.awscdk.services.s3.IBucket;
import software.amazon.awscdk.services.sqs.Queue;
import software.amazon.awscdk.services.sqs.QueueEncryption;
import software.constructs.Construct;

/**
 * The stream-processor function and its Kinesis event source mapping, with every mapping setting
 * taken from {@link PipelineSpec#streamMapping()} (the local runtime honours the same values), and the
 * encrypted queue that receives the metadata of batches the mapping gives up on.
 */
public final class StreamProcessing extends Construct {

    static final String HANDLER = "io.twinflow.functions.stream.StreamProcessorHandler::handleRequest";

    public final JavaFunction processor;
    public final Queue failures;
    /** The processor's environment: a function fed by another source (MSK) gets the same. */
    public final Map<String, String> environment;
    private final Props props;

    public record Props(PipelineSpec spec, DecoderSettings decoder, Code code, IStream stream, Serving serving,
                        IBucket quarantineBucket, IKey key, RemovalPolicy removalPolicy) {
    }

    public StreamProcessing(Construct scope, String id, Props props) {
        super(scope, id);
        PipelineSpec spec = props.spec();
        PipelineSpec.Tables tables = spec.tables();
        this.props = props;
        environment = props.decoder().functionEnvironment(Map.of(FunctionEnvironment.PREFIX, spec.prefix(),
                FunctionEnvironment.DEVICE_STATE_TABLE, props.serving().deviceState.getTableName(),
                FunctionEnvironment.WINDOW_TABLE, props.serving().deviceWindows.getTableName(),
                FunctionEnvironment.ALERT_TABLE, props.serving().alerts.getTableName(),
                FunctionEnvironment.QUARANTINE_BUCKET, props.quarantineBucket().getBucketName()));

        processor = new JavaFunction(this, "Processor", JavaFunction.Props.builder()
                .description("Twinflow stream-processor: Kinesis telemetry to DynamoDB live state, bad records to quarantine")
                .handler(HANDLER)
                .code(props.code())
                .memoryMb(spec.deployment().streamProcessorMemoryMb())
                // Generous next to a 500-record batch: the handler checks its remaining time and reports
                // what it could not finish, so a slow DynamoDB is a retry, not a timeout.
                .timeout(Duration.minutes(2))
                .environment(environment)
                .key(props.key())
                .build());
        grantProcessing(processor);

        failures = Queue.Builder.create(this, "Failures")
                .queueName(spec.queues().streamFailures())
                .encryption(QueueEncryption.KMS)
                .encryptionMasterKey(props.key())
                .enforceSsl(true)
                // The longest SQS allows: an operator has two weeks to replay a failed batch from the stream's
                // shard iterator before the message goes.
                .retentionPeriod(Duration.days(14))
                .removalPolicy(props.removalPolicy())
                .build();
        NagSuppressions.addResourceSuppressions(failures, List.of(NagPackSuppression.builder()
                .id("AwsSolutions-SQS3")
                .reason("This queue is itself the on-failure destination of the Kinesis event source mapping; "
                        + "a dead-letter queue behind it would have nothing left to catch.")
                .build()));

        PipelineSpec.StreamMapping mapping = spec.streamMapping();
        processor.alias.addEventSource(KinesisEventSource.Builder.create(props.stream())
                .startingPosition(StartingPosition.TRIM_HORIZON)
                .batchSize(mapping.batchSize())
                .maxBatchingWindow(Duration.millis(mapping.maxBatchingWindow().toMillis()))
                .bisectBatchOnError(mapping.bisectOnError())
                .reportBatchItemFailures(mapping.reportBatchItemFailures())
                .retryAttempts(mapping.maxRetries())
                .maxRecordAge(Duration.seconds(mapping.maxRecordAge().toSeconds()))
                .parallelizationFactor(mapping.parallelizationFactor())
                .onFailure(new SqsDlq(failures))
                .build());
    }

    /** What a stream-processor function may do: read and write the live tables, put quarantine objects. */
    void grantProcessing(JavaFunction function) {
        props.serving().all().forEach(table -> table.grantReadWriteData(function.role));
        props.quarantineBucket().grantPut(function.role, props.spec().buckets().quarantinePrefix() + "*");
    }
}
