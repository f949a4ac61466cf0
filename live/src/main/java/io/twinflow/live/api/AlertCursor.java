package io.twinflow.live.api;

import io.twinflow.core.event.EventRules;
import io.twinflow.live.LiveStateReader.AlertPosition;
import io.twinflow.live.LiveTables;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * The {@code next-cursor} of the alerts: the device and alert key of the last alert of a page, where the next page
 * starts after (the alert table's or the alerts-by-hour index's ExclusiveStartKey), checked as every cursor is.
 */
final class AlertCursor {

    private static final String DOMAIN = "twinflow/alerts/v1";
    /** A deviceId of 128 characters, a window key and a rule id, base64: well under this. */
    static final int MAX_LENGTH = 1024;

    private AlertCursor() {
    }

    static String encode(AlertPosition after) {
        return CheckedCursor.encode(DOMAIN, after.deviceId() + "\n" + after.alertKey());
    }

    /** The position a cursor holds, or empty when it is not a cursor this API gave out. */
    static Optional<AlertPosition> decode(String cursor) {
        return CheckedCursor.decode(DOMAIN, cursor, MAX_LENGTH).flatMap(AlertCursor::position);
    }

    private static Optional<AlertPosition> position(String text) {
        int newline = text.indexOf('\n');
        int hash = text.indexOf('#', newline + 1);
        if (newline < 0 || hash < 0 || !EventRules.isDeviceId(text.substring(0, newline))) {
            return Optional.empty();
        }
        String windowKey = text.substring(newline + 1, hash);
        try {
            if (!LiveTables.windowKey(Instant.parse(windowKey)).equals(windowKey) || hash == text.length() - 1) {
                return Optional.empty();
            }
        } catch (DateTimeParseException notAWindowStart) {
            return Optional.empty();
        }
        return Optional.of(new AlertPosition(text.substring(0, newline), text.substring(newline + 1)));
    }
}
