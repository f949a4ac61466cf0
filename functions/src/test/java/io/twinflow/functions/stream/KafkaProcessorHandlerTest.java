package io.twinflow.functions.stream;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.KafkaEvent;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class KafkaProcessorHandlerTest {

    private static final Instant RECEIVED = Instant.parse("2026-11-28T12:00:00Z");

    /** The documented MSK event shape, read with the deserializer the Lambda Java runtime uses. */
    private static KafkaEvent sample() throws IOException {
        try (InputStream in = KafkaProcessorHandlerTest.class.getResourceAsStream("/kafka-event.json")) {
            return LambdaEventSerializers.serializerFor(KafkaEvent.class, KafkaProcessorHandlerTest.class.getClassLoader()).fromJson(in);
        }
    }

    @Test
    void eachTopicPartitionBecomesOneShardOfStreamRecordsInOffsetOrderWithDecodedKeyAndValue() throws IOException {
        Map<String, List<StreamRecord>> partitions = KafkaProcessorHandler.toPartitions(sample(), RECEIVED);

        assertThat(partitions).containsOnlyKeys("twinflow-telemetry-0", "twinflow-telemetry-1");
        List<StreamRecord> device = partitions.get("twinflow-telemetry-1");
        // Delivered as 8, 7: processed as 7, 8, the partition's order.
        assertThat(device).extracting(StreamRecord::sequenceNumber).containsExactly("7", "8");
        assertThat(device).extracting(StreamRecord::shardId).containsOnly("twinflow-telemetry-1");
        assertThat(device).extracting(StreamRecord::partitionKey).containsOnly("sensor-0042");
        assertThat(device.get(0).arrivalTime()).isEqualTo(Instant.ofEpochMilli(1764065730400L));
        assertThat(new String(device.get(0).data(), StandardCharsets.UTF_8)).contains("\"eventId\":\"e-1\"");
    }

    @Test
    void aRecordWithoutKeyKeepsItsExactBytesForTheDecoderToJudge() throws IOException {
        StreamRecord unkeyed = KafkaProcessorHandler.toPartitions(sample(), RECEIVED).get("twinflow-telemetry-0").get(0);

        assertThat(unkeyed.partitionKey()).isNull();
        assertThat(unkeyed.sequenceNumber()).isEqualTo("3");
        assertThat(new String(unkeyed.data(), StandardCharsets.UTF_8)).isEqualTo("not json");
    }

    @Test
    void aRecordWithoutATimestampArrivesWhenTheBatchReachedTheFunction() throws IOException {
        KafkaEvent event = sample();
        // Kafka's NO_TIMESTAMP: a producer or message format that sets none.
        event.getRecords().get("twinflow-telemetry-1").forEach(r -> r.setTimestamp(-1L));

        List<StreamRecord> device = KafkaProcessorHandler.toPartitions(event, RECEIVED).get("twinflow-telemetry-1");

        assertThat(device).extracting(StreamRecord::arrivalTime).containsOnly(RECEIVED);
        // The other partition's records keep their own timestamps.
        assertThat(KafkaProcessorHandler.toPartitions(event, RECEIVED).get("twinflow-telemetry-0"))
                .extracting(StreamRecord::arrivalTime).doesNotContain(RECEIVED);
    }

    @Test
    void anEmptyOrMissingBatchHasNoPartitions() {
        assertThat(KafkaProcessorHandler.toPartitions(null, RECEIVED)).isEmpty();
        assertThat(KafkaProcessorHandler.toPartitions(new KafkaEvent(), RECEIVED)).isEmpty();
    }
}
