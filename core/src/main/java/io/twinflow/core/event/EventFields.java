package io.twinflow.core.event;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;

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
