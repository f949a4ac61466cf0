package io.twinflow.local.replay;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.twinflow.core.archive.ArchiveLine;
import io.twinflow.core.archive.StreamPositions;
import java.math.BigInteger;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What one message on the on-failure queue asks to re-drive, read from the invocation record Lambda sends to
 * a stream mapping's on-failure destination (and the local mappings send in the same shapes, see
 * {@code io.twinflow.local.runtime.OnFailureRecord} and {@code KafkaEventSourceMapping.onFailureRecord}): a Kinesis
 * shard's sequence range ({@code KinesisBatchInfo}), or one offset range per Kafka partition
 * ({@code KafkaBatchInfo.recordsInfo}, keyed {@code topic-partition}); or a message that cannot be re-driven and why,
 * as a stable reason code.
 */
public final class OnFailureMessage {

    /** The body is not JSON, or not a JSON object. */
    public static final String NOT_JSON = "NOT_JSON";
    /** Neither {@code KinesisBatchInfo} nor {@code KafkaBatchInfo}: not an event source mapping's record. */
    public static final String UNKNOWN_SOURCE = "UNKNOWN_SOURCE";
    /** A field the re-drive needs is missing or is not of its kind (shard id, sequence number, offset, time, size). */
    public static final String BAD_BATCH_INFO = "BAD_BATCH_INFO";
    /** A range ends before it starts, or the batch counts more records than its ranges can hold. */
    public static final String BAD_RANGE = "BAD_RANGE";
    /** The record names another stream or topic than the ones the stack reads. */
    public static final String OTHER_STREAM = "OTHER_STREAM";

    private static final ObjectMapper JSON = new ObjectMapper();
    /** A Kafka topic name (at most 249 of these characters), a dash, a partition number. */
    private static final Pattern TOPIC_PARTITION = Pattern.compile("([A-Za-z0-9._-]{1,249})-(\\d{1,9})");
    /** A Kafka offset: a non-negative 64-bit number. */
    private static final Pattern OFFSET = Pattern.compile("\\d{1,19}");

    private OnFailureMessage() {
    }

    /** What a message asks for. */
    public sealed interface Parsed permits Batch, Unusable {
    }

    /**
     * One shard's part of a batch (a Kafka partition plays the shard): its records {@code [first, last]} by sequence
     * number or offset, and the arrivals of the first and the last, which bound where the archive holds them.
     */
    public record Range(String shardId, String first, String last, Instant firstArrival, Instant lastArrival) {

        /** Whether the position lies in the range (compared as numbers: sequence numbers have up to 56 digits). */
        public boolean holds(String position) {
            BigInteger n = new BigInteger(position);
            return n.compareTo(new BigInteger(first)) >= 0 && n.compareTo(new BigInteger(last)) <= 0;
        }

        /** Whether the position comes after the range's last record. */
        public boolean isPast(String position) {
            return new BigInteger(position).compareTo(new BigInteger(last)) > 0;
        }
    }

    /**
     * A batch the mapping gave up: one range (Kinesis) or one per partition (Kafka, in partition order), and the number
     * of records it held, all ranges together.
     *
     * @param sourceArn the stream's ARN (Kinesis; null when the record names none) or the cluster's (Kafka)
     */
    public record Batch(boolean kafka, List<Range> ranges, int batchSize, String sourceArn) implements Parsed {
        public Batch {
            ranges = List.copyOf(ranges);
        }

        /** Kinesis batch of one shard's range. */
        static Batch kinesis(Range range, int batchSize, String streamArn) {
            return new Batch(false, List.of(range), batchSize, streamArn);
        }

        /** What the batch is, for a person: each range as shard first..last. */
        public String describe() {
            StringBuilder out = new StringBuilder();
            for (Range r : ranges) {
                out.append(out.isEmpty() ? "" : ", ").append(r.shardId()).append(' ').append(r.first()).append("..").append(r.last());
            }
            return out.toString();
        }
    }

    /** A message this command cannot re-drive: it stays on the queue. */
    record Unusable(String reason, String detail) implements Parsed {
    }

