package io.twinflow.functions.reconcile;

import java.time.LocalDate;
import java.util.List;

/**
 * @param devices devices seen on either side for the day
 * @param valuesCompared numbers compared (event counts and per metric count, sum, min and max)
 * @param sumTolerance the relative tolerance applied to sums
 */
public record ReconcileReport(LocalDate date, int devices, int valuesCompared, double sumTolerance, List<Drift> drifts) {

    public ReconcileReport {
        drifts = List.copyOf(drifts);
    }

    public boolean clean() {
        return drifts.isEmpty();
    }

    /** The devices with at least one drift, sorted. */
    public List<String> driftingDevices() {
        return drifts.stream().map(Drift::deviceId).distinct().sorted().toList();
    }
}
