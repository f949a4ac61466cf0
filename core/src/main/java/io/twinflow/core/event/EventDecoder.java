package io.twinflow.core.event;

import static io.twinflow.core.event.RejectionDetail.abbreviate;
import static io.twinflow.core.event.RejectionDetail.describe;
import static io.twinflow.core.event.RejectionDetail.hex;
import static io.twinflow.core.event.RejectionDetail.missing;
import static io.twinflow.core.event.RejectionDetail.reject;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Turns the bytes of one record into a {@link TelemetryEvent} or a {@link DecodeResult.Rejected} with
 * a stable {@link ReasonCode}. The streaming Lambda and the Spark jobs both call this, so both paths
 * accept and reject exactly the same records.
 *
 * <p>It is a pure function of the bytes and a reference time (the time the record reached the
 * stream), so a redelivered record always gets the same verdict. Thread-safe; build one and share it.
 *
 * <p>The whole document is parsed before any field rule is checked: a record that is broken JSON is
 * {@code INVALID_JSON} whatever its fields say.
 */
public final class EventDecoder {

    private static final int MAX_ID_LENGTH = 128;
    private static final int MAX_TS_LENGTH = 64;
    private static final double MAX_MAGNITUDE = 1e100;
    private static final double MIN_MAGNITUDE = 1e-100;

    private final DecoderLimits limits;
    private final JsonFactory factory;

