package io.twinflow.core.event;

import java.time.Duration;
import java.util.Objects;

/**
 * Limits the decoder enforces beyond the schema's own rules. Both paths must decode with the same
 * limits: the stream processor reads them from its environment, the loader and the rollup from their
 * settings and job arguments, and all of them start from {@link #defaults()}.
 *
 * @param maxRecordBytes records larger than this are rejected before parsing
 * @param maxNestingDepth JSON deeper than this is rejected (protects the parser's stack)
 * @param maxFutureSkew how far ahead of the record's arrival an event time may be
 * @param maxMetrics the most entries {@code metrics} may hold
 * @param maxLateness how far behind the record's arrival an event time may be: the lateness bound.
 *     Older events are {@link ReasonCode#TOO_LATE}. It bounds how long a day's summaries stay open
 *     to late events, so both paths must agree on it.
 */
public record DecoderLimits(int maxRecordBytes, int maxNestingDepth, Duration maxFutureSkew, int maxMetrics,
                            Duration maxLateness) {

    public static final Duration DEFAULT_MAX_FUTURE_SKEW = Duration.ofMinutes(5);
    public static final Duration DEFAULT_MAX_LATENESS = Duration.ofDays(2);

    public static DecoderLimits defaults() {
        return new DecoderLimits(64 * 1024, 16, DEFAULT_MAX_FUTURE_SKEW, 50, DEFAULT_MAX_LATENESS);
    }

    public DecoderLimits {
        Objects.requireNonNull(maxFutureSkew, "maxFutureSkew");
        Objects.requireNonNull(maxLateness, "maxLateness");
        if (maxRecordBytes < 64 || maxNestingDepth < 3 || maxFutureSkew.isNegative() || maxMetrics < 1) {
            throw new IllegalArgumentException("limits too small to decode any event");
        }
        if (maxLateness.compareTo(Duration.ofMinutes(1)) < 0 || maxLateness.compareTo(Duration.ofDays(30)) > 0) {
            // Above 30 days a late event could reach a window item after its 35-day TTL removed it.
            throw new IllegalArgumentException("maxLateness must be between 1 minute and 30 days: " + maxLateness);
        }
    }

    public DecoderLimits withMaxFutureSkew(Duration skew) {
        return new DecoderLimits(maxRecordBytes, maxNestingDepth, skew, maxMetrics, maxLateness);
    }

    public DecoderLimits withMaxLateness(Duration lateness) {
        return new DecoderLimits(maxRecordBytes, maxNestingDepth, maxFutureSkew, maxMetrics, lateness);
    }

    public DecoderLimits withMaxRecordBytes(int bytes) {
        return new DecoderLimits(bytes, maxNestingDepth, maxFutureSkew, maxMetrics, maxLateness);
    }
}
