package io.twinflow.local.runtime;

import io.twinflow.core.archive.ArchiveLine;
import io.twinflow.core.pipeline.PipelineSpec;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.GZIPOutputStream;

/**
 * Archives the stream to S3 the way the Firehose delivery stream does in the cloud: its own reader
 * (independent of the event source mapping), records buffered until {@code bufferBytes} or
 * {@code bufferInterval} is reached, each object gzip with one envelope line per record
 * ({@link ArchiveLine#encode}: the record's exact bytes with its arrival time, shard and sequence
 * number, as the Firehose framing Lambda writes them in the cloud) under
 * {@code rawPrefix + "dt=YYYY-MM-DD/hour=HH/"}. Like Firehose, the date and hour
 * come from the approximate arrival time of the oldest record in the object, so an object written
 * just after an hour boundary can hold a few records that arrived after it.
 *
 * <p>Delivery is at least once, as with Firehose: a failed upload is retried with the same content,
 * and positions are kept in memory only.
 */
public final class StreamArchiver implements AutoCloseable {

    /** Where finished objects go; S3 in the runtime, a map in tests. */
    @FunctionalInterface
    public interface ObjectSink {
        void put(String key, byte[] gzipBody);
    }

    /** Locally no object waits longer than this, whatever the deployed buffering interval is. */
    public static final Duration LOCAL_MAX_INTERVAL = Duration.ofSeconds(60);

    private static final System.Logger LOG = System.getLogger(StreamArchiver.class.getName());
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter HOUR = DateTimeFormatter.ofPattern("HH").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd-HH-mm-ss-SSS").withZone(ZoneOffset.UTC);

    private final ShardReader reader;
    private final ObjectSink sink;
    private final String rawPrefix;
    private final String objectNamePrefix;
    private final Duration interval;
    private final long bufferBytes;
    private final Clock clock;
    private final Duration pollInterval;

    private final Map<String, String> iterators = new HashMap<>();
    private final Map<String, String> lastRead = new HashMap<>();
    private final List<StreamRecord> buffer = new ArrayList<>();
    /** The envelope line of each buffered record, in the same order. */
    private final List<byte[]> lines = new ArrayList<>();
    private long bufferedBytes;
    private Instant bufferStartedAt;
    private long objectCounter;
    private final String runId = UUID.randomUUID().toString().substring(0, 8);

    private final AtomicLong recordsArchived = new AtomicLong();
    private final AtomicLong recordsRead = new AtomicLong();
    private final AtomicLong objectsWritten = new AtomicLong();
    private volatile boolean running;
    private Thread thread;

    public StreamArchiver(ShardReader reader, ObjectSink sink, PipelineSpec spec, Clock clock, Duration pollInterval) {
        this.reader = reader;
        this.sink = sink;
        this.rawPrefix = spec.buckets().rawPrefix();
        this.objectNamePrefix = spec.stream().name();
        Duration configured = spec.archive().bufferInterval();
        this.interval = configured.compareTo(LOCAL_MAX_INTERVAL) > 0 ? LOCAL_MAX_INTERVAL : configured;
        this.bufferBytes = spec.archive().bufferBytes();
        this.clock = clock;
        this.pollInterval = pollInterval;
    }

    public synchronized void start() {
        running = true;
        thread = new Thread(this::run, "archiver");
        thread.setDaemon(true);
        thread.start();
    }

    public long recordsArchived() {
        return recordsArchived.get();
    }

    /** Records read from the stream so far, archived or still buffered: a caller stopping the archiver waits for this. */
    public long recordsRead() {
        return recordsRead.get();
    }

    public long objectsWritten() {
        return objectsWritten.get();
    }

    /** Stops reading and writes what is buffered, so a clean shutdown loses nothing it has read. */
    @Override
    public synchronized void close() {
        running = false;
        if (thread != null) {
            thread.interrupt();
            try {
                thread.join(30_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            thread = null;
        }
        synchronized (buffer) {
            if (!buffer.isEmpty()) {
                flush();
            }
        }
    }

    private void run() {
        while (running) {
            try {
                if (pollOnce() == 0) {
                    Thread.sleep(pollInterval.toMillis());
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "archiver round failed, retrying: " + e);
                iterators.clear(); // iterators may have expired; resume from the last record read
                try {
                    Thread.sleep(Math.max(pollInterval.toMillis(), 500));
                } catch (InterruptedException ie) {
                    return;
                }
            }
        }
    }

    /**
     * Reads once from every shard and flushes if a limit is reached.
     *
     * @return how many records were read
     */
    int pollOnce() {
        int read = 0;
        for (String shardId : reader.shardIds()) {
            String iterator = iterators.get(shardId);
            if (iterator == null) {
                if (iterators.containsKey(shardId)) {
                    continue; // closed and fully read
                }
                String after = lastRead.get(shardId);
                iterator = after == null ? reader.iteratorAtOldest(shardId) : reader.iteratorAfter(shardId, after);
            }
            ShardReader.Page page = reader.read(shardId, iterator, KinesisShardReader.MAX_RECORDS_PER_CALL);
            iterators.put(shardId, page.nextIterator());
            synchronized (buffer) {
                for (StreamRecord r : page.records()) {
                    if (buffer.isEmpty()) {
                        bufferStartedAt = clock.instant();
                    }
                    byte[] line = line(r);
                    buffer.add(r);
                    lines.add(line);
                    bufferedBytes += line.length;
                    lastRead.put(shardId, r.sequenceNumber());
                    if (bufferedBytes >= bufferBytes) {
                        flush();
                    }
                }
            }
            read += page.records().size();
            recordsRead.addAndGet(page.records().size());
        }
        synchronized (buffer) {
            if (!buffer.isEmpty() && !clock.instant().isBefore(bufferStartedAt.plus(interval))) {
                flush();
            }
        }
        return read;
    }

    /** Writes the buffer as one object; retries until it is stored, because the reader has moved on. */
    private void flush() {
        Instant oldest = buffer.get(0).approximateArrival();
        for (StreamRecord r : buffer) {
            if (r.approximateArrival().isBefore(oldest)) {
                oldest = r.approximateArrival();
            }
        }
        Instant now = clock.instant();
        String key = rawPrefix + "dt=" + DATE.format(oldest) + "/hour=" + HOUR.format(oldest) + "/"
                + objectNamePrefix + "-" + STAMP.format(now) + "-" + runId + "-" + String.format("%08d", objectCounter++)
                + ".json.gz";
        byte[] body = gzip(lines);
        for (int attempt = 1; ; attempt++) {
            try {
                sink.put(key, body);
                break;
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "archive upload of " + key + " failed (attempt " + attempt + "): " + e);
                try {
                    Thread.sleep(Math.min(10_000, 200L * attempt));
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
        recordsArchived.addAndGet(buffer.size());
        objectsWritten.incrementAndGet();
        buffer.clear();
        lines.clear();
        bufferedBytes = 0;
        bufferStartedAt = null;
    }

    /** The archive line of one record: its envelope, LF included. */
    static byte[] line(StreamRecord r) {
        return ArchiveLine.encode(r.data(), r.approximateArrival(), r.shardId(), r.sequenceNumber());
    }

    /** The lines as they are: each envelope already ends in its LF. */
    static byte[] gzip(List<byte[]> lines) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(out, 64 * 1024)) {
            for (byte[] line : lines) {
                gzip.write(line);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
