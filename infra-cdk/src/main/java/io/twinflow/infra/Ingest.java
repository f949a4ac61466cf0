package io.twinflow.infra;

import io.github.cdklabs.cdknag.NagPackSuppression;
import io.github.cdklabs.cdknag.NagSuppressions;
import io.twinflow.core.pipeline.PipelineSpec;
import java.util.List;
import software.amazon.awscdk.Acknowledgment;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.Size;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.Validations;
import software.amazon.awscdk.services.kinesis.Stream;
import software.amazon.awscdk.services.kinesis.StreamEncryption;
import software.amazon.awscdk.services.kinesis.StreamMode;
import software.amazon.awscdk.services.kinesisfirehose.Compression;
import software.amazon.awscdk.services.kinesisfirehose.DataProcessorProps;
import software.amazon.awscdk.services.kinesisfirehose.DeliveryStream;
import software.amazon.awscdk.services.kinesisfirehose.EnableLogging;
import software.amazon.awscdk.services.kinesisfirehose.KinesisStreamSource;
import software.amazon.awscdk.services.kinesisfirehose.LambdaFunctionProcessor;
import software.amazon.awscdk.services.kinesisfirehose.S3Bucket;
import software.amazon.awscdk.services.kms.IKey;
import software.amazon.awscdk.services.lambda.Code;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.logs.RetentionDays;
import software.amazon.awscdk.services.s3.IBucket;
import software.constructs.Construct;

/**
 * The telemetry stream the devices write to, and the Firehose archive of everything on it in the raw
 * bucket under {@code raw/dt=YYYY-MM-DD/hour=HH/}, gzipped, one envelope line per stream record
 * ({@code io.twinflow.core.archive.ArchiveLine}: the record's exact bytes with its arrival time and
 * stream position). The archive-framer Lambda writes the envelopes as Firehose's data transformation.
 */
public final class Ingest extends Construct {

    static final String FRAMER_HANDLER = "io.twinflow.functions.archive.ArchiveFramerHandler::handleRequest";
    /**
     * Input Firehose buffers per framer invocation. An envelope grows a record by its header (about 100
     * bytes) and base64 for records with line breaks, and the response is base64 again: 1 MiB of the
     * smallest valid events (about 90 bytes) makes a response of about 4 MB, under Lambda's 6 MB. The
     * framer fails (to the error prefix) whatever would exceed its response budget instead of failing
     * the invocation.
     */
    static final int FRAMER_BUFFER_MIB = PipelineSpec.Deployment.DEFAULT.framerBufferMib();
    /** The least Firehose buffers before calling the framer, so the archive is late by this much at most. */
    static final Duration FRAMER_BUFFER_INTERVAL = Duration.seconds(PipelineSpec.Deployment.DEFAULT.framerBufferInterval().toSeconds());
    /** Firehose's own default; after that the batch goes to {@code errors/processing-failed/}. */
    static final int FRAMER_RETRIES = 3;

    private static final long MEBIBYTE = 1024L * 1024L;

    public final Stream stream;
    public final JavaFunction archiveFramer;
    public final DeliveryStream archive;
    public final LogGroup archiveLogs;

    public record Props(PipelineSpec spec, StreamMode streamMode, Code functionsCode, IKey key, IBucket rawBucket,
                        RemovalPolicy removalPolicy) {
    }

