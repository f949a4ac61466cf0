package io.twinflow.infra;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.twinflow.core.event.DecoderLimits;
import io.twinflow.core.pipeline.PipelineSpec;
import io.twinflow.functions.FunctionSettings;
import io.twinflow.live.LiveTables;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Capture;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

/** Asserts the critical settings of the synthesized default stack (one synth, shared with {@link CdkNagTest}). */
class TwinflowStackTest {

    private static final Template TEMPLATE = SynthesizedStack.TEMPLATE;
    private static final PipelineSpec SPEC = SynthesizedStack.SETTINGS.spec();
    private static final ObjectMapper JSON = new ObjectMapper();

    private static String logicalId(String type, Map<String, Object> properties) {
        Map<String, Map<String, Object>> found = TEMPLATE.findResources(type, Map.of("Properties", Match.objectLike(properties)));
        assertThat(found).as("exactly one %s with %s", type, properties).hasSize(1);
        return found.keySet().iterator().next();
    }

    private static Map<String, Object> ref(String logicalId) {
        return Map.of("Ref", logicalId);
    }

    private static Map<String, Object> arnOf(String logicalId) {
        return Map.of("Fn::GetAtt", List.of(logicalId, "Arn"));
    }

    @Nested
    class Processor {

        @Test
        void eventSourceMappingCarriesEverySettingOfTheSpecAndAnEncryptedOnFailureQueue() {
            PipelineSpec.StreamMapping m = SPEC.streamMapping();
            String failures = logicalId("AWS::SQS::Queue", Map.of("QueueName", SPEC.queues().streamFailures()));
            TEMPLATE.hasResourceProperties("AWS::SQS::Queue", Map.of(
                    "QueueName", SPEC.queues().streamFailures(),
                    "KmsMasterKeyId", Match.anyValue()));
            TEMPLATE.resourceCountIs("AWS::Lambda::EventSourceMapping", 1);
            TEMPLATE.hasResourceProperties("AWS::Lambda::EventSourceMapping", Map.of(
                    "BatchSize", m.batchSize(),
                    "MaximumBatchingWindowInSeconds", m.maxBatchingWindow().toSeconds(),
                    "BisectBatchOnFunctionError", m.bisectOnError(),
                    "FunctionResponseTypes", List.of("ReportBatchItemFailures"),
                    "MaximumRetryAttempts", m.maxRetries(),
                    "MaximumRecordAgeInSeconds", m.maxRecordAge().toSeconds(),
                    "ParallelizationFactor", m.parallelizationFactor(),
                    "StartingPosition", "TRIM_HORIZON",
                    "DestinationConfig", Map.of("OnFailure", Map.of("Destination", arnOf(failures)))));
            assertThat(m.reportBatchItemFailures()).as("the handler answers with batchItemFailures").isTrue();
        }

        @Test
        void eventSourceMappingInvokesTheSnapStartAliasNotTheUnqualifiedFunction() {
            Capture target = new Capture();
            TEMPLATE.hasResourceProperties("AWS::Lambda::EventSourceMapping", Map.of("FunctionName", target));
            String alias = logicalId("AWS::Lambda::Alias", Map.of("Name", JavaFunction.ALIAS,
                    "FunctionName", ref(processorId())));
            // Lambda takes the qualified name <function>:<alias>; CDK derives it from the alias ARN.
            assertThat(target.asObject().toString()).contains(alias, ":" + JavaFunction.ALIAS);
            assertThat(TEMPLATE.findResources("AWS::Lambda::Version")).isNotEmpty();
        }

        @Test
        void processorRunsTheNewestJavaOnArmWithSnapStartAndTheTableAndBucketNames() {
            Capture environment = new Capture();
            TEMPLATE.hasResourceProperties("AWS::Lambda::Function", Map.of(
                    "Handler", StreamProcessing.HANDLER,
                    "Runtime", "java25",
                    "Architectures", List.of("arm64"),
                    "SnapStart", Map.of("ApplyOn", "PublishedVersions"),
                    "LoggingConfig", Map.of("LogFormat", "Text", "LogGroup", Match.anyValue()),
                    "Environment", Map.of("Variables", environment)));
            assertThat(environment.asObject()).containsOnlyKeys("TWINFLOW_PREFIX", "TWINFLOW_DEVICE_STATE_TABLE",
                    "TWINFLOW_WINDOW_TABLE", "TWINFLOW_ALERT_TABLE", "TWINFLOW_QUARANTINE_BUCKET",
                    "TWINFLOW_MAX_FUTURE_SKEW_SECONDS", "TWINFLOW_MAX_LATENESS_SECONDS");
            assertThat(environment.asObject()).containsEntry("TWINFLOW_PREFIX", SPEC.prefix());
            assertThat(environment.asObject().get("TWINFLOW_QUARANTINE_BUCKET")).isEqualTo(ref(bucketId("Quarantine")));
        }