    public EventDecoder(DecoderLimits limits) {
        this.limits = limits;
        this.factory = JsonFactory.builder()
                // NaN and Infinity are read as numbers so they get their own reason code.
                .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxNestingDepth(limits.maxNestingDepth())
                        // The record size limit already bounds these; the parser must not trip first.
                        .maxNumberLength(Math.max(1000, limits.maxRecordBytes()))
                        .maxStringLength(Math.max(StreamReadConstraints.DEFAULT_MAX_STRING_LEN, limits.maxRecordBytes()))
                        .build())
                .build();
    }

    public EventDecoder() {
        this(DecoderLimits.defaults());
    }

    public DecoderLimits limits() {
        return limits;
    }

    /**
     * @param data the record's bytes
     * @param referenceTime when the record reached the stream; events later than this plus the allowed
     *     skew are {@link ReasonCode#FUTURE_TIMESTAMP}
     */
    public DecodeResult decode(byte[] data, Instant referenceTime) {
        if (data.length > limits.maxRecordBytes()) {
            return reject(ReasonCode.RECORD_TOO_LARGE,
                    "record is " + data.length + " bytes, the limit is " + limits.maxRecordBytes());
        }
        Encoding encoding = checkEncoding(data);
        if (encoding == Encoding.INVALID_UTF8) {
            return reject(ReasonCode.INVALID_UTF8, "record is not valid UTF-8");
        }
        if (encoding == Encoding.HAS_NUL) {
            // JSON text never holds a raw NUL; the parser would otherwise guess UTF-16 or UTF-32.
            return reject(ReasonCode.INVALID_JSON, "record contains a NUL byte");
        }
        Fields fields = new Fields();
        try (JsonParser parser = factory.createParser(data)) {
            JsonToken first = parser.nextToken();
            if (first == null) {
                return reject(ReasonCode.INVALID_JSON, "record is empty");
            }
            if (first != JsonToken.START_OBJECT) {
                parser.skipChildren();
                requireEnd(parser);
                return reject(ReasonCode.NOT_AN_OBJECT, "top-level JSON value is " + describe(first) + ", not an object");
            }
            readRoot(parser, fields);
            requireEnd(parser);
        } catch (StreamConstraintsException e) {
            return reject(ReasonCode.NESTING_TOO_DEEP, "JSON nested deeper than " + limits.maxNestingDepth() + " levels");
        } catch (JsonProcessingException e) {
            return reject(ReasonCode.INVALID_JSON, "not parseable as JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            return reject(ReasonCode.INVALID_JSON, "not parseable as JSON: " + e.getMessage());
        }
        return validate(fields, referenceTime);
    }

    private static void requireEnd(JsonParser parser) throws IOException {
        JsonToken trailing = parser.nextToken();
        if (trailing != null) {
            throw new TrailingContentException(parser);
        }
    }

    private void readRoot(JsonParser parser, Fields fields) throws IOException {
        JsonToken token;
        while ((token = parser.nextToken()) == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            JsonToken value = parser.nextToken();
            switch (name) {
                case "schemaVersion" -> fields.schemaVersion = fields.seen(name, readScalar(parser, value));
                case "eventId" -> fields.eventId = fields.seen(name, readScalar(parser, value));
                case "deviceId" -> fields.deviceId = fields.seen(name, readScalar(parser, value));
                case "ts" -> fields.ts = fields.seen(name, readScalar(parser, value));
                case "metrics" -> {
                    fields.seen(name, Boolean.TRUE);
                    readMetrics(parser, value, fields);
                }
                case "location" -> {
                    fields.seen(name, Boolean.TRUE);
                    readLocation(parser, value, fields);
                }
                default -> parser.skipChildren(); // unknown fields are ignored: forward compatible
            }
        }
        if (token != JsonToken.END_OBJECT) {
            throw new JsonParseFailure(parser, "unexpected token " + token);
        }
    }

    /** Reads a scalar field; containers are skipped and remembered only by their type. */
    private static Object readScalar(JsonParser parser, JsonToken value) throws IOException {
        return switch (value) {
            case VALUE_STRING -> parser.getText();
            case VALUE_NUMBER_INT -> parser.getNumberType() == JsonParser.NumberType.INT ? parser.getIntValue() : Kind.OTHER;
            case VALUE_NULL -> null;
            case START_OBJECT, START_ARRAY -> {
                parser.skipChildren();
                yield Kind.OTHER;
            }
            default -> Kind.OTHER;
        };
    }

    private void readMetrics(JsonParser parser, JsonToken value, Fields fields) throws IOException {
        if (value == JsonToken.VALUE_NULL) {
            return;
        }
        if (value != JsonToken.START_OBJECT) {
            parser.skipChildren();
            fields.metricsProblem(ReasonCode.WRONG_TYPE, "metrics must be an object, not " + describe(value));
            return;
        }
        fields.metrics = new HashMap<>();
        JsonToken token;
        while ((token = parser.nextToken()) == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            JsonToken v = parser.nextToken();
            fields.metricCount++;
            if (fields.metricCount > limits.maxMetrics()) {
                parser.skipChildren();
                continue;
            }
            if (!isMetricName(name)) {
                fields.metricsProblem(ReasonCode.BAD_METRIC_NAME, "metric name '" + abbreviate(name) + "' is not [A-Za-z0-9_]{1,64}");
            }
            double number;
            if (v == JsonToken.VALUE_NUMBER_INT || v == JsonToken.VALUE_NUMBER_FLOAT) {
                number = noNegativeZero(parser.getDoubleValue());
                if (!Double.isFinite(number)) {
                    fields.metricsProblem(ReasonCode.NON_FINITE_METRIC, "metric '" + abbreviate(name) + "' is not a finite number");
                } else if (Math.abs(number) > MAX_MAGNITUDE || tooSmall(number)) {
                    fields.metricsProblem(ReasonCode.METRIC_OUT_OF_RANGE,
                            "metric '" + abbreviate(name) + "' = " + number + " is outside the magnitude range [1e-100, 1e100]");
                }
            } else {
                parser.skipChildren();
                fields.metricsProblem(ReasonCode.BAD_METRIC_VALUE, "metric '" + abbreviate(name) + "' is " + describe(v) + ", not a number");
                continue;
            }
            if (fields.metrics.put(name, number) != null) {
                fields.duplicate("metrics." + name);
            }
        }
        if (token != JsonToken.END_OBJECT) {
            throw new JsonParseFailure(parser, "unexpected token " + token);
        }
    }

    private static void readLocation(JsonParser parser, JsonToken value, Fields fields) throws IOException {
        if (value == JsonToken.VALUE_NULL) {
            return;
        }
        if (value != JsonToken.START_OBJECT) {
            parser.skipChildren();
            fields.locationProblem = "location must be an object, not " + describe(value);
            return;
        }
        Double lat = null;
        Double lon = null;
        JsonToken token;
        while ((token = parser.nextToken()) == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            JsonToken v = parser.nextToken();
            boolean numeric = v == JsonToken.VALUE_NUMBER_INT || v == JsonToken.VALUE_NUMBER_FLOAT;
            if (!numeric) {
                parser.skipChildren();
            }
            switch (name) {
                case "lat" -> {
                    if (lat != null) {
                        fields.duplicate("location.lat");
                    }
                    lat = numeric ? noNegativeZero(parser.getDoubleValue()) : Double.NaN;
                }
                case "lon" -> {
                    if (lon != null) {
                        fields.duplicate("location.lon");
                    }
                    lon = numeric ? noNegativeZero(parser.getDoubleValue()) : Double.NaN;
                }
                default -> { } // unknown fields inside location are ignored as well
            }
        }
        if (token != JsonToken.END_OBJECT) {
            throw new JsonParseFailure(parser, "unexpected token " + token);
        }
        if (lat == null || lon == null) {
            fields.locationProblem = "location needs both lat and lon";
        } else if (!(lat >= -90 && lat <= 90) || !(lon >= -180 && lon <= 180)) {
            fields.locationProblem = "location (" + lat + ", " + lon + ") is outside lat [-90, 90], lon [-180, 180]";
        } else if (tooSmall(lat) || tooSmall(lon)) {
            fields.locationProblem = "location (" + lat + ", " + lon + ") has a coordinate below 1e-100 that is not zero";
        } else {
            fields.location = new Location(lat, lon);
        }
    }

    private DecodeResult validate(Fields f, Instant referenceTime) {
        if (f.duplicateField != null) {
            return reject(ReasonCode.DUPLICATE_KEY, "field '" + f.duplicateField + "' appears more than once");
        }
        if (f.schemaVersion == null) {
            return missing("schemaVersion");
        }
        if (!(f.schemaVersion instanceof Integer version)) {
            return reject(ReasonCode.WRONG_TYPE, "schemaVersion must be an integer");
        }
        if (version != TelemetryEvent.CURRENT_SCHEMA_VERSION) {
            return reject(ReasonCode.UNSUPPORTED_SCHEMA,
                    "schemaVersion " + version + " is not supported (this code knows " + TelemetryEvent.CURRENT_SCHEMA_VERSION + ")");
        }
        for (String required : new String[] {"eventId", "deviceId", "ts"}) {
            Object value = switch (required) {
                case "eventId" -> f.eventId;
                case "deviceId" -> f.deviceId;
                default -> f.ts;
            };
            if (value == null) {
                return missing(required);
            }
            if (!(value instanceof String)) {
                return reject(ReasonCode.WRONG_TYPE, required + " must be a string");
            }
        }
        if (!f.seenMetrics()) {
            return missing("metrics");
        }
        String eventId = (String) f.eventId;
        if (eventId.isEmpty() || eventId.length() > MAX_ID_LENGTH) {
            return reject(ReasonCode.BAD_EVENT_ID, "eventId must be 1-128 characters, got " + eventId.length());
        }
        String idProblem = eventIdProblem(eventId);
        if (idProblem != null) {
            return reject(ReasonCode.BAD_EVENT_ID, "eventId '" + abbreviate(eventId) + "' " + idProblem);
        }
        String deviceId = (String) f.deviceId;
        if (!isDeviceId(deviceId)) {
            return reject(ReasonCode.BAD_DEVICE_ID, "deviceId '" + abbreviate(deviceId) + "' is not 1-128 of [A-Za-z0-9._:-]");
        }
        String tsText = (String) f.ts;
        Instant ts;
        try {
            if (tsText.length() > MAX_TS_LENGTH) {
                throw new DateTimeException("too long");
            }
            ts = Timestamps.parse(tsText);
        } catch (DateTimeException e) {
            return reject(ReasonCode.BAD_TIMESTAMP, "ts '" + abbreviate(tsText) + "' is not an ISO-8601 instant with an offset");
        }
        if (ts.isBefore(Instant.EPOCH)) {
            return reject(ReasonCode.BAD_TIMESTAMP, "ts " + tsText + " is before 1970-01-01T00:00:00Z");
        }
        if (f.metricsReason != null) {
            return reject(f.metricsReason, f.metricsDetail);
        }
        if (f.metricCount > limits.maxMetrics()) {
            return reject(ReasonCode.TOO_MANY_METRICS, "metrics has " + f.metricCount + " entries, the limit is " + limits.maxMetrics());
        }
        if (f.metricCount == 0) {
            return reject(ReasonCode.EMPTY_METRICS, "metrics has no entries");
        }
        if (f.locationProblem != null) {
            return reject(ReasonCode.BAD_LOCATION, f.locationProblem);
        }
        // The rules that depend on when the record arrived come last, so a record's other faults get
        // the same reason whenever it arrives (a replay, a backlog, a test run days later).
        if (ts.isAfter(referenceTime.plus(limits.maxFutureSkew()))) {
            return reject(ReasonCode.FUTURE_TIMESTAMP,
                    "ts " + tsText + " is more than " + limits.maxFutureSkew() + " after the arrival time " + referenceTime);
        }
        if (ts.isBefore(referenceTime.minus(limits.maxLateness()))) {
            return reject(ReasonCode.TOO_LATE,
                    "ts " + tsText + " is more than " + limits.maxLateness() + " before the arrival time " + referenceTime);
        }
        return new DecodeResult.Valid(new TelemetryEvent(version, eventId, deviceId, ts, f.metrics, f.location));
    }

    /** {@code [A-Za-z0-9._:-]{1,128}}, checked by hand: a regular expression cost a tenth of decoding. */
    public static boolean isDeviceId(String s) {
        int n = s.length();
        if (n < 1 || n > MAX_ID_LENGTH) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (!(isAlphanumeric(c) || c == '.' || c == '_' || c == ':' || c == '-')) {
                return false;
            }
        }
        return true;
    }

    /** {@code [A-Za-z0-9_]{1,64}}. */
    public static boolean isMetricName(String s) {
        int n = s.length();
        if (n < 1 || n > 64) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (!(isAlphanumeric(c) || c == '_')) {
                return false;
            }
        }
        return true;
    }

    /**
     * Why an eventId of legal length cannot be kept faithfully by every store, or null when it can.
     * Control characters (NUL among them) are refused or altered by COPY; an unpaired surrogate has no
     * UTF-8 form, so encoders replace it and two ids would merge; Redshift compares text ignoring
     * trailing blanks.
     */
    public static String eventIdProblem(String id) {
        int n = id.length();
        for (int i = 0; i < n; i++) {
            char c = id.charAt(i);
            if (c < 0x20 || (c >= 0x7f && c <= 0x9f)) {
                return "contains the control character U+" + hex(c);
            }
            if (Character.isHighSurrogate(c)) {
                if (i + 1 < n && Character.isLowSurrogate(id.charAt(i + 1))) {
                    i++;
                    continue;
                }
                return "contains an unpaired surrogate U+" + hex(c);
            }
            if (Character.isLowSurrogate(c)) {
                return "contains an unpaired surrogate U+" + hex(c);
            }
        }
        if (id.charAt(n - 1) == ' ') {
            return "ends in a space";
        }
        return null;
    }

    /**
     * -0.0 as 0.0. DynamoDB numbers have no negative zero while doubles in PostgreSQL, Redshift and Spark
     * do, so a "-0" would be a minimum of 0 on one path and -0.0 on another.
     */
    private static double noNegativeZero(double v) {
        return v == 0 ? 0.0 : v;
    }

    /** Nonzero and closer to zero than the smallest magnitude every store holds exactly. */
    private static boolean tooSmall(double v) {
        return v != 0 && Math.abs(v) < MIN_MAGNITUDE;
    }

    private static boolean isAlphanumeric(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    }

    private enum Encoding { VALID, INVALID_UTF8, HAS_NUL }

    private enum Kind { OTHER }

    /**
     * Plain ASCII is checked byte by byte; anything else goes through a strict decoder. Invalid UTF-8
     * wins over a NUL byte: UTF-16 text is full of NULs, and it is an encoding problem, not a JSON one.
     */
    private static Encoding checkEncoding(byte[] data) {
        boolean ascii = true;
        boolean nul = false;
        for (byte b : data) {
            if (b == 0) {
                nul = true;
            }
            if (b < 0) {
                ascii = false;
            }
        }
        if (!ascii) {
            try {
                StandardCharsets.UTF_8.newDecoder()
                        .onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT)
                        .decode(ByteBuffer.wrap(data));
            } catch (CharacterCodingException e) {
                return Encoding.INVALID_UTF8;
            }
        }
        return nul ? Encoding.HAS_NUL : Encoding.VALID;
    }

    /** Field values collected during the parse; rules run on them once the document is known to be JSON. */
    private static final class Fields {
        Object schemaVersion;
        Object eventId;
        Object deviceId;
        Object ts;
        Map<String, Double> metrics;
        int metricCount;
        ReasonCode metricsReason;
        String metricsDetail;
        Location location;
        String locationProblem;
        String duplicateField;
        private final Set<String> seen = new HashSet<>(8);

        <T> T seen(String name, T value) {
            if (!seen.add(name)) {
                duplicate(name);
            }
            return value;
        }

        boolean seenMetrics() {
            return metrics != null || metricsReason != null;
        }

        void duplicate(String name) {
            if (duplicateField == null) {
                duplicateField = name;
            }
        }

        void metricsProblem(ReasonCode reason, String detail) {
            if (metricsReason == null) {
                metricsReason = reason;
                metricsDetail = detail;
            }
        }
    }

    private static final class JsonParseFailure extends JsonProcessingException {
        JsonParseFailure(JsonParser parser, String message) {
            super(message, parser.currentLocation());
        }
    }

    private static final class TrailingContentException extends JsonProcessingException {
        TrailingContentException(JsonParser parser) {
            super("trailing content after the JSON value", parser.currentLocation());
        }
    }
}
