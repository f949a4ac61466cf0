package io.twinflow.live.reconcile;

import java.time.LocalDate;
import java.util.List;

/**
 * @param devices devices seen on any side for the day
 * @param valuesCompared numbers compared (event counts and per metric count, sum, min and max), each
 *     across the three sides
 * @param sumTolerance the relative tolerance applied to sums
 * @param pendingRollup the loader has loaded events of this day since its summaries were last rolled
 *     up: the next scheduled rollup re-rolls it, and until then the summaries may lag the other two sides
 */
public record ReconcileReport(LocalDate date, int devices, int valuesCompared, double sumTolerance, List<Drift> drifts,
                              boolean pendingRollup) {

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