        private String processorId() {
            return logicalId("AWS::Lambda::Function", Map.of("Handler", StreamProcessing.HANDLER));
        }
    }

    @Nested
    class Tables {

        @Test
        void everyTableIsOnDemandEncryptedWithTheDataKeyAndRecoverable() {
            TEMPLATE.resourceCountIs("AWS::DynamoDB::Table", 3);
            for (LiveTables.TableDefinition table : definitions()) {
                List<Object> keys = new ArrayList<>();
                keys.add(Map.of("AttributeName", table.partitionKey(), "KeyType", "HASH"));
                if (table.sortKey() != null) {
                    keys.add(Map.of("AttributeName", table.sortKey(), "KeyType", "RANGE"));
                }
                TEMPLATE.hasResourceProperties("AWS::DynamoDB::Table", Map.of(
                        "TableName", table.name(),
                        "KeySchema", keys,
                        "BillingMode", "PAY_PER_REQUEST",
                        "PointInTimeRecoverySpecification", Map.of("PointInTimeRecoveryEnabled", true),
                        "SSESpecification", Map.of("SSEEnabled", true, "SSEType", "KMS", "KMSMasterKeyId", Match.anyValue()),
                        "DeletionProtectionEnabled", true));
            }
        }

        @Test
        void windowAndAlertItemsExpireByTheTtlAttributeTheFunctionsWrite() {
            PipelineSpec.Tables names = SPEC.tables();
            for (String table : List.of(names.deviceWindows(), names.alerts())) {
                TEMPLATE.hasResourceProperties("AWS::DynamoDB::Table", Map.of("TableName", table,
                        "TimeToLiveSpecification", Map.of("AttributeName", LiveTables.EXPIRES_AT, "Enabled", true)));
            }
            TEMPLATE.hasResourceProperties("AWS::DynamoDB::Table", Map.of("TableName", names.deviceState(),
                    "TimeToLiveSpecification", Match.absent()));
        }

        private List<LiveTables.TableDefinition> definitions() {
            PipelineSpec.Tables names = SPEC.tables();
            return LiveTables.definitions(names.deviceState(), names.deviceWindows(), names.alerts());
        }
    }

    @Nested
    class Stream {

        @Test
        void streamIsNamedBySpecOnDemandAndEncryptedWithTheDataKey() {
            TEMPLATE.hasResourceProperties("AWS::Kinesis::Stream", Map.of(
                    "Name", SPEC.stream().name(),
                    "StreamModeDetails", Map.of("StreamMode", "ON_DEMAND"),
                    "ShardCount", Match.absent(),
                    "StreamEncryption", Map.of("EncryptionType", "KMS", "KeyId", arnOf(keyId()))));
        }

        @Test
        void firehoseArchivesGzippedEnvelopeLinesFramedByTheFramerUnderTheRawHourPrefix() {
            Capture processors = new Capture();
            TEMPLATE.hasResourceProperties("AWS::KinesisFirehose::DeliveryStream", Map.of(
                    "DeliveryStreamType", "KinesisStreamAsSource",
                    "ExtendedS3DestinationConfiguration", Match.objectLike(Map.of(
                            "BucketARN", arnOf(bucketId("Raw")),
                            "Prefix", "raw/dt=!{timestamp:yyyy-MM-dd}/hour=!{timestamp:HH}/",
                            "ErrorOutputPrefix", Match.stringLikeRegexp("^errors/.*"),
                            "CompressionFormat", "GZIP",
                            "BufferingHints", Map.of(
                                    "IntervalInSeconds", SPEC.archive().bufferInterval().toSeconds(),
                                    "SizeInMBs", SPEC.archive().bufferBytes() / (1024 * 1024)),
                            "EncryptionConfiguration", Map.of("KMSEncryptionConfig", Map.of("AWSKMSKeyARN", arnOf(keyId()))),
                            "ProcessingConfiguration", Map.of("Enabled", true, "Processors", processors)))));
            // The framer only: each envelope carries its own LF, so no AppendDelimiterToRecord processor.
            assertThat(processors.asArray()).singleElement().satisfies(p -> {
                Map<?, ?> processor = (Map<?, ?>) p;
                assertThat(processor.get("Type")).isEqualTo("Lambda");
                Map<String, Object> parameters = new HashMap<>();
                for (Object parameter : (List<?>) processor.get("Parameters")) {
                    Map<?, ?> named = (Map<?, ?>) parameter;
                    parameters.put((String) named.get("ParameterName"), named.get("ParameterValue"));
                }
                assertThat(parameters).containsEntry("LambdaArn", ref(framerAliasId()))
                        .containsEntry("BufferSizeInMBs", "1")
                        .containsEntry("BufferIntervalInSeconds", "60")
                        .containsEntry("NumberOfRetries", "3");
            });
        }

