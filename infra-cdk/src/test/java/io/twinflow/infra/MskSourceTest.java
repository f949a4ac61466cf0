package io.twinflow.infra;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.cdklabs.cdknag.AwsSolutionsChecks;
import io.twinflow.core.pipeline.PipelineSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.App;
import software.amazon.awscdk.Aspects;
import software.amazon.awscdk.CfnElement;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.assertions.Annotations;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;
import software.amazon.awscdk.cxapi.SynthesisMessage;

/**
 * {@code -c source=msk}: one more stack synthesized with cdk-nag, as {@link SynthesizedStack} does for the
 * default one; and the default stack, which must hold nothing of MSK.
 */
class MskSourceTest {

    private static final StackSettings SETTINGS = StackSettings.fromContext(key -> StackSettings.SOURCE.equals(key) ? "msk" : null);
    private static final TwinflowStack STACK;
    private static final Template TEMPLATE;
    private static final PipelineSpec SPEC = SETTINGS.spec();

    static {
        App app = TwinflowApp.newApp();
        STACK = new TwinflowStack(app, "TwinflowMsk", StackProps.builder().build(), SETTINGS, SynthesizedStack.ARTIFACTS);
        Aspects.of(app).add(new AwsSolutionsChecks());
        TEMPLATE = Template.fromStack(STACK);
    }

    private static JsonNode template() {
        return SynthesizedStack.JSON.valueToTree(TEMPLATE.toJSON());
    }

    /** The template's resources of one type, by logical id. */
    private static JsonNode resources(String type) {
        return SynthesizedStack.JSON.valueToTree(TEMPLATE.findResources(type));
    }

    @Test
    void theSourceContextKeyTakesKinesisMskOrBothAndDefaultsToKinesis() {
        assertThat(StackSettings.defaults().source()).isEqualTo(StackSettings.Source.KINESIS);
        assertThat(SETTINGS.source()).isEqualTo(StackSettings.Source.MSK);
        assertThat(StackSettings.fromContext(key -> StackSettings.SOURCE.equals(key) ? "both" : null).source())
                .isEqualTo(StackSettings.Source.BOTH);
    }

    /** The Kafka processor's figures are graphed apart from the Kinesis one's, from the same stack's metrics. */
    @Test
    void theDashboardGraphsTheKafkaProcessorsRecordsBesideTheKinesisOnes() {
        String body = resources("AWS::CloudWatch::Dashboard").toString();
        for (String source : List.of("kinesis", "kafka")) {
            assertThat(body).contains("\\\"source\\\",\\\"" + source + "\\\",\\\"stack\\\",\\\"" + SPEC.prefix() + "\\\"");
        }
    }

    @Test
    void theDefaultStackHasNoMskResource() {
        assertThat(SynthesizedStack.TEMPLATE.findResources("AWS::MSK::ServerlessCluster")).isEmpty();
        assertThat(SynthesizedStack.TEMPLATE.findResources("AWS::Lambda::EventSourceMapping")).hasSize(1);
        assertThat(SynthesizedStack.TEMPLATE.findOutputs("MskClusterArn")).isEmpty();
        assertThat(SynthesizedStack.STACK.msk).isNull();
    }

    @Test
    void theClusterIsServerlessWithIamAuthenticationInThePrivateSubnets() {
        TEMPLATE.resourceCountIs("AWS::MSK::ServerlessCluster", 1);
        TEMPLATE.hasResourceProperties("AWS::MSK::ServerlessCluster", Map.of(
                "ClusterName", SPEC.prefix() + "-telemetry",
                "ClientAuthentication", Map.of("Sasl", Map.of("Iam", Map.of("Enabled", true)))));
        JsonNode vpcConfig = template().at("/Resources/" + TEMPLATE.findResources("AWS::MSK::ServerlessCluster").keySet().iterator().next()
                + "/Properties/VpcConfigs/0");
        // The warehouse VPC's isolated subnets, one per Availability Zone: no route to or from the internet.
        assertThat(vpcConfig.get("SubnetIds")).hasSize(3);
        vpcConfig.get("SubnetIds").forEach(subnet -> assertThat(subnet.get("Ref").asText()).contains("warehouseSubnet"));
        TEMPLATE.hasResourceProperties("AWS::EC2::SecurityGroupIngress", Map.of("IpProtocol", "tcp",
                "FromPort", MskSource.IAM_PORT, "ToPort", MskSource.IAM_PORT));
        assertThat(TEMPLATE.findResources("AWS::EC2::SecurityGroupIngress", Map.of("Properties",
                Map.of("CidrIp", "0.0.0.0/0")))).isEmpty();
    }

