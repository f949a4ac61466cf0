package io.twinflow.local.runtime;

/**
 * A local Lambda event source mapping, whatever its source: {@link KinesisEventSourceMapping} or
 * {@link KafkaEventSourceMapping}. Both report settled records as {@link StreamRecord}s with the same
 * {@link KinesisEventSourceMapping.Stats} counters, so the demo and the tests count them one way.
 */
public interface EventSourceMapping extends AutoCloseable {

    void start();

    EventSourceMapping addListener(KinesisEventSourceMapping.Listener listener);

    KinesisEventSourceMapping.Stats stats();

    @Override
    void close();
}
