package io.twinflow.functions.archive;

import io.twinflow.core.archive.ArchiveLine;
import io.twinflow.core.archive.StreamPositions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The archive's framing step, free of Lambda types: turns each record Firehose read from the Kinesis
 * stream into its envelope line ({@link ArchiveLine#encode}), so the raw archive holds every record
 * byte for byte with its arrival time and stream position, and the batch path judges the very bytes
 * the stream processor judged.
 *
 * <p>No record is ever {@code Dropped}. A record that cannot be framed (no Kinesis metadata: the
 * delivery stream is not fed by the stream; or a shard id or sequence number the envelope cannot hold)
 * is {@code ProcessingFailed}, which Firehose writes, whole, under the error prefix
 * ({@code errors/processing-failed/}). So is every record that would push the response past Lambda's
 * 6 MB response limit: one oversized response would otherwise fail the whole invocation.
 */
public final class ArchiveFramer {

    /**
     * Lambda refuses a synchronous response above 6 MB; the framer stays below this budget, with room
     * for the serializer's punctuation.
     */
    static final long RESPONSE_BUDGET_BYTES = 6_000_000;
    /** {@code {"recordId":"","result":"ProcessingFailed","data":""},}: the fixed part of one response record. */
    private static final int RECORD_OVERHEAD_BYTES = 56;

    /** Firehose's transformation results, spelled as Firehose expects them. */
    public enum Result { Ok, ProcessingFailed }

    /**
     * One record as Firehose hands it over.
     *
     * @param shardId, sequenceNumber, arrival from {@code kinesisRecordMetadata}; null when absent
     */
    public record Input(String recordId, byte[] data, String shardId, String sequenceNumber, Instant arrival) {
        public Input {
            Objects.requireNonNull(recordId, "recordId");
            Objects.requireNonNull(data, "data");
        }
    }

    /** One record of the response: its envelope line when {@code Ok}, nothing when it failed. */
    public record Output(String recordId, Result result, byte[] data, String failure) {
    }

    /** The response and how many records failed, for the summary line. */
    public record Framed(List<Output> records, int failed) {
    }

    private final long budgetBytes;

    public ArchiveFramer() {
        this(RESPONSE_BUDGET_BYTES);
    }

    /** For tests: a smaller response budget. */
    ArchiveFramer(long budgetBytes) {
        this.budgetBytes = budgetBytes;
    }

    public Framed frame(List<Input> inputs) {
        int n = inputs.size();
        byte[][] lines = new byte[n][];
        String[] failures = new String[n];
        long[] failedSize = new long[n + 1];
        for (int i = n - 1; i >= 0; i--) {
            Input input = inputs.get(i);
            failedSize[i] = failedSize[i + 1] + RECORD_OVERHEAD_BYTES + input.recordId().length();
            failures[i] = unframeable(input);
            if (failures[i] == null) {
                lines[i] = ArchiveLine.encode(input.data(), input.arrival(), input.shardId(), input.sequenceNumber());
            }
        }
        // Records are framed in order while the framed ones plus the failed stubs of all later ones fit.
        List<Output> out = new ArrayList<>(n);
        long used = 0;
        int failed = 0;
        for (int i = 0; i < n; i++) {
            Input input = inputs.get(i);
            long stub = RECORD_OVERHEAD_BYTES + input.recordId().length();
            if (failures[i] == null) {
                long size = stub + base64Length(lines[i].length);
                if (used + size + failedSize[i + 1] <= budgetBytes) {
                    out.add(new Output(input.recordId(), Result.Ok, lines[i], null));
                    used += size;
                    continue;
                }
                failures[i] = "the framed response would exceed Lambda's 6 MB limit";
            }
            out.add(new Output(input.recordId(), Result.ProcessingFailed, new byte[0], failures[i]));
            used += stub;
            failed++;
        }
        return new Framed(out, failed);
    }

    private static String unframeable(Input input) {
        if (input.shardId() == null || input.sequenceNumber() == null || input.arrival() == null) {
            return "no Kinesis record metadata (shardId, sequenceNumber, approximateArrivalTimestamp)";
        }
        if (input.shardId().isEmpty() || input.shardId().chars().anyMatch(c -> c == '\t' || c == '\n' || c == '\r')) {
            return "shard id cannot be framed";
        }
        if (!StreamPositions.isSequenceNumber(input.sequenceNumber())) {
            return "sequence number is not 1-56 digits";
        }
        return null;
    }

    static long base64Length(long bytes) {
        return (bytes + 2) / 3 * 4;
    }
}
