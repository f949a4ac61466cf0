package io.twinflow.emulators;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.Record;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;

class EmbeddedKinesisIT {

    @Test
    void putsAndGetsRecords() {
        try (EmbeddedKinesis kinesis = EmbeddedKinesis.start();
             KinesisClient client = kinesis.kinesisClient()) {
            RoundTrips.kinesis(client);
        }
    }

    @Test
    void carriesAFullPutRecordsBatchOfLargeRecords() {
        // Over CBOR the SDK cannot parse kinesalite's GetRecords answer, so this fails unless the
        // client speaks JSON; 100 records of 40 KB also cover a realistically large batch.
        byte[] payload = "y".repeat(40 * 1024).getBytes(StandardCharsets.US_ASCII);
        try (EmbeddedKinesis kinesis = EmbeddedKinesis.start();
             KinesisClient client = kinesis.kinesisClient()) {
            RoundTrips.createActiveStream(client, "telemetry-large", 1);
            List<PutRecordsRequestEntry> entries = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                entries.add(PutRecordsRequestEntry.builder().partitionKey("sensor-" + i)
                        .data(SdkBytes.fromByteArray(payload)).build());
            }
            PutRecordsResponse put = client.putRecords(b -> b.streamName("telemetry-large").records(entries));
            assertThat(put.failedRecordCount()).isZero();

            String shardId = client.listShards(b -> b.streamName("telemetry-large")).shards().get(0).shardId();
            String iterator = client.getShardIterator(b -> b.streamName("telemetry-large").shardId(shardId)
                    .shardIteratorType(ShardIteratorType.TRIM_HORIZON)).shardIterator();
            List<Record> records = client.getRecords(b -> b.shardIterator(iterator).limit(10_000)).records();

            assertThat(records).hasSize(100);
            assertThat(records.get(99).data().asByteArray()).isEqualTo(payload);
        }
    }

    @Test
    void leavesNoProcessBehindOnClose() throws Exception {
        EmbeddedKinesis kinesis = EmbeddedKinesis.start();
        RoundTrips.closesItsProcess(kinesis, kinesis.pid());
    }

    @Test
    void keepsStreamsCreatingForTheRequestedTransitionTime() {
        try (EmbeddedKinesis kinesis = EmbeddedKinesis.start(0, Duration.ofSeconds(2));
             KinesisClient client = kinesis.kinesisClient()) {
            client.createStream(b -> b.streamName("slow-stream").shardCount(1));

            assertThat(client.describeStreamSummary(b -> b.streamName("slow-stream"))
                    .streamDescriptionSummary().streamStatusAsString()).isEqualTo("CREATING");
        }
    }
}
