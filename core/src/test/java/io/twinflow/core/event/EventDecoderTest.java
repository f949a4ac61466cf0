package io.twinflow.core.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class EventDecoderTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String TS = "2026-11-24T10:15:30.123Z";
    /** When the records "reached the stream": a moment after {@link #TS}. */
    private static final Instant ARRIVAL = Instant.parse("2026-11-24T10:15:30.600Z");

    private final EventDecoder decoder = new EventDecoder();

    /** A valid schema-v1 event as a tree, for tests to break one field at a time. */
    private static ObjectNode validEvent() {
        ObjectNode event = MAPPER.createObjectNode();
        event.put("schemaVersion", 1);
        event.put("eventId", "0b7e6a52-3c1f-4e0a-9f5e-2f6c1d9a7b11");
        event.put("deviceId", "sensor-0042");
        event.put("ts", TS);
        ObjectNode metrics = event.putObject("metrics");
        metrics.put("temperature", 21.5);
        metrics.put("humidity", 40.2);
        metrics.put("battery", 0.87);
        ObjectNode location = event.putObject("location");
        location.put("lat", 52.52);
        location.put("lon", 13.40);
        return event;
    }

    private static byte[] with(Consumer<ObjectNode> change) {
        ObjectNode event = validEvent();
        change.accept(event);
        return bytes(event.toString());
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] concat(byte[]... parts) {
        int length = 0;
        for (byte[] p : parts) {
            length += p.length;
        }
        byte[] all = new byte[length];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, all, at, p.length);
            at += p.length;
        }
        return all;
    }

    private DecodeResult decode(byte[] data) {
        return decoder.decode(data, ARRIVAL);
    }

    private TelemetryEvent decodeValid(byte[] data) {
        DecodeResult result = decode(data);
        assertThat(result).isInstanceOf(DecodeResult.Valid.class);
        return ((DecodeResult.Valid) result).event();
    }

    private static ReasonCode reasonOf(DecodeResult result) {
        assertThat(result).isInstanceOf(DecodeResult.Rejected.class);
        DecodeResult.Rejected rejected = (DecodeResult.Rejected) result;
        assertThat(rejected.detail()).isNotBlank();
        return rejected.reason();
    }

    private static String nestedObjects(int levels) {
        return "{\"a\":".repeat(levels - 1) + "{}" + "}".repeat(levels - 1);
    }

    // ---------------------------------------------------------------------------------------------

    @Test
    void validEventDecodesWithAllFields() {
        TelemetryEvent event = decodeValid(bytes(validEvent().toString()));

        assertThat(event.schemaVersion()).isEqualTo(1);
        assertThat(event.eventId()).isEqualTo("0b7e6a52-3c1f-4e0a-9f5e-2f6c1d9a7b11");
        assertThat(event.deviceId()).isEqualTo("sensor-0042");
        assertThat(event.ts()).isEqualTo(Instant.parse(TS));
        assertThat(event.metrics()).containsExactly(
                Map.entry("battery", 0.87), Map.entry("humidity", 40.2), Map.entry("temperature", 21.5));
        assertThat(event.location()).isEqualTo(new Location(52.52, 13.40));
    }

    static Stream<Arguments> oneCasePerReasonCode() {
        return Stream.of(
                arguments(ReasonCode.INVALID_UTF8, concat(bytes("{\"x\":\""), new byte[] {(byte) 0x80}, bytes("\"}"))),
                arguments(ReasonCode.INVALID_JSON, bytes("{\"schemaVersion\":1,")),
                arguments(ReasonCode.NOT_AN_OBJECT, bytes("[1,2,3]")),
                arguments(ReasonCode.RECORD_TOO_LARGE, with(e -> e.put("padding", "x".repeat(70_000)))),
                arguments(ReasonCode.NESTING_TOO_DEEP, bytes(nestedObjects(40))),
                arguments(ReasonCode.DUPLICATE_KEY, bytes("{\"schemaVersion\":1,\"schemaVersion\":1}")),
                arguments(ReasonCode.UNSUPPORTED_SCHEMA, with(e -> e.put("schemaVersion", 2))),
                arguments(ReasonCode.MISSING_FIELD, with(e -> e.remove("eventId"))),
                arguments(ReasonCode.WRONG_TYPE, with(e -> e.put("deviceId", 42))),
                arguments(ReasonCode.BAD_EVENT_ID, with(e -> e.put("eventId", ""))),
                arguments(ReasonCode.BAD_DEVICE_ID, with(e -> e.put("deviceId", "a b"))),
                arguments(ReasonCode.BAD_TIMESTAMP, with(e -> e.put("ts", "not a time"))),
                arguments(ReasonCode.FUTURE_TIMESTAMP, with(e -> e.put("ts", "2026-11-24T11:00:00Z"))),
                arguments(ReasonCode.EMPTY_METRICS, with(e -> e.putObject("metrics"))),
                arguments(ReasonCode.TOO_MANY_METRICS, with(e -> {
                    ObjectNode metrics = e.putObject("metrics");
                    for (int i = 0; i < 51; i++) {
                        metrics.put("m" + i, i);
                    }
                })),
                arguments(ReasonCode.BAD_METRIC_NAME, with(e -> ((ObjectNode) e.get("metrics")).put("a.b", 1))),
                arguments(ReasonCode.BAD_METRIC_VALUE, with(e -> ((ObjectNode) e.get("metrics")).put("battery", "full"))),
                arguments(ReasonCode.NON_FINITE_METRIC, bytes(validEvent().toString().replace("21.5", "NaN"))),
                arguments(ReasonCode.METRIC_OUT_OF_RANGE, with(e -> ((ObjectNode) e.get("metrics")).put("humidity", 1e101))),
                arguments(ReasonCode.BAD_LOCATION, with(e -> ((ObjectNode) e.get("location")).put("lon", 180.5))),
                arguments(ReasonCode.TOO_LATE, with(e -> e.put("ts", "2026-11-20T10:00:00Z"))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("oneCasePerReasonCode")
    void eachReasonCodeHasAMinimalCase(ReasonCode expected, byte[] data) {
        assertThat(reasonOf(decode(data))).isEqualTo(expected);
    }

    @Test
    void minimalCasesCoverEveryReasonCode() {
        Set<ReasonCode> covered = oneCasePerReasonCode()
                .map(a -> (ReasonCode) a.get()[0])
                .collect(Collectors.toCollection(() -> EnumSet.noneOf(ReasonCode.class)));
        // The others are judged by the window's capacity, the archive reader and the stores, not per record.
        covered.addAll(EnumSet.of(ReasonCode.WINDOW_FULL, ReasonCode.BAD_ARCHIVE_LINE, ReasonCode.STORE_REJECTED));
        assertThat(covered).containsExactlyInAnyOrder(ReasonCode.values());
    }

    @Test
    void unknownFieldsAreIgnoredAtEveryLevel() {
        byte[] data = with(e -> {
            e.put("firmware", "4.2.1");
            e.putObject("extra").putArray("readings").add(1).addObject().put("deep", true);
            e.putNull("comment");
            ((ObjectNode) e.get("location")).put("altitude", 34.0);
        });

        TelemetryEvent event = decodeValid(data);

        assertThat(event.metrics()).containsOnlyKeys("temperature", "humidity", "battery");
        assertThat(event.location()).isEqualTo(new Location(52.52, 13.40));
    }

    @Test
    void unknownFieldsDoNotNeedToBeValidInTheSchemasTerms() {
        // A newer producer may add fields with any shape; only their JSON must be valid.
        byte[] data = with(e -> e.put("metricsV2", "not-an-object"));
        assertThat(decode(data)).isInstanceOf(DecodeResult.Valid.class);
    }

    @Test
    void locationIsOptional() {
        assertThat(decodeValid(with(e -> e.remove("location"))).location()).isNull();
        assertThat(decodeValid(with(e -> e.putNull("location"))).location()).isNull();
    }

    @Test
    void locationBoundariesAreInclusive() {
        byte[] corner = with(e -> {
            ((ObjectNode) e.get("location")).put("lat", -90.0);
            ((ObjectNode) e.get("location")).put("lon", 180.0);
        });
        assertThat(decodeValid(corner).location()).isEqualTo(new Location(-90.0, 180.0));

        assertThat(reasonOf(decode(with(e -> ((ObjectNode) e.get("location")).put("lat", 91)))))
                .isEqualTo(ReasonCode.BAD_LOCATION);
        assertThat(reasonOf(decode(with(e -> ((ObjectNode) e.get("location")).put("lat", "52.52")))))
                .isEqualTo(ReasonCode.BAD_LOCATION);
        assertThat(reasonOf(decode(with(e -> ((ObjectNode) e.get("location")).remove("lon")))))
                .isEqualTo(ReasonCode.BAD_LOCATION);
    }

    @ParameterizedTest
    @ValueSource(strings = {"2026-11-24T11:15:30.123+01:00", "2026-11-24T04:45:30.123-05:30", "2026-11-24T10:15:30.123+00:00"})
    void offsetTimestampsAreNormalisedToUtc(String ts) {
        assertThat(decodeValid(with(e -> e.put("ts", ts))).ts()).isEqualTo(Instant.parse(TS));
    }

    @Test
    void timestampPrecisionIsKept() {
        assertThat(decodeValid(with(e -> e.put("ts", "2026-11-24T10:15:30.123456789Z"))).ts())
                .isEqualTo(Instant.parse(TS).plusNanos(456_789));
        assertThat(decodeValid(with(e -> e.put("ts", "2026-11-24T10:15:30Z"))).ts())
                .isEqualTo(Instant.parse("2026-11-24T10:15:30Z"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"2026-11-24T10:15:30.123", "2026-11-24", "2026-11-24 10:15:30Z", "1795515330123",
        "1969-12-31T23:59:59.999999999Z", "2026-02-30T10:15:30Z", ""})
    void timestampsThatAreNotUtcInstantsSince1970AreBad(String ts) {
        assertThat(reasonOf(decode(with(e -> e.put("ts", ts))))).isEqualTo(ReasonCode.BAD_TIMESTAMP);
    }

    @Test
    void theEpochItselfIsAValidTimestamp() {
        DecodeResult result = decoder.decode(with(e -> e.put("ts", "1970-01-01T00:00:00Z")), Instant.EPOCH.plusSeconds(1));
        assertThat(((DecodeResult.Valid) result).event().ts()).isEqualTo(Instant.EPOCH);
    }

    @Test
    void futureTimestampIsJudgedAgainstTheReferenceTimeWithAnExactSkewBoundary() {
        Duration skew = decoder.limits().maxFutureSkew();
        Instant edge = ARRIVAL.plus(skew);

        assertThat(decodeValid(with(e -> e.put("ts", edge.toString()))).ts()).isEqualTo(edge);
        assertThat(reasonOf(decode(with(e -> e.put("ts", edge.plusNanos(1).toString())))))
                .isEqualTo(ReasonCode.FUTURE_TIMESTAMP);
        assertThat(reasonOf(decode(with(e -> e.put("ts", edge.plusMillis(1).toString())))))
                .isEqualTo(ReasonCode.FUTURE_TIMESTAMP);
    }

    @Test
    void theSameRecordIsOnlyFutureForAnEarlierReferenceTime() {
        byte[] data = with(e -> e.put("ts", "2026-11-24T12:00:00Z"));

        assertThat(reasonOf(decoder.decode(data, Instant.parse("2026-11-24T11:54:59.999Z"))))
                .isEqualTo(ReasonCode.FUTURE_TIMESTAMP);
        assertThat(decoder.decode(data, Instant.parse("2026-11-24T11:55:00Z"))).isInstanceOf(DecodeResult.Valid.class);
        assertThat(decoder.decode(data, Instant.parse("2026-11-25T00:00:00Z"))).isInstanceOf(DecodeResult.Valid.class);
    }

    @Test
    void aZeroSkewAcceptsAnEventStampedExactlyAtArrival() {
        EventDecoder strict = new EventDecoder(DecoderLimits.defaults().withMaxFutureSkew(Duration.ZERO));
        assertThat(strict.decode(with(e -> e.put("ts", ARRIVAL.toString())), ARRIVAL)).isInstanceOf(DecodeResult.Valid.class);
        assertThat(reasonOf(strict.decode(with(e -> e.put("ts", ARRIVAL.plusMillis(1).toString())), ARRIVAL)))
                .isEqualTo(ReasonCode.FUTURE_TIMESTAMP);
    }

    @Test
    void brokenJsonWinsOverFieldRules() {
        // schemaVersion 2, no deviceId, a NaN metric and an array for location, then a missing brace.
        byte[] data = bytes("{\"schemaVersion\":2,\"eventId\":\"\",\"ts\":\"soon\",\"metrics\":{\"t\":NaN},\"location\":[]");
        assertThat(reasonOf(decode(data))).isEqualTo(ReasonCode.INVALID_JSON);

        byte[] trailing = concat(with(e -> e.put("schemaVersion", 7)), bytes(" x"));
        assertThat(reasonOf(decode(trailing))).isEqualTo(ReasonCode.INVALID_JSON);
    }

    @Test
    void aDuplicateKeyWinsOverOtherFieldRules() {
        byte[] data = bytes("{\"schemaVersion\":3,\"deviceId\":\"a\",\"deviceId\":\"b\"}");
        assertThat(reasonOf(decode(data))).isEqualTo(ReasonCode.DUPLICATE_KEY);
    }

    @ParameterizedTest
    @ValueSource(strings = {"schemaVersion", "eventId", "deviceId", "ts", "metrics", "location"})
    void eachTopLevelFieldTwiceIsADuplicateKeyNamingTheFirstFieldRepeated(String field) {
        String valid = validEvent().toString();
        String again = "\"" + field + "\":" + validEvent().get(field) + ",";
        // The repeated field goes first, then the whole valid event; a later repeat of another field is not named.
        byte[] data = bytes("{" + again + valid.substring(1, valid.length() - 1) + ",\"eventId\":\"x\"}");

        DecodeResult result = decode(data);

        assertThat(reasonOf(result)).isEqualTo(ReasonCode.DUPLICATE_KEY);
        assertThat(((DecodeResult.Rejected) result).detail()).isEqualTo("field '" + field + "' appears more than once");
    }

    @Test
    void emptyAndWhitespaceOnlyRecordsAreInvalidJson() {
        assertThat(reasonOf(decode(new byte[0]))).isEqualTo(ReasonCode.INVALID_JSON);
        assertThat(reasonOf(decode(bytes(" \n\t ")))).isEqualTo(ReasonCode.INVALID_JSON);
    }

    @Test
    void aNulByteIsInvalidJsonButUtf16IsAnEncodingProblem() {
        assertThat(reasonOf(decode(concat(with(e -> { }), new byte[] {0})))).isEqualTo(ReasonCode.INVALID_JSON);

        byte[] utf16 = concat(new byte[] {(byte) 0xFF, (byte) 0xFE}, validEvent().toString().getBytes(StandardCharsets.UTF_16LE));
        assertThat(reasonOf(decode(utf16))).isEqualTo(ReasonCode.INVALID_UTF8);
    }

    @Test
    void validMultiByteUtf8IsAccepted() {
        TelemetryEvent event = decodeValid(with(e -> {
            e.put("eventId", "événement-\uD83D\uDE80-1");
            e.put("note", "température 21,5 °C");
        }));
        assertThat(event.eventId()).isEqualTo("événement-\uD83D\uDE80-1");
    }

    @ParameterizedTest
    @ValueSource(strings = {"NaN", "Infinity", "-Infinity", "1e400", "-1e400"})
    void nonFiniteMetricsAreRejected(String literal) {
        byte[] data = bytes(validEvent().toString().replace("21.5", literal));
        assertThat(reasonOf(decode(data))).isEqualTo(ReasonCode.NON_FINITE_METRIC);
    }

    @Test
    void integerMetricValuesAreReadAsDoubles() {
        TelemetryEvent event = decodeValid(bytes(validEvent().toString().replace("21.5", "21")));
        assertThat(event.metrics()).containsEntry("temperature", 21.0);
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "-0.0", "1e100", "-1e100", "1e-100", "-1e-100", "9.999999999999999e99"})
    void metricMagnitudesUpToTheRangeLimitsAreAccepted(String literal) {
        TelemetryEvent event = decodeValid(bytes(validEvent().toString().replace("40.2", literal)));
        assertThat(event.metrics().get("humidity")).isEqualTo(Double.parseDouble(literal));
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.0000000000000002e100", "-1e101", "1e-101", "-9.99e-101", "1e-300", "4.9e-324"})
    void metricMagnitudesOutsideTheRangeAreRejected(String literal) {
        byte[] data = bytes(validEvent().toString().replace("40.2", literal));
        assertThat(reasonOf(decode(data))).isEqualTo(ReasonCode.METRIC_OUT_OF_RANGE);
    }

    @Test
    void exactlyAtTheSizeLimitsIsAccepted() {
        DecoderLimits limits = decoder.limits();
        ObjectNode metrics = MAPPER.createObjectNode();
        for (int i = 0; i < limits.maxMetrics(); i++) {
            metrics.put("m" + i, i);
        }
        assertThat(decodeValid(with(e -> e.set("metrics", metrics))).metrics()).hasSize(limits.maxMetrics());
        assertThat(decodeValid(with(e -> e.put("eventId", "e".repeat(128)))).eventId()).hasSize(128);
        assertThat(reasonOf(decode(with(e -> e.put("eventId", "e".repeat(129)))))).isEqualTo(ReasonCode.BAD_EVENT_ID);
        assertThat(decodeValid(with(e -> e.put("deviceId", "d".repeat(128)))).deviceId()).hasSize(128);
        assertThat(reasonOf(decode(with(e -> e.put("deviceId", "d".repeat(129)))))).isEqualTo(ReasonCode.BAD_DEVICE_ID);
        assertThat(decodeValid(with(e -> ((ObjectNode) e.get("metrics")).put("n".repeat(64), 1))).metrics())
                .containsKey("n".repeat(64));
        assertThat(reasonOf(decode(with(e -> ((ObjectNode) e.get("metrics")).put("n".repeat(65), 1)))))
                .isEqualTo(ReasonCode.BAD_METRIC_NAME);
    }

    @Test
    void recordSizeLimitIsExact() {
        byte[] base = with(e -> { });
        DecoderLimits limits = DecoderLimits.defaults().withMaxRecordBytes(base.length);
        EventDecoder tight = new EventDecoder(limits);

        assertThat(tight.decode(base, ARRIVAL)).isInstanceOf(DecodeResult.Valid.class);
        assertThat(reasonOf(tight.decode(concat(base, bytes(" ")), ARRIVAL))).isEqualTo(ReasonCode.RECORD_TOO_LARGE);
    }

    @Test
    void nestingLimitCountsTheRootObject() {
        int max = decoder.limits().maxNestingDepth();
        // The root is level 1, so an unknown field may hold max - 1 levels.
        String fits = validEvent().toString().replaceFirst("\\{", "{\"extra\":" + nestedObjects(max - 1) + ",");
        String tooDeep = validEvent().toString().replaceFirst("\\{", "{\"extra\":" + nestedObjects(max) + ",");

        assertThat(decode(bytes(fits))).isInstanceOf(DecodeResult.Valid.class);
        assertThat(reasonOf(decode(bytes(tooDeep)))).isEqualTo(ReasonCode.NESTING_TOO_DEEP);
    }

    @ParameterizedTest
    @ValueSource(strings = {"sensor 0042", "site/sensor", "sensor\u00e9", "sensor\t1", ""})
    void deviceIdsOutsideTheAlphabetAreBad(String deviceId) {
        assertThat(reasonOf(decode(with(e -> e.put("deviceId", deviceId))))).isEqualTo(ReasonCode.BAD_DEVICE_ID);
    }

    @Test
    void deviceIdMayUseEveryAllowedPunctuationMark() {
        assertThat(decodeValid(with(e -> e.put("deviceId", "Site-7.floor_2:sensor-0042"))).deviceId())
                .isEqualTo("Site-7.floor_2:sensor-0042");
    }

    @Test
    void nullOrAbsentRequiredFieldsAreMissing() {
        for (String field : new String[] {"schemaVersion", "eventId", "deviceId", "ts", "metrics"}) {
            assertThat(reasonOf(decode(with(e -> e.remove(field))))).as("absent " + field).isEqualTo(ReasonCode.MISSING_FIELD);
            assertThat(reasonOf(decode(with(e -> e.putNull(field))))).as("null " + field).isEqualTo(ReasonCode.MISSING_FIELD);
        }
    }

    @Test
    void wrongTypesAreReportedAsSuch() {
        assertThat(reasonOf(decode(with(e -> e.put("schemaVersion", "1"))))).isEqualTo(ReasonCode.WRONG_TYPE);
        assertThat(reasonOf(decode(with(e -> e.put("schemaVersion", 1.0))))).isEqualTo(ReasonCode.WRONG_TYPE);
        assertThat(reasonOf(decode(with(e -> e.put("eventId", 12345))))).isEqualTo(ReasonCode.WRONG_TYPE);
        assertThat(reasonOf(decode(with(e -> e.put("ts", 1795515330123L))))).isEqualTo(ReasonCode.WRONG_TYPE);
        assertThat(reasonOf(decode(with(e -> e.putArray("metrics").add(21.5))))).isEqualTo(ReasonCode.WRONG_TYPE);
        assertThat(reasonOf(decode(with(e -> e.putObject("deviceId"))))).isEqualTo(ReasonCode.WRONG_TYPE);
    }

    @Test
    void aVeryLargeSchemaVersionIsNotMistakenForOne() {
        // 2^32 + 1 must not wrap around to 1.
        assertThat(reasonOf(decode(with(e -> e.put("schemaVersion", 4_294_967_297L)))))
                .isIn(ReasonCode.WRONG_TYPE, ReasonCode.UNSUPPORTED_SCHEMA);
    }

    @Test
    void everyRejectionOfTheSameBytesIsTheSame() {
        byte[] data = with(e -> e.put("ts", "2999-01-01T00:00:00Z"));
        assertThat(decode(data)).isEqualTo(decode(data.clone()));
    }

    @Test
    void lateEventsAreJudgedAgainstArrivalWithAnExactLatenessBoundary() {
        Duration lateness = decoder.limits().maxLateness();
        Instant edge = ARRIVAL.minus(lateness);

        assertThat(decodeValid(with(e -> e.put("ts", edge.toString()))).ts()).isEqualTo(edge);
        DecodeResult tooLate = decode(with(e -> e.put("ts", edge.minusMillis(1).toString())));
        assertThat(reasonOf(tooLate)).isEqualTo(ReasonCode.TOO_LATE);
        assertThat(((DecodeResult.Rejected) tooLate).detail()).contains("before the arrival time");
    }

    @Test
    void theLatenessBoundIsTheConfiguredOne() {
        EventDecoder hourly = new EventDecoder(DecoderLimits.defaults().withMaxLateness(Duration.ofHours(1)));
        byte[] twoHoursLate = with(e -> e.put("ts", ARRIVAL.minus(Duration.ofHours(2)).toString()));

        assertThat(reasonOf(hourly.decode(twoHoursLate, ARRIVAL))).isEqualTo(ReasonCode.TOO_LATE);
        assertThat(decoder.decode(twoHoursLate, ARRIVAL)).isInstanceOf(DecodeResult.Valid.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"a\\u0000b", "tab\\there", "\\u007f", "\\u0085x", "\\ud800", "x\\udc00", "\\udbff\\udbff", "trailing "})
    void eventIdsNoStoreCanKeepFaithfullyAreRejected(String escapedId) {
        byte[] data = bytes(validEvent().toString().replace("0b7e6a52-3c1f-4e0a-9f5e-2f6c1d9a7b11", escapedId));

        DecodeResult result = decode(data);

        assertThat(reasonOf(result)).isEqualTo(ReasonCode.BAD_EVENT_ID);
        assertThat(((DecodeResult.Rejected) result).detail()).matches("[\\x20-\\x7e]*");
    }

    @ParameterizedTest
    @ValueSource(strings = {" leading", "in side", "\\u00e9t\\u00e9", "\\ud83d\\ude00", "\\ufffe", "a-b_c:d.e/f"})
    void eventIdsEveryStoreKeepsAreAccepted(String escapedId) {
        byte[] data = bytes(validEvent().toString().replace("0b7e6a52-3c1f-4e0a-9f5e-2f6c1d9a7b11", escapedId));

        assertThat(decode(data)).isInstanceOf(DecodeResult.Valid.class);
    }

    @Test
    void aCoordinateTooSmallForDynamoDbIsABadLocationAndZeroIsFine() {
        assertThat(reasonOf(decode(with(e -> ((ObjectNode) e.get("location")).put("lat", 1e-200)))))
                .isEqualTo(ReasonCode.BAD_LOCATION);
        assertThat(reasonOf(decode(with(e -> ((ObjectNode) e.get("location")).put("lon", -1e-101)))))
                .isEqualTo(ReasonCode.BAD_LOCATION);
        assertThat(decodeValid(with(e -> ((ObjectNode) e.get("location")).put("lat", 0.0))).location().lat()).isZero();
        assertThat(decodeValid(with(e -> ((ObjectNode) e.get("location")).put("lat", 1e-100))).location().lat()).isEqualTo(1e-100);
    }

    @Test
    void detailsArePrintableAsciiWhateverTheRecordHolds() {
        byte[] nulInDevice = bytes(validEvent().toString().replace("sensor-0042", "sen\\u0000sor\\ud800\\u00e9"));
        byte[] nulInName = bytes(validEvent().toString().replace("temperature", "tem\\u0000p"));
        byte[] longName = bytes(validEvent().toString().replace("temperature", "\\u00e9".repeat(2000)));

        for (byte[] data : new byte[][] {nulInDevice, nulInName, longName}) {
            DecodeResult.Rejected rejected = (DecodeResult.Rejected) decode(data);
            assertThat(rejected.detail()).matches("[\\x20-\\x7e]{1,512}");
        }
        assertThat(((DecodeResult.Rejected) decode(nulInDevice)).detail()).contains("sen\\u0000sor\\uD800\\u00E9");
    }

    @Test
    void negativeZeroIsReadAsZeroSoEveryStoreHoldsTheSameValue() {
        TelemetryEvent event = decodeValid(bytes(validEvent().toString().replace("21.5", "-0.0").replace("52.52", "-0")));

        assertThat(Double.doubleToRawLongBits(event.metrics().get("temperature"))).isEqualTo(Double.doubleToRawLongBits(0.0));
        assertThat(Double.doubleToRawLongBits(event.location().lat())).isEqualTo(Double.doubleToRawLongBits(0.0));
    }
}
