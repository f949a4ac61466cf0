package io.twinflow.infra;

import io.github.cdklabs.cdknag.NagPackSuppression;
import io.github.cdklabs.cdknag.NagSuppressions;
import io.twinflow.core.pipeline.PipelineSpec;
import java.util.List;
import java.util.Locale;
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
import software.amazon.awscdk.services.msk.CfnServerlessCluster;
import software.constructs.Construct;

/**
 * Amazon MSK as a second stream source ({@code -c source=msk|both}): an MSK Serverless cluster in the
 * warehouse VPC's private subnets with IAM authentication (MSK Serverless always encrypts in transit with
 * TLS and at rest), the Kafka stream-processor function ({@code KafkaProcessorHandler}, the same
 * environment and table access as the Kinesis one) and its event source mapping, which reads the topic
 * named like the stream. The mapping's pollers reach the cluster inside the VPC and need the Lambda, STS
 * and SQS (on-failure destination) APIs there, hence the interface endpoints.
 *
 * <p>The function may do exactly what the mapping needs on this cluster: connect, describe and read the
 * one topic, describe and alter (commit offsets of) the one consumer group.
 */
public final class MskSource extends Construct {

    static final String HANDLER = "io.twinflow.functions.stream.KafkaProcessorHandler::handleRequest";
    /** Port of MSK's IAM-authenticated listener. */
    static final int IAM_PORT = 9098;

    public final CfnServerlessCluster cluster;
    public final SecurityGroup securityGroup;
    public final JavaFunction processor;
    public final String consumerGroup;

    public record Props(PipelineSpec spec, Code code, IVpc vpc, StreamProcessing streamProcessing, IKey key) {
    }

    public MskSource(Construct scope, String id, Props props) {
        super(scope, id);
        PipelineSpec spec = props.spec();
        SubnetSelection privateSubnets = SubnetSelection.builder().subnetType(SubnetType.PRIVATE_ISOLATED).build();

        securityGroup = SecurityGroup.Builder.create(this, "SecurityGroup")
                .vpc(props.vpc())
                .description("MSK brokers, the event source mapping's pollers and the VPC endpoints they call")
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
        String clusterUuid = Fn.select(2, Fn.split("/", cluster.getAttrArn()));
        String prefix = "arn:" + Aws.PARTITION + ":kafka:" + Aws.REGION + ":" + Aws.ACCOUNT_ID + ":";
        processor.role.addToPrincipalPolicy(PolicyStatement.Builder.create()
                .actions(List.of("kafka-cluster:Connect", "kafka-cluster:DescribeCluster"))
                .resources(List.of(cluster.getAttrArn()))
                .build());
        processor.role.addToPrincipalPolicy(PolicyStatement.Builder.create()
                .actions(List.of("kafka-cluster:DescribeTopic", "kafka-cluster:ReadData"))
                .resources(List.of(Fn.join("", List.of(prefix, "topic/", clusterName, "/", clusterUuid, "/", topic))))
                .build());
        processor.role.addToPrincipalPolicy(PolicyStatement.Builder.create()
                .actions(List.of("kafka-cluster:DescribeGroup", "kafka-cluster:AlterGroup"))
                .resources(List.of(Fn.join("", List.of(prefix, "group/", clusterName, "/", clusterUuid, "/", consumerGroup))))
                .build());

        PipelineSpec.StreamMapping mapping = spec.streamMapping();
        processor.alias.addEventSource(ManagedKafkaEventSource.Builder.create()
                .clusterArn(cluster.getAttrArn())
                .topic(topic)
                .consumerGroupId(consumerGroup)
                // As for Kinesis: a mapping created after records were produced still reads them all.
                .startingPosition(StartingPosition.TRIM_HORIZON)
                .batchSize(mapping.batchSize())
                .maxBatchingWindow(Duration.millis(mapping.maxBatchingWindow().toMillis()))
                .build());
        // CDK attaches AWSLambdaMSKExecutionRole for the mapping, which also allows writing to every log group
        // and describing every cluster: replaced by what the mapping needs, on this cluster where it can be named.
        ((CfnRole) processor.role.getNode().getDefaultChild()).setManagedPolicyArns((List<String>) null);
        processor.role.addToPrincipalPolicy(PolicyStatement.Builder.create()
                .actions(List.of("kafka:DescribeCluster", "kafka:DescribeClusterV2", "kafka:GetBootstrapBrokers"))
                .resources(List.of(cluster.getAttrArn()))
                .build());
        processor.role.addToPrincipalPolicy(PolicyStatement.Builder.create()
                .actions(List.of("ec2:CreateNetworkInterface", "ec2:DescribeNetworkInterfaces", "ec2:DeleteNetworkInterface",
                        "ec2:DescribeVpcs", "ec2:DescribeSubnets", "ec2:DescribeSecurityGroups"))
                .resources(List.of("*"))
                .build());
        NagSuppressions.addResourceSuppressions(processor.role, List.of(NagPackSuppression.builder()
                .id("AwsSolutions-IAM5")
                .reason("The MSK event source mapping's pollers create and describe their network interfaces in the "
                        + "cluster's VPC; EC2's Describe actions and CreateNetworkInterface on a not yet existing interface "
                        + "take no narrower resource. Every kafka and kafka-cluster action is on this cluster, topic or group.")
                .appliesTo(List.of("Resource::*"))
                .build()), true);
    }
}
