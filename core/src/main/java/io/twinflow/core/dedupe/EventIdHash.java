package io.twinflow.core.dedupe;

import java.nio.charset.StandardCharsets;

/**
 * A 64-bit fingerprint of an eventId, used to remember which events a window already holds without
 * storing the ids themselves (an id may be 128 characters; a fingerprint is 8 bytes).
 *
 * <p>The function is the 64-bit FNV-1a hash of the UTF-8 bytes followed by the MurmurHash3 finalizer
 * for avalanche. It is fixed forever: stored fingerprints must keep matching. With at most tens of
 * thousands of events per device and window, the chance that two different ids in one window collide
 * is below 10^-10.
 */
public final class EventIdHash {

    private static final long FNV_OFFSET = 0xcbf29ce484222325L;
    private static final long FNV_PRIME = 0x100000001b3L;

    private EventIdHash() {
    }

    public static long of(String eventId) {
        long h = FNV_OFFSET;
        int n = eventId.length();
        for (int i = 0; i < n; i++) {
            char c = eventId.charAt(i);
            if (c >= 0x80) {
                // Not ASCII: hash the UTF-8 bytes as encoded. ASCII characters are their own UTF-8 bytes,
                // which spares the common case an array per event.
                h = fnv(FNV_OFFSET, eventId.getBytes(StandardCharsets.UTF_8));
                break;
            }
            h ^= c;
            h *= FNV_PRIME;
        }
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return h;
    }

    private static long fnv(long h, byte[] bytes) {
        for (byte b : bytes) {
            h ^= (b & 0xff);
            h *= FNV_PRIME;
        }
        return h;
    }
}
