package io.twinflow.local.runtime;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * How far the {@link StreamArchiver} has durably archived each shard, learnt from outside it: as the
 * reader it is given, it sees every record in the order the archiver buffers them; as its sink, it
 * sees each object once stored. An object holds the oldest buffered records, one envelope line each
 * ({@link StreamArchiver#line}), so its uncompressed size (the gzip trailer) says how many of the
 * records handed out it holds. The last of those, per shard, is where a restarted archiver resumes.
 */
final class ArchiveProgress implements ShardReader, StreamArchiver.ObjectSink {

    private record Handed(String shardId, String sequenceNumber, long lineBytes) {
    }

    private final ShardReader reader;
    private final StreamArchiver.ObjectSink sink;
    private final Deque<Handed> handedOut = new ArrayDeque<>();
    private final Map<String, String> archived;

    /** @param archived where each shard was archived up to before this run */
    ArchiveProgress(ShardReader reader, StreamArchiver.ObjectSink sink, Map<String, String> archived) {
        this.reader = new ResumingShardReader(reader, archived);
        this.sink = sink;
        this.archived = new HashMap<>(archived);
    }

    /** The last archived sequence number per shard. */
    synchronized Map<String, String> archived() {
        return Map.copyOf(archived);
    }

    @Override
    public void put(String key, byte[] gzipBody) {
        sink.put(key, gzipBody);
        long lineBytes = uncompressedSize(gzipBody);
        synchronized (this) {
            long counted = 0;
            while (counted < lineBytes && !handedOut.isEmpty()) {
                Handed next = handedOut.removeFirst();
                counted += next.lineBytes();
                archived.put(next.shardId(), next.sequenceNumber());
            }
            if (counted != lineBytes) {
                throw new IllegalStateException("archive object " + key + " holds " + lineBytes
                        + " bytes of lines, the records read add up to " + counted);
            }
        }
    }

    /** RFC 1952: the last four bytes of a gzip member are its uncompressed size, little-endian, modulo 2^32. */
    static long uncompressedSize(byte[] gzip) {
        int n = gzip.length;
        return (gzip[n - 4] & 0xffL) | (gzip[n - 3] & 0xffL) << 8 | (gzip[n - 2] & 0xffL) << 16 | (gzip[n - 1] & 0xffL) << 24;
    }

    @Override
    public List<String> shardIds() {
        return reader.shardIds();
    }

    @Override
    public String iteratorAtOldest(String shardId) {
        return reader.iteratorAtOldest(shardId);
    }

    @Override
    public String iteratorAfter(String shardId, String sequenceNumber) {
        return reader.iteratorAfter(shardId, sequenceNumber);
    }

    @Override
    public Page read(String shardId, String iterator, int limit) {
        Page page = reader.read(shardId, iterator, limit);
        synchronized (this) {
            for (StreamRecord r : page.records()) {
                handedOut.addLast(new Handed(shardId, r.sequenceNumber(), StreamArchiver.line(r).length));
            }
        }
        return page;
    }
}
