package io.twinflow.warehouse.sql;

import java.nio.charset.StandardCharsets;

/** FNV-1a: a stable 64-bit hash for advisory-lock keys (String.hashCode has only 32 bits). */
final class Hashing {

    private Hashing() {
    }

    static long fnv1a64(String s) {
        long hash = 0xcbf29ce484222325L;
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            hash ^= b & 0xff;
            hash *= 0x100000001b3L;
        }
        return hash;
    }
}
