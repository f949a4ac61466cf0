package io.twinflow.infra;

import io.github.cdklabs.cdknag.NagPackSuppression;
import io.github.cdklabs.cdknag.NagSuppressions;
import io.twinflow.core.pipeline.PipelineSpec;
import io.twinflow.core.settings.FunctionEnvironment;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import software.amazon.awscdk.Aws;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.Fn;
import software.amazon.awscdk.services.ec2.IVpc;
import software.amazon.awscdk.services.ec2.InterfaceVpcEndpointAwsService;
import software.amazon.awscdk.services.ec2.InterfaceVpcEndpointOptions;
import software.amazon.awscdk.services.ec2.Port;
import software.amazon.awscdk.services.ec2.SecurityGroup;
import software.amazon.awscdk.services.ec2.SubnetSelection;
import software.amazon.awscdk.services.ec2.SubnetType;
import software.amazon.awscdk.services.iam.CfnRole;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.kms.IKey;
import software.amazon.awscdk.services.lambda.Code;
import software.amazon.awscdk.services.lambda.StartingPosition;
import software.amazon.awscdk.services.lambda.eventsources.ManagedKafkaEventSource;
import software.amazon.awscdk.services.lambda.eventsources.SqsDlq;
import software.amazon.awscdk.services.msk.CfnServerlessCluster;
import software.amazon.awscdk.services.s3.IBucket;
import software.amazon.awscdk.services.sqs.IQueue;
import software.constructs.Construct;

/**
 * Amazon MSK as a second stream source ({@code -c source=msk|both}): an MSK Serverless cluster in the
 * warehouse VPC's private subnets with IAM authentication (MSK Serverless always encrypts in transit with
 * TLS and at rest), the Kafka stream-processor function ({@code KafkaProcessorHandler}, the same
 * environment and table access as the Kinesis one) and its event source mapping, which reads the topic
 * named like the stream. The mapping's pollers reach the cluster inside the VPC and need the Lambda, STS
 * and SQS (on-failure destination) APIs there, hence the interface endpoints.
 *
 * <p>The raw archive of the topic is a second mapping on the same topic with a consumer group of its own,
 * invoking the archiver ({@code KafkaArchiveHandler}), which writes each partition of a batch as one object
 * of the archive's envelope lines under {@code raw/dt=…/hour=…/}, as Firehose and the archive-framer do for
 * Kinesis. Not Firehose with an MSK source: Firehose reaches an IAM-authenticated cluster privately only
 * through MSK's multi-VPC private connectivity and a cluster policy for Firehose, which this serverless
 * cluster does not have (infra-cdk/README.md says why).
 *
 * <p>Each function may do exactly what its mapping needs on this cluster: connect, describe and read the
 * one topic, describe and alter (commit offsets of) its own consumer group; the archiver may also put
 * objects under the raw prefix, and nothing else in S3.
 *
 * <p>Both mappings describe a batch they give up on to the stream's on-failure queue, the Kinesis mapping's
 * ({@link StreamProcessing#failures}), so the one {@code StreamFailures} alarm covers every source and an
 * operator looks in one place; a record names the function and carries {@code KafkaBatchInfo} (partition,
 * offsets) instead of {@code KinesisBatchInfo}. SQS rather than S3: the metadata is enough to read the
 * records again from the topic, and the queue, its key and its VPC endpoint exist already.
 */
public final class MskSource extends Construct {

    static final String HANDLER = "io.twinflow.functions.stream.KafkaProcessorHandler::handleRequest";
    /** Port of MSK's IAM-authenticated listener. */
    static final int IAM_PORT = 9098;
    static final String ARCHIVE_HANDLER = "io.twinflow.functions.archive.KafkaArchiveHandler::handleRequest";
    /** Records per archive invocation: one object per partition per batch, so larger batches mean fewer objects. */
    static final int ARCHIVE_BATCH_SIZE = 10_000;
    /** The most a Kafka mapping's batching window may be (300 s). */
    static final long MAX_BATCHING_WINDOW_SECONDS = 300;
    /** Gzipping a batch of small records: little memory, and the smallest size keeps an idle archive cheap. */
    static final int ARCHIVER_MEMORY_MB = 512;

    public final CfnServerlessCluster cluster;
    public final SecurityGroup securityGroup;
    public final JavaFunction processor;
    public final String consumerGroup;
    /** The archive of the topic in S3 ({@code KafkaArchiveHandler}) and its consumer group. */
    public final JavaFunction archiver;
    public final String archiveGroup;

