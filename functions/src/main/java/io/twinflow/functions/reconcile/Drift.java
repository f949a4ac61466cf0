package io.twinflow.functions.reconcile;

/**
 * One number on which the streaming and the batch results of a day disagree.
 *
 * @param metric the metric, or {@code null} for the device's event count
 * @param field {@code events}, {@code count}, {@code sum}, {@code min} or {@code max}
 * @param streaming the value from the DynamoDB window aggregates (null: the device or metric is missing there)
 * @param batch the value from the warehouse's daily summary (null: missing there)
 */
public record Drift(String deviceId, String metric, String field, Double streaming, Double batch) {
}
