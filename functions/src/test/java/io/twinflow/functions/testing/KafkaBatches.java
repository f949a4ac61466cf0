package io.twinflow.functions.testing;

import com.amazonaws.services.lambda.runtime.events.KafkaEvent;
import com.amazonaws.services.lambda.runtime.events.KinesisEvent;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Kafka Lambda events as an MSK event source mapping delivers them ({@code records} keyed by
 * {@code topic-partition}, keys and values base64), built from the Kinesis samples so both handlers are
 * tested on the same records.
 */
public final class KafkaBatches {

    public static final String TOPIC = "twinflow-telemetry";

    private KafkaBatches() {
    }

    /**
     * The Kinesis records, in order, as if produced to {@code partitions} partitions keyed by their
     * partition key (the deviceId): each partition's offsets count from 0 in that order.
     */
    public static KafkaEvent fromKinesis(KinesisEvent kinesis, int partitions) {
        Map<String, List<KafkaEvent.KafkaEventRecord>> records = new LinkedHashMap<>();
        long[] next = new long[partitions];
        for (KinesisEvent.KinesisEventRecord r : kinesis.getRecords()) {
            String key = r.getKinesis().getPartitionKey();
            int partition = Math.floorMod(key.hashCode(), partitions);
            records.computeIfAbsent(TOPIC + "-" + partition, k -> new ArrayList<>()).add(record(partition, next[partition]++,
                    r.getKinesis().getApproximateArrivalTimestamp().getTime(), key.getBytes(StandardCharsets.UTF_8),
                    Expected.bytes(r.getKinesis().getData())));
        }
        return of(records);
    }

    public static KafkaEvent.KafkaEventRecord record(int partition, long offset, long timestampMillis, byte[] key, byte[] value) {
        KafkaEvent.KafkaEventRecord record = new KafkaEvent.KafkaEventRecord();
        record.setTopic(TOPIC);
        record.setPartition(partition);
        record.setOffset(offset);
        record.setTimestamp(timestampMillis);
        record.setTimestampType("CREATE_TIME");
        record.setKey(key == null ? null : Base64.getEncoder().encodeToString(key));
        record.setValue(value == null ? null : Base64.getEncoder().encodeToString(value));
        record.setHeaders(List.of());
        return record;
    }

    public static KafkaEvent of(Map<String, List<KafkaEvent.KafkaEventRecord>> records) {
        KafkaEvent event = new KafkaEvent();
        event.setEventSource("aws:kafka");
        event.setEventSourceArn("arn:aws:kafka:us-east-1:000000000000:cluster/twinflow/00000000-0000-0000-0000-000000000000-1");
        event.setBootstrapServers("127.0.0.1:9092");
        event.setRecords(new LinkedHashMap<>(records));
        return event;
    }

    /** The records of every partition from {@code offset} on: what a restarted consumer delivers after a lost commit. */
    public static KafkaEvent from(KafkaEvent event, long offset) {
        Map<String, List<KafkaEvent.KafkaEventRecord>> records = new LinkedHashMap<>();
        event.getRecords().forEach((partition, list) -> {
            List<KafkaEvent.KafkaEventRecord> kept = list.stream().filter(r -> r.getOffset() >= offset).toList();
            if (!kept.isEmpty()) {
                records.put(partition, kept);
            }
        });
        return of(records);
    }

    /** Every record of the event, across partitions. */
    public static int size(KafkaEvent event) {
        return event.getRecords().values().stream().mapToInt(List::size).sum();
    }
}
