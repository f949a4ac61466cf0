package io.twinflow.local.quarantine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.twinflow.core.error.UserMistakeException;
import io.twinflow.functions.quarantine.QuarantinedRecord;
import io.twinflow.functions.quarantine.S3QuarantineSink;
import io.twinflow.local.simulate.KinesisPublisher;
import io.twinflow.local.simulate.PlannedRecord;
import io.twinflow.local.simulate.RecordPublisher;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The stream-processor's quarantine, for an operator: list what was quarantined, show one record, and
 * requeue records (their original bytes, with their original partition key) onto the stream once the
 * cause is fixed. Objects are read with {@link S3QuarantineSink#fromJson}, the writer's own reader.
 *
 * <p>Requeue never counts a record twice. A quarantined record was counted nowhere, so putting it back
 * once lets the stream processor apply it once, or quarantine it again: under its new stream position,
 * which is a new object. The old object stays (the warehouse keeps its history); a marker at
 * {@code requeued/<key>} records that it was requeued and where to, and is written only after the put
 * succeeded, so a second requeue of the key changes nothing. A requeue that crashes between the put and
 * the marker leaves the record requeueable: requeued again, the same bytes carry the same event id,
 * which the processor's exactly-once window state counts as a duplicate, not as a second event. The
 * other order (marker first) could lose the record, which is worse.
 *
 * <p>A record goes back to the stream it came from when the stack still reads it: one the Kafka
 * processor quarantined (its shard is {@code <topic>-<partition>}) onto the topic, any other onto the
 * Kinesis stream; otherwise onto the stream the stack reads. The same bytes reach the same processor and
 * the same exactly-once state either way.
 */
public final class QuarantineStore {

    /** Where the requeue markers live in the quarantine bucket, outside the quarantine prefix the loader reads. */
    public static final String REQUEUED_PREFIX = "requeued/";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("uuuu-MM-dd").withZone(ZoneOffset.UTC);

    private final S3Client s3;
    private final Optional<RecordPublisher> kinesis;
    private final Optional<RecordPublisher> kafka;
    private final String bucket;
    private final String prefix;
    private final String stream;
    private final Clock clock;

    /** A quarantined record where it was found, and where it was requeued to if it was. */
    public record Entry(String key, QuarantinedRecord record, Optional<Requeued> requeued) {
    }

    /** The marker of a requeued record: when, and the stream position its bytes got. */
    public record Requeued(Instant at, String shardId, String sequenceNumber) {
    }

    /** What one requeue did with one key. */
    public record Outcome(String key, boolean putOnStream, Requeued requeued) {
    }

    /**
     * A quarantine whose records all go back on the Kinesis stream.
     *
     * @param prefix the quarantine prefix in the bucket ({@code quarantine/})
     * @param stream the stream the records are put back on
     */
    public QuarantineStore(S3Client s3, KinesisClient kinesis, String bucket, String prefix, String stream, Clock clock) {
        this(s3, Optional.of(new KinesisPublisher(kinesis, stream)), Optional.empty(), bucket, prefix, stream, clock);
    }

    /**
     * @param kinesis puts records on the Kinesis stream, when the stack's processor reads it
     * @param kafka puts records on the Kafka topic, when the stack runs Kafka
     * @param stream the stream's name, which is also the topic's
     */
    public QuarantineStore(S3Client s3, Optional<RecordPublisher> kinesis, Optional<RecordPublisher> kafka, String bucket, String prefix,
                           String stream, Clock clock) {
        if (kinesis.isEmpty() && kafka.isEmpty()) {
            throw new IllegalArgumentException("a quarantine needs a stream to requeue onto");
        }
        this.s3 = s3;
        this.kinesis = kinesis;
        this.kafka = kafka;
        this.bucket = bucket;
        this.prefix = prefix;
        this.stream = stream;
        this.clock = clock;
    }

    /**
     * The quarantined records, oldest arrival day first, each once.
     *
     * @param reason only this reason code, when given
     * @param since only records that arrived at or after this, when given
     */
    public List<Entry> list(Optional<String> reason, Optional<Instant> since) {
        Map<String, Requeued> markers = new HashMap<>();
        s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(REQUEUED_PREFIX + prefix)).contents()
                .forEach(o -> markers.put(o.key().substring(REQUEUED_PREFIX.length()), marker(o.key())));
        // Keys start with the arrival day: a listing from the first day asked for skips the days before.
        String startAfter = since.map(t -> prefix + "dt=" + DAY.format(t)).orElse(null);
        List<Entry> entries = new ArrayList<>();
        for (S3Object object : s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix).startAfter(startAfter)).contents()) {
            QuarantinedRecord record = read(object.key());
            if (reason.map(record.reason()::equals).orElse(true)
                    && since.map(t -> !record.arrivalTime().isBefore(t)).orElse(true)) {
                entries.add(new Entry(object.key(), record, Optional.ofNullable(markers.get(object.key()))));
            }
        }
        return entries;
    }

    /** @throws UserMistakeException when there is no quarantined record at {@code key} */
    public Entry show(String key) {
        return new Entry(key, read(key), requeued(key));
    }

    /**
     * Puts each record not yet requeued back on the stream, in the order given; a key already requeued
     * is left as it is.
     *
     * @throws UserMistakeException when a key is not a quarantined record (before anything is put)
     */
    public List<Outcome> requeue(List<String> keys) {
        List<Entry> entries = keys.stream().map(this::show).toList();
        List<Outcome> outcomes = new ArrayList<>(entries.size());
        for (Entry entry : entries) {
            if (entry.requeued().isPresent()) {
                outcomes.add(new Outcome(entry.key(), false, entry.requeued().get()));
                continue;
            }
            QuarantinedRecord record = entry.record();
            RecordPublisher destination = (cameFromKafka(record) ? kafka.or(() -> kinesis) : kinesis.or(() -> kafka)).orElseThrow();
            // Publishers read only the partition key and the bytes: the kind says nothing here.
            RecordPublisher.Ack put = destination.put(List.of(new PlannedRecord(PlannedRecord.Kind.VALID, partitionKey(entry),
                    record.payload(), null, null, null, false, null))).get(0);
            if (put == null) {
                throw new IllegalStateException("the stream refused " + entry.key() + " after retries: nothing was requeued from it, "
                        + "run the requeue again");
            }
            Requeued requeued = new Requeued(clock.instant(), put.shardId(), put.sequenceNumber());
            ObjectNode marker = JSON.createObjectNode().put("requeuedAt", requeued.at().toString())
                    .put("shardId", requeued.shardId()).put("sequenceNumber", requeued.sequenceNumber());
            s3.putObject(b -> b.bucket(bucket).key(REQUEUED_PREFIX + entry.key()).contentType("application/json"),
                    RequestBody.fromString(marker.toString()));
            outcomes.add(new Outcome(entry.key(), true, requeued));
        }
        return outcomes;
    }

    /** {@link #requeue(List)} of every record of this reason not yet requeued. */
    public List<Outcome> requeueReason(String reason) {
        return requeue(list(Optional.of(reason), Optional.empty()).stream().filter(e -> e.requeued().isEmpty()).map(Entry::key).toList());
    }

    /** The Kafka processor names a record's shard {@code <topic>-<partition>}; Kinesis shards are {@code shardId-...}. */
    private boolean cameFromKafka(QuarantinedRecord record) {
        String shard = record.shardId();
        if (shard == null || !shard.startsWith(stream + "-")) {
            return false;
        }
        String partition = shard.substring(stream.length() + 1);
        return !partition.isEmpty() && partition.chars().allMatch(Character::isDigit);
    }

    private static String partitionKey(Entry entry) {
        String key = entry.record().partitionKey();
        if (key == null || key.isEmpty()) {
            throw new UserMistakeException(entry.key() + " has no partition key to put it back with: not requeued");
        }
        return key;
    }

    private QuarantinedRecord read(String key) {
        if (!key.startsWith(prefix)) {
            throw new UserMistakeException(key + " is not a quarantine key: keys start with " + prefix
                    + " (see `twinflow quarantine list`)");
        }
        try {
            return S3QuarantineSink.fromJson(s3.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asByteArray());
        } catch (NoSuchKeyException e) {
            throw new UserMistakeException("no quarantined record at " + key + " in " + bucket + " (see `twinflow quarantine list`)", e);
        }
    }

    private Optional<Requeued> requeued(String key) {
        try {
            return Optional.of(marker(REQUEUED_PREFIX + key));
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        }
    }

    private Requeued marker(String markerKey) {
        try {
            JsonNode node = JSON.readTree(s3.getObjectAsBytes(b -> b.bucket(bucket).key(markerKey)).asByteArray());
            return new Requeued(Instant.parse(node.get("requeuedAt").asText()), node.get("shardId").asText(),
                    node.get("sequenceNumber").asText());
        } catch (IOException e) {
            throw new UncheckedIOException("unreadable requeue marker " + markerKey, e);
        }
    }
}
