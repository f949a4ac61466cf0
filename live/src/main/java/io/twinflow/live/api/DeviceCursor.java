package io.twinflow.live.api;

import io.twinflow.core.event.EventRules;
import java.util.Optional;

/** The {@code next} cursor of the device list: the deviceId the next page starts after (the Scan's ExclusiveStartKey). */
final class DeviceCursor {

    private static final String DOMAIN = "twinflow/devices/v1";
    /** The longest cursor of the longest deviceId (128 characters), with room to spare. */
    static final int MAX_LENGTH = 256;

    private DeviceCursor() {
    }

    static String encode(String afterDeviceId) {
        return CheckedCursor.encode(DOMAIN, afterDeviceId);
    }

    /** The deviceId a cursor holds, or empty when it is not a cursor this API gave out. */
    static Optional<String> decode(String cursor) {
        return CheckedCursor.decode(DOMAIN, cursor, MAX_LENGTH).filter(EventRules::isDeviceId);
    }
}
