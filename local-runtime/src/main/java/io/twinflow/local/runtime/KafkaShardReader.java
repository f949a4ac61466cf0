package io.twinflow.local.runtime;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * {@link ShardReader} over a Kafka topic, so the {@link StreamArchiver} archives Kafka records with the
 * same code as Kinesis records: a partition is a shard ({@code topic-partition}), an iterator is the
 * offset to read next, a record's sequence number its offset and its arrival its timestamp (the broker's
 * append time on the pipeline's topic). A consumer of its own with no consumer group: the archiver keeps
 * its own positions, as Firehose does.
 *
 * <p>The consumer stays assigned to every partition and each poll's records wait in a buffer per partition
 * until that partition is read: re-assigning one partition per read would drop the fetch in flight each
 * time, and on a busy machine a fetch that never completes within one read would leave a partition unread.
 */
public final class KafkaShardReader implements ShardReader, AutoCloseable {

    private static final Duration POLL = Duration.ofMillis(50);

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final String topic;
    private final Map<TopicPartition, Deque<ConsumerRecord<byte[], byte[]>>> buffered = new HashMap<>();

    public KafkaShardReader(String bootstrapServers, String topic) {
        this.consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false, ConsumerConfig.MAX_POLL_RECORDS_CONFIG,
                KinesisShardReader.MAX_RECORDS_PER_CALL, ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10_000),
                new ByteArrayDeserializer(), new ByteArrayDeserializer());
        this.topic = topic;
    }

    @Override
    public synchronized List<String> shardIds() {
        List<Integer> partitions = consumer.partitionsFor(topic).stream().map(PartitionInfo::partition)
                .sorted(Comparator.naturalOrder()).toList();
        if (buffered.size() != partitions.size()) {
            buffered.clear();
            partitions.forEach(p -> buffered.put(new TopicPartition(topic, p), new ArrayDeque<>()));
            consumer.assign(buffered.keySet());
        }
        return partitions.stream().map(p -> topic + "-" + p).toList();
    }

    @Override
    public synchronized String iteratorAtOldest(String shardId) {
        TopicPartition partition = partition(shardId);
        return Long.toString(consumer.beginningOffsets(List.of(partition)).get(partition));
    }

    /** The offset the partition's next record will get: one past its newest. */
    public synchronized long endOffset(String shardId) {
        TopicPartition partition = partition(shardId);
        return consumer.endOffsets(List.of(partition)).get(partition);
    }

    @Override
    public String iteratorAfter(String shardId, String sequenceNumber) {
        return Long.toString(Long.parseLong(sequenceNumber) + 1);
    }

    @Override
    public synchronized Page read(String shardId, String iterator, int limit) {
        TopicPartition partition = partition(shardId);
        long offset = Long.parseLong(iterator);
        Deque<ConsumerRecord<byte[], byte[]>> buffer = buffered.computeIfAbsent(partition, p -> new ArrayDeque<>());
        if (!consumer.assignment().contains(partition)) {
            consumer.assign(buffered.keySet());
        }
        boolean inStep = !buffer.isEmpty() ? buffer.peekFirst().offset() == offset : consumer.position(partition) == offset;
        if (!inStep) {
            // Asked for another position than the buffer's next (a resumed or reset archiver): read from there.
            buffer.clear();
            consumer.seek(partition, offset);
        }
        if (buffer.isEmpty()) {
            try {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(POLL)) {
                    buffered.computeIfAbsent(new TopicPartition(r.topic(), r.partition()), p -> new ArrayDeque<>()).addLast(r);
                }
            } catch (InterruptException e) {
                // The archiver is stopping: nothing read, and the interrupt kept for it to see.
                Thread.currentThread().interrupt();
                return new Page(List.of(), iterator);
            }
        }
        List<StreamRecord> records = new ArrayList<>();
        long next = offset;
        while (!buffer.isEmpty() && records.size() < limit) {
            ConsumerRecord<byte[], byte[]> r = buffer.removeFirst();
            records.add(new StreamRecord(shardId, Long.toString(r.offset()),
                    r.key() == null ? "" : new String(r.key(), StandardCharsets.UTF_8),
                    r.value() == null ? new byte[0] : r.value(), Instant.ofEpochMilli(r.timestamp())));
            next = r.offset() + 1;
        }
        return new Page(records, Long.toString(next));
    }

    private TopicPartition partition(String shardId) {
        return new TopicPartition(topic, Integer.parseInt(shardId.substring(shardId.lastIndexOf('-') + 1)));
    }

    @Override
    public synchronized void close() {
        consumer.close(Duration.ofSeconds(5));
    }
}
