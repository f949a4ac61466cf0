package io.twinflow.live.api;

import io.twinflow.core.event.EventRules;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;

/**
 * The opaque {@code next} cursor of the device list: the deviceId the next page starts after (the Scan's
 * ExclusiveStartKey) and a check value, base64url. A cursor that was cut, changed or made up fails the check and is
 * refused rather than read from: a check value, not a secret, because the cursor grants nothing the caller may not
 * read anyway; it only makes a damaged cursor an error instead of a silently wrong page.
 */
final class DeviceCursor {

    private static final int CHECK_BYTES = 6;
    private static final byte[] DOMAIN = "twinflow/devices/v1\n".getBytes(StandardCharsets.US_ASCII);
    /** The longest cursor of the longest deviceId (128 characters), with room to spare. */
    static final int MAX_LENGTH = 256;

    private DeviceCursor() {
    }

    static String encode(String afterDeviceId) {
        byte[] id = afterDeviceId.getBytes(StandardCharsets.UTF_8);
        byte[] bytes = Arrays.copyOf(id, id.length + CHECK_BYTES);
        System.arraycopy(check(id), 0, bytes, id.length, CHECK_BYTES);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** The deviceId a cursor holds, or empty when it is not a cursor this API gave out. */
    static Optional<String> decode(String cursor) {
        if (cursor.isEmpty() || cursor.length() > MAX_LENGTH) {
            return Optional.empty();
        }
        byte[] bytes;
        try {
            bytes = Base64.getUrlDecoder().decode(cursor);
        } catch (IllegalArgumentException notBase64) {
            return Optional.empty();
        }
        if (bytes.length <= CHECK_BYTES) {
            return Optional.empty();
        }
        byte[] id = Arrays.copyOf(bytes, bytes.length - CHECK_BYTES);
        byte[] expected = Arrays.copyOf(check(id), CHECK_BYTES);
        if (!MessageDigest.isEqual(expected, Arrays.copyOfRange(bytes, id.length, bytes.length))) {
            return Optional.empty();
        }
        String deviceId = new String(id, StandardCharsets.UTF_8);
        return EventRules.isDeviceId(deviceId) && encode(deviceId).equals(cursor) ? Optional.of(deviceId) : Optional.empty();
    }

    private static byte[] check(byte[] id) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(DOMAIN);
            return sha.digest(id);
        } catch (NoSuchAlgorithmException everyJavaHasIt) {
            throw new IllegalStateException(everyJavaHasIt);
        }
    }
}