        @Test
        void framerBufferKeepsAWholeBufferOfSmallestValidEventsWithinLambdasSixMegabyteResponse() {
            // The smallest valid event is about 90 bytes; its envelope adds about 100 (a 56-digit sequence
            // number, shard id, arrival), the response entry its recordId (about 70) and base64.
            long records = Ingest.FRAMER_BUFFER_MIB * 1024L * 1024L / 90;
            long response = records * (70 + 56 + (90 + 100 + 2) / 3 * 4);
            assertThat(response).isLessThan(6L * 1024 * 1024);
            assertThat(Ingest.FRAMER_BUFFER_MIB).isBetween(1, 3);
        }

        @Test
        void framerRunsTheFramerHandlerOnJavaArmWithSnapStartAndNeedsNoSettings() {
            TEMPLATE.hasResourceProperties("AWS::Lambda::Function", Map.of(
                    "Handler", Ingest.FRAMER_HANDLER,
                    "Runtime", "java25",
                    "Architectures", List.of("arm64"),
                    "SnapStart", Map.of("ApplyOn", "PublishedVersions"),
                    // Firehose waits at most 5 minutes for a transformation.
                    "Timeout", 60,
                    "Environment", Match.absent()));
        }

        @Test
        void firehoseMayInvokeTheFramerAliasAndNoOtherFunction() {
            List<JsonNode> invokes = new ArrayList<>();
            for (Map<String, Object> policy : TEMPLATE.findResources("AWS::IAM::Policy").values()) {
                for (JsonNode statement : JSON.valueToTree(policy).at("/Properties/PolicyDocument/Statement")) {
                    if (statement.get("Action").toString().contains("lambda:")) {
                        invokes.add(statement);
                    }
                }
            }
            List<JsonNode> byFirehose = invokes.stream().filter(st -> st.get("Resource").toString().contains(framerAliasId())).toList();
            assertThat(byFirehose).singleElement().satisfies(statement -> {
                assertThat(statement.get("Action").asText()).isEqualTo("lambda:InvokeFunction");
                assertThat(statement.get("Resource")).isEqualTo(JSON.valueToTree(ref(framerAliasId())));
            });
            String firehoseRole = JSON.valueToTree(TEMPLATE.findResources("AWS::KinesisFirehose::DeliveryStream").values().iterator().next())
                    .at("/Properties/ExtendedS3DestinationConfiguration/RoleARN/Fn::GetAtt/0").asText();
            Map<String, Map<String, Object>> rolePolicies = TEMPLATE.findResources("AWS::IAM::Policy",
                    Map.of("Properties", Match.objectLike(Map.of("Roles", List.of(ref(firehoseRole))))));
            assertThat(JSON.valueToTree(rolePolicies).toString()).contains(framerAliasId());
        }

