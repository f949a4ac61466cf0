package io.twinflow.emulators;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;
import software.amazon.awssdk.services.kinesis.model.Shard;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;
import software.amazon.awssdk.services.kinesis.model.StreamStatus;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

/** One real round trip per emulator, shared by the per-emulator tests and the all-in-one-JVM test. */
final class RoundTrips {

    private RoundTrips() {
    }

    /** Starts a JVM on this test class path running {@code main}, and returns it with the rest of its first line starting with {@code prefix}. */
    static Map.Entry<Process, String> hostReporting(Class<?> main, String prefix, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), main.getName()));
        command.addAll(List.of(args));
        Process host = new ProcessBuilder(command).redirectErrorStream(true).start();
        BufferedReader output = new BufferedReader(new InputStreamReader(host.getInputStream(), StandardCharsets.UTF_8));
        String line;
        do {
            line = output.readLine();
        } while (line != null && !line.startsWith(prefix));
        assertThat(line).as("the host JVM's report").isNotNull();
        return Map.entry(host, line.substring(prefix.length()));
    }

    /** Closes an emulator that runs as a child process and checks that the process is gone. */
    static void closesItsProcess(AutoCloseable emulator, long pid) throws Exception {
        emulator.close();

        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive)).isNotEqualTo(Optional.of(true));
    }

    static void dynamoDb(DynamoDbClient client) {
        client.createTable(b -> b.tableName("device-state")
                .keySchema(KeySchemaElement.builder().attributeName("deviceId").keyType(KeyType.HASH).build())
                .attributeDefinitions(AttributeDefinition.builder()
                        .attributeName("deviceId").attributeType(ScalarAttributeType.S).build())
                .billingMode(BillingMode.PAY_PER_REQUEST));
        client.putItem(b -> b.tableName("device-state").item(Map.of(
                "deviceId", AttributeValue.fromS("sensor-0042"),
                "temperature", AttributeValue.fromN("21.5"))));

        Map<String, AttributeValue> item = client.getItem(b -> b.tableName("device-state")
                .key(Map.of("deviceId", AttributeValue.fromS("sensor-0042")))
                .consistentRead(true)).item();

        assertThat(item).containsEntry("temperature", AttributeValue.fromN("21.5"));
    }

    static void s3(S3Client client) {
        String line = "{\"eventId\":\"e-1\",\"deviceId\":\"sensor-0042\"}\n";
        client.createBucket(b -> b.bucket("raw-archive"));
        client.putObject(b -> b.bucket("raw-archive").key("raw/dt=2026-11-24/hour=10/part-0.json"),
                RequestBody.fromString(line));

        String read = client.getObjectAsBytes(b -> b.bucket("raw-archive")
                .key("raw/dt=2026-11-24/hour=10/part-0.json")).asString(StandardCharsets.UTF_8);

        assertThat(read).isEqualTo(line);
        assertThat(client.listObjectsV2(b -> b.bucket("raw-archive").prefix("raw/dt=2026-11-24/")).keyCount())
                .isEqualTo(1);
    }

    static void postgres(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            try (ResultSet version = statement.executeQuery("show server_version_num")) {
                assertThat(version.next()).isTrue();
                assertThat(version.getInt(1)).isGreaterThanOrEqualTo(170000);
            }
            statement.execute("create table events (event_id text primary key, device_id text not null, value numeric not null)");
            statement.execute("create table staging (like events)");
            statement.execute("insert into events values ('e-1', 'sensor-0042', 1.5)");
            statement.execute("insert into staging values ('e-1', 'sensor-0042', 2.5), ('e-2', 'sensor-0042', 3.5)");

            int merged = statement.executeUpdate("""
                    merge into events t using staging s on t.event_id = s.event_id
                    when matched then update set value = s.value
                    when not matched then insert values (s.event_id, s.device_id, s.value)""");

            assertThat(merged).isEqualTo(2);
            try (ResultSet total = statement.executeQuery("select count(*), sum(value) from events")) {
                assertThat(total.next()).isTrue();
                assertThat(total.getInt(1)).isEqualTo(2);
                assertThat(total.getBigDecimal(2)).isEqualByComparingTo("6.0");
            }
        }
    }

    static void sqs(SqsClient client) {
        String queueUrl = client.createQueue(b -> b.queueName("stream-processor-dlq")).queueUrl();
        client.sendMessage(b -> b.queueUrl(queueUrl).messageBody("{\"shardId\":\"shardId-000000000000\"}"));

        List<Message> received = client.receiveMessage(b -> b.queueUrl(queueUrl)
                .maxNumberOfMessages(10).waitTimeSeconds(1)).messages();

        assertThat(received).extracting(Message::body).containsExactly("{\"shardId\":\"shardId-000000000000\"}");
        client.deleteMessage(b -> b.queueUrl(queueUrl).receiptHandle(received.get(0).receiptHandle()));
    }

    static void kinesis(KinesisClient client) {
        createActiveStream(client, "telemetry", 2);
        List<PutRecordsRequestEntry> entries = List.of(
                PutRecordsRequestEntry.builder().partitionKey("sensor-0042")
                        .data(SdkBytes.fromUtf8String("{\"eventId\":\"e-1\"}")).build(),
                PutRecordsRequestEntry.builder().partitionKey("sensor-0043")
                        .data(SdkBytes.fromUtf8String("{\"eventId\":\"e-2\"}")).build());

        assertThat(client.putRecords(b -> b.streamName("telemetry").records(entries)).failedRecordCount()).isZero();

        List<String> read = new ArrayList<>();
        for (Shard shard : client.listShards(b -> b.streamName("telemetry")).shards()) {
            String iterator = client.getShardIterator(b -> b.streamName("telemetry").shardId(shard.shardId())
                    .shardIteratorType(ShardIteratorType.TRIM_HORIZON)).shardIterator();
            client.getRecords(b -> b.shardIterator(iterator)).records()
                    .forEach(record -> read.add(record.data().asUtf8String()));
        }
        assertThat(read).containsExactlyInAnyOrder("{\"eventId\":\"e-1\"}", "{\"eventId\":\"e-2\"}");
    }

    static void createActiveStream(KinesisClient client, String name, int shards) {
        client.createStream(b -> b.streamName(name).shardCount(shards));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (client.describeStreamSummary(b -> b.streamName(name)).streamDescriptionSummary().streamStatus()
                != StreamStatus.ACTIVE) {
            assertThat(System.nanoTime()).as("stream %s ACTIVE within 10 s", name).isLessThan(deadline);
            Thread.onSpinWait();
        }
    }
}