    @Test
    void theMappingReadsTheStreamsTopicWithItsOwnGroupFromTheOldestRecord() {
        TEMPLATE.hasResourceProperties("AWS::Lambda::EventSourceMapping", Map.of(
                "Topics", List.of(SPEC.stream().name()),
                "StartingPosition", "TRIM_HORIZON",
                "BatchSize", SPEC.streamMapping().batchSize(),
                "MaximumBatchingWindowInSeconds", (int) SPEC.streamMapping().maxBatchingWindow().toSeconds(),
                "AmazonManagedKafkaEventSourceConfig", Map.of("ConsumerGroupId", SPEC.functions().streamProcessor() + "-msk")));
        TEMPLATE.hasResourceProperties("AWS::Lambda::Function", Map.of("Handler", MskSource.HANDLER));
        // The pollers run inside the VPC: Lambda, STS and the on-failure queue's SQS are reached through endpoints.
        assertThat(TEMPLATE.findResources("AWS::EC2::VPCEndpoint", Map.of("Properties", Map.of("VpcEndpointType", "Interface"))))
                .hasSize(3);
    }

    @Test
    void theFunctionMayReadExactlyTheTopicAndCommitExactlyItsGroup() {
        String policies = template().at("/Resources").properties().stream()
                .filter(e -> e.getValue().path("Type").asText().equals("AWS::IAM::Policy"))
                .filter(e -> e.getKey().startsWith("MskProcessor"))
                .map(e -> e.getValue().toString()).collect(Collectors.joining());
        assertThat(policies).contains("kafka-cluster:Connect", "kafka-cluster:DescribeTopic", "kafka-cluster:ReadData",
                "kafka-cluster:DescribeGroup", "kafka-cluster:AlterGroup");
        assertThat(policies).doesNotContain("kafka-cluster:*", "kafka-cluster:WriteData", "kafka-cluster:CreateTopic");
        // arn:…:topic/<cluster name>/<cluster uuid, from the cluster's ARN>/<topic>; the same for the group.
        String uuid = "\",{\"Fn::Select\":[2,{\"Fn::Split\":[\"/\",{\"Fn::GetAtt\":[";
        assertThat(policies).contains(":topic/" + SPEC.prefix() + "-telemetry/" + uuid).contains("\"/" + SPEC.stream().name() + "\"]]");
        assertThat(policies).contains(":group/" + SPEC.prefix() + "-telemetry/" + uuid)
                .contains("\"/" + SPEC.functions().streamProcessor() + "-msk\"]]");
        // No managed policy: AWSLambdaMSKExecutionRole, which CDK attaches, would let it write to any log group.
        assertThat(TEMPLATE.findResources("AWS::IAM::Role", Map.of("Properties", Map.of("ManagedPolicyArns", Match.anyValue()))))
                .isEmpty();
    }

    @Test
    void theArchiverReadsTheTopicWithAGroupOfItsOwnAndMayReadNothingElse() {
        TEMPLATE.hasResourceProperties("AWS::Lambda::Function", Map.of("Handler", MskSource.ARCHIVE_HANDLER,
                "Environment", Map.of("Variables", Match.objectLike(Map.of("TWINFLOW_PREFIX", SPEC.prefix(),
                        "TWINFLOW_RAW_BUCKET", Match.anyValue())))));
        TEMPLATE.hasResourceProperties("AWS::Lambda::EventSourceMapping", Map.of(
                "Topics", List.of(SPEC.stream().name()),
                "StartingPosition", "TRIM_HORIZON",
                "BatchSize", MskSource.ARCHIVE_BATCH_SIZE,
                "MaximumBatchingWindowInSeconds", (int) SPEC.archive().bufferInterval().toSeconds(),
                "AmazonManagedKafkaEventSourceConfig", Map.of("ConsumerGroupId", SPEC.prefix() + "-raw-archive-msk")));
        assertThat(STACK.msk.archiveGroup).isNotEqualTo(STACK.msk.consumerGroup);
        TEMPLATE.resourceCountIs("AWS::Lambda::EventSourceMapping", 3);

        String policies = policiesOf("MskArchiver");
        assertThat(policies).contains("kafka-cluster:Connect", "kafka-cluster:DescribeTopic", "kafka-cluster:ReadData",
                "kafka-cluster:DescribeGroup", "kafka-cluster:AlterGroup");
        assertThat(policies).contains(":group/" + SPEC.prefix() + "-telemetry/").contains("\"/" + SPEC.prefix() + "-raw-archive-msk\"]]");
        assertThat(policies).doesNotContain("kafka-cluster:*", "kafka-cluster:WriteData", SPEC.functions().streamProcessor() + "-msk");
        // S3: put only, only under the raw prefix; no read, list or delete; no DynamoDB.
        assertThat(policies).contains("\"s3:PutObject\"").contains("/" + SPEC.buckets().rawPrefix() + "*");
        assertThat(policies).doesNotContain("s3:GetObject", "s3:List", "s3:Delete", "s3:*", "dynamodb:");
        assertThat(policies).doesNotContain(SPEC.functions().streamProcessor() + "-msk\"");
    }

