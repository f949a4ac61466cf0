package io.twinflow.core.aggregate;

import io.twinflow.core.dedupe.EventIdHash;
import io.twinflow.core.dedupe.EventIdSet;
import io.twinflow.core.event.TelemetryEvent;
import java.util.List;
import java.util.Objects;

/**
 * The stored state of one (device, window): its aggregate and the fingerprints of every event already
 * counted in it. Applying a delivery adds only events whose eventId is not yet in the set, so a
 * redelivered record (Lambda retry, bisected batch, replay) and a producer duplicate (same eventId,
 * new sequence number) count once, in any order of delivery. This is the exactly-once rule; storage
 * adapters only persist the result atomically.
 */
public record WindowState(WindowAggregate aggregate, EventIdSet eventIds) {

    public static final WindowState EMPTY = new WindowState(WindowAggregate.EMPTY, EventIdSet.EMPTY);

    /**
     * The most distinct events one (device, window) holds. A window item stores 8 bytes per event and
     * DynamoDB items stop at 400 KB; 20,000 events (160 KB of fingerprints, a device reporting 333 times
     * a second for a whole one-minute window) leaves room for the aggregate. Later events of a full
     * window, in stream order, are rejected as {@code WINDOW_FULL} on both paths.
     */
    public static final int MAX_EVENTS = 20_000;

    public WindowState {
        Objects.requireNonNull(aggregate, "aggregate");
        Objects.requireNonNull(eventIds, "eventIds");
    }

    /**
     * The result of applying a delivery.
     *
     * @param state the new state (the same instance when nothing was new)
     * @param applied for each input event, in order: true when it was newly counted, false when it
     *     was a duplicate of a stored event or of an earlier event in the same delivery, or did not fit
     * @param full for each input event: true when it was new but the window already held
     *     {@code maxEvents} events, so it was not counted
     */
    public record Applied(WindowState state, boolean[] applied, boolean[] full, int appliedCount) {
        public int duplicateCount() {
            int fullCount = 0;
            for (boolean f : full) {
                if (f) {
                    fullCount++;
                }
            }
            return applied.length - appliedCount - fullCount;
        }

        public boolean changed() {
            return appliedCount > 0;
        }
    }

    public Applied apply(List<TelemetryEvent> events) {
        return apply(events, MAX_EVENTS);
    }

    /**
     * Adds the events not yet counted, in order, until the window holds {@code maxEvents}. An event whose
     * eventId the window already holds is a duplicate, even when the window is full.
     */
    public Applied apply(List<TelemetryEvent> events, int maxEvents) {
        boolean[] applied = new boolean[events.size()];
        boolean[] full = new boolean[events.size()];
        long[] newHashes = new long[events.size()];
        int n = 0;
        int room = Math.max(0, maxEvents - eventIds.size());
        WindowAggregate.Builder delta = WindowAggregate.builder();
        HashesSeen seenInDelivery = new HashesSeen(events.size());
        for (int i = 0; i < events.size(); i++) {
            TelemetryEvent event = events.get(i);
            long hash = EventIdHash.of(event.eventId());
            if (eventIds.contains(hash) || seenInDelivery.contains(hash)) {
                continue;
            }
            if (n == room) {
                full[i] = true;
                continue;
            }
            seenInDelivery.add(hash);
            newHashes[n++] = hash;
            applied[i] = true;
            delta.add(event);
        }
        if (n == 0) {
            return new Applied(this, applied, full, 0);
        }
        return new Applied(new WindowState(aggregate.merge(delta.build()), eventIds.with(newHashes, n)), applied, full, n);
    }

    /**
     * The fingerprints met so far in one delivery: open addressing over a long array, so a delivery does
     * not box a {@code Long} per event. Zero, which marks an empty slot, is tracked on its own.
     */
    private static final class HashesSeen {
        private final long[] slots;
        private final int mask;
        private boolean zero;

        HashesSeen(int expected) {
            int capacity = Integer.highestOneBit(Math.max(4, expected) * 2 - 1) << 1;
            slots = new long[capacity];
            mask = capacity - 1;
        }

        boolean contains(long hash) {
            if (hash == 0) {
                return zero;
            }
            for (int i = slot(hash); ; i = (i + 1) & mask) {
                if (slots[i] == hash) {
                    return true;
                }
                if (slots[i] == 0) {
                    return false;
                }
            }
        }

        void add(long hash) {
            if (hash == 0) {
                zero = true;
                return;
            }
            int i = slot(hash);
            while (slots[i] != 0 && slots[i] != hash) {
                i = (i + 1) & mask;
            }
            slots[i] = hash;
        }

        private int slot(long hash) {
            // The fingerprints are already well mixed (EventIdHash ends with a finalizer).
            return (int) (hash ^ (hash >>> 32)) & mask;
        }
    }
}
