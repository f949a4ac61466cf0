package io.twinflow.localstack;

import io.twinflow.core.pipeline.PipelineSpec;
import io.twinflow.functions.FunctionSettings;
import io.twinflow.functions.stream.StreamProcessorHandler;
import io.twinflow.local.runtime.EmbeddedRuntime;
import io.twinflow.local.runtime.EventSourceMapping;
import io.twinflow.local.runtime.FailureDestination;
import io.twinflow.local.runtime.KinesisEventSourceMapping;
import io.twinflow.local.runtime.KinesisShardReader;
import io.twinflow.local.runtime.ShardReader;
import io.twinflow.local.runtime.StreamSource;
import io.twinflow.local.simulate.KinesisPublisher;
import io.twinflow.local.simulate.RecordPublisher;
import io.twinflow.resources.ServiceEndpoints;
import java.io.OutputStream;
import java.io.PrintStream;
import java.time.Clock;
import java.util.List;
import software.amazon.awssdk.services.kinesis.KinesisClient;

/** The pipeline's Kinesis stream on an environment, created by the resources step. */
final class KinesisUnderTest implements SourceUnderTest {

    private static final PrintStream DISCARD = new PrintStream(OutputStream.nullOutputStream());

    private final ServiceEndpoints endpoints;
    private final PipelineSpec spec;
    private final KinesisClient kinesis;
    private final KinesisClient archiveClient;
    private final KinesisShardReader archiveReader;

    KinesisUnderTest(ServiceEndpoints endpoints, PipelineSpec spec) {
        this.endpoints = endpoints;
        this.spec = spec;
        this.kinesis = endpoints.kinesisClient();
        this.archiveClient = endpoints.kinesisClient();
        this.archiveReader = new KinesisShardReader(archiveClient, spec.stream().name());
    }

    @Override
    public StreamSource kind() {
        return StreamSource.KINESIS;
    }

    @Override
    public RecordPublisher publisher() {
        return new KinesisPublisher(kinesis, spec.stream().name());
    }

    @Override
    public List<String> shardIds() {
        return new KinesisShardReader(kinesis, spec.stream().name()).shardIds();
    }

    @Override
    public ShardReader archiveReader() {
        return archiveReader;
    }

    @Override
    public EventSourceMapping newMapping(FunctionSettings settings, FailureDestination onFailure) {
        KinesisEventSourceMapping.Options options = KinesisEventSourceMapping.Options.local(endpoints.region().id(),
                EmbeddedRuntime.ACCOUNT, EmbeddedRuntime.functionName(spec), spec.stream().name());
        return new KinesisEventSourceMapping(new KinesisShardReader(kinesis, spec.stream().name()),
                new StreamProcessorHandler(settings), spec.streamMapping(), onFailure, options, Clock.systemUTC(), DISCARD);
    }

    @Override
    public void close() {
        kinesis.close();
        archiveClient.close();
    }
}
