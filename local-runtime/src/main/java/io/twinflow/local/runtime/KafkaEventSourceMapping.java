package io.twinflow.local.runtime;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.KafkaEvent;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.twinflow.core.pipeline.PipelineSpec;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Drives a Kafka-triggered handler the way Lambda's event source mapping for Amazon MSK and self-managed
 * Kafka does (see functions' README for the documentation it follows), which is not the Kinesis one:
 *
 * <ul>
 *   <li>a consumer in the mapping's own consumer group reads the topic, each partition in offset order;
 *       one batch may hold records of several partitions ({@code records} keyed by {@code topic-partition});
 *   <li>a batch is invoked when it holds {@code batchSize} records, when the batching window (counted from
 *       its first record) has passed, or before the 6 MB payload limit;
 *   <li>the offsets of a batch are committed only after the invocation succeeded (or the batch was given
 *       up on); a lost commit (the broker away, the runtime stopped) means the records after the last
 *       committed offset are delivered again;
 *   <li>a function error retries the whole batch with back-off: no bisect and no partial batch response
 *       (those need the provisioned poller mode); after {@code maxRetries} retries, or for records older
 *       than {@code maxRecordAge}, the batch is described to the on-failure destination and skipped.
 * </ul>
 *
 * <p>Records are reported to {@link KinesisEventSourceMapping.Listener}s as {@link StreamRecord}s whose shard
 * id is the {@code topic-partition} and whose sequence number is the offset, so the same tools count both.
 */
public final class KafkaEventSourceMapping implements EventSourceMapping {

    /** The payload Lambda invokes with at most (synchronous invocation). */
    static final long MAX_PAYLOAD_BYTES = 6L * 1024 * 1024;

    /**
     * How the local mapping names things and paces itself.
     *
     * @param maxRetries retries of a failing batch before it goes to the on-failure destination; -1 retries
     *     until the records are older than {@code maxRecordAge}
     * @param maxRecordAge records older than this are not invoked but described to the destination; null
     *     for no limit
     */
    public record Options(String functionName, String functionArn, String eventSourceArn, String bootstrapServers,
                          String topic, String consumerGroup, Duration retryBackoff, Duration maxRetryBackoff,
                          Duration functionTimeout, int maxRetries, Duration maxRecordAge) {
        public Options {
            Objects.requireNonNull(functionName, "functionName");
            Objects.requireNonNull(bootstrapServers, "bootstrapServers");
            Objects.requireNonNull(topic, "topic");
            Objects.requireNonNull(consumerGroup, "consumerGroup");
        }

        /**
         * Local defaults: the consumer group is named after the function (Lambda makes up a unique one
         * unless told), back-off 100 ms doubling to 5 s, and the deployed mapping's retry and age limits.
         */
        public static Options local(String region, String account, String functionName, String bootstrapServers, String topic,
                                    PipelineSpec.StreamMapping settings) {
            return new Options(functionName, "arn:aws:lambda:" + region + ":" + account + ":function:" + functionName,
                    "arn:aws:kafka:" + region + ":" + account + ":cluster/local/" + topic, bootstrapServers, topic,
                    functionName + "-mapping", Duration.ofMillis(100), Duration.ofSeconds(5), Duration.ofSeconds(60),
                    settings.maxRetries(), settings.maxRecordAge());
        }

        /** The same mapping in another consumer group: one with no committed offsets reads every partition from its oldest record. */
        public Options withConsumerGroup(String group) {
            return new Options(functionName, functionArn, eventSourceArn, bootstrapServers, topic, group, retryBackoff,
                    maxRetryBackoff, functionTimeout, maxRetries, maxRecordAge);
        }

        public Options withPacing(Duration backoff, Duration maxBackoff) {
            return new Options(functionName, functionArn, eventSourceArn, bootstrapServers, topic, consumerGroup, backoff,
                    maxBackoff, functionTimeout, maxRetries, maxRecordAge);
        }
    }

    private static final System.Logger LOG = System.getLogger(KafkaEventSourceMapping.class.getName());
    private static final Duration POLL = Duration.ofMillis(100);

    private final RequestHandler<KafkaEvent, ?> handler;
    private final int batchSize;
    private final Duration maxBatchingWindow;
    private final FailureDestination destination;
    private final Options options;
    private final Clock clock;
    private final PrintStream functionLog;
    private final List<KinesisEventSourceMapping.Listener> listeners = new CopyOnWriteArrayList<>();
    private final MappingCounters counters = new MappingCounters();
    private final Deque<ConsumerRecord<byte[], byte[]>> pending = new ArrayDeque<>();
    private final Map<String, Long> highestRead = new HashMap<>();

    private volatile boolean running;
    private volatile KafkaConsumer<byte[], byte[]> consumer;
    private Thread thread;

    public KafkaEventSourceMapping(RequestHandler<KafkaEvent, ?> handler, PipelineSpec.StreamMapping settings,
                                   FailureDestination destination, Options options, Clock clock, PrintStream functionLog) {
        this.handler = handler;
        this.batchSize = settings.batchSize();
        this.maxBatchingWindow = settings.maxBatchingWindow();
        this.destination = destination;
        this.options = options;
        this.clock = clock;
        this.functionLog = functionLog;
    }

    @Override
    public KafkaEventSourceMapping addListener(KinesisEventSourceMapping.Listener listener) {
        listeners.add(listener);
        return this;
    }

    @Override
    public KinesisEventSourceMapping.Stats stats() {
        return counters.snapshot();
    }

    public Options options() {
        return options;
    }

    @Override
    public synchronized void start() {
        if (running) {
            throw new IllegalStateException("already started");
        }
        running = true;
        thread = new Thread(this::run, "esm-kafka-" + options.topic());
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * Stops polling. A batch being invoked finishes; offsets not committed by then are delivered again by
     * the next mapping on the same consumer group (at least once).
     */
    @Override
    public synchronized void close() {
        running = false;
        KafkaConsumer<byte[], byte[]> polling = consumer;
        if (polling != null) {
            // Not an interrupt: an interrupted consumer cannot leave its group cleanly.
            polling.wakeup();
        }
        if (thread != null) {
            try {
                thread.join(options.functionTimeout().toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            thread = null;
        }
    }

    private KafkaConsumer<byte[], byte[]> consumer() {
        Map<String, Object> config = new HashMap<>();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, options.bootstrapServers());
        config.put(ConsumerConfig.GROUP_ID_CONFIG, options.consumerGroup());
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        // TRIM_HORIZON: a new group starts at the oldest record, so nothing produced before it is missed.
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, batchSize);
        config.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10_000);
        config.put(ConsumerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 1_000);
        KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        consumer.subscribe(List.of(options.topic()));
        return consumer;
    }

    private void run() {
        while (running) {
            try (KafkaConsumer<byte[], byte[]> consumer = consumer()) {
                this.consumer = consumer;
                pending.clear();
                while (running) {
                    List<ConsumerRecord<byte[], byte[]>> batch = nextBatch(consumer);
                    if (batch.isEmpty()) {
                        continue;
                    }
                    if (!settle(batch, fresh(batch))) {
                        return; // stopped in the middle of a batch: nothing committed, delivered again next time
                    }
                    commit(consumer, batch);
                }
            } catch (InterruptException | WakeupException e) {
                return;
            } catch (KafkaException e) {
                // A commit the broker did not take (it restarted, the group moved): a new consumer resumes
                // after the last committed offset, so the batch is delivered again rather than lost.
                LOG.log(System.Logger.Level.WARNING, "Kafka consumer for " + options.topic() + " restarts after: " + e);
                sleep(options.retryBackoff());
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.ERROR, "Kafka mapping for " + options.topic() + " stopped", e);
                return;
            }
        }
    }

    /** Polls until the batch is full, its window has passed since its first record, or the payload limit is near. */
    private List<ConsumerRecord<byte[], byte[]>> nextBatch(KafkaConsumer<byte[], byte[]> consumer) {
        List<ConsumerRecord<byte[], byte[]>> batch = new ArrayList<>();
        long payload = 0;
        Instant first = null;
        while (running) {
            while (!pending.isEmpty() && batch.size() < batchSize) {
                ConsumerRecord<byte[], byte[]> next = pending.peekFirst();
                long size = encodedSize(next);
                if (!batch.isEmpty() && payload + size > MAX_PAYLOAD_BYTES) {
                    return batch;
                }
                batch.add(pending.removeFirst());
                payload += size;
                if (first == null) {
                    first = clock.instant();
                }
            }
            if (batch.size() >= batchSize || first != null && !clock.instant().isBefore(first.plus(maxBatchingWindow))) {
                return batch;
            }
            consumer.poll(POLL).forEach(pending::addLast);
            if (pending.isEmpty() && first == null) {
                return batch;
            }
        }
        return batch;
    }

    /**
     * Counts the records this mapping has not read before (past the highest offset it read per partition)
     * and returns how many there are: a batch delivered again after a lost commit is not counted twice, so
     * every record read ends in exactly one of succeeded or discarded, as {@link KinesisEventSourceMapping.Stats} says.
     */
    private int fresh(List<ConsumerRecord<byte[], byte[]>> batch) {
        int fresh = 0;
        for (ConsumerRecord<byte[], byte[]> r : batch) {
            String partition = r.topic() + "-" + r.partition();
            if (r.offset() > highestRead.getOrDefault(partition, -1L)) {
                highestRead.put(partition, r.offset());
                fresh++;
            }
        }
        counters.recordsRead.addAndGet(fresh);
        return fresh;
    }

    /** Base64 grows data by a third; the JSON around each record adds about 200 bytes. */
    private static long encodedSize(ConsumerRecord<byte[], byte[]> r) {
        long key = r.key() == null ? 0 : r.key().length;
        long value = r.value() == null ? 0 : r.value().length;
        return (key + value) * 4 / 3 + 200;
    }

    /**
     * Invokes until the batch succeeds, is too old or has used its retries.
     *
     * @return false when stopped before the batch settled
     */
    private boolean settle(List<ConsumerRecord<byte[], byte[]>> batch, int fresh) {
        int retries = 0;
        Duration backoff = options.retryBackoff();
        while (running) {
            if (tooOld(batch)) {
                discard(batch, fresh, OnFailureRecord.Condition.RECORD_AGE_EXCEEDED, null, retries == 0 ? 0 : retries + 1);
                return true;
            }
            LocalLambdaContext context = new LocalLambdaContext(options.functionName(), options.functionArn(),
                    options.functionTimeout(), functionLog);
            counters.invocations.incrementAndGet();
            try {
                handler.handleRequest(toEvent(batch), context);
                counters.recordsSucceeded.addAndGet(fresh);
                Instant now = clock.instant();
                List<StreamRecord> records = records(batch);
                listeners.forEach(l -> l.succeeded(records, now));
                return true;
            } catch (RuntimeException e) {
                counters.functionErrors.incrementAndGet();
                functionLog.println("[" + context.getAwsRequestId() + "] function error, whole batch of " + batch.size()
                        + " to be retried: " + e);
                if (options.maxRetries() >= 0 && retries >= options.maxRetries()) {
                    discard(batch, fresh, OnFailureRecord.Condition.RETRY_ATTEMPTS_EXHAUSTED, context.getAwsRequestId(), retries + 1);
                    return true;
                }
            }
            retries++;
            counters.retries.incrementAndGet();
            if (!sleep(backoff)) {
                return false;
            }
            backoff = backoff.multipliedBy(2).compareTo(options.maxRetryBackoff()) > 0 ? options.maxRetryBackoff() : backoff.multipliedBy(2);
        }
        return false;
    }

    private boolean tooOld(List<ConsumerRecord<byte[], byte[]>> batch) {
        if (options.maxRecordAge() == null || options.maxRecordAge().isNegative()) {
            return false;
        }
        Instant oldest = Instant.ofEpochMilli(batch.stream().mapToLong(ConsumerRecord::timestamp).min().orElseThrow());
        return oldest.isBefore(clock.instant().minus(options.maxRecordAge()));
    }

    private void discard(List<ConsumerRecord<byte[], byte[]>> batch, int fresh, OnFailureRecord.Condition condition,
                         String requestId, int invokeCount) {
        destination.send(onFailureRecord(batch, condition, requestId, invokeCount));
        counters.recordsDiscarded.addAndGet(fresh);
        List<StreamRecord> records = records(batch);
        listeners.forEach(l -> l.discarded(records, condition));
    }

    /**
     * What the on-failure destination receives: metadata only, the batch size and, per partition, the first
     * and last offsets and timestamps (Lambda's {@code KafkaBatchInfo}); the records stay in the topic.
     */
    String onFailureRecord(List<ConsumerRecord<byte[], byte[]>> batch, OnFailureRecord.Condition condition, String requestId,
                           int invokeCount) {
        ObjectNode root = OnFailureRecord.envelope(condition, options.functionArn(), requestId, invokeCount,
                invokeCount > 0 ? "Unhandled" : null, clock.instant());
        ObjectNode info = root.putObject("KafkaBatchInfo");
        info.put("batchSize", batch.size());
        info.put("eventSourceArn", options.eventSourceArn());
        info.put("bootstrapServers", options.bootstrapServers());
        ObjectNode byPartition = info.putObject("recordsInfo");
        for (ConsumerRecord<byte[], byte[]> r : batch) {
            String key = r.topic() + "-" + r.partition();
            ObjectNode partition = (ObjectNode) byPartition.get(key);
            if (partition == null) {
                partition = byPartition.putObject(key);
                partition.put("firstRecordOffset", Long.toString(r.offset()));
                partition.put("firstRecordTimestamp", Instant.ofEpochMilli(r.timestamp()).toString());
            }
            partition.put("lastRecordOffset", Long.toString(r.offset()));
            partition.put("lastRecordTimestamp", Instant.ofEpochMilli(r.timestamp()).toString());
        }
        return root.toString();
    }

    /** Commits, per partition, the offset after the batch's last record there. */
    private void commit(KafkaConsumer<byte[], byte[]> consumer, List<ConsumerRecord<byte[], byte[]>> batch) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> r : batch) {
            offsets.merge(new TopicPartition(r.topic(), r.partition()), new OffsetAndMetadata(r.offset() + 1),
                    (a, b) -> a.offset() >= b.offset() ? a : b);
        }
        consumer.commitSync(offsets);
    }

    /** The Lambda event for a batch: per {@code topic-partition}, in offset order, keys and values base64. */
    KafkaEvent toEvent(List<ConsumerRecord<byte[], byte[]>> batch) {
        Map<String, List<KafkaEvent.KafkaEventRecord>> records = new LinkedHashMap<>();
        Base64.Encoder base64 = Base64.getEncoder();
        for (ConsumerRecord<byte[], byte[]> r : batch) {
            KafkaEvent.KafkaEventRecord record = new KafkaEvent.KafkaEventRecord();
            record.setTopic(r.topic());
            record.setPartition(r.partition());
            record.setOffset(r.offset());
            record.setTimestamp(r.timestamp());
            record.setTimestampType(r.timestampType().name);
            record.setKey(r.key() == null ? null : base64.encodeToString(r.key()));
            record.setValue(r.value() == null ? null : base64.encodeToString(r.value()));
            List<Map<String, byte[]>> headers = new ArrayList<>();
            for (Header h : r.headers()) {
                headers.add(Map.of(h.key(), h.value() == null ? new byte[0] : h.value()));
            }
            record.setHeaders(headers);
            records.computeIfAbsent(r.topic() + "-" + r.partition(), k -> new ArrayList<>()).add(record);
        }
        KafkaEvent event = new KafkaEvent();
        event.setEventSource("aws:kafka");
        event.setEventSourceArn(options.eventSourceArn());
        event.setBootstrapServers(options.bootstrapServers());
        event.setRecords(records);
        return event;
    }

    /** The batch as the listeners see records: the partition as the shard, the offset as the sequence number. */
    private static List<StreamRecord> records(List<ConsumerRecord<byte[], byte[]>> batch) {
        List<StreamRecord> records = new ArrayList<>(batch.size());
        for (ConsumerRecord<byte[], byte[]> r : batch) {
            records.add(new StreamRecord(r.topic() + "-" + r.partition(), Long.toString(r.offset()),
                    r.key() == null ? "" : new String(r.key(), StandardCharsets.UTF_8),
                    r.value() == null ? new byte[0] : r.value(), Instant.ofEpochMilli(r.timestamp())));
        }
        return records;
    }

    private boolean sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
            return running;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