    public Ingest(Construct scope, String id, Props props) {
        super(scope, id);
        PipelineSpec spec = props.spec();

        Stream.Builder streamBuilder = Stream.Builder.create(this, "Telemetry")
                .streamName(spec.stream().name())
                .streamMode(props.streamMode())
                .encryption(StreamEncryption.KMS)
                .encryptionKey(props.key())
                // Longer than the event source mapping's maximum record age, so a retried batch is still there.
                .retentionPeriod(Duration.hours(24))
                .removalPolicy(props.removalPolicy());
        if (props.streamMode() == StreamMode.PROVISIONED) {
            streamBuilder.shardCount(spec.stream().shardCount());
        }
        stream = streamBuilder.build();
        NagSuppressions.addResourceSuppressions(stream, List.of(NagPackSuppression.builder()
                .id("AwsSolutions-KDS3")
                .reason("The stream is encrypted with the stack's customer managed key rather than aws/kinesis on "
                        + "purpose: its use is auditable and revocable, and key rotation is on.")
                .build()));

        archiveLogs = LogGroup.Builder.create(this, "ArchiveLogs")
                .retention(RetentionDays.ONE_MONTH)
                .encryptionKey(props.key())
                .removalPolicy(RemovalPolicy.DESTROY)
                .build();

        // No environment: the framer reads nothing but its input.
        archiveFramer = new JavaFunction(this, "Framer", JavaFunction.Props.builder()
                .description("Twinflow archive-framer: Firehose transformation writing each stream record as its archive envelope line")
                .handler(FRAMER_HANDLER)
                .code(props.functionsCode())
                // Framing 1 MiB takes milliseconds; Firehose allows up to 5 minutes.
                .timeout(Duration.minutes(1))
                .memoryMb(spec.deployment().archiveFramerMemoryMb())
                .key(props.key())
                .build());

        PipelineSpec.Buckets buckets = spec.buckets();
        PipelineSpec.Archive buffering = spec.archive();
        archive = DeliveryStream.Builder.create(this, "Archive")
                .source(new KinesisStreamSource(stream))
                .destination(S3Bucket.Builder.create(props.rawBucket())
                        .dataOutputPrefix(buckets.rawPrefix() + "dt=!{timestamp:yyyy-MM-dd}/hour=!{timestamp:HH}/")
                        // Firehose requires the error type in an error prefix that uses expressions.
                        .errorOutputPrefix(buckets.errorPrefix() + "!{firehose:error-output-type}/dt=!{timestamp:yyyy-MM-dd}/")
                        .fileExtension(".json.gz")
                        .compression(Compression.GZIP)
                        // Each envelope ends in its own LF, so no delimiter processor: appending another
                        // would put an empty line between records.
                        .processors(List.of(new LambdaFunctionProcessor(archiveFramer.alias, DataProcessorProps.builder()
                                .bufferSize(Size.mebibytes(FRAMER_BUFFER_MIB))
                                .bufferInterval(FRAMER_BUFFER_INTERVAL)
                                .retries(FRAMER_RETRIES)
                                .build())))
                        .bufferingInterval(Duration.seconds(buffering.bufferInterval().toSeconds()))
                        .bufferingSize(Size.mebibytes(mebibytes(buffering.bufferBytes())))
                        .encryptionKey(props.key())
                        .loggingConfig(new EnableLogging(archiveLogs))
                        .build())
                .build();
        NagSuppressions.addResourceSuppressions(archive, List.of(NagPackSuppression.builder()
                .id("AwsSolutions-KDF1")
                .reason("Firehose does not allow server-side encryption on a delivery stream whose source is a "
                        + "Kinesis stream; records stay encrypted with the stack's key in that stream and in the raw bucket.")
                .build()));
        // The Firehose construct always adds its regional CIDR mapping (for Redshift and other
        // destinations that allow-list Firehose's addresses); an S3 destination never reads it.
        Validations.of(Stack.of(this)).acknowledge(Acknowledgment.builder()
                .id("CloudFormation-Validate::W7001")
                .reason("Unused Firehose CIDR mapping added by the DeliveryStream construct; harmless for an S3 destination")
                .build());
    }

    /** Firehose buffers in whole MiB: refuse a spec it could not honour rather than round silently. */
    static int mebibytes(int bytes) {
        if (bytes <= 0 || bytes % MEBIBYTE != 0) {
            throw new IllegalArgumentException("archive buffer size must be a positive whole number of MiB, got " + bytes + " bytes");
        }
        return (int) (bytes / MEBIBYTE);
    }
}
