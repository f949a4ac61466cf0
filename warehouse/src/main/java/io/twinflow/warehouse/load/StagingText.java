package io.twinflow.warehouse.load;

/**
 * Text as both COPY engines accept it (see README, "Staging rules"): valid UTF-8 only (a Java string
 * with an unpaired surrogate must never reach the encoder, which would silently write '?'), no NUL
 * (Redshift's COPY fails on it, PostgreSQL's text types cannot hold it), no CR or LF (a staging file has
 * exactly one line per raw line, so load errors name the raw line), and no more bytes than the column
 * holds (Redshift counts VARCHAR lengths in bytes), cut only at character boundaries.
 */
final class StagingText {

    private StagingText() {
    }

    /** Whether {@code s} can be staged unchanged: no NUL, CR, LF or unpaired surrogate, and at most {@code maxBytes} bytes. */
    static boolean isStorable(String s, int maxBytes) {
        long bytes = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == 0 || c == '\r' || c == '\n') {
                return false;
            }
            if (Character.isHighSurrogate(c)) {
                if (i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1))) {
                    return false;
                }
                bytes += 4;
                i++;
            } else if (Character.isLowSurrogate(c)) {
                return false;
            } else {
                bytes += c < 0x80 ? 1 : c < 0x800 ? 2 : 3;
            }
        }
        return bytes <= maxBytes;
    }

    /**
     * A human-readable note (a rejection detail, an error) made storable: every character outside
     * printable ASCII becomes a {@code \\uXXXX} escape, so the result is ASCII, one line and NUL-free,
     * then it is cut to {@code maxBytes} before an escape that would not fit.
     */
    static String printable(String s, int maxBytes) {
        StringBuilder out = new StringBuilder(Math.min(s.length(), maxBytes));
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            String next = c >= 0x20 && c < 0x7F ? String.valueOf(c) : String.format("\\u%04x", (int) c);
            if (out.length() + next.length() > maxBytes) {
                break;
            }
            out.append(next);
        }
        return out.toString();
    }

    /** The longest prefix of {@code s} whose UTF-8 encoding fits {@code maxBytes}, never splitting a character. */
    static String truncateUtf8(String s, int maxBytes) {
        if (s.length() * 3L <= maxBytes) {
            return s;
        }
        int bytes = 0;
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            int size = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
            if (bytes + size > maxBytes) {
                return s.substring(0, i);
            }
            bytes += size;
            i += Character.charCount(cp);
        }
        return s;
    }
}
