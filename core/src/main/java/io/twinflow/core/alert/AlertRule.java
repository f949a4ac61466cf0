package io.twinflow.core.alert;

import io.twinflow.core.aggregate.MetricAggregate;
import java.util.Objects;
import java.util.OptionalDouble;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A threshold rule on one metric, e.g. {@code temperature > 50} or {@code battery < 0.15}. A rule fires
 * for a window when any value in it crosses the threshold, which can be read off the window's
 * aggregate: {@code max > threshold} or {@code min < threshold}. That makes an alert a pure function of
 * the window's state, so it is exactly-once whenever the window is.
 */
public record AlertRule(String id, String metric, Operator operator, double threshold) {

    private static final Pattern SPEC = Pattern.compile(
            "\\s*([A-Za-z0-9_-]{1,64})\\s*:\\s*([A-Za-z0-9_]{1,64})\\s*([<>])\\s*(-?[0-9]+(?:\\.[0-9]+)?(?:[eE][-+]?[0-9]+)?)\\s*");

    public enum Operator {
        ABOVE(">"), BELOW("<");

        private final String symbol;

        Operator(String symbol) {
            this.symbol = symbol;
        }

        public String symbol() {
            return symbol;
        }
    }

    public AlertRule {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(metric, "metric");
        Objects.requireNonNull(operator, "operator");
        if (!Double.isFinite(threshold)) {
            throw new IllegalArgumentException("threshold must be finite");
        }
    }

    /** Parses {@code id:metric>threshold} or {@code id:metric<threshold}. */
    public static AlertRule parse(String spec) {
        Matcher m = SPEC.matcher(spec);
        if (!m.matches()) {
            throw new IllegalArgumentException("alert rule '" + spec + "' is not of the form id:metric>number or id:metric<number");
        }
        Operator op = m.group(3).equals(">") ? Operator.ABOVE : Operator.BELOW;
        return new AlertRule(m.group(1), m.group(2), op, Double.parseDouble(m.group(4)));
    }

    /** The most extreme value past the threshold in this aggregate, or empty when the rule does not fire. */
    public OptionalDouble peak(MetricAggregate aggregate) {
        if (aggregate == null) {
            return OptionalDouble.empty();
        }
        return switch (operator) {
            case ABOVE -> aggregate.max() > threshold ? OptionalDouble.of(aggregate.max()) : OptionalDouble.empty();
            case BELOW -> aggregate.min() < threshold ? OptionalDouble.of(aggregate.min()) : OptionalDouble.empty();
        };
    }

    public String spec() {
        return id + ":" + metric + operator.symbol() + threshold;
    }
}
