package io.twinflow.cli.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.twinflow.core.event.DecoderLimits;
import io.twinflow.core.pipeline.PipelineSpec;
import io.twinflow.live.LiveTables;
import io.twinflow.local.config.Endpoints;
import io.twinflow.local.config.ServiceClients;
import io.twinflow.local.quarantine.QuarantineStore;
import io.twinflow.local.runtime.EmbeddedRuntime;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.PutRecordResponse;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The quarantine commands on the embedded stack. A device whose clock runs a few seconds more than the
 * allowed skew ahead sends one event: it is quarantined as FUTURE_TIMESTAMP. Once real time has caught
 * up with its timestamp (the fix: the record is now valid as it is), requeue puts its bytes back and it
 * is applied once; requeueing it again puts nothing on the stream.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class QuarantineCommandIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String DEVICE = "clock-ahead-7";
    private static final String OTHER_DEVICE = "clock-ahead-8";

    @TempDir
    static Path dir;

    private static EmbeddedRuntime runtime;
    private static Endpoints endpoints;
    private static Instant eventTime;
    private static String payload;
    private static PutRecordResponse original;
    private static String key;

    @BeforeAll
    static void sendAnEventFromAClockAhead() throws Exception {
        runtime = EmbeddedRuntime.start(PipelineSpec.defaults(), new PrintStream(OutputStream.nullOutputStream()));
        endpoints = runtime.endpoints();
        endpoints.write(dir.resolve("endpoints.json"));
        eventTime = Instant.now().plus(DecoderLimits.DEFAULT_MAX_FUTURE_SKEW).plusSeconds(4).truncatedTo(ChronoUnit.MILLIS);
        payload = "{\"schemaVersion\":1,\"eventId\":\"e-ahead-1\",\"deviceId\":\"" + DEVICE + "\",\"ts\":\"" + eventTime
                + "\",\"metrics\":{\"temperature\":21.5},\"location\":{\"lat\":52.5,\"lon\":13.4}}";
        try (KinesisClient kinesis = ServiceClients.local(endpoints).kinesis()) {
            original = kinesis.putRecord(b -> b.streamName(runtime.spec().stream().name()).partitionKey(DEVICE)
                    .data(SdkBytes.fromUtf8String(payload)));
        }
        awaitRead(1);
    }

    @AfterAll
    static void stop() {
        if (runtime != null) {
            runtime.close();
        }
    }

    @Test
    @Order(1)
    void listShowsTheRecordWithItsReason() throws Exception {
        CliRun list = cli("quarantine", "list", "--output", "json");
        assertThat(list.exitCode()).as(list.stderr()).isZero();
        JsonNode entries = JSON.readTree(list.stdout());
        assertThat(entries).hasSize(1);
        JsonNode entry = entries.get(0);
        key = entry.get("key").asText();
        assertThat(key).startsWith("quarantine/dt=").endsWith("/shard=" + original.shardId() + "/" + original.sequenceNumber() + ".json");
        assertThat(entry.get("reason").asText()).isEqualTo("FUTURE_TIMESTAMP");
        assertThat(entry.get("partitionKey").asText()).isEqualTo(DEVICE);
        assertThat(entry.get("bytes").asInt()).isEqualTo(payload.getBytes(StandardCharsets.UTF_8).length);
        assertThat(entry.get("requeued").isNull()).isTrue();

        CliRun table = cli("quarantine", "list", "--reason", "FUTURE_TIMESTAMP");
        assertThat(table.stdout()).contains(key).contains("FUTURE_TIMESTAMP").endsWith("(1 row)\n");
        assertThat(cli("quarantine", "list", "--reason", "INVALID_JSON").stdout()).doesNotContain(key).contains("(0 rows)");
        assertThat(cli("quarantine", "list", "--since", Instant.now().plusSeconds(3600).toString()).stdout()).contains("(0 rows)");
        assertThat(cli("quarantine", "list", "--output", "csv").stdout()).isEqualTo(
                "key,reason,arrival,partitionKey,shardId,sequenceNumber,bytes,requeuedTo\r\n"
                        + key + ",FUTURE_TIMESTAMP," + entry.get("arrival").asText() + "," + DEVICE + "," + original.shardId() + ","
                        + original.sequenceNumber() + "," + entry.get("bytes").asInt() + ",\r\n");
    }

    @Test
    @Order(2)
    void showPrintsTheBytesTheReasonAndThePosition() throws Exception {
        CliRun show = cli("quarantine", "show", key);
        assertThat(show.exitCode()).as(show.stderr()).isZero();
        assertThat(show.stdout()).contains("reason:         FUTURE_TIMESTAMP")
                .contains("position:       " + original.shardId() + " " + original.sequenceNumber())
                .contains("partition key:  " + DEVICE)
                .contains("requeued to:    (not requeued)")
                .endsWith(payload + System.lineSeparator());

        JsonNode json = JSON.readTree(cli("quarantine", "show", key, "--output", "json").stdout());
        assertThat(json.get("payloadText").asText()).isEqualTo(payload);
        assertThat(json.get("detail").asText()).isNotBlank();
    }

    @Test
    @Order(3)
    void requeueAfterTheClockCaughtUpAppliesTheRecordOnceAndASecondRequeueChangesNothing() throws Exception {
        assertThat(windowEvents()).isZero();
        // The fix: time passes until the event is no longer ahead of its arrival by more than the skew.
        Instant valid = eventTime.minus(DecoderLimits.DEFAULT_MAX_FUTURE_SKEW).plusSeconds(1);
        Thread.sleep(Math.max(0, Duration.between(Instant.now(), valid).toMillis()));

        CliRun requeue = cli("quarantine", "requeue", key);
        assertThat(requeue.exitCode()).as(requeue.stderr()).isZero();
        assertThat(requeue.stdout()).startsWith("requeued " + key + " -> ").endsWith("1 put back on the stream, 0 already requeued"
                + System.lineSeparator());
        awaitRead(2);
        assertThat(windowEvents()).isEqualTo(1);
        JsonNode listed = JSON.readTree(cli("quarantine", "list", "--output", "json").stdout());
        assertThat(listed).as("applied, not quarantined again").hasSize(1);
        assertThat(listed.get(0).get("requeued").get("sequenceNumber").asText()).isNotEqualTo(original.sequenceNumber());

        CliRun again = cli("quarantine", "requeue", key);
        assertThat(again.exitCode()).as(again.stderr()).isZero();
        assertThat(again.stdout()).startsWith("already requeued " + key).endsWith("0 put back on the stream, 1 already requeued"
                + System.lineSeparator());
        Thread.sleep(1500);
        assertThat(runtime.mapping().stats().recordsRead()).isEqualTo(2);
        assertThat(windowEvents()).isEqualTo(1);
    }

    @Test
    @Order(4)
    void mistakesAreOneLineAndExitTwo() {
        CliRun missing = cli("quarantine", "show", "quarantine/dt=2020-01-01/shard=x/1.json");
        assertThat(missing.exitCode()).isEqualTo(2);
        assertThat(missing.stderr()).contains("no quarantined record at quarantine/dt=2020-01-01/shard=x/1.json");
        assertThat(cli("quarantine", "show", "raw/x.json").stderr()).contains("is not a quarantine key");
        CliRun neither = cli("quarantine", "requeue");
        assertThat(neither.exitCode()).isEqualTo(2);
        assertThat(neither.stderr()).contains("give the keys to requeue or --reason R");
    }

    /**
     * A requeue that dies between the put and its marker (here: S3 refuses the marker) leaves the key
     * requeueable; requeued again, the record reaches the stream twice and is still counted once.
     */
    @Test
    @Order(5)
    void aRequeueThatCrashedAfterThePutIsRepeatedWithoutCountingTheRecordTwice() throws Exception {
        Instant ahead = Instant.now().plus(DecoderLimits.DEFAULT_MAX_FUTURE_SKEW).plusSeconds(4).truncatedTo(ChronoUnit.MILLIS);
        String event = "{\"schemaVersion\":1,\"eventId\":\"e-ahead-2\",\"deviceId\":\"" + OTHER_DEVICE + "\",\"ts\":\"" + ahead
                + "\",\"metrics\":{\"temperature\":19.0},\"location\":{\"lat\":52.5,\"lon\":13.4}}";
        ServiceClients clients = ServiceClients.local(endpoints);
        try (KinesisClient kinesis = clients.kinesis(); S3Client s3 = clients.s3()) {
            kinesis.putRecord(b -> b.streamName(runtime.spec().stream().name()).partitionKey(OTHER_DEVICE).data(SdkBytes.fromUtf8String(event)));
            awaitRead(3);
            QuarantineStore crashing = new QuarantineStore(refusingPuts(s3), kinesis, runtime.spec().buckets().quarantine(),
                    runtime.spec().buckets().quarantinePrefix(), runtime.spec().stream().name(), Clock.systemUTC());
            List<QuarantineStore.Entry> quarantined = crashing.list(Optional.of("FUTURE_TIMESTAMP"), Optional.empty()).stream()
                    .filter(e -> e.requeued().isEmpty()).toList();
            assertThat(quarantined).hasSize(1);
            String otherKey = quarantined.get(0).key();
            Thread.sleep(Math.max(0, Duration.between(Instant.now(), ahead.minus(DecoderLimits.DEFAULT_MAX_FUTURE_SKEW).plusSeconds(1)).toMillis()));

            assertThatThrownBy(() -> crashing.requeue(List.of(otherKey))).isInstanceOf(SdkClientException.class);
            awaitRead(4);
            assertThat(windowEvents(OTHER_DEVICE)).isEqualTo(1);
            assertThat(crashing.show(otherKey).requeued()).isEmpty();

            CliRun again = cli("quarantine", "requeue", otherKey);
            assertThat(again.stdout()).startsWith("requeued " + otherKey);
            awaitRead(5);
            assertThat(windowEvents(OTHER_DEVICE)).isEqualTo(1);
            assertThat(crashing.show(otherKey).requeued()).isPresent();
        }
    }

    /** The client, except that every put fails as a crash would leave it: after the Kinesis put, before the marker. */
    private static S3Client refusingPuts(S3Client s3) {
        return (S3Client) Proxy.newProxyInstance(S3Client.class.getClassLoader(), new Class<?>[] {S3Client.class}, (proxy, method, args) -> {
            if (method.getName().equals("putObject")) {
                throw SdkClientException.create("simulated crash before the requeue marker");
            }
            try {
                return method.invoke(s3, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        });
    }

    /** The device's events counted in its windows (the live path's exactly-once counts). */
    private static long windowEvents() {
        return windowEvents(DEVICE);
    }

    private static long windowEvents(String device) {
        try (DynamoDbClient dynamoDb = ServiceClients.local(endpoints).dynamoDb()) {
            return dynamoDb.query(b -> b.tableName(runtime.spec().tables().deviceWindows()).consistentRead(true)
                            .keyConditionExpression("deviceId = :d").expressionAttributeValues(Map.of(":d", AttributeValue.fromS(device))))
                    .items().stream().filter(item -> !LiveTables.isPage(item)).mapToLong(item -> Long.parseLong(item.get("eventCount").n())).sum();
        }
    }

    private static void awaitRead(long records) throws InterruptedException {
        CliRun.awaitSettled(runtime, records, Duration.ofSeconds(60));
    }

    private static CliRun cli(String... args) {
        return CliRun.of(dir.resolve("endpoints.json"), args);
    }
}
