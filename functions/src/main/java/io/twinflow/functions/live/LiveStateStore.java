package io.twinflow.functions.live;

import io.twinflow.core.alert.Alert;
import io.twinflow.core.event.TelemetryEvent;
import java.util.Collection;
import java.util.List;

/**
 * The serving store of live state, storage-neutral. Every write must be idempotent: the event source
 * mapping redelivers records after a retry or a bisect, so any write may be repeated.
 */
public interface LiveStateStore {

    /**
     * Applies each delivery to its window atomically and exactly once (see
     * {@link io.twinflow.core.aggregate.WindowState}). One result per delivery, in the same order.
     */
    List<WindowWrite.Result> applyWindows(List<WindowWrite.Delivery> deliveries);

    /**
     * Makes each event the device's latest state unless the stored state is newer (by event time, then
     * eventId), so an older event never overwrites a newer state.
     *
     * @return the devices whose write failed after retries, and the writes refused for good by device id
     */
    ItemWrites<String> putLatestStates(Collection<TelemetryEvent> latestPerDevice);

    /**
     * Stores alerts; an alert's key is (device, window, rule), so rewriting one is harmless.
     *
     * @return the devices with at least one alert whose write failed after retries, and the alerts refused
     *     for good by their (device, window)
     */
    ItemWrites<WindowKey> putAlerts(Collection<Alert> alerts);
}
