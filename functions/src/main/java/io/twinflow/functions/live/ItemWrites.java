package io.twinflow.functions.live;

import java.util.Map;
import java.util.Set;

/**
 * What a round of item writes (latest states or alerts) left undone.
 *
 * @param failedDevices devices with a write that failed on a transient fault after retries: retry them
 * @param rejected writes the store refuses for good (a {@code ValidationException}: an item too large, a
 *     number out of range), with the store's reason, by what the item belongs to; retrying cannot help
 * @param <K> the key of a rejected write: a device id for states, a {@link WindowKey} for alerts
 */
public record ItemWrites<K>(Set<String> failedDevices, Map<K, String> rejected) {

    public ItemWrites {
        failedDevices = Set.copyOf(failedDevices);
        rejected = Map.copyOf(rejected);
    }

    public static <K> ItemWrites<K> allWritten() {
        return new ItemWrites<>(Set.of(), Map.of());
    }
}
