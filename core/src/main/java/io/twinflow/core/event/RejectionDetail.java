package io.twinflow.core.event;

import com.fasterxml.jackson.core.JsonToken;

/**
 * The text of a rejection: how a {@link DecodeResult.Rejected} is built and how the values it echoes
 * (field text, JSON token types, characters) are written into its detail.
 */
final class RejectionDetail {

    static final int MAX_DETAIL_CHARS = 512;

    private RejectionDetail() {
    }

    static DecodeResult reject(ReasonCode reason, String detail) {
        return new DecodeResult.Rejected(reason, printable(detail));
    }

    static DecodeResult missing(String field) {
        return reject(ReasonCode.MISSING_FIELD, "required field '" + field + "' is missing or null");
    }

    /**
     * The detail as printable ASCII: anything else (a NUL or another control character, an unpaired
     * surrogate, any non-ASCII text echoed from a field or from the parser's message) becomes a
     * backslash-u escape (u+4 hex digits). Every store and every log keeps such text as it is, so a rejected
     * record's detail can never make its own quarantine write fail.
     */
    static String printable(String detail) {
        StringBuilder out = null;
        int n = detail.length();
        for (int i = 0; i < n; i++) {
            char c = detail.charAt(i);
            boolean plain = c >= 0x20 && c < 0x7f;
            if (plain && out == null) {
                continue;
            }
            if (out == null) {
                out = new StringBuilder(n + 16).append(detail, 0, i);
            }
            if (plain) {
                out.append(c);
            } else {
                out.append("\\u").append(hex(c));
            }
        }
        String text = out == null ? detail : out.toString();
        return text.length() <= MAX_DETAIL_CHARS ? text : text.substring(0, MAX_DETAIL_CHARS - 3) + "...";
    }

    static String describe(JsonToken token) {
        return switch (token) {
            case START_OBJECT -> "an object";
            case START_ARRAY -> "an array";
            case VALUE_STRING -> "a string";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case VALUE_NULL -> "null";
            default -> token.name();
        };
    }

    static String abbreviate(String s) {
        return s.length() <= 64 ? s : s.substring(0, 61) + "...";
    }

    static String hex(char c) {
        return String.format("%04X", (int) c);
    }
}
