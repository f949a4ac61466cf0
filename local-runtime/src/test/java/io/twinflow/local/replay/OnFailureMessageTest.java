package io.twinflow.local.replay;

import static org.assertj.core.api.Assertions.assertThat;

import io.twinflow.local.runtime.OnFailureRecord;
import io.twinflow.local.runtime.StreamRecord;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class OnFailureMessageTest {

    private static final String STREAM = "arn:aws:kinesis:us-east-1:000000000000:stream/twinflow-telemetry";
    private static final String START = "49656940343870238151389236812153497211148396542349901826";
    private static final String END = "49656940343870238151389236812153497211148396542349901890";
    private static final Instant FIRST = Instant.parse("2026-11-28T10:00:00.123Z");
    private static final Instant LAST = Instant.parse("2026-11-28T10:00:02.456Z");

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
        return ((OnFailureMessage.Unusable) OnFailureMessage.parse(body, STREAM)).reason();
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

        OnFailureMessage.Parsed parsed = OnFailureMessage.parse(body, STREAM);

        assertThat(parsed).isEqualTo(new OnFailureMessage.KinesisBatch("shardId-000000000001", START, END, 3, FIRST, LAST, STREAM));
    }

    @Test
    void aRangeHoldsItsEndsAndWhatLiesBetweenComparedAsNumbersNotText() {
        OnFailureMessage.KinesisBatch batch = new OnFailureMessage.KinesisBatch("shardId-000000000000", "95", "105", 3, FIRST, LAST, STREAM);
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
    void aRecordWithoutBatchInfoIsOfAnUnknownSourceAndAKafkaRecordIsNotRedriven() {
        assertThat(reason("{\"requestContext\":{}}")).isEqualTo(OnFailureMessage.UNKNOWN_SOURCE);
        assertThat(reason("{\"KinesisBatchInfo\":\"shardId-000000000000\"}")).isEqualTo(OnFailureMessage.UNKNOWN_SOURCE);
        assertThat(reason("{\"KafkaBatchInfo\":{\"batchSize\":3,\"recordsInfo\":{\"telemetry-0\":{\"firstRecordOffset\":\"0\"}}}}"))
                .isEqualTo(OnFailureMessage.KAFKA_NOT_SUPPORTED);
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
                body(info(shard, q(START), q(END), "3", q(FIRST.toString()), "null")), STREAM);
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
