package io.twinflow.localstack;

import io.twinflow.core.pipeline.PipelineSpec;
import io.twinflow.emulators.KafkaBroker;
import io.twinflow.functions.FunctionSettings;
import io.twinflow.functions.stream.KafkaProcessorHandler;
import io.twinflow.local.runtime.EmbeddedRuntime;
import io.twinflow.local.runtime.EventSourceMapping;
import io.twinflow.local.runtime.FailureDestination;
import io.twinflow.local.runtime.KafkaEventSourceMapping;
import io.twinflow.local.runtime.KafkaShardReader;
import io.twinflow.local.runtime.ShardReader;
import io.twinflow.local.runtime.StreamSource;
import io.twinflow.local.simulate.KafkaPublisher;
import io.twinflow.local.simulate.RecordPublisher;
import java.io.OutputStream;
import java.io.PrintStream;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The pipeline's Kafka topic on a broker, created as {@code local up --source kafka} creates it
 * ({@link EmbeddedRuntime#createTopic}): the broker's append time is each record's arrival.
 */
final class KafkaUnderTest implements SourceUnderTest {

    private static final PrintStream DISCARD = new PrintStream(OutputStream.nullOutputStream());

    private final KafkaBroker broker;
    private final PipelineSpec spec;
    private final String region;
    private final KafkaPublisher publisher;
    private final KafkaShardReader archiveReader;
    private final AtomicInteger mappings = new AtomicInteger();

    KafkaUnderTest(KafkaBroker broker, PipelineSpec spec, String region) {
        this.broker = broker;
        this.spec = spec;
        this.region = region;
        this.publisher = new KafkaPublisher(broker.bootstrapServers(), spec.stream().name());
        this.archiveReader = new KafkaShardReader(broker.bootstrapServers(), spec.stream().name());
    }

    @Override
    public StreamSource kind() {
        return StreamSource.KAFKA;
    }

    @Override
    public RecordPublisher publisher() {
        return publisher;
    }

    @Override
    public List<String> shardIds() {
        try (KafkaShardReader reader = new KafkaShardReader(broker.bootstrapServers(), spec.stream().name())) {
            return reader.shardIds();
        }
    }

    @Override
    public ShardReader archiveReader() {
        return archiveReader;
    }

    /** Each mapping gets a consumer group of its own, which has committed nothing yet. */
    @Override
    public EventSourceMapping newMapping(FunctionSettings settings, FailureDestination onFailure) {
        KafkaEventSourceMapping.Options local = KafkaEventSourceMapping.Options.local(region, EmbeddedRuntime.ACCOUNT,
                EmbeddedRuntime.functionName(spec), broker.bootstrapServers(), spec.stream().name(), spec.streamMapping());
        KafkaEventSourceMapping.Options options = local.withConsumerGroup(local.consumerGroup() + "-" + mappings.incrementAndGet());
        return new KafkaEventSourceMapping(new KafkaProcessorHandler(settings), spec.streamMapping(), onFailure, options,
                Clock.systemUTC(), DISCARD);
    }

    @Override
    public void close() {
        publisher.close();
        archiveReader.close();
    }
}