    @Test
    void bothMappingsDescribeGivenUpBatchesToTheOnFailureQueueTheStreamFailuresAlarmWatches() {
        String queue = STACK.getLogicalId((CfnElement) STACK.streamProcessing.failures.getNode().getDefaultChild());
        List<JsonNode> destinations = new ArrayList<>();
        template().at("/Resources").forEach(r -> {
            if (r.path("Type").asText().equals("AWS::Lambda::EventSourceMapping") && r.at("/Properties/Topics").isArray()) {
                destinations.add(r.at("/Properties/DestinationConfig/OnFailure/Destination"));
            }
        });
        assertThat(destinations).hasSize(2).allSatisfy(destination ->
                assertThat(destination).isEqualTo(SynthesizedStack.JSON.valueToTree(Map.of("Fn::GetAtt", List.of(queue, "Arn")))));
        // The queue the Kinesis mapping uses and the alarm watches: one alarm for every source.
        TEMPLATE.hasResourceProperties("AWS::CloudWatch::Alarm", Map.of("MetricName", "ApproximateNumberOfMessagesVisible",
                "Dimensions", List.of(Map.of("Name", "QueueName", "Value", Map.of("Fn::GetAtt", List.of(queue, "QueueName"))))));
        for (String function : List.of("MskProcessor", "MskArchiver")) {
            assertThat(policiesOf(function)).as(function).contains("\"sqs:SendMessage\"").contains(queue);
        }
    }

    @Test
    void failedInvocationsOfTheKafkaProcessorAndArchiverAlarmToTheStacksTopic() {
        String topic = STACK.getLogicalId((CfnElement) STACK.observability.alarmTopic.getNode().getDefaultChild());
        for (JavaFunction function : List.of(STACK.msk.processor, STACK.msk.archiver)) {
            String name = STACK.getLogicalId((CfnElement) function.function.getNode().getDefaultChild());
            TEMPLATE.hasResourceProperties("AWS::CloudWatch::Alarm", Map.of("MetricName", "Errors", "Namespace", "AWS/Lambda",
                    "Statistic", "Sum", "Period", 300, "Threshold", 0,
                    "Dimensions", List.of(Map.of("Name", "FunctionName", "Value", Map.of("Ref", name))),
                    "AlarmActions", List.of(Map.of("Ref", topic))));
        }
        assertThat(STACK.observability.kafkaProcessorErrors).isNotNull();
        assertThat(STACK.observability.kafkaArchiverErrors).isNotNull();
    }

    /**
     * With a Kafka source the quarantine rate alarms per source: a broken Kafka producer cannot hide behind a
     * busier Kinesis stream, nor the other way round.
     */
    @Test
    void theQuarantineRateAlarmsPerSource() {
        Map<String, String> sourceOfAlarm = new TreeMap<>();
        resources("AWS::CloudWatch::Alarm").forEach(r -> {
            if (r.at("/Properties/Metrics").toString().contains("quarantined")) {
                List<String> sources = new ArrayList<>();
                r.at("/Properties/Metrics").forEach(m -> m.at("/MetricStat/Metric/Dimensions").forEach(d -> {
                    if (d.path("Name").asText().equals("source")) {
                        sources.add(d.path("Value").asText());
                    }
                }));
                assertThat(sources).hasSize(2).containsOnly(sources.get(0));
                sourceOfAlarm.put(r.at("/Properties/AlarmDescription").asText(), sources.get(0));
            }
        });
        assertThat(sourceOfAlarm).hasSize(2).containsValues("kinesis", "kafka");
        assertThat(sourceOfAlarm).allSatisfy((description, source) -> assertThat(description).containsIgnoringCase(source));
        assertThat(STACK.observability.kafkaQuarantineRate).isNotNull();
    }