        @Test
        void everyDecodingPathIsDeployedWithCoresLatenessBoundAndSkew() {
            DecoderLimits defaults = DecoderLimits.defaults();
            for (String handler : List.of(StreamProcessing.HANDLER, Batch.LOADER_HANDLER)) {
                Capture environment = new Capture();
                TEMPLATE.hasResourceProperties("AWS::Lambda::Function", Map.of(
                        "Handler", handler, "Environment", Map.of("Variables", environment)));
                Map<String, String> resolved = new HashMap<>();
                environment.asObject().forEach((name, value) -> resolved.put(name, value instanceof String text ? text : "resolved-" + name));
                // Read back by the functions' own settings reader: the names and units are the ones it reads.
                assertThat(FunctionSettings.fromEnvironment(resolved).decoderLimits())
                        .as(handler).isEqualTo(defaults);
                assertThat(resolved).containsEntry("TWINFLOW_MAX_LATENESS_SECONDS", String.valueOf(defaults.maxLateness().toSeconds()));
            }
            Capture arguments = new Capture();
            TEMPLATE.hasResourceProperties("AWS::Glue::Job", Map.of("DefaultArguments", arguments));
            assertThat(Duration.parse((String) arguments.asObject().get("--max-lateness"))).isEqualTo(defaults.maxLateness());
            assertThat(Duration.parse((String) arguments.asObject().get("--max-future-skew"))).isEqualTo(defaults.maxFutureSkew());
        }

        private String framerAliasId() {
            List<String> ids = TEMPLATE.findResources("AWS::Lambda::Alias").keySet().stream()
                    .filter(id -> id.startsWith("IngestFramer")).toList();
            assertThat(ids).hasSize(1);
            return ids.get(0);
        }
    }

    @Nested
    class S3 {

        @Test
        void everyBucketBlocksPublicAccessIsEncryptedAndRefusesPlainHttp() {
            Map<String, Map<String, Object>> buckets = TEMPLATE.findResources("AWS::S3::Bucket");
            assertThat(buckets).hasSize(4);
            for (String id : buckets.keySet()) {
                TEMPLATE.hasResource("AWS::S3::Bucket", Map.of("Properties", Match.objectLike(Map.of(
                        "PublicAccessBlockConfiguration", Map.of("BlockPublicAcls", true, "BlockPublicPolicy", true,
                                "IgnorePublicAcls", true, "RestrictPublicBuckets", true),
                        "BucketEncryption", Match.anyValue()))));
                TEMPLATE.hasResourceProperties("AWS::S3::BucketPolicy", Map.of(
                        "Bucket", ref(id),
                        "PolicyDocument", Map.of("Statement", Match.arrayWith(List.of(Match.objectLike(Map.of(
                                "Effect", "Deny",
                                "Condition", Map.of("Bool", Map.of("aws:SecureTransport", "false")))))))));
            }
        }

        @Test
        void dataBucketsAreVersionedKmsEncryptedAndLogAccess() {
            for (String name : List.of("Raw", "Curated", "Quarantine")) {
                TEMPLATE.hasResource("AWS::S3::Bucket", Map.of(
                        "Properties", Match.objectLike(Map.of(
                                "VersioningConfiguration", Map.of("Status", "Enabled"),
                                "BucketEncryption", Map.of("ServerSideEncryptionConfiguration", List.of(Match.objectLike(Map.of(
                                        "ServerSideEncryptionByDefault", Map.of("SSEAlgorithm", "aws:kms",
                                                "KMSMasterKeyID", arnOf(keyId())))))),
                                "LoggingConfiguration", Map.of("DestinationBucketName", ref(bucketId("AccessLogs")),
                                        "LogFilePrefix", name.toLowerCase() + "/"))),
                        "DeletionPolicy", "Retain"));
            }
        }

        @Test
        void rawObjectsMoveToCheaperTiers() {
            TEMPLATE.hasResourceProperties("AWS::S3::Bucket", Map.of("LifecycleConfiguration", Map.of("Rules",
                    Match.arrayWith(List.of(Match.objectLike(Map.of(
                            "Prefix", SPEC.buckets().rawPrefix(),
                            "Transitions", List.of(
                                    Map.of("StorageClass", "STANDARD_IA", "TransitionInDays", 30),
                                    Map.of("StorageClass", "GLACIER_IR", "TransitionInDays", 90)))))))));
        }
    }

    @Nested
    class Redshift {

