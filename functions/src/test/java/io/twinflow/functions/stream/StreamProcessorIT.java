package io.twinflow.functions.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.amazonaws.services.lambda.runtime.events.KinesisEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.twinflow.core.event.ReasonCode;
import io.twinflow.core.testing.BadInputCorpus;
import io.twinflow.emulators.EmbeddedDynamoDb;
import io.twinflow.emulators.EmbeddedS3;
import io.twinflow.functions.FunctionSettings;
import io.twinflow.functions.testing.Batches;
import io.twinflow.functions.testing.Expected;
import io.twinflow.functions.testing.FaultInjectingHttpClient;
import io.twinflow.functions.testing.LiveTestEnvironment;
import io.twinflow.live.LiveStateReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiPredicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The stream-processor against dynalite (a Node child process) and an S3 server in this JVM: real APIs,
 * real conditional writes, real retries. Every test gets its own tables.
 */
class StreamProcessorIT {

    private static final Set<String> WRITE_VERSION = Set.of("version");
    private static final ObjectMapper JSON = new ObjectMapper();

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

    private static StreamHarness harness(LiveTestEnvironment env) {
        return StreamHarness.of(env.settings());
    }

    private static StreamHarness harness(LiveTestEnvironment env, BiPredicate<String, String> when,
                                         FaultInjectingHttpClient.Fault fault, int sdkAttempts) {
        return StreamHarness.withFaults(env.settings(), when, fault, sdkAttempts);
    }

    @Test
    void sameBatchDeliveredThreeTimesGivesIdenticalTables() {
        LiveTestEnvironment env = environment();
        StreamHarness harness = harness(env);
        KinesisEvent batch = Batches.load("kinesis/normal-batch.json");

        assertThat(harness.invoke(batch).getBatchItemFailures()).isEmpty();
        Map<String, List<String>> once = env.snapshot(Set.of());
        assertThat(harness.invoke(batch).getBatchItemFailures()).isEmpty();
        assertThat(harness.invoke(batch).getBatchItemFailures()).isEmpty();

        assertThat(env.snapshot(Set.of())).isEqualTo(once);
        assertWindowsMatch(env, Expected.minuteWindows(batch, data -> true));
        List<JsonNode> summaries = harness.summaries();
        assertThat(summaries.get(0).get("applied").asInt()).isEqualTo(batch.getRecords().size());
        assertThat(summaries.get(1).get("applied").asInt()).isZero();
        assertThat(summaries.get(2).get("duplicates").asInt()).isEqualTo(batch.getRecords().size());
    }

    @Test
    void producerDuplicatesAndRepeatedRecordsCountOnceAcrossBatches() {
        LiveTestEnvironment env = environment();
        StreamHarness harness = harness(env);
        KinesisEvent batch = Batches.load("kinesis/duplicates-batch.json");
        int half = batch.getRecords().size() / 2;

        // The same records split over two invocations, then the whole batch once more.
        assertThat(harness.invoke(Batches.slice(batch, 0, half)).getBatchItemFailures()).isEmpty();
        assertThat(harness.invoke(Batches.slice(batch, half, batch.getRecords().size())).getBatchItemFailures()).isEmpty();
        assertThat(harness.invoke(batch).getBatchItemFailures()).isEmpty();

        Map<String, Expected.Window> expected = Expected.minuteWindows(batch, data -> true);
        assertWindowsMatch(env, expected);
        long uniqueEvents = expected.values().stream().mapToLong(Expected.Window::count).sum();
        assertThat(uniqueEvents).isLessThan(batch.getRecords().size());
        int applied = harness.summaries().stream().mapToInt(s -> s.get("applied").asInt()).sum();
        assertThat(applied).isEqualTo((int) uniqueEvents);
    }

