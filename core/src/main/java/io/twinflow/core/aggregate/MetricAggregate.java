package io.twinflow.core.aggregate;

/**
 * Count, sum, min and max of one metric: a commutative monoid, so partial aggregates computed
 * anywhere (one Lambda batch, one Spark partition) merge into the same totals. The average is derived,
 * never stored. Sums are doubles: merging in another order can differ in the last bits of the sum,
 * which is why reconciliation compares sums with a relative tolerance (see the README).
 */
public record MetricAggregate(long count, double sum, double min, double max) {

    public MetricAggregate {
        if (count < 1) {
            throw new IllegalArgumentException("an aggregate covers at least one value");
        }
    }

    public static MetricAggregate of(double value) {
        return new MetricAggregate(1, value, value, value);
    }

    public MetricAggregate add(double value) {
        return new MetricAggregate(count + 1, sum + value, Math.min(min, value), Math.max(max, value));
    }

    public MetricAggregate merge(MetricAggregate other) {
        return new MetricAggregate(count + other.count, sum + other.sum, Math.min(min, other.min), Math.max(max, other.max));
    }

    public double avg() {
        return sum / count;
    }
}
