package io.twinflow.local.runtime;

import io.twinflow.core.pipeline.PipelineSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * Polls one shard and cuts what it reads into batches, as the event source mapping does: a batch is
 * ready when it holds {@code batchSize} records, when the batching window has passed since its first
 * record was gathered (read from the shard), or when one more record would push the payload over the
 * invocation limit. Records that do not fit stay buffered, in order, with the time they were read, so a
 * leftover record's window keeps counting from when it was gathered rather than starting again.
 */
final class ShardBatcher {

    /** A record waiting for its batch, and when GetRecords returned it. */
    private record Buffered(StreamRecord record, Instant readAt) {
    }

    private static final System.Logger LOG = System.getLogger(ShardBatcher.class.getName());

    private final ShardReader reader;
    private final String shardId;
    private final PipelineSpec.StreamMapping settings;
    private final Duration pollInterval;
    private final Clock clock;
    private final BooleanSupplier running;
    private final MappingCounters counters;

    private final Deque<Buffered> buffer = new ArrayDeque<>();
    private String iterator;
    private String lastRead;
    private boolean closed;

    ShardBatcher(ShardReader reader, String shardId, PipelineSpec.StreamMapping settings, Duration pollInterval,
                 Clock clock, BooleanSupplier running, MappingCounters counters) {
        this.reader = reader;
        this.shardId = shardId;
        this.settings = settings;
        this.pollInterval = pollInterval;
        this.clock = clock;
        this.running = running;
        this.counters = counters;
    }

    /** Positions the reader at the oldest record of the shard. */
    void open() {
        iterator = reader.iteratorAtOldest(shardId);
    }

    /** The shard is closed and everything read from it has been handed out: its poller may end. */
    boolean exhausted() {
        return closed && buffer.isEmpty();
    }

    /**
     * Reads until a batch is full, the batching window of its first record has passed, or the payload
     * limit is near.
     *
     * @return the next batch, empty when nothing came (or the mapping stopped)
     */
    BatchCut nextBatch() throws InterruptedException {
        while (running.getAsBoolean() && buffer.size() < settings.batchSize() && !closed) {
            Instant deadline = deadline();
            if (deadline != null && !clock.instant().isBefore(deadline)) {
                break;
            }
            List<StreamRecord> page = readPage(settings.batchSize() - buffer.size());
            if (!buffer.isEmpty() && settings.maxBatchingWindow().isZero()) {
                break;
            }
            if (page.isEmpty() || buffer.size() < settings.batchSize()) {
                Duration wait = pollInterval;
                deadline = deadline();
                if (deadline != null) {
                    Duration left = Duration.between(clock.instant(), deadline);
                    if (left.compareTo(wait) < 0) {
                        wait = left;
                    }
                }
                if (!wait.isNegative() && !wait.isZero()) {
                    Thread.sleep(wait.toMillis(), wait.toNanosPart() % 1_000_000);
                }
            }
        }
        return takeBatch();
    }

    /** When the window of the oldest buffered record closes; null when nothing is buffered. */
    private Instant deadline() {
        Buffered first = buffer.peekFirst();
        return first == null ? null : first.readAt().plus(settings.maxBatchingWindow());
    }

    /** The buffered records that fit in one invocation: at most the batch size and the payload limit. */
    private BatchCut takeBatch() {
        int capacity = Math.min(buffer.size(), settings.batchSize());
        List<StreamRecord> batch = new ArrayList<>(capacity);
        List<Instant> readAt = new ArrayList<>(capacity);
        long payload = 0;
        while (!buffer.isEmpty() && batch.size() < settings.batchSize()) {
            long size = KinesisEvents.payloadBytes(buffer.peekFirst().record());
            if (!batch.isEmpty() && payload + size > KinesisEvents.MAX_PAYLOAD_BYTES) {
                break;
            }
            payload += size;
            Buffered next = buffer.pollFirst();
            batch.add(next.record());
            readAt.add(next.readAt());
        }
        return new BatchCut(shardId, batch, readAt, clock.instant());
    }

    private List<StreamRecord> readPage(int limit) throws InterruptedException {
        try {
            ShardReader.Page page = reader.read(shardId, iterator, limit);
            iterator = page.nextIterator();
            closed = iterator == null;
            Instant readAt = clock.instant();
            for (StreamRecord r : page.records()) {
                buffer.addLast(new Buffered(r, readAt));
            }
            if (!page.records().isEmpty()) {
                lastRead = page.records().get(page.records().size() - 1).sequenceNumber();
                counters.recordsRead.addAndGet(page.records().size());
            }
            return page.records();
        } catch (RuntimeException e) {
            if (!running.getAsBoolean()) {
                return List.of(); // interrupted by close()
            }
            // Iterators expire and emulators hiccup: resume right after the last record read.
            LOG.log(System.Logger.Level.WARNING, "reading " + shardId + " failed, repositioning: " + e.getMessage());
            Thread.sleep(pollInterval.toMillis());
            iterator = lastRead == null ? reader.iteratorAtOldest(shardId) : reader.iteratorAfter(shardId, lastRead);
            return List.of();
        }
    }
}
