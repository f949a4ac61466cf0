package io.twinflow.local.replay;

import static org.assertj.core.api.Assertions.assertThat;

import io.twinflow.local.runtime.StreamRecord;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class KinesisRangeTest {

    private static final Instant NOW = Instant.parse("2026-11-28T10:00:00Z");
    private static final OnFailureMessage.Range BATCH = new OnFailureMessage.Range("shardId-000000000000", "100", "300", NOW, NOW);

    private static StreamRecord record(String sequenceNumber) {
        return new StreamRecord("shardId-000000000000", sequenceNumber, "sensor-1", new byte[] {'{', '}'}, NOW);
    }

    @Test
    void theRangeFromItsFirstToItsLastRecordIsFound() {
        List<StreamRecord> read = List.of(record("100"), record("200"), record("300"));
        assertThat(KinesisRange.complete(read, BATCH).records()).isEqualTo(read);
    }

    @Test
    void aShardThatNowStartsAfterTheRangesFirstRecordWasTrimmedByRetention() {
        // Kinesis answers AT_SEQUENCE_NUMBER of a trimmed record from its trim horizon, without an error.
        OnFailureReplay.Found found = KinesisRange.complete(List.of(record("200"), record("300")), BATCH);
        assertThat(found.records()).isNull();
        assertThat(found.missing()).contains("past the stream's retention");
    }

    @Test
    void aRangeWhoseLastRecordIsNotReadOrWithNothingReadIsMissing() {
        assertThat(KinesisRange.complete(List.of(record("100"), record("200")), BATCH).missing()).contains("has no record 300");
        assertThat(KinesisRange.complete(List.of(), BATCH).missing()).contains("no record of the range is left");
    }
}
