package io.twinflow.functions.stream;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.KafkaEvent;
import io.twinflow.functions.FunctionSettings;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The stream-processor for an Amazon MSK or self-managed Kafka event source mapping, in front of the
 * same {@link StreamProcessor} the Kinesis handler drives. A Kafka partition plays the part of a shard
 * and an offset that of a sequence number: each partition of the event ({@code records} is keyed by
 * {@code topic-partition}) is processed on its own, in offset order, with one summary line.
 *
 * <p>Lambda's default Kafka mapping retries the whole batch when the function returns an error and
 * commits the offsets only after a successful invocation; it reads no partial batch response (that needs
 * provisioned mode and {@code ReportBatchItemFailures}). So when any record must be retried this handler
 * throws {@link RetryBatchException} after every partition has been processed as far as it goes; the
 * redelivered batch changes nothing that is already durable, because every write is idempotent (window
 * items remember the eventIds they counted, latest state and alerts are keyed, quarantine objects are
 * named by partition and offset).
 *
 * <p>A record's timestamp is its arrival time: the broker's append time on a topic with
 * {@code message.timestamp.type=LogAppendTime}, else the producer's create time. A record without one
 * (timestamp {@code -1}, Kafka's {@code NO_TIMESTAMP}: an old producer or message format) is deemed to
 * arrive when the batch reached the function, the earliest time known to be no earlier than its real
 * arrival; the decoder then judges its event time against that as against any arrival.
 */
public class KafkaProcessorHandler implements RequestHandler<KafkaEvent, Void> {

    /** A function error that makes the event source mapping deliver the whole batch again. */
    public static final class RetryBatchException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        RetryBatchException(String message) {
            super(message);
        }
    }

    private final StreamProcessorHandler processor;

    /** Used by the Lambda runtime: settings from the environment. */
    public KafkaProcessorHandler() {
        this(new StreamProcessorHandler());
    }

    /** Used by the local runtime: the given settings, clients built from them. */
    public KafkaProcessorHandler(FunctionSettings settings) {
        this(new StreamProcessorHandler(settings));
    }

    /**
     * In front of a handler built with {@link StreamProcessorHandler#builder()} (its clients, its summary
     * output), for tests and benchmarks. SnapStart priming is that handler's.
     */
    public KafkaProcessorHandler(StreamProcessorHandler processor) {
        this.processor = processor;
    }

    /**
     * @throws RetryBatchException when a record has no durable effect yet (a write failed after retries,
     *     or too little time was left): Lambda retries the whole batch
     */
    @Override
    public Void handleRequest(KafkaEvent event, Context context) {
        Map<String, String> retryFrom = new LinkedHashMap<>();
        toPartitions(event, Instant.now()).forEach((partition, records) -> {
            BatchOutcome outcome = processor.process(records, BatchSummary.Source.KAFKA, context);
            if (!outcome.retrySequenceNumbers().isEmpty()) {
                retryFrom.put(partition, outcome.summary().retryFromSequenceNumber());
            }
        });
        if (!retryFrom.isEmpty()) {
            throw new RetryBatchException("records without a durable effect yet, batch to be retried; first offset per partition: "
                    + retryFrom);
        }
        return null;
    }

    /**
     * The event's records per {@code topic-partition}, partitions in name order, each in offset order, as
     * {@link StreamRecord}s: the partition is the shard id, the offset the sequence number, the record key
     * (the deviceId) the partition key and the record timestamp the arrival time.
     *
     * @param receivedAt when the batch reached the function: the arrival time of a record without a timestamp
     */
    public static Map<String, List<StreamRecord>> toPartitions(KafkaEvent event, Instant receivedAt) {
        Map<String, List<StreamRecord>> partitions = new TreeMap<>();
        if (event == null || event.getRecords() == null) {
            return partitions;
        }
        event.getRecords().forEach((key, kafkaRecords) -> {
            if (kafkaRecords == null || kafkaRecords.isEmpty()) {
                return;
            }
            List<KafkaEvent.KafkaEventRecord> ordered = new ArrayList<>(kafkaRecords);
            ordered.sort(Comparator.comparingLong(KafkaEvent.KafkaEventRecord::getOffset));
            List<StreamRecord> records = new ArrayList<>(ordered.size());
            for (KafkaEvent.KafkaEventRecord r : ordered) {
                String shardId = r.getTopic() == null ? key : r.getTopic() + "-" + r.getPartition();
                records.add(new StreamRecord(shardId, Long.toString(r.getOffset()), text(decode(r.getKey())),
                        r.getTimestamp() < 0 ? receivedAt : Instant.ofEpochMilli(r.getTimestamp()), decode(r.getValue())));
            }
            partitions.put(key, records);
        });
        return partitions;
    }

    /**
     * Lambda sends keys and values base64-encoded; a null value (a tombstone) is an empty record, which
     * the decoder quarantines like any other unreadable input.
     */
    private static byte[] decode(String base64) {
        if (base64 == null) {
            return new byte[0];
        }
        try {
            return Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            // Not what Lambda sends: keep the text itself, so the quarantine shows what arrived.
            return base64.getBytes(StandardCharsets.UTF_8);
        }
    }

    private static String text(byte[] key) {
        return key.length == 0 ? null : new String(key, StandardCharsets.UTF_8);
    }
}
