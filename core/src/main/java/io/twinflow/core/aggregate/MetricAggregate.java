package io.twinflow.core.aggregate;

/**
 * Count, sum, min and max of one metric: a commutative monoid, so partial aggregates computed
 * anywhere (one Lambda batch, one Spark partition) merge into the same totals. The average is derived,
 * never stored. Sums are doubles, and floating-point addition is not associative: two paths that add
 * the same values in another order can differ, by far more than the last bits when large values cancel
 * (1e40 + 1 - 1e40 is 0 in one order, 1 in another). {@link #sameSum} compares sums within what any
 * order of addition can give.
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

    /** The relative tolerance for sums of values that do not cancel. */
    public static final double RELATIVE_SUM_TOLERANCE = 1e-9;

    private static final double UNIT_ROUNDOFF = Math.ulp(1.0) / 2;

    /**
     * Whether two sums of the same {@code count} values, whose extremes are {@code min} and {@code max},
     * can be the same sum added in different orders. Any order of adding n values is within
     * {@code (n-1)·u·Σ|x|} of the exact sum (u the unit roundoff), and {@code Σ|x| <= n·max(|min|, |max|)};
     * so two orders are within twice that of each other. Beyond that bound (or a relative 1e-9, whichever
     * is larger) the sums are of different values.
     */
    public static boolean sameSum(double a, double b, long count, double min, double max) {
        if (Double.compare(a, b) == 0) {
            return true;
        }
        double magnitude = Math.max(Math.abs(min), Math.abs(max));
        double orderBound = 2.0 * (count - 1) * UNIT_ROUNDOFF * count * magnitude;
        double relative = RELATIVE_SUM_TOLERANCE * Math.max(1.0, Math.max(Math.abs(a), Math.abs(b)));
        return Math.abs(a - b) <= Math.max(orderBound * 1.01, relative);
    }
}
