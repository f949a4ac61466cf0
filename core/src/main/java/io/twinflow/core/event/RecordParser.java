package io.twinflow.core.event;

import static io.twinflow.core.event.RejectionDetail.abbreviate;
import static io.twinflow.core.event.RejectionDetail.describe;
import static io.twinflow.core.event.RejectionDetail.reject;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Reads one record's bytes into {@link EventFields}: the size and encoding checks, then a single
 * streaming pass over the JSON that collects the known fields and skips the rest. It rejects only what
 * stops the document being one JSON object (size, encoding, syntax, nesting, a top-level non-object) and
 * notes the per-field problems it meets on the way for {@link EventRules} to rank.
 */
final class RecordParser {

    private final DecoderLimits limits;
    private final JsonFactory factory;

    RecordParser(DecoderLimits limits) {
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

    /** The rejection of a record too large or not UTF-8 text, or null when it may be parsed. */
    DecodeResult checkBytes(byte[] data) {
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
        return null;
    }

    /**
     * Fills {@code fields} from {@code data}, which passed {@link #checkBytes}.
     *
     * @return the rejection when the record is not one well-formed JSON object, or null when
     *     {@code fields} holds all that the record says
     */
    DecodeResult parse(byte[] data, EventFields fields) {
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
        return null;
    }

    private static void requireEnd(JsonParser parser) throws IOException {
        JsonToken trailing = parser.nextToken();
        if (trailing != null) {
            throw new TrailingContentException(parser);
        }
    }

    private void readRoot(JsonParser parser, EventFields fields) throws IOException {
        JsonToken token;
        while ((token = parser.nextToken()) == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            JsonToken value = parser.nextToken();
            switch (name) {
                case "schemaVersion" -> fields.schemaVersion = fields.seen(name, 0, readScalar(parser, value));
                case "eventId" -> fields.eventId = fields.seen(name, 1, readScalar(parser, value));
                case "deviceId" -> fields.deviceId = fields.seen(name, 2, readScalar(parser, value));
                case "ts" -> fields.ts = fields.seen(name, 3, readScalar(parser, value));
                case "metrics" -> {
                    fields.seen(name, 4, Boolean.TRUE);
                    readMetrics(parser, value, fields);
                }
                case "location" -> {
                    fields.seen(name, 5, Boolean.TRUE);
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

    private void readMetrics(JsonParser parser, JsonToken value, EventFields fields) throws IOException {
        if (value == JsonToken.VALUE_NULL) {
            return;
        }
        if (value != JsonToken.START_OBJECT) {
            parser.skipChildren();
            fields.metricsProblem(ReasonCode.WRONG_TYPE, "metrics must be an object, not " + describe(value));
            return;
        }
        // Sorted already, as the event keeps its metrics; the event takes this map over without a copy.
        fields.metrics = new DecodedMetrics();
        JsonToken token;
        while ((token = parser.nextToken()) == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            JsonToken v = parser.nextToken();
            fields.metricCount++;
            if (fields.metricCount > limits.maxMetrics()) {
                parser.skipChildren();
                continue;
            }
            if (!EventRules.isMetricName(name)) {
                fields.metricsProblem(ReasonCode.BAD_METRIC_NAME, "metric name '" + abbreviate(name) + "' is not [A-Za-z0-9_]{1,64}");
            }
            double number;
            if (v == JsonToken.VALUE_NUMBER_INT || v == JsonToken.VALUE_NUMBER_FLOAT) {
                number = EventRules.noNegativeZero(parser.getDoubleValue());
                if (!Double.isFinite(number)) {
                    fields.metricsProblem(ReasonCode.NON_FINITE_METRIC, "metric '" + abbreviate(name) + "' is not a finite number");
                } else if (EventRules.outOfRange(number)) {
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

    private static void readLocation(JsonParser parser, JsonToken value, EventFields fields) throws IOException {
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
                    lat = numeric ? EventRules.noNegativeZero(parser.getDoubleValue()) : Double.NaN;
                }
                case "lon" -> {
                    if (lon != null) {
                        fields.duplicate("location.lon");
                    }
                    lon = numeric ? EventRules.noNegativeZero(parser.getDoubleValue()) : Double.NaN;
                }
                default -> { } // unknown fields inside location are ignored as well
            }
        }
        if (token != JsonToken.END_OBJECT) {
            throw new JsonParseFailure(parser, "unexpected token " + token);
        }
        if (lat == null || lon == null) {
            fields.locationProblem = "location needs both lat and lon";
        } else {
            fields.location(lat, lon);
        }
    }

    enum Encoding { VALID, INVALID_UTF8, HAS_NUL }

    /** Eight bytes of a byte array as one long: the byte order does not matter to the checks. */
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long LOW_SEVEN = 0x7f7f7f7f7f7f7f7fL;
    private static final long HIGH_BITS = 0x8080808080808080L;

    private enum Kind { OTHER }

    /**
     * Plain ASCII is checked eight bytes at a time; anything else goes through a strict decoder. Invalid
     * UTF-8 wins over a NUL byte: UTF-16 text is full of NULs, and it is an encoding problem, not a JSON one.
     */
    static Encoding checkEncoding(byte[] data) {
        long high = 0;
        long zero = 0;
        int i = 0;
        for (int end = data.length - Long.BYTES; i <= end; i += Long.BYTES) {
            long word = (long) LONGS.get(data, i);
            high |= word;
            // A byte of the word is 0 exactly when adding 0x7f to its low seven bits and or-ing it in leaves
            // its top bit clear (the classic zero-byte test, without carries between bytes).
            zero |= ~(((word & LOW_SEVEN) + LOW_SEVEN) | word | LOW_SEVEN);
        }
        boolean nul = zero != 0;
        for (; i < data.length; i++) {
            high |= data[i];
            nul |= data[i] == 0;
        }
        if ((high & HIGH_BITS) != 0) {
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
