package io.twinflow.local.simulate;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResultEntry;

/**
 * PutRecords in calls of at most 500 entries and 5 MiB, re-sending only the entries that failed
 * (throttling, internal errors) with exponential back-off, as Kinesis producers must: a PutRecords
 * call succeeds as a whole even when some of its entries were refused.
 */
public final class KinesisPublisher implements RecordPublisher {

    static final int MAX_ENTRIES = 500;
    static final long MAX_REQUEST_BYTES = 5L * 1024 * 1024;
    private static final int MAX_ATTEMPTS = 8;

    private final KinesisClient kinesis;
    private final String streamName;
    private final AtomicLong retriedEntries = new AtomicLong();

    public KinesisPublisher(KinesisClient kinesis, String streamName) {
        this.kinesis = kinesis;
        this.streamName = streamName;
    }

    /** Entries that had to be sent more than once. */
    public long retriedEntries() {
        return retriedEntries.get();
    }

    @Override
    public List<Ack> put(List<PlannedRecord> records) {
        Ack[] acks = new Ack[records.size()];
        int from = 0;
        while (from < records.size()) {
            int to = from;
            long bytes = 0;
            while (to < records.size() && to - from < MAX_ENTRIES) {
                long size = records.get(to).data().length + records.get(to).partitionKey().length();
                if (to > from && bytes + size > MAX_REQUEST_BYTES) {
                    break;
                }
                bytes += size;
                to++;
            }
            putChunk(records, from, to, acks);
            from = to;
        }
        return Arrays.asList(acks);
    }

    private void putChunk(List<PlannedRecord> records, int from, int to, Ack[] acks) {
        List<Integer> pending = new ArrayList<>();
        for (int i = from; i < to; i++) {
            pending.add(i);
        }
        for (int attempt = 1; attempt <= MAX_ATTEMPTS && !pending.isEmpty(); attempt++) {
            if (attempt > 1) {
                retriedEntries.addAndGet(pending.size());
                sleep(Math.min(2_000, 50L << (attempt - 2)));
            }
            List<PutRecordsRequestEntry> entries = new ArrayList<>(pending.size());
            for (int i : pending) {
                PlannedRecord r = records.get(i);
                entries.add(PutRecordsRequestEntry.builder().partitionKey(r.partitionKey())
                        .data(SdkBytes.fromByteArrayUnsafe(r.data())).build());
            }
            PutRecordsResponse response;
            try {
                response = kinesis.putRecords(b -> b.streamName(streamName).records(entries));
            } catch (SdkException e) {
                if (attempt == MAX_ATTEMPTS) {
                    throw e;
                }
                continue; // the whole call failed: every pending entry is retried
            }
            List<Integer> failed = new ArrayList<>();
            List<PutRecordsResultEntry> results = response.records();
            for (int k = 0; k < results.size(); k++) {
                PutRecordsResultEntry result = results.get(k);
                if (result.errorCode() == null) {
                    acks[pending.get(k)] = new Ack(result.shardId(), result.sequenceNumber());
                } else {
                    failed.add(pending.get(k));
                }
            }
            pending = failed;
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while retrying PutRecords", e);
        }
    }
}
