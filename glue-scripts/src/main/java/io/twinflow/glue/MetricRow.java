package io.twinflow.glue;

import java.io.Serializable;

/** One metric's count, sum, min and max in a {@link SummaryRow}; a bean for Spark's encoder. */
public class MetricRow implements Serializable {

    private static final long serialVersionUID = 1L;

    private String name;
    private long count;
    private double sum;
    private double min;
    private double max;

    public MetricRow() {
    }

    public MetricRow(String name, long count, double sum, double min, double max) {
        this.name = name;
        this.count = count;
        this.sum = sum;
        this.min = min;
        this.max = max;
    }

    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }

    public long getCount() {
        return count;
    }

    public void setCount(long count) {
        this.count = count;
    }

    public double getSum() {
        return sum;
    }

    public void setSum(double sum) {
        this.sum = sum;
    }

    public double getMin() {
        return min;
    }

    public void setMin(double min) {
        this.min = min;
    }

    public double getMax() {
        return max;
    }

    public void setMax(double max) {
        this.max = max;
    }
}
