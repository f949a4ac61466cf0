package io.twinflow.glue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Day copies packed by hand into one byte array: what the shuffle by device carries. A map task packs
 * the copies bound for each partition into blocks of about {@link #TARGET_BYTES}, so the shuffle moves
 * a few large arrays instead of a million objects, and costs the same under any Spark serializer (Java's
 * serialization of one object per copy was a fifth of the executors' time). Strings that repeat within a
 * block (device, metric names, object key, shard) are written once per block and referenced after that,
 * so the reading side also holds one instance of each instead of one per copy.
 */
final class CopyBlock {

    /** About how many bytes a block holds before it is handed to the shuffle. */
    static final int TARGET_BYTES = 1 << 20;

    private CopyBlock() {
    }

    /** Packs copies; {@link #take} hands the block over and starts the next. */
    static final class Writer {
        private byte[] bytes = new byte[256];
        private int size;
        private final Map<String, Integer> shared = new HashMap<>();

        int size() {
            return size;
        }

        /** The block's bytes; the writer starts an empty block. */
        byte[] take() {
            byte[] block = Arrays.copyOf(bytes, size);
            size = 0;
            shared.clear();
            return block;
        }

        void putByte(int b) {
            room(1);
            bytes[size++] = (byte) b;
        }

        void putBoolean(boolean b) {
            putByte(b ? 1 : 0);
        }

        /** Unsigned LEB128: small counts and indexes take one byte. */
        void putVarInt(int v) {
            room(5);
            while ((v & ~0x7F) != 0) {
                bytes[size++] = (byte) ((v & 0x7F) | 0x80);
                v >>>= 7;
            }
            bytes[size++] = (byte) v;
        }

        void putInt(int v) {
            room(4);
            for (int shift = 24; shift >= 0; shift -= 8) {
                bytes[size++] = (byte) (v >>> shift);
            }
        }

        void putLong(long v) {
            room(8);
            for (int shift = 56; shift >= 0; shift -= 8) {
                bytes[size++] = (byte) (v >>> shift);
            }
        }

        void putDouble(double v) {
            putLong(Double.doubleToRawLongBits(v));
        }

        /** A string written in full (UTF-8), for the ones that rarely repeat (eventId, sequence number). */
        void putString(String s) {
            byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
            putVarInt(utf8.length);
            room(utf8.length);
            System.arraycopy(utf8, 0, bytes, size, utf8.length);
            size += utf8.length;
        }

        /** A string that repeats within the block: in full the first time (reference 0), then by its reference. */
        void putShared(String s) {
            Integer ref = shared.get(s);
            if (ref != null) {
                putVarInt(ref);
            } else {
                putVarInt(0);
                putString(s);
                shared.put(s, shared.size() + 1);
            }
        }

        private void room(int n) {
            if (size + n > bytes.length) {
                bytes = Arrays.copyOf(bytes, Math.max(size + n, bytes.length * 2));
            }
        }
    }

    /** Reads what a {@link Writer} packed, in the same order. */
    static final class Reader {
        private final byte[] bytes;
        private int at;
        private final List<String> shared = new ArrayList<>();
        private final Map<String, String> instances;

        /**
         * @param instances one instance per distinct shared string across all the blocks a partition reads:
         *     a block's first mention of a string is replaced by the instance already held
         */
        Reader(byte[] bytes, Map<String, String> instances) {
            this.bytes = bytes;
            this.instances = instances;
        }

        boolean hasNext() {
            return at < bytes.length;
        }

        int getByte() {
            return bytes[at++];
        }

        boolean getBoolean() {
            return getByte() != 0;
        }

        int getVarInt() {
            int v = 0;
            for (int shift = 0; ; shift += 7) {
                int b = bytes[at++];
                v |= (b & 0x7F) << shift;
                if (b >= 0) {
                    return v;
                }
            }
        }

        int getInt() {
            int v = 0;
            for (int i = 0; i < 4; i++) {
                v = (v << 8) | (bytes[at++] & 0xFF);
            }
            return v;
        }

        long getLong() {
            long v = 0;
            for (int i = 0; i < 8; i++) {
                v = (v << 8) | (bytes[at++] & 0xFF);
            }
            return v;
        }

        double getDouble() {
            return Double.longBitsToDouble(getLong());
        }

        String getString() {
            int length = getVarInt();
            String s = new String(bytes, at, length, StandardCharsets.UTF_8);
            at += length;
            return s;
        }

        String getShared() {
            int ref = getVarInt();
            if (ref != 0) {
                return shared.get(ref - 1);
            }
            String s = instances.computeIfAbsent(getString(), k -> k);
            shared.add(s);
            return s;
        }
    }
}