        @Test
        void workgroupIsNotPublicAndRoutesThroughTheVpcsIsolatedSubnetsInThreeZones() {
            Capture subnets = new Capture();
            TEMPLATE.hasResourceProperties("AWS::RedshiftServerless::Workgroup", Map.of(
                    "PubliclyAccessible", false,
                    "EnhancedVpcRouting", true,
                    "SubnetIds", subnets));
            assertThat(subnets.asArray()).hasSize(3);
            TEMPLATE.resourceCountIs("AWS::EC2::InternetGateway", 0);
            TEMPLATE.resourceCountIs("AWS::EC2::NatGateway", 0);
            TEMPLATE.hasResourceProperties("AWS::EC2::VPCEndpoint", Map.of("VpcEndpointType", "Gateway"));
            TEMPLATE.hasResourceProperties("AWS::EC2::SecurityGroup", Map.of(
                    "GroupDescription", Match.stringLikeRegexp("Redshift Serverless.*"),
                    "SecurityGroupIngress", Match.absent()));
        }

        @Test
        void adminPasswordComesFromSecretsManagerAndTheNamespaceIsEncrypted() {
            String secret = logicalId("AWS::SecretsManager::Secret", Map.of());
            TEMPLATE.hasResourceProperties("AWS::SecretsManager::Secret", Map.of("KmsKeyId", arnOf(keyId())));
            TEMPLATE.hasResourceProperties("AWS::RedshiftServerless::Namespace", Map.of(
                    "DbName", SPEC.warehouse().database(),
                    "AdminUserPassword", Map.of("Fn::Join", List.of("", List.of("{{resolve:secretsmanager:", ref(secret),
                            ":SecretString:password::}}"))),
                    "KmsKeyId", arnOf(keyId())));
        }

        @Test
        void copyRoleReadsTheRawAndCuratedBucketsAndNothingElse() {
            Capture roles = new Capture();
            TEMPLATE.hasResourceProperties("AWS::RedshiftServerless::Namespace", Map.of("IamRoles", roles));
            @SuppressWarnings("unchecked")
            String role = (String) ((List<Object>) ((Map<String, Object>) roles.asArray().get(0)).get("Fn::GetAtt")).get(0);
            Map<String, Map<String, Object>> policies = TEMPLATE.findResources("AWS::IAM::Policy", Map.of("Properties",
                    Match.objectLike(Map.of("Roles", List.of(ref(role))))));
            assertThat(policies).hasSize(1);
            String document = policies.values().iterator().next().toString();
            assertThat(document).contains(bucketId("Raw"), bucketId("Curated"), keyId())
                    .doesNotContain(bucketId("Quarantine"), bucketId("AccessLogs"), "s3:Put", "s3:Delete", "\"*\"");
        }
    }

    @Nested
    class BatchPath {

        @Test
        void schedulesUseTheSpecExpressionsInUtcWithRetriesAndTheEncryptedDeadLetterQueue() {
            String deadLetter = logicalId("AWS::SQS::Queue", Map.of("QueueName", SPEC.queues().scheduleDeadLetter(),
                    "KmsMasterKeyId", Match.anyValue()));
            for (String expression : List.of(SPEC.schedules().loader(), SPEC.schedules().rollup())) {
                TEMPLATE.hasResourceProperties("AWS::Scheduler::Schedule", Map.of(
                        "ScheduleExpression", expression,
                        "ScheduleExpressionTimezone", "Etc/UTC",
                        "State", "ENABLED",
                        "Target", Match.objectLike(Map.of(
                                "RetryPolicy", Map.of("MaximumRetryAttempts", 3, "MaximumEventAgeInSeconds", Match.anyValue()),
                                "DeadLetterConfig", Map.of("Arn", arnOf(deadLetter))))));
            }
        }

        @Test
        void loaderScheduleSendsTheScheduledEventShapeOfTheSampleWithTheSchedulersTime() throws IOException {
            Capture input = new Capture();
            TEMPLATE.hasResourceProperties("AWS::Scheduler::Schedule", Map.of(
                    "ScheduleExpression", SPEC.schedules().loader(),
                    "Target", Match.objectLike(Map.of("Input", input))));
            JsonNode sent = JSON.readTree(withPseudoParameters(input.asObject()));
            JsonNode sample = JSON.readTree(Files.readString(
                    SynthesizedStack.repoRoot().resolve("events/scheduled/hourly.json")));
            assertThat(fieldNames(sent)).containsExactlyInAnyOrderElementsOf(fieldNames(sample));
            for (String same : List.of("version", "detail-type", "source", "detail")) {
                assertThat(sent.get(same)).as(same).isEqualTo(sample.get(same));
            }
            assertThat(sent.get("time").asText()).isEqualTo("<aws.scheduler.scheduled-time>");
            assertThat(sent.get("resources").get(0).asText()).isEqualTo("<aws.scheduler.schedule-arn>");
        }

