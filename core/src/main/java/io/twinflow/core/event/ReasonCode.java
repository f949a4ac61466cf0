package io.twinflow.core.event;

/**
 * Why a record was rejected. The names are a stable interface: they appear in quarantine objects,
 * batch summaries, the warehouse's quarantine table and dashboards. Add codes; never rename one.
 */
public enum ReasonCode {
    /** The bytes are not valid UTF-8. */
    INVALID_UTF8,
    /** Not parseable as one JSON value (includes an empty record and trailing garbage). */
    INVALID_JSON,
    /** Valid JSON, but not an object (an array, a string, a number...). */
    NOT_AN_OBJECT,
    /** Larger than the configured maximum record size. */
    RECORD_TOO_LARGE,
    /** JSON nested deeper than the configured maximum. */
    NESTING_TOO_DEEP,
    /** The same key twice in one object: ambiguous, so not guessed at. */
    DUPLICATE_KEY,
    /** {@code schemaVersion} is not one this code knows. */
    UNSUPPORTED_SCHEMA,
    /** A required field is absent or null. */
    MISSING_FIELD,
    /** A field has the wrong JSON type (e.g. a number where a string belongs). */
    WRONG_TYPE,
    /**
     * {@code eventId} is empty, longer than 128 characters, or cannot be kept faithfully by every store:
     * it holds a control character, an unpaired surrogate (a lone backslash-u escape of U+D800 to U+DFFF) or ends in a
     * space (Redshift ignores trailing blanks when it compares text, so "a" and "a " would merge).
     */
    BAD_EVENT_ID,
    /** {@code deviceId} is empty, too long or has characters outside {@code [A-Za-z0-9._:-]}. */
    BAD_DEVICE_ID,
    /** {@code ts} is not an ISO-8601 instant with an offset, or is before 1970. */
    BAD_TIMESTAMP,
    /** {@code ts} lies further in the future than the allowed clock skew. */
    FUTURE_TIMESTAMP,
    /** {@code metrics} has no entries. */
    EMPTY_METRICS,
    /** {@code metrics} has more entries than allowed. */
    TOO_MANY_METRICS,
    /** A metric name is not {@code [A-Za-z0-9_]{1,64}}. */
    BAD_METRIC_NAME,
    /** A metric value is not a number (a string, boolean, null, object or array). */
    BAD_METRIC_VALUE,
    /** A metric value is NaN or infinite (including numbers that overflow a double). */
    NON_FINITE_METRIC,
    /**
     * A metric's magnitude is outside [1e-100, 1e100] (zero is fine). Such values would overflow or
     * underflow the 38-digit numbers of the serving store and poison every batch that holds them.
     */
    METRIC_OUT_OF_RANGE,
    /**
     * {@code location} is not an object with a latitude in [-90, 90] and a longitude in [-180, 180], or a
     * coordinate's magnitude is below 1e-100 without being zero (DynamoDB cannot store below 1e-130).
     */
    BAD_LOCATION,
    /**
     * {@code ts} lies further behind the record's arrival than the lateness bound
     * ({@link DecoderLimits#maxLateness()}): its day's summaries are closed.
     */
    TOO_LATE,
    /**
     * The event's (device, window) already holds {@code WindowState#MAX_EVENTS} distinct events, the most
     * one DynamoDB item can remember; later ones in stream order are rejected on both paths.
     */
    WINDOW_FULL,
    /** A raw archive line that starts as an archive envelope but is not a well-formed one (batch path only). */
    BAD_ARCHIVE_LINE,
    /**
     * A valid event that a store refused for good (DynamoDB's ValidationException, a value the warehouse
     * cannot hold). Core's rules are meant to make this unreachable; it keeps a record that slips past
     * them from blocking its shard or failing its object.
     */
    STORE_REJECTED
}
