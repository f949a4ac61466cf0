package io.twinflow.core.event;

import static java.nio.charset.StandardCharsets.ISO_8859_1;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * A hand-written reader for the one record shape devices send, straight from the bytes: a JSON object
 * holding only the six schema fields, ASCII strings without escapes or control characters, plain decimal numbers,
 * metrics and location without a fault of their own. It fills {@link EventFields} exactly as
 * {@link RecordParser} would and leaves the rules to {@link EventRules}, so the verdict is the same.
 *
 * <p>It answers only when it understood every byte of the record; anything else (a byte outside
 * ASCII, a control character, an escape, an exponent, more than 15 digits, an unknown or repeated key, a value of an
 * unexpected type, a metric or location problem, broken JSON) makes it give up, and the record goes to
 * {@link RecordParser}, which judges it, details included. Giving up is always safe; reading is safe only
 * where this reader and Jackson provably agree. {@code RecordScannerAgreementTest} compares the two on
 * generated, mutated and hostile records.
 *
 * <p>Because every byte it accepts is ASCII and none is NUL, a record it reads passes
 * {@link RecordParser#checkBytes}'s encoding checks as well; the size limit is checked before it runs.
 */
final class RecordScanner {

    /** The top-level fields, each at its bit in {@link EventFields#seen}, as {@link RecordParser} numbers them. */
    private static final byte[][] FIELDS = {
        ascii("schemaVersion"), ascii("eventId"), ascii("deviceId"), ascii("ts"), ascii("metrics"), ascii("location"),
    };
    private static final byte[] LAT = ascii("lat");
    private static final byte[] LON = ascii("lon");
    private static final byte[] NULL = ascii("null");

    /**
     * At most this many digits in a number: its digits are then an integer below 2^53 and its power of ten
     * is exact, so one IEEE division gives the correctly rounded double, which is what Jackson's
     * {@code Double.parseDouble} gives (Clinger's fast path).
     */
    private static final int MAX_DIGITS = 15;
    private static final double[] POWERS_OF_TEN = {
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
    };
    /** Nine digits always fit an int, which Jackson reports as {@code NumberType.INT}. */
    private static final int MAX_INT_DIGITS = 9;
    /** Eight bytes of the record as one long, for {@link #string()}, first byte lowest. */
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long ONES = 0x0101010101010101L;
    private static final long SPACES = 0x2020202020202020L;
    private static final long QUOTES = 0x2222222222222222L;
    private static final long BACKSLASHES = 0x5c5c5c5c5c5c5c5cL;
    private static final long HIGH_BITS = 0x8080808080808080L;
    /** Returned by {@link #scalar} when the value is not one this reader understands. */
    private static final Object GIVE_UP = new Object();

    private final byte[] data;
    private final int maxMetrics;
    private int p;
    /** The value of the last {@link #number()} that returned true. */
    private double number;
    /** Where the text of the last {@link #key()} read starts and ends in {@link #data}. */
    private int keyStart;
    private int keyEnd;

    private RecordScanner(byte[] data, int maxMetrics) {
        this.data = data;
        this.maxMetrics = maxMetrics;
    }

    /**
     * Reads {@code data} into {@code fields}.
     *
     * @return true when {@code fields} holds all the record says; false when this reader gave up, and
     *     {@code fields} (partly filled) must be thrown away
     */
    static boolean scan(byte[] data, DecoderLimits limits, EventFields fields) {
        return new RecordScanner(data, limits.maxMetrics()).root(fields) && fields.duplicateField == null;
    }

    private boolean root(EventFields f) {
        skipWhitespace();
        if (!take('{')) {
            return false;
        }
        skipWhitespace();
        if (!take('}')) {
            do {
                if (!key() || !field(f, keyStart, keyEnd)) {
                    return false;
                }
                skipWhitespace();
            } while (take(','));
            if (!take('}')) {
                return false;
            }
        }
        skipWhitespace();
        return p == data.length;
    }

    /** The field whose key is {@code data[from, to)}; a repeated one is noted by {@link EventFields#seen}. */
    private boolean field(EventFields f, int from, int to) {
        int bit = fieldBit(from, to);
        if (bit == 4) {
            f.seen("metrics", 4, Boolean.TRUE);
            return metrics(f);
        }
        if (bit == 5) {
            f.seen("location", 5, Boolean.TRUE);
            return location(f);
        }
        if (bit < 0) {
            return false; // an unknown field: Jackson skips it, whatever it holds
        }
        Object value = scalar();
        if (value == GIVE_UP) {
            return false;
        }
        switch (bit) {
            case 0 -> f.schemaVersion = f.seen("schemaVersion", 0, value);
            case 1 -> f.eventId = f.seen("eventId", 1, value);
            case 2 -> f.deviceId = f.seen("deviceId", 2, value);
            default -> f.ts = f.seen("ts", 3, value);
        }
        return true;
    }

    /** The key's bit in {@link EventFields#seen} (its index in {@link #FIELDS}), or -1 for an unknown key. */
    private int fieldBit(int from, int to) {
        // The six names differ in length or first letter: one comparison confirms the candidate.
        int bit = switch (to - from) {
            case 13 -> 0;
            case 7 -> data[from] == 'e' ? 1 : 4;
            case 8 -> data[from] == 'd' ? 2 : 5;
            case 2 -> 3;
            default -> -1;
        };
        return bit >= 0 && is(from, to, FIELDS[bit]) ? bit : -1;
    }

    /** A string, a null or a small integer, as {@link RecordParser} reads a scalar field; else {@link #GIVE_UP}. */
    private Object scalar() {
        if (p >= data.length) {
            return GIVE_UP;
        }
        byte b = data[p];
        if (b == '"') {
            int from = p + 1;
            return string() ? new String(data, from, p - 1 - from, ISO_8859_1) : GIVE_UP;
        }
        if (b == 'n') {
            return literal(NULL) ? null : GIVE_UP;
        }
        boolean negative = take('-');
        int from = p;
        int value = 0;
        while (p < data.length && isDigit(data[p])) {
            value = value * 10 + (data[p++] - '0');
            if (p - from > MAX_INT_DIGITS) {
                return GIVE_UP;
            }
        }
        if (!plainInteger(from)) {
            return GIVE_UP;
        }
        return negative ? -value : value;
    }

    private boolean metrics(EventFields f) {
        if (p < data.length && data[p] == 'n') {
            return literal(NULL);
        }
        if (!take('{')) {
            return false;
        }
        f.metrics = new DecodedMetrics();
        skipWhitespace();
        if (take('}')) {
            return true;
        }
        do {
            if (!key()) {
                return false;
            }
            String name = new String(data, keyStart, keyEnd - keyStart, ISO_8859_1);
            // Within MAX_DIGITS a number is always finite and within range; the check keeps that true if the bound moves.
            if (++f.metricCount > maxMetrics || !EventRules.isMetricName(name) || !number()
                    || EventRules.outOfRange(number) || f.metrics.put(name, number) != null) {
                return false;
            }
            skipWhitespace();
        } while (take(','));
        return take('}');
    }

    private boolean location(EventFields f) {
        if (p < data.length && data[p] == 'n') {
            return literal(NULL);
        }
        if (!take('{')) {
            return false;
        }
        double lat = Double.NaN;
        double lon = Double.NaN;
        boolean seenLat = false;
        boolean seenLon = false;
        skipWhitespace();
        if (!take('}')) {
            do {
                if (!key()) {
                    return false;
                }
                if (is(keyStart, keyEnd, LAT) && !seenLat && number()) {
                    seenLat = true;
                    lat = number;
                } else if (is(keyStart, keyEnd, LON) && !seenLon && number()) {
                    seenLon = true;
                    lon = number;
                } else {
                    return false;
                }
                skipWhitespace();
            } while (take(','));
            if (!take('}')) {
                return false;
            }
        }
        if (!seenLat || !seenLon) {
            return false;
        }
        f.location(lat, lon);
        return true;
    }

    /**
     * A number {@code -?(0|[1-9][0-9]*)(\.[0-9]+)?} of at most {@link #MAX_DIGITS} digits into
     * {@link #number}, without negative zero (as {@link RecordParser} stores it). Longer digit strings may overflow the long
     * of digits on the way; they are given up on before it is used.
     */
    private boolean number() {
        boolean negative = take('-');
        int from = p;
        long digits = 0;
        while (p < data.length && isDigit(data[p])) {
            digits = digits * 10 + (data[p++] - '0');
        }
        int count = p - from;
        if (count == 0 || (count > 1 && data[from] == '0')) {
            return false;
        }
        int scale = 0;
        if (take('.')) {
            int fraction = p;
            while (p < data.length && isDigit(data[p])) {
                digits = digits * 10 + (data[p++] - '0');
            }
            scale = p - fraction;
            if (scale == 0) {
                return false;
            }
            count += scale;
        }
        if (count > MAX_DIGITS || (p < data.length && (data[p] == 'e' || data[p] == 'E'))) {
            return false;
        }
        double value = scale == 0 ? (double) digits : digits / POWERS_OF_TEN[scale];
        number = EventRules.noNegativeZero(negative ? -value : value);
        return true;
    }

    /** After the digits at {@code from}: at least one, no leading zero, no fraction or exponent. */
    private boolean plainInteger(int from) {
        int count = p - from;
        if (count == 0 || (count > 1 && data[from] == '0')) {
            return false;
        }
        return p >= data.length || (data[p] != '.' && data[p] != 'e' && data[p] != 'E');
    }

    /** A member's key and its colon, with the whitespace around them; the key's text goes to {@link #keyStart}. */
    private boolean key() {
        skipWhitespace();
        keyStart = p + 1;
        if (!string()) {
            return false;
        }
        keyEnd = p - 1;
        skipWhitespace();
        if (!take(':')) {
            return false;
        }
        skipWhitespace();
        return true;
    }

    /** A string of ASCII without escapes or control characters below 0x20; {@link #p} ends after its closing quote. */
    private boolean string() {
        if (!take('"')) {
            return false;
        }
        int n = data.length;
        // Eight bytes at a time up to the first that ends the string or makes the scanner give up. The word is
        // read little-endian, so the lowest flag marks the first such byte (the tests' false flags lie above a true one).
        for (; p <= n - Long.BYTES; p += Long.BYTES) {
            long word = (long) LONGS.get(data, p);
            long flags = hasZeroByte(word ^ QUOTES) | hasZeroByte(word ^ BACKSLASHES) | hasByteBelowSpace(word) | (word & HIGH_BITS);
            if (flags != 0) {
                p += Long.numberOfTrailingZeros(flags) >>> 3;
                break;
            }
        }
        for (; p < n; p++) {
            byte b = data[p];
            if (b == '"') {
                p++;
                return true;
            }
            // Bytes are signed: every non-ASCII byte is below 0x20 too.
            if (b < 0x20 || b == '\\') {
                return false;
            }
        }
        return false;
    }

    private boolean literal(byte[] word) {
        if (p + word.length > data.length || !Arrays.equals(data, p, p + word.length, word, 0, word.length)) {
            return false;
        }
        p += word.length;
        return true;
    }

    private boolean is(int from, int to, byte[] name) {
        return Arrays.equals(data, from, to, name, 0, name.length);
    }

    private boolean take(char c) {
        if (p < data.length && data[p] == c) {
            p++;
            return true;
        }
        return false;
    }

    /** JSON's four whitespace characters, the only ones Jackson allows between tokens. */
    private void skipWhitespace() {
        while (p < data.length) {
            byte b = data[p];
            if (b != ' ' && b != '\n' && b != '\r' && b != '\t') {
                return;
            }
            p++;
        }
    }

    /** Nonzero when a byte of the word is zero; exact about whether one is, which is all that is asked. */
    private static long hasZeroByte(long word) {
        return (word - ONES) & ~word & HIGH_BITS;
    }

    /** Nonzero when a byte of the word is below 0x20 (bytes of 0x80 and above are caught on their own). */
    private static long hasByteBelowSpace(long word) {
        return (word - SPACES) & ~word & HIGH_BITS;
    }

    private static boolean isDigit(byte b) {
        return b >= '0' && b <= '9';
    }

    private static byte[] ascii(String s) {
        return s.getBytes(ISO_8859_1);
    }
}
