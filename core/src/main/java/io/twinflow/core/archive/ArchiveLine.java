package io.twinflow.core.archive;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;

/**
 * The framing of the raw archive: one line per stream record, so that the batch path reads exactly the
 * records the stream processor read, byte for byte, whatever they contain.
 *
 * <p>A record may hold line breaks (a pretty-printed JSON event is one record on the stream), so
 * "append a newline" alone is ambiguous: the archive would show several broken lines. Each record is
 * therefore written as an envelope line:
 *
 * <pre>
 *   RS "tf1" TAB arrivalEpochMillis TAB shardId TAB sequenceNumber TAB encoding TAB payload LF
 * </pre>
 *
 * where RS is the byte 0x1E, {@code encoding} is {@code r} when the payload is the record's bytes
 * as they are (they hold no CR or LF) and {@code b} when it is their base64. Well-formed events stay
 * readable in the archive ({@code zcat | cut -f6-}); anything else round-trips exactly. The envelope also
 * carries the record's arrival time and stream position, which both paths need for the same verdict
 * (lateness and future skew are judged against arrival) and the same choice among copies.
 *
 * <p>A line that does not start with RS is an older or hand-made archive line and is read as one record
 * with no position; a JSON text never starts with RS, so such a line is never mistaken for an envelope.
 */
public final class ArchiveLine {

    public static final byte RS = 0x1E;
    /** Kinesis shard ids are short ASCII names ({@code shardId-000000000000}); stores size their column by this. */
    public static final int MAX_SHARD_ID_LENGTH = 128;
    /** Arrival times every store and timestamp type holds: from the epoch to the end of year 9998. */
    public static final Instant MIN_ARRIVAL = Instant.EPOCH;
    public static final Instant MAX_ARRIVAL = Instant.parse("9999-01-01T00:00:00Z");
    private static final byte[] MAGIC = {RS, 't', 'f', '1', '\t'};
    private static final int FIELDS_AFTER_MAGIC = 5;

    private ArchiveLine() {
    }

    /** What reading a line gave: a record, or why the line is not a well-formed envelope. */
    public sealed interface Read {
    }

    public record Record(ArchivedRecord record) implements Read {
    }

    public record Malformed(String detail) implements Read {
    }

    /** The envelope line for one record, newline included. */
    public static byte[] encode(byte[] data, Instant arrival, String shardId, String sequenceNumber) {
        if (!isShardId(shardId)) {
            throw new IllegalArgumentException("shard id must be 1-" + MAX_SHARD_ID_LENGTH + " printable ASCII characters: " + shardId);
        }
        StreamPositions.padded(sequenceNumber); // validates
        boolean raw = isFieldSafe(data);
        byte[] payload = raw ? data : Base64.getEncoder().encode(data);
        byte[] head = (arrival.toEpochMilli() + "\t" + shardId + "\t" + sequenceNumber + "\t" + (raw ? "r" : "b") + "\t")
                .getBytes(StandardCharsets.UTF_8);
        byte[] line = new byte[MAGIC.length + head.length + payload.length + 1];
        System.arraycopy(MAGIC, 0, line, 0, MAGIC.length);
        System.arraycopy(head, 0, line, MAGIC.length, head.length);
        System.arraycopy(payload, 0, line, MAGIC.length + head.length, payload.length);
        line[line.length - 1] = '\n';
        return line;
    }

    /**
     * The most bytes an envelope's fields take before the payload: the marker, an arrival of up to 20
     * digits, a shard id of up to {@value #MAX_SHARD_ID_LENGTH} characters, a sequence number of up to
     * 56 digits, the encoding and the tabs.
     */
    static final int MAX_HEAD_BYTES = 256;

    /**
     * The longest line (without its LF) that can hold a record of at most {@code maxRecordBytes}: its
     * envelope with the record in base64. Both batch readers keep at least this much of a line.
     */
    public static int longestLine(int maxRecordBytes) {
        return (int) Math.min(Integer.MAX_VALUE - 16, MAX_HEAD_BYTES + (maxRecordBytes + 2L) / 3 * 4);
    }

