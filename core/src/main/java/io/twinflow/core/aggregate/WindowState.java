package io.twinflow.core.aggregate;

import io.twinflow.core.dedupe.EventIdHash;
import io.twinflow.core.dedupe.EventIdSet;
import io.twinflow.core.event.TelemetryEvent;
import java.util.HashSet;
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

    public WindowState {
        Objects.requireNonNull(aggregate, "aggregate");
        Objects.requireNonNull(eventIds, "eventIds");
    }

    /**
     * The result of applying a delivery.
     *
     * @param state the new state (the same instance when nothing was new)
     * @param applied for each input event, in order: true when it was newly counted, false when it
     *     was a duplicate of a stored event or of an earlier event in the same delivery
     */
    public record Applied(WindowState state, boolean[] applied, int appliedCount) {
        public int duplicateCount() {
            return applied.length - appliedCount;
        }

        public boolean changed() {
            return appliedCount > 0;
        }
    }

    public Applied apply(List<TelemetryEvent> events) {
        boolean[] applied = new boolean[events.size()];
        long[] newHashes = new long[events.size()];
        int n = 0;
        WindowAggregate.Builder delta = WindowAggregate.builder();
        HashSet<Long> seenInDelivery = new HashSet<>(events.size() * 2);
        for (int i = 0; i < events.size(); i++) {
            TelemetryEvent event = events.get(i);
            long hash = EventIdHash.of(event.eventId());
            if (eventIds.contains(hash) || !seenInDelivery.add(hash)) {
                continue;
            }
            newHashes[n++] = hash;
            applied[i] = true;
            delta.add(event);
        }
        if (n == 0) {
            return new Applied(this, applied, 0);
        }
        return new Applied(new WindowState(aggregate.merge(delta.build()), eventIds.with(newHashes, n)), applied, n);
    }
}
