package io.twinflow.core.dedupe;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;

/**
 * An immutable set of event fingerprints ({@link EventIdHash}), kept as a sorted array. Two stored forms:
 * {@link #toBytes} (8 bytes per entry, big-endian: what window items held first) and {@link #toPackedBytes}
 * (Elias-Fano, about 7 bytes per entry in a one-minute window: what window items hold now).
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

    /**
     * The set in Elias-Fano form, the smallest that keeps every bit of every fingerprint. A window item is
     * charged a write unit per started KB, and at ten reports a second the fingerprints are nine tenths of
     * it; n sorted 64-bit values carry about {@code 64 - log2(n) + 1.44} bits each, which this form comes
     * within a bit of: a 32-bit count; then each value's low {@code L = 64 - bitLength(n)} bits; then the
     * high bits of the values in order, as unary gaps (a 1 per value after as many 0s as its high part
     * grew). Values are taken as unsigned after flipping the sign bit, so their order is the array's.
     */
    public byte[] toPackedBytes() {
        int n = sorted.length;
        int low = lowBits(n);
        long lastHigh = n == 0 ? 0 : (sorted[n - 1] ^ Long.MIN_VALUE) >>> low;
        BitWriter out = new BitWriter(32 + (long) n * (low + 1) + lastHigh);
        out.write(n, 32);
        for (long value : sorted) {
            out.write(value ^ Long.MIN_VALUE, low);
        }
        long previousHigh = 0;
        for (long value : sorted) {
            long high = (value ^ Long.MIN_VALUE) >>> low;
            out.skip(high - previousHigh);
            out.write(1, 1);
            previousHigh = high;
        }
        return out.bytes();
    }

    /** The set {@link #toPackedBytes} wrote; anything else, including a non-canonical form, is refused. */
    public static EventIdSet fromPackedBytes(byte[] bytes) {
        BitReader in = new BitReader(bytes);
        long count = in.read(32);
        // Each value takes at least one bit: a larger count cannot be real (and would allocate without bound).
        if (count > (long) bytes.length * 8) {
            throw new IllegalArgumentException("packed event id set claims " + count + " ids in " + bytes.length + " bytes");
        }
        int n = (int) count;
        int low = lowBits(n);
        long[] values = new long[n];
        for (int i = 0; i < n; i++) {
            values[i] = in.read(low);
        }
        long high = 0;
        for (int i = 0; i < n; i++) {
            high += in.zeros();
            if (low > 0 && high >>> (64 - low) != 0) {
                throw new IllegalArgumentException("packed event id set has a value beyond 64 bits");
            }
            values[i] = ((high << low) | values[i]) ^ Long.MIN_VALUE;
            if (i > 0 && values[i - 1] >= values[i]) {
                throw new IllegalArgumentException("packed event id set is not strictly sorted");
            }
        }
        in.requireCanonicalEnd();
        return new EventIdSet(values);
    }

    /** How many low bits each value keeps verbatim: the high parts then number about 2n at most. */
    private static int lowBits(int n) {
        return n == 0 ? 0 : 64 - (32 - Integer.numberOfLeadingZeros(n));
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

    /** This set plus every fingerprint of {@code other}. */
    public EventIdSet with(EventIdSet other) {
        if (other.sorted.length == 0) {
            return this;
        }
        if (sorted.length == 0) {
            return other;
        }
        return with(other.sorted, other.sorted.length);
    }

    /** Every fingerprint of every set, sorted once: for many sets, cheaper than folding {@link #with(EventIdSet)}. */
    public static EventIdSet union(List<EventIdSet> sets) {
        int total = 0;
        for (EventIdSet set : sets) {
            total += set.sorted.length;
        }
        long[] all = new long[total];
        int at = 0;
        for (EventIdSet set : sets) {
            System.arraycopy(set.sorted, 0, all, at, set.sorted.length);
            at += set.sorted.length;
        }
        if (total == 0) {
            return EMPTY;
        }
        Arrays.sort(all);
        return new EventIdSet(distinct(all, total));
    }

    /**
     * A 64-bit digest of the set's content, the same for equal sets in any process: it names a stored page of
     * fingerprints, so two writers that store different sets under one window never share a name, and two that
     * store the same set write the same item.
     */
    public long digest() {
        long h = 0x9e3779b97f4a7c15L ^ sorted.length;
        for (long value : sorted) {
            h = (h ^ value) * 0xbf58476d1ce4e5b9L;
            h ^= h >>> 31;
        }
        h *= 0x94d049bb133111ebL;
        return h ^ (h >>> 29);
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

    /** Bits written most significant first into a byte array of a known most size. */
    private static final class BitWriter {
        private final byte[] buffer;
        private long position;

        BitWriter(long maxBits) {
            buffer = new byte[Math.toIntExact((maxBits + 7) / 8)];
        }

        /** The low {@code bits} bits of {@code value}. */
        void write(long value, int bits) {
            for (int i = bits - 1; i >= 0; i--) {
                if (((value >>> i) & 1) != 0) {
                    buffer[(int) (position >>> 3)] |= (byte) (0x80 >>> (position & 7));
                }
                position++;
            }
        }

        /** {@code zeros} 0 bits: the buffer starts zeroed. */
        void skip(long zeros) {
            position += zeros;
        }

        byte[] bytes() {
            return Arrays.copyOf(buffer, (int) ((position + 7) / 8));
        }
    }

    /** Reads what {@link BitWriter} wrote, refusing to read past the end. */
    private static final class BitReader {
        private final byte[] buffer;
        private final long size;
        private long position;

        BitReader(byte[] buffer) {
            this.buffer = buffer;
            this.size = (long) buffer.length * 8;
        }

        long read(int bits) {
            long value = 0;
            for (int i = 0; i < bits; i++) {
                value = (value << 1) | bit();
            }
            return value;
        }

        /** The 0 bits before the next 1, which is consumed too. */
        long zeros() {
            long zeros = 0;
            while (bit() == 0) {
                zeros++;
            }
            return zeros;
        }

        /** Only the zero padding of the last byte may follow the set. */
        void requireCanonicalEnd() {
            if ((position + 7) / 8 != buffer.length) {
                throw new IllegalArgumentException("packed event id set has trailing bytes");
            }
            while (position < size) {
                if (bit() != 0) {
                    throw new IllegalArgumentException("packed event id set has non-zero padding");
                }
            }
        }

        private int bit() {
            if (position >= size) {
                throw new IllegalArgumentException("packed event id set ends early");
            }
            int bit = (buffer[(int) (position >>> 3)] >>> (7 - (position & 7))) & 1;
            position++;
            return bit;
        }
    }
}
