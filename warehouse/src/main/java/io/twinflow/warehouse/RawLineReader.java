package io.twinflow.warehouse;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Reads newline-delimited records as bytes, one at a time, keeping at most {@code maxKeptBytes} of a
 * line: a multi-megabyte line of garbage costs a bounded buffer, not the heap. Bytes are not decoded
 * here because invalid UTF-8 is itself a reason to quarantine a line. A trailing CR is dropped so
 * CRLF files read like LF files.
 */
final class RawLineReader {

    /** One line: its 1-based number, the bytes kept and the line's full length in bytes. */
    record RawLine(long number, byte[] kept, long fullLength) {
        boolean truncated() {
            return kept.length < fullLength;
        }
    }

    private final InputStream in;
    private final int maxKeptBytes;
    private final byte[] chunk = new byte[64 * 1024];
    private int chunkPos;
    private int chunkLen;
    private byte[] line = new byte[1024];
    private long lineNo;
    private boolean eof;

    RawLineReader(InputStream in, int maxKeptBytes) {
        this.in = in;
        this.maxKeptBytes = maxKeptBytes;
    }

    /** The next line, or null at the end of the stream. A last line without a newline still counts. */
    RawLine next() throws IOException {
        if (eof) {
            return null;
        }
        int kept = 0;
        long full = 0;
        boolean any = false;
        while (true) {
            if (chunkPos == chunkLen) {
                chunkLen = in.read(chunk);
                chunkPos = 0;
                if (chunkLen <= 0) {
                    eof = true;
                    chunkLen = 0;
                    return any ? finish(kept, full) : null;
                }
            }
            any = true;
            int start = chunkPos;
            int end = start;
            while (end < chunkLen && chunk[end] != '\n') {
                end++;
            }
            int take = Math.min(end - start, maxKeptBytes - kept);
            if (take > 0) {
                ensureCapacity(kept + take);
                System.arraycopy(chunk, start, line, kept, take);
                kept += take;
            }
            full += end - start;
            if (end < chunkLen) {
                chunkPos = end + 1;
                return finish(kept, full);
            }
            chunkPos = chunkLen;
        }
    }

    private RawLine finish(int kept, long full) {
        lineNo++;
        if (kept == full && kept > 0 && line[kept - 1] == '\r') {
            kept--;
            full--;
        }
        return new RawLine(lineNo, Arrays.copyOf(line, kept), full);
    }

    private void ensureCapacity(int needed) {
        if (needed > line.length) {
            line = Arrays.copyOf(line, Math.max(needed, Math.min(maxKeptBytes, line.length * 2)));
        }
    }
}