    @Test
    void bisectedRedeliveryGivesTheSameTablesAsOneDelivery() {
        KinesisEvent batch = Batches.load("kinesis/duplicates-batch.json");
        LiveTestEnvironment whole = environment();
        assertThat(harness(whole).invoke(batch).getBatchItemFailures()).isEmpty();

        // Lambda bisects a failing batch and delivers each half; halves of halves, and repeats.
        LiveTestEnvironment bisected = environment();
        StreamHarness harness = harness(bisected);
        int n = batch.getRecords().size();
        harness.invoke(Batches.slice(batch, 0, n / 2));
        harness.invoke(Batches.slice(batch, 0, n / 4));
        harness.invoke(Batches.slice(batch, n / 4, n / 2));
        harness.invoke(Batches.slice(batch, n / 2, n));
        harness.invoke(Batches.slice(batch, n / 2, 3 * n / 4));
        harness.invoke(batch);

        // Only the write counter differs: more deliveries made more (idempotent) writes.
        assertThat(bisected.snapshot(WRITE_VERSION)).isEqualTo(whole.snapshot(WRITE_VERSION));
    }

    @Test
    void persistentThrottlingIsReportedAtTheRightSequenceNumberAndLosesNothing() {
        KinesisEvent batch = Batches.load("kinesis/normal-batch.json");
        LiveTestEnvironment reference = environment();
        assertThat(harness(reference).invoke(batch).getBatchItemFailures()).isEmpty();

        // Every write of one device's windows is throttled, beyond the SDK's retries.
        LiveTestEnvironment env = environment();
        String victim = Expected.parse(Expected.bytes(batch.getRecords().get(batch.getRecords().size() / 2).getKinesis().getData()))
                .get("deviceId").asText();
        AtomicInteger throttleBudget = new AtomicInteger(Integer.MAX_VALUE);
        StreamHarness throttled = harness(env, (op, body) -> op.equals("PutItem") && body.contains(env.settings().windowTable())
                && body.contains("\"" + victim + "\"") && throttleBudget.getAndDecrement() > 0, null, 2);
        StreamsEventResponse response = throttled.invoke(batch);

        List<String> victimSequences = batch.getRecords().stream()
                .filter(r -> r.getKinesis().getPartitionKey().equals(victim))
                .map(r -> r.getKinesis().getSequenceNumber()).toList();
        assertThat(response.getBatchItemFailures()).extracting(StreamsEventResponse.BatchItemFailure::getItemIdentifier)
                .containsExactlyElementsOf(victimSequences);
        JsonNode summary = throttled.summaries().get(0);
        assertThat(summary.get("failed").asInt()).isEqualTo(victimSequences.size());
        assertThat(summary.get("retryFromSequenceNumber").asText()).isEqualTo(victimSequences.get(0));
        assertThat(throttled.http().injected()).isGreaterThanOrEqualTo(2);

        // The throttling passes; Lambda redelivers from the lowest failure and everything lands once.
        throttleBudget.set(0);
        throttled.deliverUntilDone(Batches.from(batch, response.getBatchItemFailures().get(0).getItemIdentifier()), 3);
        assertThat(env.snapshot(WRITE_VERSION)).isEqualTo(reference.snapshot(WRITE_VERSION));
    }

    @Test
    void intermittentThrottlingOfEveryOperationEndsInTheSameTables() {
        KinesisEvent batch = Batches.load("kinesis/duplicates-batch.json");
        LiveTestEnvironment reference = environment();
        assertThat(harness(reference).invoke(batch).getBatchItemFailures()).isEmpty();

        LiveTestEnvironment env = environment();
        AtomicInteger calls = new AtomicInteger();
        // Every third DynamoDB call is throttled: most survive the SDK's retry, some don't.
        StreamHarness flaky = harness(env, (op, body) -> calls.incrementAndGet() % 3 == 0, null, 2);
        flaky.deliverUntilDone(batch, 50);

        assertThat(flaky.http().injected()).isPositive();
        assertThat(env.snapshot(WRITE_VERSION)).isEqualTo(reference.snapshot(WRITE_VERSION));
        for (JsonNode summary : flaky.summaries()) {
            assertThat(summary.get("records").asInt()).isEqualTo(summary.get("applied").asInt()
                    + summary.get("duplicates").asInt() + summary.get("quarantined").asInt() + summary.get("failed").asInt());
        }
    }

