package io.twinflow.local.replay;

import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import io.twinflow.core.archive.ArchivedRecord;
import io.twinflow.core.pipeline.PipelineSpec;
import io.twinflow.local.config.Endpoints;
import io.twinflow.local.config.ServiceClients;
import io.twinflow.local.runtime.KafkaShardReader;
import io.twinflow.local.runtime.StreamRecord;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * Re-drives the batches the event source mappings gave up on: each message on the on-failure queue names a Kinesis
 * shard and sequence range, or per Kafka partition an offset range ({@link OnFailureMessage}); the records of each
 * range are read back from the stream or topic while it retains them, else from the raw archive (whose envelopes
 * carry shard or partition, and sequence number or offset), and fed through the same stream processor handler in
 * batches, one shard or partition at a time (the Kafka handler is that same processor with a partition as the
 * shard). The handler's exactly-once state makes that safe whatever part of a range was applied before. A message
 * is deleted only once every record of its ranges came back applied, duplicate or quarantined; any other message
 * stays on the queue and is listed with a reason code.
 */
public final class OnFailureReplay {

    /** Neither the stream nor the archive holds every record of the range. */
    public static final String RECORDS_NOT_FOUND = "RECORDS_NOT_FOUND";
    /** The handler failed records of the range, or threw: the batch can be re-driven again later. */
    public static final String PROCESSOR_FAILED = "PROCESSOR_FAILED";

    /** SQS hands out at most ten messages a call. */
    private static final int RECEIVE_MAX = 10;
    /** A received message stays hidden this long: longer than re-driving one batch takes. */
    private static final int VISIBILITY_SECONDS = 300;
    /** Long enough that SQS answers from all its servers, so an empty answer means an empty queue. */
    private static final int WAIT_SECONDS = 1;

    /** Reads a range's records back from the stream or topic. */
    public interface StreamRange {
        Found read(OnFailureMessage.Range range);
    }

    /** A range's records in stream order, or (records null) why they could not all be found. */
    public record Found(List<StreamRecord> records, String missing) {
        public static Found of(List<StreamRecord> records) {
            return new Found(List.copyOf(records), null);
        }

        public static Found missing(String why) {
            return new Found(null, why);
        }
    }

    private final SqsClient sqs;
    private final String queueUrl;
    private final StreamRange kinesis;
    private final Optional<StreamRange> kafka;
    private final String kafkaTopic;
    private final ArchiveReplay archive;

    /**
     * @param kinesis reads Kinesis ranges
     * @param kafka reads ranges of {@code kafkaTopic}'s partitions; empty when the stack reads no Kafka topic, whose batches
     *     then stay on the queue as {@link OnFailureMessage#OTHER_STREAM}
     */
    public OnFailureReplay(SqsClient sqs, String queueUrl, StreamRange kinesis, Optional<StreamRange> kafka, String kafkaTopic,
                           ArchiveReplay archive) {
        this.sqs = sqs;
        this.queueUrl = queueUrl;
        this.kinesis = kinesis;
        this.kafka = kafka;
        this.kafkaTopic = kafka.isPresent() ? kafkaTopic : null;
        this.archive = archive;
    }

    /** Re-drives the on-failure queue of a local stack into its stream processor handler. */
    public static Map<String, Object> local(Endpoints endpoints, ArchiveReplay.Progress progress) {
        ServiceClients clients = ServiceClients.local(endpoints);
        PipelineSpec spec = clients.spec();
        Optional<Endpoints.Kafka> topic = Optional.ofNullable(endpoints.kafka());
        try (S3Client s3 = clients.s3(); DynamoDbClient dynamoDb = clients.dynamoDb(); SqsClient sqs = clients.sqs();
             KinesisClient kinesis = clients.kinesis();
             KafkaShardReader kafkaReader = topic.map(k -> new KafkaShardReader(k.bootstrapServers(), k.topic())).orElse(null)) {
            String queueUrl = endpoints.resources().queueUrls().get(spec.queues().streamFailures());
            return new OnFailureReplay(sqs, queueUrl, new KinesisRange(kinesis, spec.stream().name()),
                    Optional.ofNullable(kafkaReader).map(KafkaRange::new), topic.map(Endpoints.Kafka::topic).orElse(null),
                    ArchiveReplay.of(s3, spec))
                    .redrive(ArchiveReplay.Target.local(endpoints, spec, s3, dynamoDb), progress);
        }
    }

