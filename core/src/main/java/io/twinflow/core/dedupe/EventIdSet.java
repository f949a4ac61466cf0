package io.twinflow.core.dedupe;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * An immutable set of event fingerprints ({@link EventIdHash}), kept as a sorted array and serialised
 * as 8 bytes per entry, big-endian: the compact form stored in a window item.
 */
public final class EventIdSet {

    public static final EventIdSet EMPTY = new EventIdSet(new long[0]);

    private final long[] sorted;

    private EventIdSet(long[] sorted) {
        this.sorted = sorted;
    }

    public static EventIdSet of(long... hashes) {
        long[] copy = hashes.clone();
        Arrays.sort(copy);
        return new EventIdSet(distinct(copy, copy.length));
    }

    public static EventIdSet fromBytes(byte[] bytes) {
        if (bytes.length % Long.BYTES != 0) {
            throw new IllegalArgumentException("an event id set is a multiple of 8 bytes, got " + bytes.length);
        }
        long[] values = new long[bytes.length / Long.BYTES];
        ByteBuffer.wrap(bytes).asLongBuffer().get(values);
        for (int i = 1; i < values.length; i++) {
            if (values[i - 1] >= values[i]) {
                throw new IllegalArgumentException("stored event id set is not strictly sorted");
            }
        }
        return new EventIdSet(values);
    }

    public byte[] toBytes() {
        ByteBuffer buffer = ByteBuffer.allocate(sorted.length * Long.BYTES);
        buffer.asLongBuffer().put(sorted);
        return buffer.array();
    }

    public boolean contains(long hash) {
        return Arrays.binarySearch(sorted, hash) >= 0;
    }

    public int size() {
        return sorted.length;
    }

    /** This set plus {@code hashes}. */
    public EventIdSet with(long[] hashes, int count) {
        if (count == 0) {
            return this;
        }
        long[] all = Arrays.copyOf(sorted, sorted.length + count);
        System.arraycopy(hashes, 0, all, sorted.length, count);
        Arrays.sort(all);
        return new EventIdSet(distinct(all, all.length));
    }

    private static long[] distinct(long[] sortedValues, int length) {
        int n = 0;
        for (int i = 0; i < length; i++) {
            if (n == 0 || sortedValues[n - 1] != sortedValues[i]) {
                sortedValues[n++] = sortedValues[i];
            }
        }
        return n == sortedValues.length ? sortedValues : Arrays.copyOf(sortedValues, n);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof EventIdSet other && Arrays.equals(sorted, other.sorted);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(sorted);
    }

    @Override
    public String toString() {
        return "EventIdSet[" + sorted.length + "]";
    }
}