    @Test
    void badInputCorpusIsQuarantinedWithReasonsWhileGoodRecordsAreApplied() throws IOException {
        KinesisEvent good = Batches.load("kinesis/normal-batch.json");
        List<KinesisEvent.KinesisEventRecord> records = new ArrayList<>();
        Map<String, String> reasonBySequence = new HashMap<>();
        Map<String, byte[]> payloadBySequence = new HashMap<>();
        Instant arrival = Instant.parse("2026-11-24T10:20:00Z");
        int n = 0;
        var goodRecords = good.getRecords().iterator();
        for (Map.Entry<String, ReasonCode> entry : BadInputCorpus.expected().entrySet()) {
            byte[] payload = BadInputCorpus.bytes(entry.getKey());
            String seq = Batches.sequenceNumber(n++);
            records.add(Batches.record("shardId-000000000001", seq, "bad-" + n, arrival, payload));
            reasonBySequence.put(seq, entry.getValue().name());
            payloadBySequence.put(seq, payload);
            if (goodRecords.hasNext()) {
                KinesisEvent.KinesisEventRecord g = goodRecords.next();
                records.add(Batches.record("shardId-000000000001", Batches.sequenceNumber(n++), g.getKinesis().getPartitionKey(),
                        arrival, Expected.bytes(g.getKinesis().getData())));
            }
        }
        goodRecords.forEachRemaining(g -> records.add(Batches.record("shardId-000000000001", Batches.sequenceNumber(records.size() + 1000),
                g.getKinesis().getPartitionKey(), arrival, Expected.bytes(g.getKinesis().getData()))));
        KinesisEvent mixed = Batches.of(records);

        LiveTestEnvironment env = environment();
        StreamHarness harness = harness(env);
        assertThat(harness.invoke(mixed).getBatchItemFailures()).isEmpty();

        assertWindowsMatch(env, Expected.minuteWindows(good, data -> true));
        List<String> keys = env.quarantineKeys();
        assertThat(keys).hasSize(reasonBySequence.size());
        for (String key : keys) {
            JsonNode quarantined = JSON.readTree(env.quarantineObject(key));
            String seq = quarantined.get("sequenceNumber").asText();
            assertThat(quarantined.get("reason").asText()).as(key).isEqualTo(reasonBySequence.get(seq));
            assertThat(Base64.getDecoder().decode(quarantined.get("payloadBase64").asText())).as(key)
                    .isEqualTo(payloadBySequence.get(seq));
            assertThat(quarantined.get("shardId").asText()).isEqualTo("shardId-000000000001");
            assertThat(key).startsWith("quarantine/dt=2026-11-24/shard=shardId-000000000001/" + seq);
        }
        JsonNode summary = harness.summaries().get(0);
        assertThat(summary.get("quarantined").asInt()).isEqualTo(reasonBySequence.size());
        assertThat(summary.get("applied").asInt()).isEqualTo(good.getRecords().size());
        Map<String, Integer> byReason = new HashMap<>();
        reasonBySequence.values().forEach(r -> byReason.merge(r, 1, Integer::sum));
        byReason.forEach((reason, count) -> assertThat(summary.get("quarantinedByReason").get(reason).asInt()).as(reason).isEqualTo(count));
    }

    @Test
    void olderEventNeverOverwritesNewerStateAndLateEventUpdatesItsWindow() {
        LiveTestEnvironment env = environment();
        StreamHarness harness = harness(env);
        Instant arrival = Instant.parse("2026-11-24T10:30:00Z");
        byte[] newer = event("e-new", "dev-1", "2026-11-24T10:29:00Z", 30.0);
        byte[] older = event("e-old", "dev-1", "2026-11-24T10:01:10Z", 10.0);
        harness.invoke(Batches.of(List.of(Batches.record("shardId-0", Batches.sequenceNumber(1), "dev-1", arrival, newer))));
        harness.invoke(Batches.of(List.of(Batches.record("shardId-0", Batches.sequenceNumber(2), "dev-1", arrival, older))));

        var state = new LiveStateReader(dynamoDb, env.settings().deviceStateTable(),
                env.settings().windowTable(), env.settings().alertTable()).state("dev-1").orElseThrow();
        assertThat(state.eventId()).isEqualTo("e-new");
        assertThat(state.metrics()).containsEntry("temperature", 30.0);
        var windows = new LiveStateReader(dynamoDb, env.settings().deviceStateTable(),
                env.settings().windowTable(), env.settings().alertTable())
                .windows("dev-1", Instant.parse("2026-11-24T10:00:00Z"), Instant.parse("2026-11-24T11:00:00Z"));
        assertThat(windows).extracting(w -> w.windowStart().toString())
                .containsExactly("2026-11-24T10:01:00Z", "2026-11-24T10:29:00Z");
    }