        @Test
        void rollupScheduleStartsTheGlueJobWithTheScheduledTime() throws IOException {
            Capture input = new Capture();
            Capture arn = new Capture();
            TEMPLATE.hasResourceProperties("AWS::Scheduler::Schedule", Map.of(
                    "ScheduleExpression", SPEC.schedules().rollup(),
                    "Target", Match.objectLike(Map.of("Arn", arn, "Input", input))));
            assertThat(arn.asObject().toString()).contains(":scheduler:::aws-sdk:glue:startJobRun");
            JsonNode sent = JSON.readTree(input.asString());
            assertThat(sent.get("JobName").asText()).isEqualTo(SPEC.prefix() + "-daily-rollup");
            assertThat(sent.get("Arguments").get(Batch.SCHEDULED_TIME_ARGUMENT).asText())
                    .isEqualTo("<aws.scheduler.scheduled-time>");
        }

        @Test
        void glueJobIsAGlue5ScalaJobRunningTheRollupClassUnderAnEncryptingSecurityConfiguration() {
            String securityConfiguration = SPEC.prefix() + "-daily-rollup-encryption";
            TEMPLATE.hasResourceProperties("AWS::Glue::SecurityConfiguration", Map.of(
                    "Name", securityConfiguration,
                    "EncryptionConfiguration", Map.of(
                            "S3Encryptions", List.of(Map.of("S3EncryptionMode", "SSE-KMS", "KmsKeyArn", arnOf(keyId()))),
                            "CloudWatchEncryption", Map.of("CloudWatchEncryptionMode", "SSE-KMS", "KmsKeyArn", arnOf(keyId())),
                            "JobBookmarksEncryption", Map.of("JobBookmarksEncryptionMode", "CSE-KMS", "KmsKeyArn", arnOf(keyId())))));
            TEMPLATE.hasResourceProperties("AWS::Glue::Job", Map.of(
                    "GlueVersion", "5.0",
                    "Command", Map.of("Name", "glueetl", "ScriptLocation", Match.anyValue()),
                    "SecurityConfiguration", securityConfiguration,
                    "DefaultArguments", Match.objectLike(Map.of(
                            "--job-language", "scala",
                            "--class", Batch.ROLLUP_CLASS,
                            "--extra-jars", Match.anyValue(),
                            "--lateness", SPEC.schedules().rollupLateness().toString(),
                            "--warehouse", "redshift-data",
                            "--workgroup", SPEC.prefix() + "-warehouse",
                            "--database", SPEC.warehouse().database(),
                            "--staging-uri", Match.anyValue(),
                            "--copy-role-arn", Match.anyValue()))));
        }

        @Test
        void loaderGetsTheWarehouseAndRawBucketSettingsItReads() {
            Capture environment = new Capture();
            TEMPLATE.hasResourceProperties("AWS::Lambda::Function", Map.of(
                    "Handler", Batch.LOADER_HANDLER,
                    "Runtime", "java25",
                    "Architectures", List.of("arm64"),
                    "Environment", Map.of("Variables", environment)));
            assertThat(environment.asObject()).containsOnlyKeys("TWINFLOW_PREFIX", "TWINFLOW_RAW_BUCKET",
                    "TWINFLOW_REDSHIFT_WORKGROUP", "TWINFLOW_REDSHIFT_DATABASE", "TWINFLOW_REDSHIFT_SECRET_ARN",
                    "TWINFLOW_REDSHIFT_COPY_ROLE_ARN", "TWINFLOW_REDSHIFT_STAGING_BUCKET", "TWINFLOW_REDSHIFT_STAGING_PREFIX",
                    "TWINFLOW_MAX_FUTURE_SKEW_SECONDS", "TWINFLOW_MAX_LATENESS_SECONDS");
            assertThat(environment.asObject().get("TWINFLOW_RAW_BUCKET")).isEqualTo(ref(bucketId("Raw")));
            // The handler's own settings reader accepts exactly these names (values stand in for the tokens).
            Map<String, String> resolved = new HashMap<>();
            environment.asObject().forEach((name, value) -> resolved.put(name, value instanceof String text ? text : "resolved-" + name));
            assertThat(FunctionSettings.fromEnvironment(resolved).redshift()).isPresent();
        }
    }

