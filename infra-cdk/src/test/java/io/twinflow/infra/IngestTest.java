package io.twinflow.infra;

import static io.twinflow.infra.SynthesizedStack.JSON;
import static io.twinflow.infra.SynthesizedStack.SPEC;
import static io.twinflow.infra.SynthesizedStack.TEMPLATE;
import static io.twinflow.infra.SynthesizedStack.arnOf;
import static io.twinflow.infra.SynthesizedStack.bucketId;
import static io.twinflow.infra.SynthesizedStack.keyId;
import static io.twinflow.infra.SynthesizedStack.ref;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.twinflow.core.pipeline.PipelineSpec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.App;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.assertions.Capture;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;
import software.amazon.awscdk.services.kinesis.StreamMode;
import software.amazon.awscdk.services.kms.Key;
import software.amazon.awscdk.services.lambda.Code;
import software.amazon.awscdk.services.s3.Bucket;

/**
 * {@link Ingest}: the stream, Firehose and the archive-framer in the synthesized default stack, and the
 * construct on its own (a small synth) for the choices the default stack does not make.
 */
class IngestTest {

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

    private String framerAliasId() {
        List<String> ids = TEMPLATE.findResources("AWS::Lambda::Alias").keySet().stream()
                .filter(id -> id.startsWith("IngestFramer")).toList();
        assertThat(ids).hasSize(1);
        return ids.get(0);
    }

    @Test
    void provisionedModeUsesTheShardCountOfTheSpec() {
        PipelineSpec spec = PipelineSpec.defaults();
        Stack stack = new Stack(new App(), "IngestOnly");
        new Ingest(stack, "Ingest", new Ingest.Props(spec, StreamMode.PROVISIONED,
                Code.fromBucket(new Bucket(stack, "Code"), "functions.jar"), new Key(stack, "Key"),
                new Bucket(stack, "Raw"), RemovalPolicy.DESTROY));
        Template.fromStack(stack).hasResourceProperties("AWS::Kinesis::Stream", Map.of(
                "ShardCount", spec.stream().shardCount(),
                "StreamModeDetails", Map.of("StreamMode", "PROVISIONED")));
    }

    @Test
    void aBufferSizeFirehoseCannotExpressIsRefused() {
        assertThatThrownBy(() -> Ingest.mebibytes(5 * 1024 * 1024 + 1)).hasMessageContaining("MiB");
        assertThatThrownBy(() -> Ingest.mebibytes(0)).hasMessageContaining("MiB");
    }
}
