package io.twinflow.core.event;

import static io.twinflow.core.event.RejectionDetail.abbreviate;
import static io.twinflow.core.event.RejectionDetail.hex;
import static io.twinflow.core.event.RejectionDetail.missing;
import static io.twinflow.core.event.RejectionDetail.reject;

import java.time.DateTimeException;
import java.time.Instant;

/**
 * The rules a record's fields must meet to be a {@link TelemetryEvent}, and the order in which they are
 * checked (the order decides which {@link ReasonCode} a record with several faults gets). The identifier
 * checks are public so other modules test and measure the very rules the decoder applies.
 */
public final class EventRules {

    private static final int MAX_ID_LENGTH = 128;
    private static final int MAX_TS_LENGTH = 64;
    private static final double MAX_MAGNITUDE = 1e100;
    private static final double MIN_MAGNITUDE = 1e-100;

    private EventRules() {
    }

    /** The verdict on fields parsed from a well-formed JSON object. */
    static DecodeResult validate(EventFields f, Instant referenceTime, DecoderLimits limits) {
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
            if (c >= 0x20 && c < 0x7f) {
                continue; // printable ASCII, nearly every character of every eventId: one test instead of four
            }
            if (c <= 0x9f) {
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

    /** A finite metric value outside the magnitudes every store holds exactly ([1e-100, 1e100], or zero). */
    static boolean outOfRange(double v) {
        return Math.abs(v) > MAX_MAGNITUDE || tooSmall(v);
    }

    /** Why a location with both coordinates present cannot be kept, or null when it can. */
    static String locationProblem(double lat, double lon) {
        if (!(lat >= -90 && lat <= 90) || !(lon >= -180 && lon <= 180)) {
            return "location (" + lat + ", " + lon + ") is outside lat [-90, 90], lon [-180, 180]";
        }
        if (tooSmall(lat) || tooSmall(lon)) {
            return "location (" + lat + ", " + lon + ") has a coordinate below 1e-100 that is not zero";
        }
        return null;
    }

    /**
     * -0.0 as 0.0. DynamoDB numbers have no negative zero while doubles in PostgreSQL, Redshift and Spark
     * do, so a "-0" would be a minimum of 0 on one path and -0.0 on another.
     */
    static double noNegativeZero(double v) {
        return v == 0 ? 0.0 : v;
    }

    /** Nonzero and closer to zero than the smallest magnitude every store holds exactly. */
    private static boolean tooSmall(double v) {
        return v != 0 && Math.abs(v) < MIN_MAGNITUDE;
    }

    private static boolean isAlphanumeric(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    }
}
