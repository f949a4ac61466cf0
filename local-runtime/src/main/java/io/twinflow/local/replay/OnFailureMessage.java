package io.twinflow.local.replay;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.twinflow.core.archive.ArchiveLine;
import io.twinflow.core.archive.StreamPositions;
import java.math.BigInteger;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * What one message on the on-failure queue asks to re-drive, read from the invocation record Lambda sends to
 * a stream mapping's on-failure destination (and the local mapping sends in the same shape, see
 * {@code io.twinflow.local.runtime.OnFailureRecord}): a Kinesis shard's sequence range, or a message that
 * cannot be re-driven and why, as a stable reason code.
 */
public final class OnFailureMessage {

    /** The body is not JSON, or not a JSON object. */
    public static final String NOT_JSON = "NOT_JSON";
    /** Neither {@code KinesisBatchInfo} nor {@code KafkaBatchInfo}: not an event source mapping's record. */
    public static final String UNKNOWN_SOURCE = "UNKNOWN_SOURCE";
    /** A field the re-drive needs is missing or is not of its kind (shard id, sequence number, time, size). */
    public static final String BAD_BATCH_INFO = "BAD_BATCH_INFO";
    /** The range ends before it starts. */
    public static final String BAD_RANGE = "BAD_RANGE";
    /** The record names another stream than the one re-driven into. */
    public static final String OTHER_STREAM = "OTHER_STREAM";
    /** A Kafka mapping's record (partition and offset range): not re-driven by this command. */
    public static final String KAFKA_NOT_SUPPORTED = "KAFKA_NOT_SUPPORTED";

    private static final ObjectMapper JSON = new ObjectMapper();

    private OnFailureMessage() {
    }

    /** What a message asks for. */
    public sealed interface Parsed permits KinesisBatch, Unusable {
    }

    /** A Kinesis batch: records {@code [startSequenceNumber, endSequenceNumber]} of one shard. */
    record KinesisBatch(String shardId, String startSequenceNumber, String endSequenceNumber, int batchSize,
                        Instant firstArrival, Instant lastArrival, String streamArn) implements Parsed {

        /** Whether the sequence number lies in the batch's range (compared as numbers: they have up to 56 digits). */
        public boolean holds(String sequenceNumber) {
            BigInteger n = new BigInteger(sequenceNumber);
            return n.compareTo(new BigInteger(startSequenceNumber)) >= 0 && n.compareTo(new BigInteger(endSequenceNumber)) <= 0;
        }

        /** Whether the sequence number comes after the batch's last record. */
        public boolean isPast(String sequenceNumber) {
            return new BigInteger(sequenceNumber).compareTo(new BigInteger(endSequenceNumber)) > 0;
        }
    }

    /** A message this command cannot re-drive: it stays on the queue. */
    record Unusable(String reason, String detail) implements Parsed {
    }

    /**
     * Reads a message body.
     *
     * @param streamArn the stream re-driven into: a record naming another one is {@link #OTHER_STREAM}
     */
    public static Parsed parse(String body, String streamArn) {
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (JsonProcessingException e) {
            return new Unusable(NOT_JSON, "the message body is not JSON: " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject()) {
            return new Unusable(NOT_JSON, "the message body is not a JSON object");
        }
        if (root.has("KafkaBatchInfo")) {
            return new Unusable(KAFKA_NOT_SUPPORTED, "a Kafka batch (partition and offset range): re-drive it by resetting the "
                    + "consumer group's offsets; replay --on-failure re-drives Kinesis batches only");
        }
        JsonNode info = root.get("KinesisBatchInfo");
        if (info == null || !info.isObject()) {
            return new Unusable(UNKNOWN_SOURCE, "no KinesisBatchInfo: not an event source mapping's on-failure record");
        }
        String shardId = info.path("shardId").asText("");
        if (!info.path("shardId").isTextual() || !ArchiveLine.isShardId(shardId)) {
            return new Unusable(BAD_BATCH_INFO, "KinesisBatchInfo.shardId is missing or not a shard id");
        }
        String start = sequenceNumber(info, "startSequenceNumber");
        String end = sequenceNumber(info, "endSequenceNumber");
        if (start == null || end == null) {
            return new Unusable(BAD_BATCH_INFO, "KinesisBatchInfo." + (start == null ? "startSequenceNumber" : "endSequenceNumber")
                    + " is missing or not a sequence number (1-56 digits)");
        }
        if (new BigInteger(start).compareTo(new BigInteger(end)) > 0) {
            return new Unusable(BAD_RANGE, "startSequenceNumber " + start + " is after endSequenceNumber " + end);
        }
        JsonNode size = info.path("batchSize");
        if (!size.canConvertToInt() || !size.isIntegralNumber() || size.asInt() < 1) {
            return new Unusable(BAD_BATCH_INFO, "KinesisBatchInfo.batchSize is missing or not a positive whole number");
        }
        Instant first = instant(info, "approximateArrivalOfFirstRecord");
        Instant last = instant(info, "approximateArrivalOfLastRecord");
        if (first == null || last == null) {
            return new Unusable(BAD_BATCH_INFO, "KinesisBatchInfo." + (first == null ? "approximateArrivalOfFirstRecord"
                    : "approximateArrivalOfLastRecord") + " is missing or not an ISO-8601 instant");
        }
        String arn = info.path("streamArn").asText(null);
        if (arn != null && !arn.equals(streamArn)) {
            return new Unusable(OTHER_STREAM, "the batch is of " + arn + ", not of " + streamArn);
        }
        return new KinesisBatch(shardId, start, end, size.asInt(), first, last, arn);
    }

    private static String sequenceNumber(JsonNode info, String field) {
        JsonNode n = info.path(field);
        return n.isTextual() && StreamPositions.isSequenceNumber(n.asText()) ? n.asText() : null;
    }

    private static Instant instant(JsonNode info, String field) {
        JsonNode n = info.path(field);
        if (!n.isTextual()) {
            return null;
        }
        try {
            return Instant.parse(n.asText());
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
