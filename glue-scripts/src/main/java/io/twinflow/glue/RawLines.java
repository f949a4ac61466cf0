package io.twinflow.glue;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.zip.GZIPInputStream;

/**
 * The lines of one raw archive object, split exactly as the warehouse loader splits them, so that
 * both batch paths judge the same records: lines end at {@code \n} only, a trailing {@code \r} is
 * dropped, a last line without a newline still counts, and bytes stay bytes (invalid UTF-8 is itself
 * a reason to quarantine). A line longer than {@code keepAtMost} bytes keeps only its length: it can
 * only be rejected as too large, and a multi-megabyte line of garbage must not cost the heap.
 */
final class RawLines implements Iterator<RawLines.Line> {

    /**
     * One line of an object.
     *
     * @param number 1-based line number within the object
     * @param bytes the line without its terminator, or null when it was longer than the kept limit
     * @param length the line's length in bytes (without {@code \n} and trailing {@code \r})
     */
    record Line(long number, byte[] bytes, long length) {
    }

    private final InputStream in;
    private final int keepAtMost;
    private final byte[] chunk = new byte[64 * 1024];
    private int chunkPos;
    private int chunkLen;
    private byte[] line = new byte[1024];
    private long lineNo;
    private Line next;
    private boolean eof;

    private RawLines(InputStream in, int keepAtMost) {
        this.in = in;
        this.keepAtMost = keepAtMost;
    }

    /** Lines of an object's bytes: gzip (what Firehose writes) is detected by its magic number. */
    static RawLines of(byte[] objectBytes, int keepAtMost) {
        try {
            InputStream raw = new ByteArrayInputStream(objectBytes);
            boolean gzip = objectBytes.length >= 2 && (objectBytes[0] & 0xff) == 0x1f && (objectBytes[1] & 0xff) == 0x8b;
            // GZIPInputStream also reads concatenated gzip members, as S3 multipart writers produce.
            return new RawLines(gzip ? new GZIPInputStream(new BufferedInputStream(raw, 64 * 1024), 64 * 1024) : raw, keepAtMost);
        } catch (IOException e) {
            throw new UncheckedIOException("not a readable gzip object", e);
        }
    }

    @Override
    public boolean hasNext() {
        if (next == null && !eof) {
            try {
                next = read();
            } catch (IOException e) {
                throw new UncheckedIOException("raw object is corrupt after line " + lineNo, e);
            }
        }
        return next != null;
    }

    @Override
    public Line next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        Line result = next;
        next = null;
        return result;
    }

    private Line read() throws IOException {
        int kept = 0;
        long full = 0;
        boolean any = false;
        byte last = 0;
        while (true) {
            if (chunkPos == chunkLen) {
                chunkLen = in.read(chunk);
                chunkPos = 0;
                if (chunkLen <= 0) {
                    eof = true;
                    chunkLen = 0;
                    return any ? finish(kept, full, last) : null;
                }
            }
            any = true;
            int start = chunkPos;
            int end = start;
            while (end < chunkLen && chunk[end] != '\n') {
                end++;
            }
            if (end > start) {
                last = chunk[end - 1];
                int take = Math.min(end - start, keepAtMost + 1 - kept);
                if (take > 0) {
                    ensureCapacity(kept + take);
                    System.arraycopy(chunk, start, line, kept, take);
                    kept += take;
                }
                full += end - start;
            }
            if (end < chunkLen) {
                chunkPos = end + 1;
                return finish(kept, full, last);
            }
            chunkPos = chunkLen;
        }
    }

    private Line finish(int kept, long full, byte last) {
        lineNo++;
        long length = full > 0 && last == '\r' ? full - 1 : full;
        if (length > keepAtMost) {
            return new Line(lineNo, null, length);
        }
        return new Line(lineNo, Arrays.copyOf(line, (int) length), length);
    }

    private void ensureCapacity(int needed) {
        if (needed > line.length) {
            line = Arrays.copyOf(line, Math.max(needed, Math.min(keepAtMost + 1, line.length * 2)));
        }
    }
}