    private final String clusterUuid;
    private final String arnPrefix;
    private final IQueue failures;

    public record Props(PipelineSpec spec, Code code, IVpc vpc, StreamProcessing streamProcessing, IKey key, IBucket rawBucket) {
    }

    public MskSource(Construct scope, String id, Props props) {
        super(scope, id);
        PipelineSpec spec = props.spec();
        failures = props.streamProcessing().failures;
        SubnetSelection privateSubnets = SubnetSelection.builder().subnetType(SubnetType.PRIVATE_ISOLATED).build();

        securityGroup = SecurityGroup.Builder.create(this, "SecurityGroup")
                .vpc(props.vpc())
                .description("MSK brokers, the event source mapping pollers and the VPC endpoints they call")
                .allowAllOutbound(true)
                .build();
        // Separate ingress resources (allowInternally): an inline rule naming its own group is a cycle.
        securityGroup.getConnections().allowInternally(Port.tcp(IAM_PORT), "Kafka over TLS with IAM authentication, from the pollers");
        securityGroup.getConnections().allowInternally(Port.tcp(443), "HTTPS to the interface endpoints, from the pollers");
        for (var service : List.of(InterfaceVpcEndpointAwsService.LAMBDA, InterfaceVpcEndpointAwsService.STS,
                InterfaceVpcEndpointAwsService.SQS)) {
            props.vpc().addInterfaceEndpoint("Msk" + service.getShortName().toUpperCase(Locale.ROOT),
                    InterfaceVpcEndpointOptions.builder().service(service).subnets(privateSubnets)
                            .securityGroups(List.of(securityGroup)).open(false).build());
        }

        String clusterName = spec.prefix() + "-telemetry";
        cluster = CfnServerlessCluster.Builder.create(this, "Cluster")
                .clusterName(clusterName)
                .clientAuthentication(CfnServerlessCluster.ClientAuthenticationProperty.builder()
                        .sasl(CfnServerlessCluster.SaslProperty.builder()
                                .iam(CfnServerlessCluster.IamProperty.builder().enabled(true).build())
                                .build())
                        .build())
                .vpcConfigs(List.of(CfnServerlessCluster.VpcConfigProperty.builder()
                        .subnetIds(props.vpc().selectSubnets(privateSubnets).getSubnetIds())
                        .securityGroups(List.of(securityGroup.getSecurityGroupId()))
                        .build()))
                .build();

        processor = new JavaFunction(this, "Processor", JavaFunction.Props.builder()
                .description("Twinflow stream-processor: MSK telemetry to DynamoDB live state, bad records to quarantine")
                .handler(HANDLER)
                .code(props.code())
                .memoryMb(1024)
                .timeout(Duration.minutes(2))
                .environment(props.streamProcessing().environment)
                .key(props.key())
                .build());
        props.streamProcessing().grantProcessing(processor);

        consumerGroup = spec.functions().streamProcessor() + "-msk";
        String topic = spec.stream().name();
        // arn:<partition>:kafka:<region>:<account>:cluster/<name>/<uuid>: topics and groups are named under the same uuid.
        clusterUuid = Fn.select(2, Fn.split("/", cluster.getAttrArn()));
        arnPrefix = "arn:" + Aws.PARTITION + ":kafka:" + Aws.REGION + ":" + Aws.ACCOUNT_ID + ":";
        PipelineSpec.StreamMapping mapping = spec.streamMapping();
        consume(processor, clusterName, topic, consumerGroup, mapping.batchSize(), Duration.millis(mapping.maxBatchingWindow().toMillis()));

        // The raw archive of the topic: a second mapping with a group of its own, so archiving and processing
        // commit their offsets apart and neither waits for, or replays, the other.
        archiveGroup = spec.prefix() + "-raw-archive-msk";
        archiver = new JavaFunction(this, "Archiver", JavaFunction.Props.builder()
                .description("Twinflow MSK archiver: each partition of a batch as one object of archive envelopes under raw/dt=/hour=/")
                .handler(ARCHIVE_HANDLER)
                .code(props.code())
                .memoryMb(ARCHIVER_MEMORY_MB)
                .timeout(Duration.minutes(1))
                // The names FunctionSettings.fromEnvironment reads: the prefix (hence the raw prefix) and the bucket.
                .environment(Map.of(FunctionEnvironment.PREFIX, spec.prefix(), FunctionEnvironment.RAW_BUCKET,
                        props.rawBucket().getBucketName()))
                .key(props.key())
                .build());
        // Write only: new objects under the raw prefix, encrypted with the bucket's key. Nothing to read, list or delete.
        archiver.role.addToPrincipalPolicy(PolicyStatement.Builder.create()
                .actions(List.of("s3:PutObject"))
                .resources(List.of(props.rawBucket().arnForObjects(spec.buckets().rawPrefix() + "*")))
                .build());
        props.key().grant(archiver.role, "kms:GenerateDataKey");
        // Firehose's buffers for Kinesis: a batch is at most the archive buffer's interval old when written.
        consume(archiver, clusterName, topic, archiveGroup, ARCHIVE_BATCH_SIZE,
                Duration.seconds(Math.min(MAX_BATCHING_WINDOW_SECONDS, spec.archive().bufferInterval().toSeconds())));
    }

