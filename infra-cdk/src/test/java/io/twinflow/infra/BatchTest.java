package io.twinflow.infra;

import static io.twinflow.infra.SynthesizedStack.JSON;
import static io.twinflow.infra.SynthesizedStack.SPEC;
import static io.twinflow.infra.SynthesizedStack.TEMPLATE;
import static io.twinflow.infra.SynthesizedStack.arnOf;
import static io.twinflow.infra.SynthesizedStack.bucketId;
import static io.twinflow.infra.SynthesizedStack.keyId;
import static io.twinflow.infra.SynthesizedStack.logicalId;
import static io.twinflow.infra.SynthesizedStack.ref;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.twinflow.core.settings.RollupArguments;
import io.twinflow.functions.FunctionSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Capture;
import software.amazon.awscdk.assertions.Match;

/** {@link Batch} in the synthesized default stack: the loader, the Glue rollup and their schedules. */
class BatchTest {

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
        assertThat(sent.get("Arguments").get(RollupArguments.SCHEDULED_TIME).asText())
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
