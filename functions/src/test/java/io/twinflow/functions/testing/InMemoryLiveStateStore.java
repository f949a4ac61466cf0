package io.twinflow.functions.testing;

import io.twinflow.core.aggregate.WindowState;
import io.twinflow.core.alert.Alert;
import io.twinflow.core.event.TelemetryEvent;
import io.twinflow.functions.live.ItemWrites;
import io.twinflow.functions.live.LiveStateStore;
import io.twinflow.functions.live.WindowKey;
import io.twinflow.functions.live.WindowWrite;
import io.twinflow.live.LiveTables;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The live store's contract without the network: windows are applied with {@link WindowState#apply}
 * exactly as the DynamoDB store does after its read, and a state is kept only when newer by the same
 * order key. Lets tests drive the real {@code StreamProcessor} through every answer a store gives, and
 * lets the CPU benchmark see only the processor's own cost.
 *
 * <p>Answers other than "written" are set per device beforehand: a write that fails on a transient fault
 * (retry it), a write refused for good, or another writer's events landing in a window between this
 * store's read and its write (what the DynamoDB store meets as an optimistic-write conflict and retries
 * on the fresh item). Not thread-safe: the processor calls a store from one thread.
 */
public final class InMemoryLiveStateStore implements LiveStateStore {

    private final int maxEventsPerWindow;
    private final Map<WindowKey, WindowState> windows = new HashMap<>();
    private final Map<String, TelemetryEvent> latest = new HashMap<>();
    private final Map<AlertKey, Alert> alerts = new HashMap<>();
    private final Map<Item, Map<String, Integer>> failures = new EnumMap<>(Item.class);
    private final Map<Item, Map<String, String>> refusals = new EnumMap<>(Item.class);
    private final Map<WindowKey, List<TelemetryEvent>> concurrentWrites = new HashMap<>();
    private int windowWrites;

    public InMemoryLiveStateStore() {
        this(WindowState.MAX_EVENTS);
    }

    /** @param maxEventsPerWindow a smaller window capacity, so that a few events fill a window */
    public InMemoryLiveStateStore(int maxEventsPerWindow) {
        this.maxEventsPerWindow = maxEventsPerWindow;
        for (Item item : Item.values()) {
            failures.put(item, new HashMap<>());
            refusals.put(item, new HashMap<>());
        }
    }

    /** The kinds of item a store writes. */
    public enum Item { WINDOW, STATE, ALERT }

    /** The device's next {@code times} writes of this kind of item fail on a transient fault. */
    public InMemoryLiveStateStore fail(Item item, String deviceId, int times) {
        failures.get(item).put(deviceId, times);
        return this;
    }

    /** Every write of this kind of item for the device is refused for good, with this detail. */
    public InMemoryLiveStateStore refuse(Item item, String deviceId, String detail) {
        refusals.get(item).put(deviceId, detail);
        return this;
    }

    /**
     * Another writer (say, a second invocation during resharding) applies these events to their window
     * after this store's next read of it and before its write: the write conflicts, and the delivery is
     * applied again to the window as that writer left it.
     */
    public InMemoryLiveStateStore concurrentWrite(WindowKey window, List<TelemetryEvent> events) {
        concurrentWrites.put(window, List.copyOf(events));
        return this;
    }

    @Override
    public List<WindowWrite.Result> applyWindows(List<WindowWrite.Delivery> deliveries) {
        List<WindowWrite.Result> results = new ArrayList<>(deliveries.size());
        for (WindowWrite.Delivery delivery : deliveries) {
            windowWrites++;
            String device = delivery.key().deviceId();
            if (refusals.get(Item.WINDOW).containsKey(device)) {
                results.add(WindowWrite.Result.rejected(delivery, refusals.get(Item.WINDOW).get(device)));
            } else if (consume(failures.get(Item.WINDOW), device)) {
                results.add(WindowWrite.Result.failed(delivery, "injected transient fault"));
            } else {
                List<TelemetryEvent> other = concurrentWrites.remove(delivery.key());
                if (other != null) {
                    windows.put(delivery.key(), window(delivery.key()).apply(other, maxEventsPerWindow).state());
                }
                WindowState.Applied applied = window(delivery.key()).apply(delivery.events(), maxEventsPerWindow);
                windows.put(delivery.key(), applied.state());
                results.add(WindowWrite.Result.written(delivery, applied.applied(), applied.full(),
                        applied.state().aggregate(), fullDetail(applied)));
            }
        }
        return results;
    }

    @Override
    public ItemWrites<String> putLatestStates(Collection<TelemetryEvent> latestPerDevice) {
        Set<String> failed = new HashSet<>();
        Map<String, String> rejected = new HashMap<>();
        for (TelemetryEvent event : latestPerDevice) {
            String device = event.deviceId();
            if (refusals.get(Item.STATE).containsKey(device)) {
                rejected.put(device, refusals.get(Item.STATE).get(device));
            } else if (consume(failures.get(Item.STATE), device)) {
                failed.add(device);
            } else {
                latest.merge(device, event, (stored, candidate) -> LiveTables.compareOrder(candidate.ts(), candidate.eventId(),
                        stored.ts(), stored.eventId()) > 0 ? candidate : stored);
            }
        }
        return new ItemWrites<>(failed, rejected);
    }

    @Override
    public ItemWrites<WindowKey> putAlerts(Collection<Alert> raised) {
        Set<String> failed = new HashSet<>();
        Map<WindowKey, String> rejected = new HashMap<>();
        for (Alert alert : raised) {
            String device = alert.deviceId();
            if (refusals.get(Item.ALERT).containsKey(device)) {
                rejected.put(new WindowKey(device, alert.windowStart()), refusals.get(Item.ALERT).get(device));
            } else if (consume(failures.get(Item.ALERT), device)) {
                failed.add(device);
            } else {
                alerts.put(new AlertKey(device, alert.windowStart(), alert.ruleId()), alert);
            }
        }
        return new ItemWrites<>(failed, rejected);
    }

    /** Forgets everything, so replayed batches count as new again rather than as duplicates. */
    public void clear() {
        windows.clear();
        latest.clear();
        alerts.clear();
    }

    /** Events counted in all windows. */
    public long eventCount() {
        return windows.values().stream().mapToLong(w -> w.aggregate().eventCount()).sum();
    }

    /** The window as stored, empty when never written. */
    public WindowState window(WindowKey key) {
        return windows.getOrDefault(key, WindowState.EMPTY);
    }

    /** The device's latest state's event, or null. */
    public TelemetryEvent latest(String deviceId) {
        return latest.get(deviceId);
    }

    /** The alerts stored, in no particular order. */
    public Collection<Alert> alerts() {
        return List.copyOf(alerts.values());
    }

    /** How many window writes were asked of the store, answered or not. */
    public int windowWrites() {
        return windowWrites;
    }

    private String fullDetail(WindowState.Applied applied) {
        for (boolean full : applied.full()) {
            if (full) {
                return "window holds " + maxEventsPerWindow + " distinct events";
            }
        }
        return "";
    }

    /** An alert's identity, as the alert table keys it. */
    private record AlertKey(String deviceId, Instant windowStart, String ruleId) {
    }

    private static boolean consume(Map<String, Integer> faults, String device) {
        int left = faults.getOrDefault(device, 0);
        if (left == 0) {
            return false;
        }
        faults.put(device, left - 1);
        return true;
    }
}
