package io.twinflow.functions.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.services.lambda.runtime.events.KafkaEvent;
import com.amazonaws.services.lambda.runtime.events.KinesisEvent;
import io.twinflow.core.alert.AlertRules;
import io.twinflow.core.event.EventDecoder;
import io.twinflow.core.pipeline.PipelineSpec;
import io.twinflow.core.window.Windows;
import io.twinflow.functions.FunctionSettings;
import io.twinflow.functions.testing.Batches;
import io.twinflow.functions.testing.KafkaBatches;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class StreamProcessorHandlerTest {

    @Test
    void lambdaRecordsBecomeStreamRecordsWithShardPositionArrivalAndExactBytes() {
        KinesisEvent event = Batches.load("kinesis/normal-batch.json");
        List<StreamRecord> records = StreamProcessorHandler.toStreamRecords(event);

        assertThat(records).hasSize(event.getRecords().size());
        StreamRecord first = records.get(0);
        KinesisEvent.Record source = event.getRecords().get(0).getKinesis();
        assertThat(first.shardId()).isEqualTo("shardId-000000000000");
        assertThat(first.sequenceNumber()).isEqualTo(source.getSequenceNumber()).hasSize(56);
        assertThat(first.arrivalTime()).isEqualTo(source.getApproximateArrivalTimestamp().toInstant());
        assertThat(new String(first.data(), StandardCharsets.UTF_8)).startsWith("{\"schemaVersion\":1");
        // Reading the data must not consume the event's buffer: a retry inside the runtime reads it again.
        assertThat(StreamProcessorHandler.toStreamRecords(event).get(0).data()).isEqualTo(first.data());
    }

    @Test
    void snapStartPrimingWarmsTheDecodePathWithoutCallingAws() {
        FunctionSettings settings = FunctionSettings.local(PipelineSpec.defaults(),
                URI.create("http://127.0.0.1:9"), URI.create("http://127.0.0.1:9"));
        // Every DynamoDB request would be answered with a fault, and counted.
        StreamHarness harness = StreamHarness.withFaults(settings, (operation, body) -> true, null, 1);

        harness.checkpoint();

        assertThat(harness.http().injected()).isZero();
    }

    @Test
    void theSnapStartRehearsalRunsTheWritesAndTheQuarantineThroughTheSdkWithoutTheNetwork() {
        FunctionSettings settings = FunctionSettings.local(PipelineSpec.defaults(),
                URI.create("http://127.0.0.1:9"), URI.create("http://127.0.0.1:9"));
        StreamHarness harness = StreamHarness.withFaults(settings, (operation, body) -> true, null, 1);

        List<String> requests = harness.rehearse();

        // The priming event's window, latest state and alert go through DynamoDB's request pipeline, the
        // undecodable record through S3's; the real clients (every call would fault here) are never used.
        assertThat(requests).anyMatch(r -> r.endsWith("PutItem") || r.endsWith("TransactWriteItems") || r.endsWith("BatchWriteItem"));
        assertThat(requests).anyMatch(r -> r.startsWith("PUT "));
        assertThat(harness.http().injected()).isZero();
    }

    /**
     * The stack comes from the function's prefix ({@code TWINFLOW_PREFIX}, which the stack sets) and the source from
     * the handler that took the batch: the Kinesis and Kafka processors of one stack publish apart.
     */
    @Test
    void eachHandlersSummaryLineNamesTheStacksPrefixAndItsOwnSource() {
        FunctionSettings settings = FunctionSettings.local(PipelineSpec.withPrefix("acme"),
                URI.create("http://127.0.0.1:9"), URI.create("http://127.0.0.1:9"));
        // Nothing answers: the empty Kinesis batch calls nothing, the Kafka record fails at once and is reported for retry.
        StreamHarness harness = StreamHarness.withFaults(settings, (operation, body) -> true, null, 1);

        harness.invoke(new KinesisEvent());
        KafkaEvent kafka = KafkaBatches.of(Map.of(KafkaBatches.TOPIC + "-0", List.of(KafkaBatches.record(0, 7,
                Instant.parse("2026-11-24T10:00:00Z").toEpochMilli(), "d".getBytes(StandardCharsets.UTF_8),
                "not json".getBytes(StandardCharsets.UTF_8)))));
        assertThatThrownBy(() -> harness.kafka().handleRequest(kafka, null)).isInstanceOf(KafkaProcessorHandler.RetryBatchException.class);

        assertThat(harness.summaries()).extracting(line -> line.get("stack").asText() + "/" + line.get("source").asText())
                .containsExactly("acme/kinesis", "acme/kafka");
    }

    @Test
    void anEmptyOrMissingBatchHasNoRecords() {
        assertThat(StreamProcessorHandler.toStreamRecords(null)).isEmpty();
        assertThat(StreamProcessorHandler.toStreamRecords(new KinesisEvent())).isEmpty();
    }

    @Test
    void thePrimingEventIsValidSoPrimingRunsTheWindowAndAlertPathWhateverTodayIs() {
        StreamProcessor processor = new StreamProcessor(new EventDecoder(),
                Windows.ofMinutes(1), AlertRules.defaults(), null, null);
        assertThat(processor.prime(StreamProcessorHandler.PRIMING_EVENT, StreamProcessorHandler.PRIMING_ARRIVAL)).isTrue();
        // Judged against today instead, the fixed event is long past the lateness bound.
        assertThat(processor.prime(StreamProcessorHandler.PRIMING_EVENT, Instant.now())).isFalse();
    }

    @Test
    void reportedSequenceNumbersAreInStreamOrderNotStringOrder() {
        StreamProcessor processor = new StreamProcessor(new EventDecoder(),
                Windows.ofMinutes(1), AlertRules.defaults(),
                null, records -> Set.of(records.get(0).sequenceNumber(), records.get(1).sequenceNumber()));
        Instant arrival = Instant.parse("2026-11-24T10:00:00Z");
        byte[] bad = "not json".getBytes(StandardCharsets.UTF_8);
        // "9" sorts after "10" as text, but comes first in the shard.
        BatchOutcome outcome = processor.process(List.of(
                new StreamRecord("s", "10", "k", arrival, bad),
                new StreamRecord("s", "9", "k", arrival, bad)), () -> Long.MAX_VALUE);

        assertThat(outcome.retrySequenceNumbers()).containsExactly("9", "10");
        assertThat(outcome.summary().failed()).isEqualTo(2);
        assertThat(outcome.summary().retryFromSequenceNumber()).isEqualTo("9");
    }
}
