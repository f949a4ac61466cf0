package io.twinflow.core.alert;

import io.twinflow.core.aggregate.WindowAggregate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** The configured set of alert rules. */
public record AlertRules(List<AlertRule> rules) {

    /** Used when nothing is configured: overheating and a nearly empty battery. */
    public static final String DEFAULT_SPEC = "high-temperature:temperature>50,low-battery:battery<0.1";

    public AlertRules {
        rules = List.copyOf(rules);
        Set<String> ids = new HashSet<>();
        for (AlertRule rule : rules) {
            if (!ids.add(rule.id())) {
                throw new IllegalArgumentException("alert rule id '" + rule.id() + "' is used twice");
            }
        }
    }

    /**
     * Parses a comma-separated list of {@link AlertRule#parse rule specs}; blank means no rules. An empty
     * entry anywhere (including a trailing comma) is an error, not silently skipped.
     */
    public static AlertRules parse(String spec) {
        if (spec == null || spec.isBlank()) {
            return new AlertRules(List.of());
        }
        return new AlertRules(Arrays.stream(spec.split(",", -1)).map(AlertRule::parse).toList());
    }

    public static AlertRules defaults() {
        return parse(DEFAULT_SPEC);
    }

    /** The alerts that a window with this aggregate raises. */
    public List<Alert> evaluate(String deviceId, Instant windowStart, WindowAggregate aggregate) {
        List<Alert> alerts = new ArrayList<>(0);
        for (AlertRule rule : rules) {
            rule.peak(aggregate.metrics().get(rule.metric())).ifPresent(peak -> alerts.add(
                    new Alert(deviceId, windowStart, rule.id(), rule.metric(), rule.operator(), rule.threshold(), peak)));
        }
        return alerts;
    }
}
