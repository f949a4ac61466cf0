package io.twinflow.functions.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.services.lambda.runtime.events.KafkaEvent;
import com.amazonaws.services.lambda.runtime.events.KinesisEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.twinflow.emulators.EmbeddedDynamoDb;
import io.twinflow.emulators.EmbeddedS3;
import io.twinflow.functions.testing.Batches;
import io.twinflow.functions.testing.Expected;
import io.twinflow.functions.testing.KafkaBatches;
import io.twinflow.functions.testing.LiveTestEnvironment;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The Kafka handler's exactly-once guarantees against dynalite and the in-process S3 server, mirroring
 * {@link StreamProcessorIT}: the MSK event source mapping redelivers a whole batch after a function error
 * and everything after the last committed offset after a lost commit; producers retry with the same eventId.
 */
class KafkaProcessorIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> WRITE_VERSION = Set.of("version");
    private static final int PARTITIONS = 3;

    private static EmbeddedDynamoDb dynamoDbServer;
    private static EmbeddedS3 s3Server;
    private static DynamoDbClient dynamoDb;
    private static S3Client s3;

    @BeforeAll
    static void startEmulators() {
        dynamoDbServer = EmbeddedDynamoDb.start();
        s3Server = EmbeddedS3.start();
        dynamoDb = dynamoDbServer.dynamoDbClient();
        s3 = s3Server.s3Client();
    }

    @AfterAll
    static void stopEmulators() {
        dynamoDb.close();
        s3.close();
        dynamoDbServer.close();
        s3Server.close();
    }

    private LiveTestEnvironment environment() {
        return LiveTestEnvironment.create(dynamoDbServer.endpoint(), s3Server.endpoint(), dynamoDb, s3);
    }

    @Test
    void aBatchRedeliveredAfterALostOffsetCommitChangesNoTable() {
        KinesisEvent source = Batches.load("kinesis/normal-batch.json");
        KafkaEvent batch = KafkaBatches.fromKinesis(source, PARTITIONS);
        LiveTestEnvironment env = environment();
        StreamHarness harness = StreamHarness.of(env.settings());

        harness.kafka().handleRequest(batch, null);
        Map<String, List<String>> once = env.snapshot(Set.of());
        // The commit was lost: the consumer restarts from the last committed offset (here the first)
        // and delivers the same records again, then a later part of them once more.
        harness.kafka().handleRequest(batch, null);
        harness.kafka().handleRequest(KafkaBatches.from(batch, 2), null);

        assertThat(env.snapshot(Set.of())).isEqualTo(once);
        // The same tables as the same records through the Kinesis handler: nothing depends on the source.
        LiveTestEnvironment kinesis = environment();
        StreamHarness.of(kinesis.settings()).invoke(source);
        assertThat(once).isEqualTo(kinesis.snapshot(Set.of()));
        List<JsonNode> summaries = harness.summaries();
        int applied = summaries.stream().mapToInt(s -> s.get("applied").asInt()).sum();
        int duplicates = summaries.stream().mapToInt(s -> s.get("duplicates").asInt()).sum();
        assertThat(applied).isEqualTo(source.getRecords().size());
        assertThat(duplicates).isEqualTo(KafkaBatches.size(batch) + KafkaBatches.size(KafkaBatches.from(batch, 2)));
        // One summary per partition and invocation, named by topic-partition.
        assertThat(summaries).extracting(s -> s.get("shardId").asText()).allMatch(id -> id.startsWith(KafkaBatches.TOPIC + "-"));
    }

    @Test
    void aFailingWriteFailsTheWholeBatchAndItsRetryLandsEverythingOnce() {
        KinesisEvent source = Batches.load("kinesis/duplicates-batch.json");
        KafkaEvent batch = KafkaBatches.fromKinesis(source, PARTITIONS);
        LiveTestEnvironment reference = environment();
        StreamHarness.of(reference.settings()).kafka().handleRequest(batch, null);

        // Window writes are throttled beyond the SDK's retries until the budget runs out.
        LiveTestEnvironment env = environment();
        AtomicInteger throttleBudget = new AtomicInteger(Integer.MAX_VALUE);
        StreamHarness throttled = StreamHarness.withFaults(env.settings(), (op, body) -> op.equals("PutItem")
                && body.contains(env.settings().windowTable()) && throttleBudget.getAndDecrement() > 0, null, 2);

        assertThatThrownBy(() -> throttled.kafka().handleRequest(batch, null))
                .isInstanceOf(KafkaProcessorHandler.RetryBatchException.class)
                .hasMessageContaining(KafkaBatches.TOPIC + "-");
        assertThat(throttled.summaries()).anySatisfy(s -> assertThat(s.get("failed").asInt()).isPositive());

        // The throttling passes; the event source mapping retries the same whole batch.
        throttleBudget.set(0);
        throttled.kafka().handleRequest(batch, null);
        assertThat(env.snapshot(WRITE_VERSION)).isEqualTo(reference.snapshot(WRITE_VERSION));
    }

    @Test
    void producerDuplicatesAtNewOffsetsCountOnce() {
        KinesisEvent source = Batches.load("kinesis/duplicates-batch.json");
        KafkaEvent batch = KafkaBatches.fromKinesis(source, PARTITIONS);
        LiveTestEnvironment env = environment();
        StreamHarness harness = StreamHarness.of(env.settings());
        KafkaEvent resent = KafkaBatches.fromKinesis(source, PARTITIONS);
        // A producer retry appends the same bytes again: same eventIds, new offsets after the first copies.
        resent.getRecords().forEach((partition, records) -> records.forEach(r -> r.setOffset(r.getOffset() + 1_000)));

        harness.kafka().handleRequest(batch, null);
        harness.kafka().handleRequest(resent, null);

        Map<String, Expected.Window> expected = Expected.minuteWindows(source, data -> true);
        long uniqueEvents = expected.values().stream().mapToLong(Expected.Window::count).sum();
        assertThat(uniqueEvents).isLessThan(source.getRecords().size());
        LiveTestEnvironment once = environment();
        StreamHarness.of(once.settings()).kafka().handleRequest(batch, null);
        assertThat(env.snapshot(WRITE_VERSION)).isEqualTo(once.snapshot(WRITE_VERSION));
        int applied = harness.summaries().stream().mapToInt(s -> s.get("applied").asInt()).sum();
        assertThat(applied).isEqualTo((int) uniqueEvents);
    }

    /**
     * Records with Kafka's NO_TIMESTAMP (-1) arrive when the batch reached the function: a current event is
     * applied, and an event from a year ago is quarantined as too late, its arrival that time, not 1970.
     */
    @Test
    void recordsWithoutATimestampAreJudgedAgainstTheTimeTheBatchArrived() throws IOException {
        LiveTestEnvironment env = environment();
        StreamHarness harness = StreamHarness.of(env.settings());
        byte[] key = "sensor-0007".getBytes(StandardCharsets.UTF_8);
        Instant before = Instant.now();
        KafkaEvent batch = KafkaBatches.of(Map.of(KafkaBatches.TOPIC + "-0", List.of(
                KafkaBatches.record(0, 0, -1L, key, event("e-now", before.truncatedTo(ChronoUnit.SECONDS))),
                KafkaBatches.record(0, 1, -1L, key, event("e-old", before.minus(365, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS))))));

        harness.kafka().handleRequest(batch, null);
        Instant after = Instant.now();

        assertThat(harness.summaries()).singleElement().satisfies(s -> {
            assertThat(s.get("applied").asInt()).as("applied").isEqualTo(1);
            assertThat(s.get("quarantined").asInt()).as("quarantined").isEqualTo(1);
        });
        assertThat(env.quarantineKeys()).hasSize(1);
        JsonNode quarantined = JSON.readTree(env.quarantineObject(env.quarantineKeys().get(0)));
        assertThat(quarantined.get("sequenceNumber").asText()).isEqualTo("1");
        assertThat(quarantined.get("reason").asText()).isEqualTo("TOO_LATE");
        assertThat(Instant.parse(quarantined.get("approximateArrivalTimestamp").asText())).isBetween(before, after);
    }

    private static byte[] event(String eventId, Instant ts) {
        return ("{\"schemaVersion\":1,\"eventId\":\"" + eventId + "\",\"deviceId\":\"sensor-0007\",\"ts\":\"" + ts
                + "\",\"metrics\":{\"temperature\":21.5}}").getBytes(StandardCharsets.UTF_8);
    }
}