    /**
     * Receives every message on the queue and re-drives it into {@code target}'s handler.
     *
     * @param progress told messages done and messages on the queue
     * @return the replay summary: the sums of the handler's batch summary lines, {@code messages} (received, redriven,
     *         fromStream, fromArchive, kept) and {@code kept}, one {messageId, reason, detail} per message left on the queue
     */
    public Map<String, Object> redrive(ArchiveReplay.Target target, ArchiveReplay.Progress progress) {
        long total = Long.parseLong(sqs.getQueueAttributes(b -> b.queueUrl(queueUrl)
                .attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES)).attributes()
                .get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES));
        ReplayTotals totals = new ReplayTotals();
        Map<String, Long> messages = new LinkedHashMap<>();
        List.of("received", "redriven", "fromStream", "fromArchive", "kept").forEach(k -> messages.put(k, 0L));
        List<Map<String, String>> kept = new ArrayList<>();
        List<String> keptHandles = new ArrayList<>();
        progress.update(0, total);
        long done = 0;
        while (true) {
            List<Message> received = sqs.receiveMessage(b -> b.queueUrl(queueUrl).maxNumberOfMessages(RECEIVE_MAX)
                    .visibilityTimeout(VISIBILITY_SECONDS).waitTimeSeconds(WAIT_SECONDS)).messages();
            if (received.isEmpty()) {
                break;
            }
            for (Message message : received) {
                messages.merge("received", 1L, Long::sum);
                Outcome outcome = redrive(message.body(), target, totals);
                if (outcome.reason() == null) {
                    // Only now: every record of the range is applied, a duplicate or quarantined.
                    sqs.deleteMessage(b -> b.queueUrl(queueUrl).receiptHandle(message.receiptHandle()));
                    messages.merge("redriven", 1L, Long::sum);
                    messages.merge(outcome.source(), 1L, Long::sum);
                } else {
                    Map<String, String> entry = new LinkedHashMap<>();
                    entry.put("messageId", message.messageId());
                    entry.put("reason", outcome.reason());
                    entry.put("detail", outcome.detail());
                    kept.add(entry);
                    keptHandles.add(message.receiptHandle());
                    totals.notReplayed(outcome.records());
                }
                done++;
                progress.update(done, Math.max(done, total));
            }
        }
        // Kept messages were hidden while the queue was drained; they are visible again for the next run or a person.
        for (String handle : keptHandles) {
            sqs.changeMessageVisibility(b -> b.queueUrl(queueUrl).receiptHandle(handle).visibilityTimeout(0));
        }
        messages.put("kept", (long) kept.size());
        Map<String, Object> summary = totals.toMap();
        summary.put("messages", messages);
        summary.put("kept", kept);
        return summary;
    }

    /** How one message went: {@code reason} null when it was re-driven (from {@code source}). */
    private record Outcome(String source, String reason, String detail, long records) {
        static Outcome done(String source) {
            return new Outcome(source, null, null, 0);
        }

        static Outcome kept(String reason, String detail, long records) {
            return new Outcome(null, reason, detail, records);
        }
    }

    private Outcome redrive(String body, ArchiveReplay.Target target, ReplayTotals totals) {
        OnFailureMessage.Parsed parsed = OnFailureMessage.parse(body, target.streamArn(), kafkaTopic);
        if (parsed instanceof OnFailureMessage.Unusable unusable) {
            return Outcome.kept(unusable.reason(), unusable.detail(), 0);
        }
        OnFailureMessage.Batch batch = (OnFailureMessage.Batch) parsed;
        StreamRange stream = batch.kafka() ? kafka.orElseThrow() : kinesis;
        Gathered read = Gathered.of(batch.ranges(), stream::read);
        String source = "fromStream";
        if (!read.holds(batch)) {
            // Some range is no longer (or not wholly) in the stream: the archive must hold the whole batch instead.
            Gathered archived = fromArchive(batch);
            if (!archived.holds(batch)) {
                return Outcome.kept(RECORDS_NOT_FOUND, "records " + batch.describe() + " are not all in the " + (batch.kafka() ? "topic" : "stream")
                        + " (" + read.why(batch) + ") nor in the archive (" + archived.why(batch) + ")", batch.batchSize());
            }
            read = archived;
            source = "fromArchive";
        }
        List<List<StreamRecord>> ranges = read.ranges();
        long left = read.count();
        for (List<StreamRecord> records : ranges) {
            for (int i = 0; i < records.size(); i += archive.batchSize()) {
                List<StreamRecord> part = records.subList(i, Math.min(records.size(), i + archive.batchSize()));
                StreamsEventResponse response;
                try {
                    response = target.invoke(part);
                } catch (RuntimeException e) {
                    totals.add(target.summaryLines());
                    return Outcome.kept(PROCESSOR_FAILED, "the stream processor threw " + e + ": fix the cause and run again", left);
                }
                long failed = totals.add(target.summaryLines());
                if (failed > 0 || ReplayTotals.asksForRetry(response)) {
                    return Outcome.kept(PROCESSOR_FAILED, "the stream processor failed " + failed + " record(s) of " + part.get(0).shardId()
                            + " from " + part.get(0).sequenceNumber() + " on: fix the cause and run again", left);
                }
                left -= part.size();
            }
        }
        return Outcome.done(source);
    }

    /** Each range's records in stream order, null where a range was not found whole, and why not. */
    private record Gathered(List<List<StreamRecord>> ranges, List<String> missing) {

        static Gathered of(List<OnFailureMessage.Range> ranges, Function<OnFailureMessage.Range, Found> read) {
            List<List<StreamRecord>> found = new ArrayList<>();
            List<String> missing = new ArrayList<>();
            for (OnFailureMessage.Range range : ranges) {
                Found f = read.apply(range);
                found.add(f.records());
                if (f.records() == null) {
                    missing.add(f.missing());
                }
            }
            return new Gathered(found, missing);
        }

        /** Records of every range; a range not found counts none. */
        long count() {
            return ranges.stream().mapToLong(r -> r == null ? 0 : r.size()).sum();
        }

        /** Whether every range was found whole and together they hold the batch's records. */
        boolean holds(OnFailureMessage.Batch batch) {
            return missing.isEmpty() && count() >= batch.batchSize();
        }

        String why(OnFailureMessage.Batch batch) {
            return missing.isEmpty() ? count() + " of " + batch.batchSize() + " records found" : String.join("; ", missing);
        }
    }

    /**
     * The batch's records as the archive holds them, from one scan over the arrivals of all its ranges: per range each
     * position once, in stream order, from its first to its last.
     */
    private Gathered fromArchive(OnFailureMessage.Batch batch) {
        Map<OnFailureMessage.Range, List<ArchivedRecord>> inRange = new LinkedHashMap<>();
        batch.ranges().forEach(range -> inRange.put(range, new ArrayList<>()));
        Instant from = batch.ranges().stream().map(OnFailureMessage.Range::firstArrival).min(Instant::compareTo).orElseThrow();
        Instant to = batch.ranges().stream().map(OnFailureMessage.Range::lastArrival).max(Instant::compareTo).orElseThrow().plusMillis(1);
        long[] skipped = {0};
        archive.scan(from, to.isAfter(from) ? to : from.plusMillis(1), r -> {
            for (OnFailureMessage.Range range : batch.ranges()) {
                if (range.shardId().equals(r.shardId()) && range.holds(r.sequenceNumber())) {
                    inRange.get(range).add(r);
                    return;
                }
            }
        }, skipped);
        return Gathered.of(batch.ranges(), range -> {
            List<StreamRecord> records = ArchiveReplay.inStreamOrder(inRange.get(range));
            if (records.isEmpty() || !records.get(0).sequenceNumber().equals(range.first())
                    || !records.get(records.size() - 1).sequenceNumber().equals(range.last())) {
                return Found.missing(records.size() + " record(s) of " + range.shardId() + " " + range.first() + ".." + range.last() + " found");
            }
            return Found.of(records);
        });
    }
}