    /**
     * Reads a message body.
     *
     * @param streamArn the Kinesis stream re-driven into: a record naming another one is {@link #OTHER_STREAM}
     * @param kafkaTopic the Kafka topic re-driven into, null when the stack reads none: a Kafka record of another topic,
     *     or any Kafka record then, is {@link #OTHER_STREAM}
     */
    public static Parsed parse(String body, String streamArn, String kafkaTopic) {
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
            return kafka(root.get("KafkaBatchInfo"), kafkaTopic);
        }
        JsonNode info = root.get("KinesisBatchInfo");
        if (info == null || !info.isObject()) {
            return new Unusable(UNKNOWN_SOURCE, "no KinesisBatchInfo or KafkaBatchInfo: not an event source mapping's on-failure record");
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
        Integer size = batchSize(info);
        if (size == null) {
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
        return Batch.kinesis(new Range(shardId, start, end, first, last), size, arn);
    }

    /** A Kafka mapping's record: per {@code topic-partition} of {@code recordsInfo}, the first and last offset and timestamp. */
    private static Parsed kafka(JsonNode info, String kafkaTopic) {
        if (info == null || !info.isObject()) {
            return new Unusable(BAD_BATCH_INFO, "KafkaBatchInfo is not an object");
        }
        Integer size = batchSize(info);
        if (size == null) {
            return new Unusable(BAD_BATCH_INFO, "KafkaBatchInfo.batchSize is missing or not a positive whole number");
        }
        JsonNode recordsInfo = info.get("recordsInfo");
        if (recordsInfo == null || !recordsInfo.isObject() || recordsInfo.isEmpty()) {
            return new Unusable(BAD_BATCH_INFO, "KafkaBatchInfo.recordsInfo is missing, not an object or empty");
        }
        TreeMap<Integer, Range> byPartition = new TreeMap<>();
        BigInteger span = BigInteger.ZERO;
        for (Map.Entry<String, JsonNode> entry : recordsInfo.properties()) {
            String where = "KafkaBatchInfo.recordsInfo." + entry.getKey();
            Matcher key = TOPIC_PARTITION.matcher(entry.getKey());
            if (!key.matches()) {
                return new Unusable(BAD_BATCH_INFO, where + " is not a topic-partition key");
            }
            if (kafkaTopic == null) {
                return new Unusable(OTHER_STREAM, "the batch is of Kafka topic " + key.group(1) + ", and this stack reads no Kafka topic");
            }
            if (!key.group(1).equals(kafkaTopic)) {
                return new Unusable(OTHER_STREAM, "the batch is of Kafka topic " + key.group(1) + ", not of " + kafkaTopic);
            }
            JsonNode partition = entry.getValue();
            String first = offset(partition, "firstRecordOffset");
            String last = offset(partition, "lastRecordOffset");
            if (first == null || last == null) {
                return new Unusable(BAD_BATCH_INFO, where + "." + (first == null ? "firstRecordOffset" : "lastRecordOffset")
                        + " is missing or not an offset (a whole number from 0 to 2^63-1)");
            }
            if (new BigInteger(first).compareTo(new BigInteger(last)) > 0) {
                return new Unusable(BAD_RANGE, where + ": firstRecordOffset " + first + " is after lastRecordOffset " + last);
            }
            Instant firstArrival = instant(partition, "firstRecordTimestamp");
            Instant lastArrival = instant(partition, "lastRecordTimestamp");
            if (firstArrival == null || lastArrival == null) {
                return new Unusable(BAD_BATCH_INFO, where + "." + (firstArrival == null ? "firstRecordTimestamp" : "lastRecordTimestamp")
                        + " is missing or not an ISO-8601 instant");
            }
            byPartition.put(Integer.valueOf(key.group(2)), new Range(entry.getKey(), first, last, firstArrival, lastArrival));
            span = span.add(new BigInteger(last).subtract(new BigInteger(first))).add(BigInteger.ONE);
        }
        if (size < byPartition.size() || span.compareTo(BigInteger.valueOf(size)) < 0) {
            // Each partition gave the batch at least one record, and no more than its offsets span.
            return new Unusable(BAD_RANGE, "batchSize " + size + " cannot be the records of " + byPartition.size()
                    + " partition range(s) spanning " + span + " offset(s)");
        }
        return new Batch(true, List.copyOf(byPartition.values()), size, info.path("eventSourceArn").asText(null));
    }

    private static Integer batchSize(JsonNode info) {
        JsonNode size = info.path("batchSize");
        return size.isIntegralNumber() && size.canConvertToInt() && size.asInt() >= 1 ? size.asInt() : null;
    }

    /** An offset as Lambda writes it, a decimal string; a JSON number is taken too when it is a whole one. */
    private static String offset(JsonNode partition, String field) {
        JsonNode n = partition.path(field);
        String text = n.isTextual() ? n.asText() : n.isIntegralNumber() ? n.bigIntegerValue().toString() : null;
        if (text == null || !OFFSET.matcher(text).matches()) {
            return null;
        }
        try {
            return Long.toString(Long.parseLong(text));
        } catch (NumberFormatException e) {
            return null; // past 2^63-1
        }
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
