package io.twinflow.infra;

import static io.twinflow.infra.SynthesizedStack.SPEC;
import static io.twinflow.infra.SynthesizedStack.TEMPLATE;
import static io.twinflow.infra.SynthesizedStack.arnOf;
import static io.twinflow.infra.SynthesizedStack.bucketId;
import static io.twinflow.infra.SynthesizedStack.logicalId;
import static io.twinflow.infra.SynthesizedStack.ref;
import static org.assertj.core.api.Assertions.assertThat;

import io.twinflow.core.pipeline.PipelineSpec;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Capture;
import software.amazon.awscdk.assertions.Match;

/** {@link StreamProcessing} in the synthesized default stack: the processor and its event source mapping. */
class StreamProcessingTest {

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
