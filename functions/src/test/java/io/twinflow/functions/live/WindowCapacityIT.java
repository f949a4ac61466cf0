package io.twinflow.functions.live;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.twinflow.core.event.EventDecoder;
import io.twinflow.emulators.EmbeddedDynamoDb;
import io.twinflow.emulators.EmbeddedS3;
import io.twinflow.functions.FunctionSettings;
import io.twinflow.functions.quarantine.S3QuarantineSink;
import io.twinflow.functions.stream.BatchOutcome;
import io.twinflow.functions.stream.BatchSummary;
import io.twinflow.functions.stream.StreamProcessor;
import io.twinflow.functions.stream.StreamRecord;
import io.twinflow.functions.testing.Batches;
import io.twinflow.functions.testing.LiveTestEnvironment;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The window capacity rule on the local DynamoDB, with windows of 3 events instead of 20,000 so that a
 * few records fill one: new identities beyond the capacity are quarantined as WINDOW_FULL, every
 * time they are delivered, and the summary still adds up.
 */
class WindowCapacityIT {

    private static final int CAPACITY = 3;
    private static final ObjectMapper JSON = new ObjectMapper();

    private static EmbeddedDynamoDb dynamoDbServer;
    private static EmbeddedS3 s3Server;
    private static DynamoDbClient dynamoDb;
    private static S3Client s3;
    private static ExecutorService io;

    @BeforeAll
    static void start() {
        dynamoDbServer = EmbeddedDynamoDb.start();
        s3Server = EmbeddedS3.start();
        dynamoDb = dynamoDbServer.dynamoDbClient();
        s3 = s3Server.s3Client();
        io = Executors.newFixedThreadPool(4);
    }

    @AfterAll
    static void stop() {
        io.shutdownNow();
        dynamoDb.close();
        s3.close();
        dynamoDbServer.close();
        s3Server.close();
    }

    private static StreamProcessor processor(FunctionSettings settings) {
        return new StreamProcessor(new EventDecoder(settings.decoderLimits()), settings.windows(), settings.alertRules(),
                new DynamoDbLiveStateStore(dynamoDb, settings.deviceStateTable(), settings.windowTable(), settings.alertTable(),
                        settings.windows(), settings.retention(), io, CAPACITY),
                new S3QuarantineSink(s3, settings.quarantineBucket(), settings.quarantinePrefix(), io));
    }

    @Test
    void newEventsBeyondAFullWindowAreQuarantinedAsWindowFullOnEveryDeliveryAndCountsAddUp() throws IOException {
        LiveTestEnvironment env = LiveTestEnvironment.create(dynamoDbServer.endpoint(), s3Server.endpoint(), dynamoDb, s3);
        StreamProcessor processor = processor(env.settings());
        Instant arrival = Instant.now();
        Instant window = arrival.truncatedTo(ChronoUnit.MINUTES).minus(10, ChronoUnit.MINUTES);
        List<StreamRecord> batch = new ArrayList<>();
        // e0..e4 in one window of dev-1, then a copy of e0 (a duplicate) and of e4 (beyond the capacity), and
        // one event of another device, whose window has room.
        String[] ids = {"e0", "e1", "e2", "e3", "e4", "e0", "e4"};
        for (int i = 0; i < ids.length; i++) {
            batch.add(record(i, "dev-1", arrival, event(ids[i], "dev-1", window.plusSeconds(i), i)));
        }
        batch.add(record(ids.length, "dev-2", arrival, event("x0", "dev-2", window, 1)));

        BatchSummary first = processor.process(batch, () -> Long.MAX_VALUE).summary();

        assertThat(first.records()).isEqualTo(8);
        assertThat(first.applied()).isEqualTo(CAPACITY + 1);
        assertThat(first.duplicates()).isEqualTo(1);
        assertThat(first.quarantined()).isEqualTo(3);
        assertThat(first.quarantinedByReason()).containsExactlyEntriesOf(Map.of("WINDOW_FULL", 3));
        assertThat(first.failed()).isZero();
        assertThat(first.applied() + first.duplicates() + first.quarantined() + first.failed()).isEqualTo(first.records());
        Map<String, AttributeValue> dev1 = env.windows().stream().filter(w -> w.get("deviceId").s().equals("dev-1")).findFirst().orElseThrow();
        assertThat(dev1.get("eventCount").n()).isEqualTo(String.valueOf(CAPACITY));
        List<String> keys = env.quarantineKeys();
        assertThat(keys).hasSize(3);
        for (String key : keys) {
            JsonNode quarantined = JSON.readTree(env.quarantineObject(key));
            assertThat(quarantined.get("reason").asText()).isEqualTo("WINDOW_FULL");
            assertThat(quarantined.get("detail").asText()).contains("dev-1", "already holds 3 distinct events");
        }

        // Redelivered (a retry, a replay): the admitted ones are now duplicates, the rest still do not fit.
        BatchOutcome again = processor.process(batch, () -> Long.MAX_VALUE);

        assertThat(again.retrySequenceNumbers()).isEmpty();
        assertThat(again.summary().applied()).isZero();
        assertThat(again.summary().duplicates()).isEqualTo(5);
        assertThat(again.summary().quarantinedByReason()).containsExactlyEntriesOf(Map.of("WINDOW_FULL", 3));
        assertThat(env.quarantineKeys()).isEqualTo(keys);
        assertThat(env.windows().stream().filter(w -> w.get("deviceId").s().equals("dev-1")).findFirst().orElseThrow()
                .get("eventCount").n()).isEqualTo(String.valueOf(CAPACITY));
    }

    @Test
    void aWindowFilledByEarlierBatchesQuarantinesTheNextNewEventButNotItsDuplicates() {
        LiveTestEnvironment env = LiveTestEnvironment.create(dynamoDbServer.endpoint(), s3Server.endpoint(), dynamoDb, s3);
        StreamProcessor processor = processor(env.settings());
        Instant arrival = Instant.now();
        Instant window = arrival.truncatedTo(ChronoUnit.MINUTES).minus(5, ChronoUnit.MINUTES);
        for (int i = 0; i < CAPACITY; i++) {
            processor.process(List.of(record(i, "dev-1", arrival, event("e" + i, "dev-1", window.plusSeconds(i), i))), () -> Long.MAX_VALUE);
        }

        BatchSummary summary = processor.process(List.of(
                record(10, "dev-1", arrival, event("late-comer", "dev-1", window.plusSeconds(30), 9)),
                record(11, "dev-1", arrival, event("e1", "dev-1", window.plusSeconds(1), 1))), () -> Long.MAX_VALUE).summary();

        assertThat(summary.quarantinedByReason()).containsExactlyEntriesOf(Map.of("WINDOW_FULL", 1));
        assertThat(summary.duplicates()).isEqualTo(1);
        assertThat(summary.applied()).isZero();
        assertThat(env.quarantineKeys()).singleElement().asString().endsWith(Batches.sequenceNumber(10) + ".json");
    }

    private static StreamRecord record(int n, String device, Instant arrival, byte[] data) {
        return new StreamRecord("shardId-000000000000", Batches.sequenceNumber(n), device, arrival, data);
    }

    private static byte[] event(String eventId, String deviceId, Instant ts, double temperature) {
        return ("{\"schemaVersion\":1,\"eventId\":\"" + eventId + "\",\"deviceId\":\"" + deviceId + "\",\"ts\":\"" + ts
                + "\",\"metrics\":{\"temperature\":" + temperature + "}}").getBytes(StandardCharsets.UTF_8);
    }
}
