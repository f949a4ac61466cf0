package io.twinflow.core.archive;

/**
 * Kinesis sequence numbers are decimal strings of up to 56 digits: too long for a long and for a
 * DynamoDB or SQL number (38 digits). Zero-padded to a fixed width they compare as strings in stream
 * order, which every store and Spark can sort.
 */
public final class StreamPositions {

    public static final int SEQUENCE_DIGITS = 56;

    private StreamPositions() {
    }

    /** True for 1 to 56 ASCII digits. */
    public static boolean isSequenceNumber(String s) {
        int n = s.length();
        if (n < 1 || n > SEQUENCE_DIGITS) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    /** The sequence number left-padded with zeros to {@value #SEQUENCE_DIGITS} digits. */
    public static String padded(String sequenceNumber) {
        if (!isSequenceNumber(sequenceNumber)) {
            throw new IllegalArgumentException("not a sequence number: " + sequenceNumber);
        }
        return "0".repeat(SEQUENCE_DIGITS - sequenceNumber.length()) + sequenceNumber;
    }

    /** {@code shardId/paddedSequence}: sorts by shard, then in stream order within it. */
    public static String key(String shardId, String sequenceNumber) {
        return shardId + "/" + padded(sequenceNumber);
    }

    /**
     * Compares two positions as their {@link #key} strings compare, without building them: the batch
     * rollup sorts a day's copies by position and pads none of them.
     */
    public static int compare(String shardIdA, String sequenceNumberA, String shardIdB, String sequenceNumberB) {
        if (shardIdA.equals(shardIdB)) {
            return compareSequenceNumbers(sequenceNumberA, sequenceNumberB);
        }
        int common = Math.min(shardIdA.length(), shardIdB.length());
        for (int i = 0; i < common; i++) {
            if (shardIdA.charAt(i) != shardIdB.charAt(i)) {
                return Character.compare(shardIdA.charAt(i), shardIdB.charAt(i));
            }
        }
        // One shard id starts the other: the keys go on with '/' and the rest; rare enough to build them.
        return key(shardIdA, sequenceNumberA).compareTo(key(shardIdB, sequenceNumberB));
    }

    /** Compares two sequence numbers in stream order, as their {@link #padded} forms compare. */
    public static int compareSequenceNumbers(String sequenceNumberA, String sequenceNumberB) {
        int a = firstSignificant(sequenceNumberA);
        int b = firstSignificant(sequenceNumberB);
        int byLength = Integer.compare(sequenceNumberA.length() - a, sequenceNumberB.length() - b);
        if (byLength != 0) {
            return byLength;
        }
        for (int i = a, j = b; i < sequenceNumberA.length(); i++, j++) {
            int byDigit = Character.compare(sequenceNumberA.charAt(i), sequenceNumberB.charAt(j));
            if (byDigit != 0) {
                return byDigit;
            }
        }
        return 0;
    }

    private static int firstSignificant(String sequenceNumber) {
        if (!isSequenceNumber(sequenceNumber)) {
            throw new IllegalArgumentException("not a sequence number: " + sequenceNumber);
        }
        int i = 0;
        while (i < sequenceNumber.length() - 1 && sequenceNumber.charAt(i) == '0') {
            i++;
        }
        return i;
    }
}
