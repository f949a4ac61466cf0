package io.twinflow.local.replay;

import static org.assertj.core.api.Assertions.assertThat;

import io.twinflow.local.runtime.OnFailureRecord;
import io.twinflow.local.runtime.StreamRecord;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OnFailureMessageTest {

    private static final String STREAM = "arn:aws:kinesis:us-east-1:000000000000:stream/twinflow-telemetry";
    private static final String START = "49656940343870238151389236812153497211148396542349901826";
    private static final String END = "49656940343870238151389236812153497211148396542349901890";
    private static final Instant FIRST = Instant.parse("2026-11-28T10:00:00.123Z");
    private static final Instant LAST = Instant.parse("2026-11-28T10:00:02.456Z");
    private static final String TOPIC = "twinflow-telemetry";

    private static String body(String batchInfo) {
        return "{\"requestContext\":{\"condition\":\"RetryAttemptsExhausted\",\"approximateInvokeCount\":3},"
                + "\"version\":\"1.0\",\"KinesisBatchInfo\":" + batchInfo + "}";
    }

    private static String info(String shard, String start, String end, String size, String first, String last) {
        return "{\"shardId\":" + shard + ",\"startSequenceNumber\":" + start + ",\"endSequenceNumber\":" + end + ",\"batchSize\":" + size
                + ",\"approximateArrivalOfFirstRecord\":" + first + ",\"approximateArrivalOfLastRecord\":" + last
                + ",\"streamArn\":\"" + STREAM + "\"}";
    }

    private static String reason(String body) {
        return ((OnFailureMessage.Unusable) OnFailureMessage.parse(body, STREAM, TOPIC)).reason();
    }

    private static String q(String s) {
        return "\"" + s + "\"";
    }

    @Test
    void theRecordTheLocalMappingSendsReadsBackAsItsShardRangeSizeAndArrivals() {
        List<StreamRecord> records = List.of(
                new StreamRecord("shardId-000000000001", START, "sensor-1", "{}".getBytes(StandardCharsets.UTF_8), FIRST),
                new StreamRecord("shardId-000000000001", "49656940343870238151389236812153497211148396542349901850", "sensor-2",
                        "{}".getBytes(StandardCharsets.UTF_8), FIRST.plusMillis(5)),
                new StreamRecord("shardId-000000000001", END, "sensor-1", "{}".getBytes(StandardCharsets.UTF_8), LAST));
        String body = OnFailureRecord.toJson(records, OnFailureRecord.Condition.RETRY_ATTEMPTS_EXHAUSTED, "arn:aws:lambda:fn", STREAM,
                "req-1", 3, "Unhandled", LAST.plusSeconds(1));

        OnFailureMessage.Parsed parsed = OnFailureMessage.parse(body, STREAM, TOPIC);

        assertThat(parsed).isEqualTo(new OnFailureMessage.Batch(false,
                List.of(new OnFailureMessage.Range("shardId-000000000001", START, END, FIRST, LAST)), 3, STREAM));
    }

    @Test
    void aRangeHoldsItsEndsAndWhatLiesBetweenComparedAsNumbersNotText() {
        OnFailureMessage.Range batch = new OnFailureMessage.Range("shardId-000000000000", "95", "105", FIRST, LAST);
        assertThat(batch.holds("95")).isTrue();
        assertThat(batch.holds("100")).isTrue();
        assertThat(batch.holds("105")).isTrue();
        assertThat(batch.holds("96000")).as("longer, so larger, though it sorts first as text").isFalse();
        assertThat(batch.holds("1000")).isFalse();
        assertThat(batch.isPast("106")).isTrue();
        assertThat(batch.isPast("99")).isFalse();
    }

    @Test
    void aBodyThatIsNotAJsonObjectIsNotJson() {
        assertThat(reason("not json {")).isEqualTo(OnFailureMessage.NOT_JSON);
        assertThat(reason("[1,2]")).isEqualTo(OnFailureMessage.NOT_JSON);
        assertThat(reason("")).isEqualTo(OnFailureMessage.NOT_JSON);
    }

    @Test
    void aRecordWithoutBatchInfoIsOfAnUnknownSource() {
        assertThat(reason("{\"requestContext\":{}}")).isEqualTo(OnFailureMessage.UNKNOWN_SOURCE);
        assertThat(reason("{\"KinesisBatchInfo\":\"shardId-000000000000\"}")).isEqualTo(OnFailureMessage.UNKNOWN_SOURCE);
    }

    /** KafkaBatchInfo as the local Kafka mapping writes it, from the mapping's own code. */
    private static String kafkaBody(Map<Integer, long[]> offsets, int batchSize) {
        StringBuilder partitions = new StringBuilder();
        offsets.forEach((p, range) -> partitions.append(partitions.isEmpty() ? "" : ",").append(q(TOPIC + "-" + p))
                .append(":{\"firstRecordOffset\":").append(q(Long.toString(range[0]))).append(",\"firstRecordTimestamp\":")
                .append(q(FIRST.toString())).append(",\"lastRecordOffset\":").append(q(Long.toString(range[1])))
                .append(",\"lastRecordTimestamp\":").append(q(LAST.toString())).append('}'));
        return "{\"requestContext\":{\"condition\":\"RetryAttemptsExhausted\"},\"KafkaBatchInfo\":{\"batchSize\":" + batchSize
                + ",\"eventSourceArn\":\"arn:aws:kafka:us-east-1:000000000000:cluster/local/x\",\"recordsInfo\":{" + partitions + "}}}";
    }

    @Test
    void aKafkaRecordReadsBackAsOneOffsetRangePerPartitionInPartitionOrder() {
        Map<Integer, long[]> offsets = new LinkedHashMap<>();
        offsets.put(10, new long[] {7, 9});
        offsets.put(2, new long[] {0, 0});
        OnFailureMessage.Parsed parsed = OnFailureMessage.parse(kafkaBody(offsets, 4), STREAM, TOPIC);

        assertThat(parsed).isEqualTo(new OnFailureMessage.Batch(true, List.of(
                new OnFailureMessage.Range(TOPIC + "-2", "0", "0", FIRST, LAST),
                new OnFailureMessage.Range(TOPIC + "-10", "7", "9", FIRST, LAST)), 4, "arn:aws:kafka:us-east-1:000000000000:cluster/local/x"));
        assertThat(((OnFailureMessage.Batch) parsed).describe()).isEqualTo(TOPIC + "-2 0..0, " + TOPIC + "-10 7..9");
    }

    @Test
    void aKafkaRecordOfAnotherTopicOrOnAStackWithoutKafkaIsOtherStream() {
        String body = kafkaBody(Map.of(0, new long[] {0, 2}), 3);
        assertThat(((OnFailureMessage.Unusable) OnFailureMessage.parse(body, STREAM, "other-topic")).reason())
                .isEqualTo(OnFailureMessage.OTHER_STREAM);
        OnFailureMessage.Unusable noKafka = (OnFailureMessage.Unusable) OnFailureMessage.parse(body, STREAM, null);
        assertThat(noKafka.reason()).isEqualTo(OnFailureMessage.OTHER_STREAM);
        assertThat(noKafka.detail()).contains("reads no Kafka topic");
    }

    @Test
    void aKafkaRecordWithMalformedOrImpossibleRangesIsRefusedWithAReason() {
        assertThat(reason(kafkaBody(Map.of(0, new long[] {5, 4}), 1))).isEqualTo(OnFailureMessage.BAD_RANGE);
        assertThat(reason(kafkaBody(Map.of(0, new long[] {0, 2}), 4))).as("4 records cannot come from 3 offsets")
                .isEqualTo(OnFailureMessage.BAD_RANGE);
        assertThat(reason(kafkaBody(Map.of(0, new long[] {0, 2}, 1, new long[] {0, 0}), 1))).as("each partition gave one at least")
                .isEqualTo(OnFailureMessage.BAD_RANGE);
        String good = kafkaBody(Map.of(0, new long[] {0, 2}), 3);
        for (String bad : List.of(good.replace("\"firstRecordOffset\":\"0\"", "\"firstRecordOffset\":\"-1\""),
                good.replace("\"lastRecordOffset\":\"2\"", "\"lastRecordOffset\":\"99999999999999999999\""),
                good.replace("\"lastRecordOffset\":\"2\"", "\"lastRecordOffset\":2.5"),
                good.replace("\"firstRecordTimestamp\":\"" + FIRST + "\"", "\"firstRecordTimestamp\":\"soon\""),
                good.replace(TOPIC + "-0", TOPIC + "-x"),
                good.replace(TOPIC + "-0", "no partition"),
                good.replace("\"batchSize\":3", "\"batchSize\":0"),
                good.replace("\"recordsInfo\":{", "\"recordsInfo\":{\"a-0\":1,").replace("\"a-0\":1,", "\"" + TOPIC + "-5\":[],"),
                "{\"KafkaBatchInfo\":{\"batchSize\":1,\"recordsInfo\":{}}}",
                "{\"KafkaBatchInfo\":[]}")) {
            assertThat(reason(bad)).as(bad).isEqualTo(OnFailureMessage.BAD_BATCH_INFO);
        }
        assertThat(OnFailureMessage.parse(good.replace("\"lastRecordOffset\":\"2\"", "\"lastRecordOffset\":2"), STREAM, TOPIC))
                .as("an offset as a whole JSON number is taken").isInstanceOf(OnFailureMessage.Batch.class);
    }

    @Test
    void eachMissingOrMistypedFieldIsBadBatchInfoNamingTheField() {
        String shard = q("shardId-000000000000");
        assertThat(reason(body(info("null", q(START), q(END), "3", q(FIRST.toString()), q(LAST.toString())))))
                .isEqualTo(OnFailureMessage.BAD_BATCH_INFO);
        assertThat(reason(body(info(q("shard\\u0001"), q(START), q(END), "3", q(FIRST.toString()), q(LAST.toString())))))
                .isEqualTo(OnFailureMessage.BAD_BATCH_INFO);
        assertThat(reason(body(info(shard, START, q(END), "3", q(FIRST.toString()), q(LAST.toString())))))
                .as("a sequence number as a JSON number loses digits: refused").isEqualTo(OnFailureMessage.BAD_BATCH_INFO);
        assertThat(reason(body(info(shard, q(START), q("12a"), "3", q(FIRST.toString()), q(LAST.toString())))))
                .isEqualTo(OnFailureMessage.BAD_BATCH_INFO);
        assertThat(reason(body(info(shard, q(START), q("1".repeat(57)), "3", q(FIRST.toString()), q(LAST.toString())))))
                .isEqualTo(OnFailureMessage.BAD_BATCH_INFO);
        for (String size : List.of("0", "-1", "2.5", q("3"), "null", "99999999999")) {
            assertThat(reason(body(info(shard, q(START), q(END), size, q(FIRST.toString()), q(LAST.toString())))))
                    .as("batchSize %s", size).isEqualTo(OnFailureMessage.BAD_BATCH_INFO);
        }
        assertThat(reason(body(info(shard, q(START), q(END), "3", q("yesterday"), q(LAST.toString())))))
                .isEqualTo(OnFailureMessage.BAD_BATCH_INFO);
        OnFailureMessage.Unusable noLast = (OnFailureMessage.Unusable) OnFailureMessage.parse(
                body(info(shard, q(START), q(END), "3", q(FIRST.toString()), "null")), STREAM, TOPIC);
        assertThat(noLast.detail()).contains("approximateArrivalOfLastRecord");
    }

    @Test
    void aRangeEndingBeforeItStartsIsABadRange() {
        assertThat(reason(body(info(q("shardId-000000000000"), q("1000"), q("999"), "1", q(FIRST.toString()), q(LAST.toString())))))
                .isEqualTo(OnFailureMessage.BAD_RANGE);
    }

    @Test
    void aBatchOfAnotherStreamIsOtherStream() {
        String other = body(info(q("shardId-000000000000"), q(START), q(END), "3", q(FIRST.toString()), q(LAST.toString())))
                .replace("stream/twinflow-telemetry", "stream/someone-else");
        assertThat(reason(other)).isEqualTo(OnFailureMessage.OTHER_STREAM);
    }
}
