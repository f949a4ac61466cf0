package io.twinflow.live.api;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;

/**
 * The API's opaque cursors: a text (where the next page starts after) and a check value, base64url. A cursor that was
 * cut, changed or made up fails the check and is refused rather than read from: a check value, not a secret, because a
 * cursor grants nothing the caller may not read anyway; it only makes a damaged cursor an error instead of a silently
 * wrong page. Each kind of cursor has its own domain, so one kind is never taken for another.
 */
final class CheckedCursor {

    private static final int CHECK_BYTES = 6;

    private CheckedCursor() {
    }

    static String encode(String domain, String text) {
        byte[] value = text.getBytes(StandardCharsets.UTF_8);
        byte[] bytes = Arrays.copyOf(value, value.length + CHECK_BYTES);
        System.arraycopy(check(domain, value), 0, bytes, value.length, CHECK_BYTES);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** The text a cursor of {@code domain} holds, or empty when it is not one this API gave out. */
    static Optional<String> decode(String domain, String cursor, int maxLength) {
        if (cursor.isEmpty() || cursor.length() > maxLength) {
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
        byte[] value = Arrays.copyOf(bytes, bytes.length - CHECK_BYTES);
        byte[] expected = Arrays.copyOf(check(domain, value), CHECK_BYTES);
        if (!MessageDigest.isEqual(expected, Arrays.copyOfRange(bytes, value.length, bytes.length))) {
            return Optional.empty();
        }
        String text = new String(value, StandardCharsets.UTF_8);
        // Only the one spelling this API writes: no other base64 of the same bytes, no bytes that are not UTF-8.
        return encode(domain, text).equals(cursor) ? Optional.of(text) : Optional.empty();
    }

    private static byte[] check(String domain, byte[] value) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update((domain + "\n").getBytes(StandardCharsets.US_ASCII));
            return sha.digest(value);
        } catch (NoSuchAlgorithmException everyJavaHasIt) {
            throw new IllegalStateException(everyJavaHasIt);
        }
    }
}
