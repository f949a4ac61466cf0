package io.twinflow.benchmarks;

import io.twinflow.core.aggregate.WindowState;
import io.twinflow.core.alert.Alert;
import io.twinflow.core.event.TelemetryEvent;
import io.twinflow.functions.live.ItemWrites;
import io.twinflow.functions.live.LiveStateStore;
import io.twinflow.functions.live.WindowKey;
import io.twinflow.functions.live.WindowWrite;
import io.twinflow.live.LiveTables;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The live store's logic without the network: windows are applied with {@link WindowState#apply}
 * exactly as the DynamoDB store does after its read, states are kept by the same order key. Lets the
 * CPU benchmark run the real {@code StreamProcessor} and see only its CPU cost.
 */
final class InMemoryLiveStateStore implements LiveStateStore {

    private final Map<WindowKey, WindowState> windows = new HashMap<>();
    private final Map<String, String> latestOrderKey = new HashMap<>();

    @Override
    public List<WindowWrite.Result> applyWindows(List<WindowWrite.Delivery> deliveries) {
        List<WindowWrite.Result> results = new ArrayList<>(deliveries.size());
        for (WindowWrite.Delivery delivery : deliveries) {
            WindowState.Applied applied = windows.getOrDefault(delivery.key(), WindowState.EMPTY).apply(delivery.events());
            windows.put(delivery.key(), applied.state());
            results.add(WindowWrite.Result.written(delivery, applied.applied(), applied.full(), applied.state().aggregate(), ""));
        }
        return results;
    }

    @Override
    public ItemWrites<String> putLatestStates(Collection<TelemetryEvent> latestPerDevice) {
        for (TelemetryEvent event : latestPerDevice) {
            latestOrderKey.merge(event.deviceId(), LiveTables.orderKey(event.ts(), event.eventId()),
                    (a, b) -> a.compareTo(b) >= 0 ? a : b);
        }
        return ItemWrites.allWritten();
    }

    @Override
    public ItemWrites<WindowKey> putAlerts(Collection<Alert> raised) {
        return ItemWrites.allWritten(); // raising them (in StreamProcessor) is the CPU being measured; storing them is I/O
    }

    /** Forgets everything, so replayed batches count as new again rather than as duplicates. */
    void clear() {
        windows.clear();
        latestOrderKey.clear();
    }

    long eventCount() {
        return windows.values().stream().mapToLong(w -> w.aggregate().eventCount()).sum();
    }
}