    @Test
    void alertsAreRaisedOncePerDeviceWindowAndRuleHoweverOftenDelivered() {
        LiveTestEnvironment env = environment();
        StreamHarness harness = harness(env);
        Instant arrival = Instant.parse("2026-11-24T10:30:00Z");
        List<KinesisEvent.KinesisEventRecord> records = new ArrayList<>();
        double[] temperatures = {20, 55, 61, 49};
        for (int i = 0; i < temperatures.length; i++) {
            records.add(Batches.record("shardId-0", Batches.sequenceNumber(i), "hot-1", arrival,
                    event("hot-" + i, "hot-1", "2026-11-24T10:15:0" + i + "Z", temperatures[i])));
        }
        KinesisEvent batch = Batches.of(records);
        harness.invoke(Batches.slice(batch, 0, 2));
        harness.invoke(batch);
        harness.invoke(batch);

        List<Map<String, AttributeValue>> alerts = env.alerts();
        assertThat(alerts).hasSize(1);
        assertThat(alerts.get(0).get("ruleId").s()).isEqualTo("high-temperature");
        assertThat(Double.parseDouble(alerts.get(0).get("peak").n())).isEqualTo(61.0);
        assertThat(alerts.get(0).get("windowStart").s()).isEqualTo("2026-11-24T10:15:00Z");
    }

    @Test
    void aWindowTheStoreRefusesForGoodIsQuarantinedInsteadOfBlockingTheShard() throws IOException {
        LiveTestEnvironment env = environment();
        StreamHarness harness = harness(env, (op, body) -> op.equals("PutItem") && body.contains("\"poison-1\""),
                FaultInjectingHttpClient.Fault.validation("Item size has exceeded the maximum allowed size"), 3);
        Instant arrival = Instant.parse("2026-11-24T10:30:00Z");
        KinesisEvent batch = Batches.of(List.of(
                Batches.record("shardId-0", Batches.sequenceNumber(1), "poison-1", arrival, event("p1", "poison-1", "2026-11-24T10:10:00Z", 1)),
                Batches.record("shardId-0", Batches.sequenceNumber(2), "fine-1", arrival, event("f1", "fine-1", "2026-11-24T10:10:00Z", 2))));

        assertThat(harness.invoke(batch).getBatchItemFailures()).isEmpty();
        assertThat(env.windows()).extracting(w -> w.get("deviceId").s()).containsExactly("fine-1");
        List<String> keys = env.quarantineKeys();
        assertThat(keys).hasSize(1);
        assertThat(JSON.readTree(env.quarantineObject(keys.get(0))).get("reason").asText()).isEqualTo("STORE_REJECTED");
    }

