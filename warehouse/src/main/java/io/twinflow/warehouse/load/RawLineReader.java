package io.twinflow.warehouse.load;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;

/**
 * Reads newline-delimited records as bytes, one at a time, keeping at most {@code maxKeptBytes} of a
 * line: a multi-megabyte line of garbage costs a bounded buffer, not the heap. Bytes are not decoded
 * here because invalid UTF-8 is itself a reason to quarantine a line. A trailing CR is dropped so
 * CRLF files read like LF files. The one line splitter of the raw archive: the batch loader and the
 * Spark rollup both read objects through it, so both judge the same records.
 *
 * <p>Keep {@code maxKeptBytes} one above the decoder's record limit: a line that had to be truncated
 * then still exceeds the limit and is rejected as too large, while a line of exactly the limit
 * (plus a CR) is kept whole.
 */
public final class RawLineReader {

    /** One line: its 1-based number, the bytes kept and the line's full length in bytes. */
    public record RawLine(long number, byte[] kept, long fullLength) {
        public boolean truncated() {
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

    public RawLineReader(InputStream in, int maxKeptBytes) {
        this.in = in;
        this.maxKeptBytes = maxKeptBytes;
    }

    /** The next line, or null at the end of the stream. A last line without a newline still counts. */
    public RawLine next() throws IOException {
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

    /**
     * Firehose writes gzip (concatenated members included); an uncompressed object (a hand-made test
     * file) is read as it is. Detected by the gzip magic number.
     */
    public static InputStream gunzipIfNeeded(InputStream in) throws IOException {
        BufferedInputStream buffered = new BufferedInputStream(in, 64 * 1024);
        buffered.mark(2);
        int b1 = buffered.read();
        int b2 = buffered.read();
        buffered.reset();
        return b1 == 0x1f && b2 == 0x8b ? new GZIPInputStream(buffered, 64 * 1024) : buffered;
    }
}
