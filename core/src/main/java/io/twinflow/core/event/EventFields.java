package io.twinflow.core.event;

import java.util.Map;

/**
 * Field values collected while one record is parsed; {@link EventRules} runs on them once the document
 * is known to be JSON.
 */
final class EventFields {
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
    /** The top-level fields met so far, one bit each (see {@link #seen}): a set without a hash per field. */
    private int seen;

    /**
     * Notes that the top-level field {@code name} was met, and whether for the second time.
     *
     * @param bit the field's own bit: its index in the fixed list of fields the parser reads
     */
    <T> T seen(String name, int bit, T value) {
        if ((seen & (1 << bit)) != 0) {
            duplicate(name);
        }
        seen |= 1 << bit;
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

    /** A location with both coordinates: kept when the rules allow it, else its problem is noted. */
    void location(double lat, double lon) {
        locationProblem = EventRules.locationProblem(lat, lon);
        if (locationProblem == null) {
            location = new Location(lat, lon);
        }
    }

    void metricsProblem(ReasonCode reason, String detail) {
        if (metricsReason == null) {
            metricsReason = reason;
            metricsDetail = detail;
        }
    }
}