    @Test
    void aLatestStateTheStoreRefusesForGoodQuarantinesItsRecordAndIsNotRetried() throws IOException {
        LiveTestEnvironment env = environment();
        String stateTable = env.settings().deviceStateTable();
        StreamHarness harness = harness(env, (op, body) -> op.equals("PutItem") && body.contains("\"" + stateTable + "\"")
                        && body.contains("\"odd-1\""),
                FaultInjectingHttpClient.Fault.validation("Item size has exceeded the maximum allowed size"), 3);
        Instant arrival = Instant.parse("2026-11-24T10:30:00Z");
        KinesisEvent batch = Batches.of(List.of(
                Batches.record("shardId-0", Batches.sequenceNumber(1), "odd-1", arrival, event("o1", "odd-1", "2026-11-24T10:10:00Z", 1)),
                Batches.record("shardId-0", Batches.sequenceNumber(2), "odd-1", arrival, event("o2", "odd-1", "2026-11-24T10:11:00Z", 2)),
                Batches.record("shardId-0", Batches.sequenceNumber(3), "fine-1", arrival, event("f1", "fine-1", "2026-11-24T10:10:00Z", 3))));

        assertThat(harness.invoke(batch).getBatchItemFailures()).isEmpty();

        JsonNode summary = harness.summaries().get(0);
        assertThat(summary.get("applied").asInt()).isEqualTo(2);
        assertThat(summary.get("quarantined").asInt()).isEqualTo(1);
        assertThat(summary.get("quarantinedByReason").get("STORE_REJECTED").asInt()).isEqualTo(1);
        assertThat(summary.get("reportedForRetry").asInt()).isZero();
        // The refused item is the device's latest state, built from its newest event: that record.
        List<String> keys = env.quarantineKeys();
        assertThat(keys).singleElement().asString().endsWith(Batches.sequenceNumber(2) + ".json");
        JsonNode quarantined = JSON.readTree(env.quarantineObject(keys.get(0)));
        assertThat(quarantined.get("reason").asText()).isEqualTo("STORE_REJECTED");
        assertThat(quarantined.get("detail").asText()).contains("ValidationException", "Item size has exceeded");
        assertThat(env.windows()).hasSize(3);
    }

    @Test
    void anAlertTheStoreRefusesForGoodQuarantinesItsWindowsRecordsWhileOtherAlertsAreWritten() throws IOException {
        LiveTestEnvironment env = environment();
        String alertTable = env.settings().alertTable();
        StreamHarness harness = harness(env, (op, body) -> (op.equals("BatchWriteItem") || op.equals("PutItem"))
                        && body.contains("\"" + alertTable + "\"") && body.contains("\"hot-bad\""),
                FaultInjectingHttpClient.Fault.validation("Number overflow. Attempting to store a number with magnitude larger than supported range"), 3);
        Instant arrival = Instant.parse("2026-11-24T10:30:00Z");
        KinesisEvent batch = Batches.of(List.of(
                Batches.record("shardId-0", Batches.sequenceNumber(1), "hot-bad", arrival, event("b1", "hot-bad", "2026-11-24T10:10:00Z", 60)),
                Batches.record("shardId-0", Batches.sequenceNumber(2), "hot-bad", arrival, event("b2", "hot-bad", "2026-11-24T10:10:30Z", 20)),
                Batches.record("shardId-0", Batches.sequenceNumber(3), "hot-bad", arrival, event("b3", "hot-bad", "2026-11-24T10:20:00Z", 20)),
                Batches.record("shardId-0", Batches.sequenceNumber(4), "hot-ok", arrival, event("k1", "hot-ok", "2026-11-24T10:10:00Z", 70))));

        assertThat(harness.invoke(batch).getBatchItemFailures()).isEmpty();

        JsonNode summary = harness.summaries().get(0);
        assertThat(summary.get("quarantinedByReason").get("STORE_REJECTED").asInt()).isEqualTo(2);
        assertThat(summary.get("applied").asInt()).isEqualTo(2);
        assertThat(summary.get("reportedForRetry").asInt()).isZero();
        assertThat(env.quarantineKeys()).extracting(k -> k.substring(k.lastIndexOf('/') + 1))
                .containsExactly(Batches.sequenceNumber(1) + ".json", Batches.sequenceNumber(2) + ".json");
        assertThat(env.alerts()).extracting(a -> a.get("deviceId").s()).containsExactly("hot-ok");
    }