    /**
     * Whether a line of {@code lineBytes} (its full length, without its LF) is longer than any line that
     * holds a record within the limit: its record, plain or in an envelope, is then too large whatever
     * the rest of the line says. Judged on the full length alone, so a reader that kept less of the line
     * gives the same verdict as one that kept all of it.
     */
    public static boolean holdsTooLargeRecord(long lineBytes, int maxRecordBytes) {
        return lineBytes > longestLine(maxRecordBytes);
    }

    /** Whether a line (without its LF) is an envelope; otherwise it is a plain record. */
    public static boolean isEnvelope(byte[] line) {
        return line.length > 0 && line[0] == RS;
    }

    /**
     * Reads one line (its LF removed).
     *
     * @param objectTime the arrival time given to a plain line: the archive object's write time, the
     *     latest time its records can have arrived
     */
    public static Read read(byte[] line, Instant objectTime) {
        if (!isEnvelope(line)) {
            return new Record(new ArchivedRecord(line, objectTime, null, null));
        }
        if (line.length < MAGIC.length || !Arrays.equals(line, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
            return new Malformed("archive line starts with 0x1E but not with the tf1 envelope");
        }
        int[] tabs = new int[FIELDS_AFTER_MAGIC - 1];
        int found = 0;
        for (int i = MAGIC.length; i < line.length && found < tabs.length; i++) {
            if (line[i] == '\t') {
                tabs[found++] = i;
            }
        }
        if (found < tabs.length) {
            return new Malformed("archive envelope has " + (found + 1) + " of its " + FIELDS_AFTER_MAGIC + " fields");
        }
        String millis = ascii(line, MAGIC.length, tabs[0]);
        String shardId = ascii(line, tabs[0] + 1, tabs[1]);
        String sequence = ascii(line, tabs[1] + 1, tabs[2]);
        String encoding = ascii(line, tabs[2] + 1, tabs[3]);
        Instant arrival;
        try {
            arrival = Instant.ofEpochMilli(Long.parseLong(millis));
        } catch (NumberFormatException e) {
            return new Malformed("archive envelope's arrival time is not epoch milliseconds");
        }
        if (arrival.isBefore(MIN_ARRIVAL) || !arrival.isBefore(MAX_ARRIVAL)) {
            return new Malformed("archive envelope's arrival time is outside 1970-01-01 to 9998-12-31");
        }
        if (!isShardId(shardId)) {
            return new Malformed("archive envelope's shard id is not 1-" + MAX_SHARD_ID_LENGTH + " printable ASCII characters");
        }
        if (!StreamPositions.isSequenceNumber(sequence)) {
            return new Malformed("archive envelope's sequence number is not 1-56 digits");
        }
        byte[] payload = Arrays.copyOfRange(line, tabs[3] + 1, line.length);
        byte[] data;
        switch (encoding) {
            case "r" -> data = payload;
            case "b" -> {
                try {
                    data = Base64.getDecoder().decode(payload);
                } catch (IllegalArgumentException e) {
                    return new Malformed("archive envelope's payload is not base64");
                }
            }
            default -> {
                return new Malformed("archive envelope's encoding is neither r nor b");
            }
        }
        return new Record(new ArchivedRecord(data, arrival, shardId, sequence));
    }

    private static String ascii(byte[] b, int from, int to) {
        return new String(b, from, to - from, StandardCharsets.ISO_8859_1);
    }

    /** 1-128 printable ASCII characters without spaces: what a Kinesis shard id is, and what every store keeps. */
    public static boolean isShardId(String s) {
        if (s.isEmpty() || s.length() > MAX_SHARD_ID_LENGTH) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x21 || c > 0x7E) {
                return false;
            }
        }
        return true;
    }

    /** A raw payload must not hold the line's delimiter, nor CR, which line tools treat as one. */
    private static boolean isFieldSafe(byte[] data) {
        for (byte b : data) {
            if (b == '\n' || b == '\r') {
                return false;
            }
        }
        return true;
    }
}
