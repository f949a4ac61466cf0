package io.twinflow.infra;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.twinflow.core.pipeline.PipelineSpec;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.App;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.assertions.Template;
import software.amazon.awscdk.services.kinesis.StreamMode;
import software.amazon.awscdk.services.kms.Key;
import software.amazon.awscdk.services.lambda.Code;
import software.amazon.awscdk.services.s3.Bucket;

/** The ingest construct on its own: a small synth, for the choices the default stack does not make. */
class IngestTest {

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
