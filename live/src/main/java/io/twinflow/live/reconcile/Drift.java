package io.twinflow.live.reconcile;

/**
 * One number on which the three views of a day disagree.
 *
 * @param metric the metric, or {@code null} for the device's event count
 * @param field {@code events}, {@code count}, {@code sum}, {@code min} or {@code max}
 * @param streaming the value from the DynamoDB window aggregates (null: the device or metric is missing there)
 * @param batch the value from the warehouse's daily summary, written by the rollup (null: missing there)
 * @param events the value computed from the warehouse's {@code events} table, written by the loader
 *     (null: missing there)
 */
public record Drift(String deviceId, String metric, String field, Double streaming, Double batch, Double events) {
}
