package io.twinflow.core.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What {@link RecordScanner} reads itself and what it leaves to Jackson; in every case the decoder's
 * verdict equals the Jackson-only decoder's ({@link RecordScannerAgreementTest} checks that at large).
 */
class RecordScannerTest {

    private static final Instant ARRIVAL = Instant.parse("2026-11-24T10:15:31Z");
    private static final String HEAD = "{\"schemaVersion\":1,\"eventId\":\"e-1\",\"deviceId\":\"sensor-0042\",\"ts\":\"2026-11-24T10:15:30.123Z\",";
    private static final String DEVICE_SHAPE = HEAD + "\"metrics\":{\"temperature\":21.37,\"humidity\":45,\"battery\":-0.0},"
            + "\"location\":{\"lat\":52.52001,\"lon\":-13.4}}";

    private static final EventDecoder JACKSON_ONLY = new EventDecoder(DecoderLimits.defaults(), false);

    private static boolean scans(String record) {
        return RecordScanner.scan(record.getBytes(StandardCharsets.UTF_8), DecoderLimits.defaults(), new EventFields());
    }

    private static DecodeResult decode(String record) {
        byte[] data = record.getBytes(StandardCharsets.UTF_8);
        DecodeResult result = new EventDecoder().decode(data, ARRIVAL);
        assertThat(result).isEqualTo(JACKSON_ONLY.decode(data, ARRIVAL));
        return result;
    }

    @Test
    void readsTheDevicesShapeWithTheValuesJacksonReads() {
        assertThat(scans(DEVICE_SHAPE)).isTrue();
        TelemetryEvent event = ((DecodeResult.Valid) decode(DEVICE_SHAPE)).event();
        assertThat(event.metrics()).containsExactly(Map.entry("battery", 0.0), Map.entry("humidity", 45.0), Map.entry("temperature", 21.37));
        assertThat(event.location()).isEqualTo(new Location(52.52001, -13.4));
        // The event takes the scanner's map over without a copy, and still hands out a read-only view.
        assertThatThrownBy(() -> event.metrics().put("x", 1.0)).isInstanceOf(UnsupportedOperationException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        " \r\n\t{ \"schemaVersion\" : 1 , \"eventId\":\"e-1\",\"deviceId\":\"d\",\"ts\":\"2026-11-24T10:15:30Z\",\"metrics\":{ \"a\" : 1 } }\n",
        "{}",
        "{\"metrics\":null,\"location\":null}",
        "{\"schemaVersion\":-0,\"eventId\":null,\"ts\":\"not a time\",\"metrics\":{}}",
        "{\"schemaVersion\":999999999,\"eventId\":\"e\",\"deviceId\":\"d\",\"ts\":\"x\",\"metrics\":{\"a\":123456789012345}}",
        "{\"location\":{\"lon\":200.5,\"lat\":0.00000000000001}}",
    })
    void readsPlainJsonAroundTheShapeItself(String record) {
        assertThat(scans(record)).isTrue();
        decode(record);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "\uFEFF{}", // a byte-order mark, which Jackson skips
        "{\"eventId\":\"caf\u00e9\"}", // non-ASCII
        "{\"eventId\":\"a\\u0000b\"}", // an escape
        "{\"eventI\\u0064\":\"a\"}", // an escape in a key
        "{\"firmware\":\"4.2\"}", // an unknown field
        "{\"ts\":\"a\",\"ts\":\"b\"}", // a repeated field
        "{\"metrics\":{\"a\":1,\"a\":2}}", // a repeated metric
        "{\"location\":{\"lat\":1,\"lat\":2,\"lon\":3}}", // a repeated coordinate
        "{\"location\":{\"lat\":1}}", // a missing coordinate
        "{\"location\":{\"lat\":1,\"lon\":2,\"alt\":3}}", // an unknown coordinate
        "{\"metrics\":{\"a\":1e3}}", // an exponent
        "{\"metrics\":{\"a\":1234567890123456}}", // 16 digits
        "{\"metrics\":{\"a\":0.1234567890123456}}",
        "{\"metrics\":{\"a\":01}}", // a leading zero
        "{\"metrics\":{\"a\":1.}}",
        "{\"metrics\":{\"a\":NaN}}",
        "{\"metrics\":{\"a\":\"5\"}}", // not a number
        "{\"metrics\":{\"a.b\":1}}", // a bad metric name
        "{\"schemaVersion\":1000000000}", // ten digits
        "{\"schemaVersion\":1.0}",
        "{\"schemaVersion\":true}",
        "{\"deviceId\":{}}",
        "{\"ts\":nul}",
        "{\u000b}", // not JSON whitespace
        "{}x", // trailing content
        "{\"ts\":\"a\",}",
        "{\"ts\":\"a\"",
        "[]",
        "",
    })
    void leavesEverythingElseToJackson(String record) {
        assertThat(scans(record)).isFalse();
        decode(record);
    }

    /** The scanner reads strings eight bytes at a time: what stops it must stop it at any offset in a word. */
    @Test
    void givesUpOnAnEscapeControlOrNonAsciiCharacterAtAnyOffsetOfALongString() {
        for (String odd : new String[] {"\\n", "\\\"", "\u0001", "\u001f", "\u00e9", "\ud83d\ude00"}) {
            for (int i = 0; i <= 24; i++) {
                String record = HEAD.replace("\"e-1\"", "\"" + "x".repeat(i) + odd + "x".repeat(24 - i) + "\"") + "\"metrics\":{\"a\":1}}";
                assertThat(scans(record)).as(record).isFalse();
                decode(record);
            }
        }
        String plain = HEAD.replace("\"e-1\"", "\"" + "x".repeat(49) + "\"") + "\"metrics\":{\"a\":1}}";
        assertThat(scans(plain)).isTrue();
        assertThat(((DecodeResult.Valid) decode(plain)).event().eventId()).isEqualTo("x".repeat(49));
    }

    @Test
    void leavesMoreMetricsThanTheLimitToJackson() {
        StringBuilder metrics = new StringBuilder("{");
        for (int i = 0; i <= DecoderLimits.defaults().maxMetrics(); i++) {
            metrics.append(i == 0 ? "" : ",").append("\"m").append(i).append("\":").append(i);
        }
        String record = HEAD + "\"metrics\":" + metrics + "}}";
        assertThat(scans(record)).isFalse();
        assertThat(((DecodeResult.Rejected) decode(record)).reason()).isEqualTo(ReasonCode.TOO_MANY_METRICS);
    }

    @Test
    void aRecordOverTheSizeLimitIsRejectedBeforeTheScannerReadsIt() {
        EventDecoder small = new EventDecoder(DecoderLimits.defaults().withMaxRecordBytes(100));
        byte[] data = DEVICE_SHAPE.getBytes(StandardCharsets.UTF_8);
        assertThat(small.decode(data, ARRIVAL)).isEqualTo(new DecodeResult.Rejected(ReasonCode.RECORD_TOO_LARGE,
                "record is " + data.length + " bytes, the limit is 100"));
    }
}