    @Nested
    class Monitoring {

        @Test
        void iteratorAgeAlarmCountsMillisecondsOfTheStreamProcessor() {
            TEMPLATE.hasResourceProperties("AWS::CloudWatch::Alarm", Map.of(
                    "Namespace", "AWS/Lambda",
                    "MetricName", "IteratorAge",
                    "Statistic", "Maximum",
                    "Unit", "Milliseconds",
                    "Threshold", 300_000,
                    "ComparisonOperator", "GreaterThanThreshold",
                    "AlarmActions", List.of(ref(topicId()))));
        }

        @Test
        void archiveFreshnessAlarmCountsSecondsAgainstThreeTimesBothBufferIntervals() {
            TEMPLATE.hasResourceProperties("AWS::CloudWatch::Alarm", Map.of(
                    "Namespace", "AWS/Firehose",
                    "MetricName", "DeliveryToS3.DataFreshness",
                    "Unit", "Seconds",
                    "Threshold", (SPEC.archive().bufferInterval().toSeconds() + 60) * 3,
                    "AlarmActions", List.of(ref(topicId()))));
        }

        @Test
        void failuresInEitherQueueAlarmAtTheFirstMessage() {
            for (String queue : List.of(SPEC.queues().streamFailures(), SPEC.queues().scheduleDeadLetter())) {
                String id = logicalId("AWS::SQS::Queue", Map.of("QueueName", queue));
                TEMPLATE.hasResourceProperties("AWS::CloudWatch::Alarm", Map.of(
                        "MetricName", "ApproximateNumberOfMessagesVisible",
                        "Dimensions", List.of(Map.of("Name", "QueueName", "Value", Map.of("Fn::GetAtt", List.of(id, "QueueName")))),
                        "Threshold", 0,
                        "AlarmActions", List.of(ref(topicId()))));
            }
        }

        @Test
        void quarantinedRecordsAreCountedFromTheSummaryLine() {
            assertCountedFromSummaryLine("batch summary", Observability.QUARANTINED_METRIC, "$.quarantined");
        }

        private void assertCountedFromSummaryLine(String message, String metric, String value) {
            TEMPLATE.hasResourceProperties("AWS::Logs::MetricFilter", Map.of(
                    "FilterPattern", "{ $.message = \"" + message + "\" }",
                    "MetricTransformations", List.of(Map.of(
                            "MetricNamespace", "Twinflow/" + SPEC.prefix(),
                            "MetricName", metric,
                            "MetricValue", value,
                            "Unit", "Count"))));
        }

        @Test
        void anArchivedObjectUnloadedForThreeHoursAlarmsFromTheLoadersEmbeddedMetric() {
            TEMPLATE.hasResourceProperties("AWS::CloudWatch::Alarm", Map.of(
                    "Namespace", "Twinflow",
                    "MetricName", "OldestUnloadedObjectAgeSeconds",
                    "Dimensions", List.of(Map.of("Name", "Function", "Value", "batch-loader")),
                    "Statistic", "Maximum",
                    "Unit", "Seconds",
                    "Threshold", 3 * 3600,
                    "ComparisonOperator", "GreaterThanThreshold",
                    "EvaluationPeriods", 1,
                    // Between two hourly reports the alarm keeps its state rather than clearing.
                    "TreatMissingData", "ignore",
                    "AlarmActions", List.of(ref(topicId()))));
        }

        @Test
        void dashboardShowsUnloadedObjectsAndTheAgeOfTheOldest() {
            String body = JSON.valueToTree(TEMPLATE.findResources("AWS::CloudWatch::Dashboard")).toString();
            assertThat(body).contains("OldestUnloadedObjectAgeSeconds", "UnloadedObjects", "batch-loader",
                    Observability.UNFRAMED_METRIC);
        }

        @Test
        void recordsTheFramerCouldNotFrameAndFailedFramerInvocationsAlarm() {
            assertCountedFromSummaryLine("framing summary", Observability.UNFRAMED_METRIC, "$.failed");
            TEMPLATE.hasResourceProperties("AWS::CloudWatch::Alarm", Map.of(
                    "MetricName", Observability.UNFRAMED_METRIC,
                    "Threshold", 0,
                    "ComparisonOperator", "GreaterThanThreshold",
                    "AlarmActions", List.of(ref(topicId()))));
            String framer = logicalId("AWS::Lambda::Function", Map.of("Handler", Ingest.FRAMER_HANDLER));
            TEMPLATE.hasResourceProperties("AWS::CloudWatch::Alarm", Map.of(
                    "Namespace", "AWS/Lambda",
                    "MetricName", "Errors",
                    "Dimensions", List.of(Map.of("Name", "FunctionName", "Value", ref(framer))),
                    "Threshold", 0,
                    "AlarmActions", List.of(ref(topicId()))));
        }

