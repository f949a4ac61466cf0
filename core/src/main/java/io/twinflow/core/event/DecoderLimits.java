package io.twinflow.core.event;

import java.time.Duration;

/**
 * Limits the decoder enforces beyond the schema's own rules.
 *
 * @param maxRecordBytes records larger than this are rejected before parsing
 * @param maxNestingDepth JSON deeper than this is rejected (protects the parser's stack)
 * @param maxFutureSkew how far ahead of the processing clock an event time may be
 * @param maxMetrics the most entries {@code metrics} may hold
 */
public record DecoderLimits(int maxRecordBytes, int maxNestingDepth, Duration maxFutureSkew, int maxMetrics) {

    public static DecoderLimits defaults() {
        return new DecoderLimits(64 * 1024, 16, Duration.ofMinutes(5), 50);
    }

    public DecoderLimits {
        if (maxRecordBytes < 64 || maxNestingDepth < 3 || maxFutureSkew.isNegative() || maxMetrics < 1) {
            throw new IllegalArgumentException("limits too small to decode any event");
        }
    }
}