    /**
     * Gives {@code function} an event source mapping on the topic with its own consumer group, from the oldest
     * record, batches given up on described to the on-failure queue, and exactly the access the mapping needs
     * (sending to that queue, with its key, is granted by {@link SqsDlq}): connect to and describe this cluster, describe and read
     * the one topic, describe and commit the one group, and its pollers' network interfaces in the VPC.
     */
    private void consume(JavaFunction function, String clusterName, String topic, String group, int batchSize, Duration window) {
        function.role.addToPrincipalPolicy(PolicyStatement.Builder.create()
                .actions(List.of("kafka-cluster:Connect", "kafka-cluster:DescribeCluster"))
                .resources(List.of(cluster.getAttrArn()))
                .build());
        function.role.addToPrincipalPolicy(PolicyStatement.Builder.create()
                .actions(List.of("kafka-cluster:DescribeTopic", "kafka-cluster:ReadData"))
                .resources(List.of(Fn.join("", List.of(arnPrefix, "topic/", clusterName, "/", clusterUuid, "/", topic))))
                .build());
        function.role.addToPrincipalPolicy(PolicyStatement.Builder.create()
                .actions(List.of("kafka-cluster:DescribeGroup", "kafka-cluster:AlterGroup"))
                .resources(List.of(Fn.join("", List.of(arnPrefix, "group/", clusterName, "/", clusterUuid, "/", group))))
                .build());

        function.alias.addEventSource(ManagedKafkaEventSource.Builder.create()
                .clusterArn(cluster.getAttrArn())
                .topic(topic)
                .consumerGroupId(group)
                // As for Kinesis: a mapping created after records were produced still reads them all.
                .startingPosition(StartingPosition.TRIM_HORIZON)
                .batchSize(batchSize)
                .maxBatchingWindow(window)
                .onFailure(new SqsDlq(failures))
                .build());
        // CDK attaches AWSLambdaMSKExecutionRole for the mapping, which also allows writing to every log group
        // and describing every cluster: replaced by what the mapping needs, on this cluster where it can be named.
        ((CfnRole) function.role.getNode().getDefaultChild()).setManagedPolicyArns((List<String>) null);
        function.role.addToPrincipalPolicy(PolicyStatement.Builder.create()
                .actions(List.of("kafka:DescribeCluster", "kafka:DescribeClusterV2", "kafka:GetBootstrapBrokers"))
                .resources(List.of(cluster.getAttrArn()))
                .build());
        function.role.addToPrincipalPolicy(PolicyStatement.Builder.create()
                .actions(List.of("ec2:CreateNetworkInterface", "ec2:DescribeNetworkInterfaces", "ec2:DeleteNetworkInterface",
                        "ec2:DescribeVpcs", "ec2:DescribeSubnets", "ec2:DescribeSecurityGroups"))
                .resources(List.of("*"))
                .build());
        NagSuppressions.addResourceSuppressions(function.role, List.of(NagPackSuppression.builder()
                .id("AwsSolutions-IAM5")
                .reason("The MSK event source mapping's pollers create and describe their network interfaces in the "
                        + "cluster's VPC; EC2's Describe actions and CreateNetworkInterface on a not yet existing interface "
                        + "take no narrower resource. Every kafka and kafka-cluster action is on this cluster, topic or group.")
                .appliesTo(List.of("Resource::*"))
                .build()), true);
    }
}