        @Test
        void alarmTopicIsEncryptedAndTheDashboardExists() {
            TEMPLATE.hasResourceProperties("AWS::SNS::Topic", Map.of("KmsMasterKeyId", arnOf(keyId())));
            TEMPLATE.hasResourceProperties("AWS::CloudWatch::Dashboard", Map.of("DashboardName", SPEC.prefix() + "-pipeline"));
            TEMPLATE.hasResourceProperties("AWS::Events::Rule", Map.of(
                    "EventPattern", Match.objectLike(Map.of("source", List.of("aws.glue"))),
                    "Targets", List.of(Match.objectLike(Map.of("Arn", ref(topicId()))))));
        }

        private String topicId() {
            return logicalId("AWS::SNS::Topic", Map.of());
        }
    }

    @Nested
    class LeastPrivilege {

        /** Actions that accept no resource ARN and are narrowed by a condition instead (see the suppressions). */
        private static final List<String> RESOURCELESS = List.of("redshift-data:DescribeStatement",
                "redshift-data:GetStatementResult", "redshift-data:CancelStatement", "redshift-data:ListStatements",
                "cloudwatch:PutMetricData");

        @Test
        void noStatementGrantsAWildcardActionAndResourceStarOnlyGoesToConditionedActions() throws IOException {
            List<String> offending = new ArrayList<>();
            for (Map<String, Object> policy : TEMPLATE.findResources("AWS::IAM::Policy").values()) {
                JsonNode statements = JSON.valueToTree(policy).at("/Properties/PolicyDocument/Statement");
                for (JsonNode statement : statements) {
                    List<String> actions = texts(statement.get("Action"));
                    if (actions.stream().anyMatch(a -> a.equals("*") || a.endsWith(":*"))) {
                        offending.add("wildcard action: " + statement);
                    }
                    if (texts(statement.get("Resource")).contains("*")) {
                        if (!RESOURCELESS.containsAll(actions) || statement.get("Condition") == null) {
                            offending.add("resource *: " + statement);
                        }
                    }
                }
            }
            assertThat(offending).isEmpty();
        }

        @Test
        void noRoleCarriesAManagedPolicy() {
            for (Map<String, Object> role : TEMPLATE.findResources("AWS::IAM::Role").values()) {
                assertThat(JSON.valueToTree(role).at("/Properties/ManagedPolicyArns").isMissingNode())
                        .as("managed policies on %s", role).isTrue();
            }
        }

        private List<String> texts(JsonNode node) {
            List<String> values = new ArrayList<>();
            if (node == null) {
                return values;
            }
            if (node.isArray()) {
                node.forEach(n -> values.add(n.isTextual() ? n.asText() : n.toString()));
            } else {
                values.add(node.isTextual() ? node.asText() : node.toString());
            }
            return values;
        }
    }

    private static String keyId() {
        return logicalId("AWS::KMS::Key", Map.of());
    }

    /** Buckets are found by their construct id, which is part of their logical id. */
    private static String bucketId(String constructId) {
        List<String> ids = TEMPLATE.findResources("AWS::S3::Bucket").keySet().stream()
                .filter(id -> id.startsWith("Storage" + constructId)).toList();
        assertThat(ids).as("bucket %s", constructId).hasSize(1);
        return ids.get(0);
    }

    /** The loader input is an Fn::Join of text and the account and region pseudo parameters. */
    private static String withPseudoParameters(Object joined) {
        @SuppressWarnings("unchecked")
        List<Object> parts = (List<Object>) ((List<Object>) ((Map<String, Object>) joined).get("Fn::Join")).get(1);
        StringBuilder text = new StringBuilder();
        for (Object part : parts) {
            text.append(part instanceof String s ? s : "PSEUDO");
        }
        return text.toString();
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            names.add(it.next());
        }
        return names;
    }
}
