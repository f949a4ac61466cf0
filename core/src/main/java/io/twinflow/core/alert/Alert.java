package io.twinflow.core.alert;

import java.time.Instant;

/** A rule that fired for one device in one window; {@code peak} is the most extreme value seen. */
public record Alert(String deviceId, Instant windowStart, String ruleId, String metric,
                    AlertRule.Operator operator, double threshold, double peak) {
}