    @Test
    void aLatestStateWriteThatKeepsFailingTransientlyIsRetriedNotQuarantined() {
        LiveTestEnvironment env = environment();
        String stateTable = env.settings().deviceStateTable();
        StreamHarness harness = harness(env, (op, body) -> op.equals("PutItem") && body.contains("\"" + stateTable + "\"")
                && body.contains("\"slow-1\""), FaultInjectingHttpClient.Fault.throttling(), 2);
        Instant arrival = Instant.parse("2026-11-24T10:30:00Z");
        KinesisEvent batch = Batches.of(List.of(
                Batches.record("shardId-0", Batches.sequenceNumber(1), "fine-1", arrival, event("f1", "fine-1", "2026-11-24T10:10:00Z", 3)),
                Batches.record("shardId-0", Batches.sequenceNumber(2), "slow-1", arrival, event("s1", "slow-1", "2026-11-24T10:10:00Z", 1))));

        StreamsEventResponse response = harness.invoke(batch);

        assertThat(response.getBatchItemFailures()).extracting(StreamsEventResponse.BatchItemFailure::getItemIdentifier)
                .containsExactly(Batches.sequenceNumber(2));
        assertThat(env.quarantineKeys()).isEmpty();
        assertThat(harness.summaries().get(0).get("quarantined").asInt()).isZero();
    }

    @Test
    void theLatenessBoundComesFromTheEnvironment() {
        LiveTestEnvironment env = environment();
        FunctionSettings oneHour = FunctionSettings.fromEnvironment(Map.of(
                "AWS_REGION", "us-east-1",
                "TWINFLOW_PREFIX", env.settings().spec().prefix(),
                "TWINFLOW_ENDPOINT_DYNAMODB", dynamoDbServer.endpoint().toString(),
                "TWINFLOW_ENDPOINT_S3", s3Server.endpoint().toString(),
                "TWINFLOW_MAX_LATENESS_SECONDS", "3600"));
        Instant arrival = Instant.parse("2026-11-24T10:30:00Z");
        KinesisEvent batch = Batches.of(List.of(
                Batches.record("shardId-0", Batches.sequenceNumber(1), "dev-1", arrival, event("late", "dev-1", "2026-11-24T09:29:59Z", 1)),
                Batches.record("shardId-0", Batches.sequenceNumber(2), "dev-1", arrival, event("in-time", "dev-1", "2026-11-24T09:30:00Z", 2))));

        StreamHarness bounded = StreamHarness.of(oneHour);
        bounded.invoke(batch);
        StreamHarness byDefault = harness(environment());
        byDefault.invoke(batch);

        assertThat(bounded.summaries().get(0).get("quarantinedByReason").get("TOO_LATE").asInt()).isEqualTo(1);
        assertThat(bounded.summaries().get(0).get("applied").asInt()).isEqualTo(1);
        assertThat(byDefault.summaries().get(0).get("applied").asInt()).isEqualTo(2);
    }

    private static byte[] event(String eventId, String deviceId, String ts, double temperature) {
        return ("{\"schemaVersion\":1,\"eventId\":\"" + eventId + "\",\"deviceId\":\"" + deviceId + "\",\"ts\":\"" + ts
                + "\",\"metrics\":{\"temperature\":" + temperature + ",\"battery\":0.9}}").getBytes(StandardCharsets.UTF_8);
    }

    private static void assertWindowsMatch(LiveTestEnvironment env, Map<String, Expected.Window> expected) {
        Map<String, Map<String, AttributeValue>> actual = new HashMap<>();
        env.windows().forEach(item -> actual.put(item.get("deviceId").s() + "|" + item.get("windowStart").s(), item));
        assertThat(actual.keySet()).containsExactlyInAnyOrderElementsOf(expected.keySet());
        expected.forEach((key, window) -> {
            Map<String, AttributeValue> item = actual.get(key);
            assertThat(Long.parseLong(item.get("eventCount").n())).as(key).isEqualTo(window.count());
            window.metrics().forEach((metric, stat) -> {
                Map<String, AttributeValue> m = item.get("metrics").m().get(metric).m();
                assertThat(Long.parseLong(m.get("count").n())).as(key + " " + metric).isEqualTo(stat.count());
                assertThat(Double.parseDouble(m.get("sum").n())).as(key + " " + metric).isCloseTo(stat.sum(), within(1e-9 * Math.max(1, Math.abs(stat.sum()))));
                assertThat(Double.parseDouble(m.get("min").n())).as(key + " " + metric).isEqualTo(stat.min());
                assertThat(Double.parseDouble(m.get("max").n())).as(key + " " + metric).isEqualTo(stat.max());
            });
        });
    }
}