    /**
     * Each Kafka function's consumer group alarms, to the stack's topic, when its offset lag (Lambda's
     * {@code OffsetLag} for that function, per minute) grew in every one of 15 consecutive minutes.
     */
    @Test
    void offsetLagGrowingForFifteenMinutesAlarmsForBothKafkaFunctions() {
        String topic = STACK.getLogicalId((CfnElement) STACK.observability.alarmTopic.getNode().getDefaultChild());
        List<JsonNode> lagAlarms = new ArrayList<>();
        resources("AWS::CloudWatch::Alarm").forEach(r -> {
            if (r.at("/Properties/Metrics").toString().contains("OffsetLag")) {
                lagAlarms.add(r.path("Properties"));
            }
        });
        List<String> watched = new ArrayList<>();
        for (JsonNode alarm : lagAlarms) {
            assertThat(alarm.path("EvaluationPeriods").asInt()).isEqualTo(15);
            assertThat(alarm.path("ComparisonOperator").asText()).isEqualTo("GreaterThanThreshold");
            assertThat(alarm.path("Threshold").asDouble()).isZero();
            assertThat(alarm.path("AlarmActions").toString()).contains(topic);
            JsonNode expression = null;
            JsonNode lag = null;
            for (JsonNode m : alarm.path("Metrics")) {
                if (m.has("Expression")) {
                    expression = m;
                } else {
                    lag = m;
                }
            }
            assertThat(expression).isNotNull();
            assertThat(expression.path("Expression").asText()).isEqualTo("DIFF(" + lag.path("Id").asText() + ")");
            assertThat(expression.path("ReturnData").asBoolean(true)).isTrue();
            assertThat(lag.path("ReturnData").asBoolean()).isFalse();
            JsonNode stat = lag.path("MetricStat");
            assertThat(stat.at("/Metric/Namespace").asText()).isEqualTo("AWS/Lambda");
            assertThat(stat.at("/Metric/MetricName").asText()).isEqualTo("OffsetLag");
            assertThat(stat.path("Stat").asText()).isEqualTo("Maximum");
            assertThat(stat.path("Period").asInt()).isEqualTo(60);
            watched.add(stat.at("/Metric/Dimensions/0/Value/Ref").asText());
        }
        assertThat(watched).containsExactlyInAnyOrder(
                STACK.getLogicalId((CfnElement) STACK.msk.processor.function.getNode().getDefaultChild()),
                STACK.getLogicalId((CfnElement) STACK.msk.archiver.function.getNode().getDefaultChild()));
        assertThat(STACK.observability.kafkaProcessorLag).isNotNull();
        assertThat(STACK.observability.kafkaArchiverLag).isNotNull();
        assertThat(resources("AWS::CloudWatch::Dashboard").toString()).contains("Kafka offset lag (records)").contains("OffsetLag");
    }

    /**
     * EC2 takes only some characters in a security group's or rule's description (an apostrophe fails the
     * deployment, although synth passes): every description in the template, the MSK groups' included, keeps to them.
     */
    @Test
    void everySecurityGroupDescriptionUsesOnlyCharactersEc2Accepts() {
        List<String> descriptions = new ArrayList<>();
        template().at("/Resources").forEach(r -> {
            String type = r.path("Type").asText();
            if (type.equals("AWS::EC2::SecurityGroup")) {
                descriptions.add(r.at("/Properties/GroupDescription").asText());
                r.at("/Properties/SecurityGroupIngress").forEach(rule -> descriptions.add(rule.path("Description").asText("")));
                r.at("/Properties/SecurityGroupEgress").forEach(rule -> descriptions.add(rule.path("Description").asText("")));
            } else if (type.equals("AWS::EC2::SecurityGroupIngress") || type.equals("AWS::EC2::SecurityGroupEgress")) {
                descriptions.add(r.at("/Properties/Description").asText(""));
            }
        });
        assertThat(descriptions).hasSizeGreaterThan(2)
                .allSatisfy(d -> assertThat(d).matches("[a-zA-Z0-9. _\\-:/()#,@\\[\\]+=&;{}!$*]*"));
    }

    private static String policiesOf(String logicalIdPrefix) {
        return template().at("/Resources").properties().stream()
                .filter(e -> e.getValue().path("Type").asText().equals("AWS::IAM::Policy"))
                .filter(e -> e.getKey().startsWith(logicalIdPrefix))
                .map(e -> e.getValue().toString()).collect(Collectors.joining());
    }

    @Test
    void awsSolutionsChecksReportNothingUnsuppressed() {
        List<SynthesisMessage> findings = new ArrayList<>(Annotations.fromStack(STACK).findError("*", Match.stringLikeRegexp("AwsSolutions-.*")));
        findings.addAll(Annotations.fromStack(STACK).findWarning("*", Match.stringLikeRegexp("AwsSolutions-.*")));
        assertThat(findings).as(findings.stream().map(m -> m.getId() + ": " + m.getEntry().getData())
                .collect(Collectors.joining("\n", "cdk-nag findings:\n", ""))).isEmpty();
    }
}
