package io.twinflow.live;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * An item's size by DynamoDB's published rules, to check the capacity units an emulator reports: the
 * UTF-8 bytes of each attribute name plus its value; a string its UTF-8 bytes, a binary its bytes, a
 * number 1 byte plus 1 per two significant digits (leading and trailing zeros trimmed), a boolean or
 * null 1 byte, a map or list 3 bytes plus 1 per element plus the elements (a map's with their names).
 * A write costs one unit per started 1,024 bytes.
 */
public final class DynamoDbItemSize {

    private DynamoDbItemSize() {
    }

    public static long of(Map<String, AttributeValue> item) {
        long bytes = 0;
        for (Map.Entry<String, AttributeValue> e : item.entrySet()) {
            bytes += utf8(e.getKey()) + of(e.getValue());
        }
        return bytes;
    }

    public static long writeUnits(Map<String, AttributeValue> item) {
        return Math.max(1, (of(item) + 1023) / 1024);
    }

    public static long of(AttributeValue v) {
        if (v.s() != null) {
            return utf8(v.s());
        } else if (v.n() != null) {
            return 1 + (significantDigits(v.n()) + 1) / 2;
        } else if (v.b() != null) {
            return v.b().asByteArrayUnsafe().length;
        } else if (v.hasM()) {
            return 3 + v.m().size() + of(v.m());
        } else if (v.hasL()) {
            return 3 + v.l().size() + v.l().stream().mapToLong(DynamoDbItemSize::of).sum();
        } else if (v.hasSs()) {
            return v.ss().stream().mapToLong(DynamoDbItemSize::utf8).sum();
        } else if (v.hasNs()) {
            return v.ns().stream().mapToLong(n -> 1 + (significantDigits(n) + 1) / 2).sum();
        } else if (v.hasBs()) {
            return v.bs().stream().mapToLong(b -> b.asByteArrayUnsafe().length).sum();
        }
        return 1;
    }

    static int significantDigits(String number) {
        BigDecimal value = new BigDecimal(number);
        return value.signum() == 0 ? 1 : value.stripTrailingZeros().precision();
    }

    private static long utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }
}
