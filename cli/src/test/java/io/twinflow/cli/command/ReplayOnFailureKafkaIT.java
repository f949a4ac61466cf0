package io.twinflow.cli.command;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.KafkaEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.twinflow.core.pipeline.PipelineSpec;
import io.twinflow.functions.FunctionSettings;
import io.twinflow.functions.stream.KafkaProcessorHandler;
import io.twinflow.functions.stream.StreamProcessorHandler;
import io.twinflow.local.config.ServiceClients;
import io.twinflow.local.replay.OnFailureMessage;
import io.twinflow.local.replay.OnFailureReplay;
import io.twinflow.local.runtime.EmbeddedRuntime;
import io.twinflow.local.runtime.KafkaEventSourceMapping;
import io.twinflow.local.runtime.KinesisEventSourceMapping;
import io.twinflow.local.runtime.SqsFailureDestination;
import io.twinflow.local.runtime.StackServices;
import io.twinflow.local.runtime.StreamSource;
import io.twinflow.resources.PipelineResources;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * `twinflow replay --on-failure` for batches a Kafka event source mapping gave up, on an embedded stack running on
 * Kafka. The stack's own Kafka mapping is stopped; in its place the test runs the same mapping over the same topic,
 * in its own consumer group, with a transient fault in front of the Kafka processor for batches holding one device's
 * records and one retry, so the mapping sends those batches' partition and offset ranges ({@code KafkaBatchInfo}) to
 * the on-failure queue. A Kafka mapping has no bisection: a whole batch is given up, healthy records with it. What
 * the re-drive leaves in the live tables is compared with a fault-free mapping over the same topic into a second set
 * of tables (prefix {@code control}). The tests run in order: the second deletes the topic's records.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ReplayOnFailureKafkaIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final PrintStream NOWHERE = new PrintStream(OutputStream.nullOutputStream());
    private static final int HEALTHY_DEVICES = 3;
    private static final int EVENTS_PER_DEVICE = 6;
    private static final int RECORDS = (HEALTHY_DEVICES + 1) * EVENTS_PER_DEVICE;

    private static EmbeddedRuntime runtime;
    private static PipelineSpec spec;
    private static ServiceClients clients;
    private static String queueUrl;
    private static OnFailureQueueProbe queue;
    /** What the faulty mapping sent to the on-failure queue. */
    private static final List<String> onFailureBodies = new CopyOnWriteArrayList<>();
    private static KinesisEventSourceMapping.Stats faultyRun;
    private static PipelineSpec control;

    @TempDir
    static Path dir;

    @BeforeAll
    static void topicWithAFaultUntilTheMappingGivesUp() throws Exception {
        runtime = EmbeddedRuntime.start(PipelineSpec.defaults(), NOWHERE, () -> StackServices.embedded(Optional.empty()), StreamSource.KAFKA);
        runtime.kafkaMapping().close(); // the test's own mappings consume the topic instead
        runtime.endpoints().write(dir.resolve("endpoints.json"));
        spec = runtime.spec();
        clients = ServiceClients.local(runtime.endpoints());
        queueUrl = runtime.queueUrl(spec.queues().streamFailures());
        queue = new OnFailureQueueProbe(clients, queueUrl);
        Instant minute = Instant.now().truncatedTo(ChronoUnit.MINUTES).minus(Duration.ofMinutes(5));

        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                runtime.kafka().bootstrapServers(), ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true, ProducerConfig.ACKS_CONFIG, "all"),
                new StringSerializer(), new StringSerializer())) {
            for (int e = 0; e < EVENTS_PER_DEVICE; e++) {
                for (int d = 0; d <= HEALTHY_DEVICES; d++) {
                    String device = d == HEALTHY_DEVICES ? "faulty-1" : "healthy-" + d;
                    // Whole numbers add up the same in any order, so sums compare exactly; 60 degrees raises an alert.
                    double temperature = d == HEALTHY_DEVICES && e == 2 ? 60 : 20 + e;
                    producer.send(new ProducerRecord<>(spec.stream().name(), device,
                            event(device, device + "-" + e, minute.plusSeconds(5L * e), temperature))).get(30, TimeUnit.SECONDS);
                }
            }
        }

        PipelineSpec.StreamMapping oneRetry = PipelineSpec.StreamMapping.builder().batchSize(spec.streamMapping().batchSize())
                .maxBatchingWindow(Duration.ofMillis(200)).maxRetries(1).maxRecordAge(Duration.ofHours(1)).build();
        KafkaProcessorHandler real = new KafkaProcessorHandler(handler(spec));
        RequestHandler<KafkaEvent, Void> faulty = (event, context) -> {
            boolean hit = event.getRecords().values().stream().flatMap(List::stream)
                    .anyMatch(r -> new String(Base64.getDecoder().decode(r.getKey()), StandardCharsets.UTF_8).startsWith("faulty"));
            if (hit) {
                throw new IllegalStateException("injected transient fault");
            }
            return real.handleRequest(event, context);
        };
        try (SqsClient sqs = clients.sqs()) {
            SqsFailureDestination queue = new SqsFailureDestination(sqs, queueUrl);
            faultyRun = consume(faulty, oneRetry, "faulty-run", body -> {
                onFailureBodies.add(body);
                queue.send(body);
            });
        }
        assertThat(queueDepth()).isEqualTo(onFailureBodies.size());
        control = PipelineSpec.withPrefix("control");
        try (KinesisClient kinesis = clients.kinesis(); DynamoDbClient dynamoDb = clients.dynamoDb(); S3Client s3 = clients.s3();
             SqsClient sqs = clients.sqs()) {
            PipelineResources.create(control, kinesis, dynamoDb, s3, sqs);
        }
        KinesisEventSourceMapping.Stats controlRun = consume(new KafkaProcessorHandler(handler(control)), oneRetry, "control-run",
                body -> {
                    throw new AssertionError("the fault-free mapping gave up a batch: " + body);
                });
        assertThat(controlRun.recordsSucceeded()).isEqualTo(RECORDS);
        new ReplayOnFailureKafkaIT().leaveTheQueueEmpty(); // each test puts on the queue what it re-drives
    }

    @AfterAll
    static void stop() {
        if (runtime != null) {
            runtime.close();
        }
    }

    @AfterEach
    void leaveTheQueueEmpty() {
        queue.drain();
    }

    @Test
    @Order(1)
    void theBatchesTheKafkaMappingGaveUpAreRedrivenFromTheTopicOnceAndTheTablesEqualARunWithoutTheFault() throws Exception {
        List<String> bodies = List.copyOf(onFailureBodies);
        assertThat(bodies).isNotEmpty();
        assertThat(bodies).allSatisfy(b -> assertThat(readTree(b).has("KafkaBatchInfo")).isTrue());
        int given = bodies.stream().mapToInt(b -> readTree(b).at("/KafkaBatchInfo/batchSize").asInt()).sum();
        assertThat(given).as("the records the mapping gave up").isEqualTo(faultyRun.recordsDiscarded()).isGreaterThanOrEqualTo(EVENTS_PER_DEVICE);
        assertThat(liveTables(spec)).as("before the re-drive the faulty device's batches are missing").isNotEqualTo(liveTables(control));
        bodies.forEach(ReplayOnFailureKafkaIT::send);

        CliRun first = cli("replay", "--on-failure", "--output", "json");
        assertThat(first.exitCode()).as(first.stderr()).isZero();
        JsonNode summary = JSON.readTree(first.stdout());
        assertThat(summary.get("records").asLong()).isEqualTo(given);
        assertThat(summary.get("applied").asLong()).isEqualTo(given);
        assertThat(summary.get("duplicates").asLong()).isZero();
        assertThat(summary.get("failed").asLong()).isZero();
        assertThat(summary.at("/messages/redriven").asLong()).isEqualTo(bodies.size());
        assertThat(summary.at("/messages/fromStream").asLong()).isEqualTo(bodies.size());
        assertThat(summary.get("kept")).isEmpty();
        assertThat(queueDepth()).as("every message is deleted").isZero();
        Map<String, List<String>> redriven = liveTables(spec);
        assertThat(redriven).as("the tables after the re-drive equal a run without the fault").isEqualTo(liveTables(control));

        // The same messages again (as if a run had died before deleting them): nothing is counted twice.
        bodies.forEach(ReplayOnFailureKafkaIT::send);
        CliRun second = cli("replay", "--on-failure", "--output", "json");
        assertThat(second.exitCode()).as(second.stderr()).isZero();
        JsonNode again = JSON.readTree(second.stdout());
        assertThat(again.get("applied").asLong()).isZero();
        assertThat(again.get("duplicates").asLong()).isEqualTo(given);
        assertThat(queueDepth()).isZero();
        assertThat(liveTables(spec)).isEqualTo(redriven);
    }

    @Test
    @Order(2)
    void batchesWhoseRecordsTheTopicNoLongerHoldsAreRedrivenFromTheArchiveAndOnesFoundNowhereStay() throws Exception {
        // The archiver writes what it holds when it stops: then every record of the topic is in the raw archive.
        long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        while (runtime.kafkaArchiver().recordsRead() < RECORDS) {
            assertThat(System.nanoTime()).as("the archiver reads the topic").isLessThan(deadline);
            Thread.sleep(50);
        }
        runtime.kafkaArchiver().close();
        assertThat(runtime.kafkaArchiver().recordsArchived()).isEqualTo(RECORDS);
        Map<String, List<String>> before = liveTables(spec);
        Map<TopicPartition, RecordsToDelete> everything = new HashMap<>();
        try (Admin admin = runtime.kafka().adminClient()) {
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            for (int p = 0; p < spec.stream().shardCount(); p++) {
                latest.put(new TopicPartition(spec.stream().name(), p), OffsetSpec.latest());
            }
            admin.listOffsets(latest).all().get(30, TimeUnit.SECONDS)
                    .forEach((partition, info) -> everything.put(partition, RecordsToDelete.beforeOffset(info.offset())));
            admin.deleteRecords(everything).all().get(30, TimeUnit.SECONDS); // as retention would
        }
        List<String> bodies = List.copyOf(onFailureBodies);
        int given = bodies.stream().mapToInt(b -> readTree(b).at("/KafkaBatchInfo/batchSize").asInt()).sum();
        bodies.forEach(ReplayOnFailureKafkaIT::send);
        // One partition's range past the topic's end and the archive's: found nowhere.
        ObjectNode nowhere = (ObjectNode) readTree(bodies.get(0));
        ObjectNode info = (ObjectNode) nowhere.get("KafkaBatchInfo");
        ObjectNode recordsInfo = (ObjectNode) info.get("recordsInfo");
        String partition = recordsInfo.fieldNames().next();
        recordsInfo.retain(partition);
        ((ObjectNode) recordsInfo.get(partition)).put("firstRecordOffset", "900000").put("lastRecordOffset", "900099");
        info.put("batchSize", 1);
        send(nowhere.toString());

        CliRun replay = cli("replay", "--on-failure", "--output", "json");

        assertThat(replay.exitCode()).as("a message left on the queue").isEqualTo(1);
        JsonNode summary = JSON.readTree(replay.stdout());
        assertThat(summary.at("/messages/fromArchive").asLong()).isEqualTo(bodies.size());
        assertThat(summary.at("/messages/fromStream").asLong()).isZero();
        assertThat(summary.get("records").asLong()).isEqualTo(given);
        assertThat(summary.get("applied").asLong()).as("all applied by the first test").isZero();
        assertThat(summary.get("duplicates").asLong()).isEqualTo(given);
        assertThat(summary.get("kept")).singleElement().satisfies(kept -> {
            assertThat(kept.get("reason").asText()).isEqualTo(OnFailureReplay.RECORDS_NOT_FOUND);
            assertThat(kept.get("detail").asText()).contains("not all in the topic").contains("nor in the archive");
        });
        assertThat(liveTables(spec)).isEqualTo(before);
    }

    @Test
    @Order(3)
    void aKafkaBatchOfAnotherTopicStaysOnTheQueueAsOtherStream() throws Exception {
        send(onFailureBodies.get(0).replace("\"" + spec.stream().name() + "-", "\"someone-elses-topic-"));

        CliRun replay = cli("replay", "--on-failure", "--output", "json");

        assertThat(replay.exitCode()).isEqualTo(1);
        assertThat(JSON.readTree(replay.stdout()).get("kept")).singleElement()
                .satisfies(kept -> assertThat(kept.get("reason").asText()).isEqualTo(OnFailureMessage.OTHER_STREAM));
    }

    /** Runs a Kafka mapping over the whole topic in a consumer group of its own until every record is settled. */
    private static KinesisEventSourceMapping.Stats consume(RequestHandler<KafkaEvent, ?> handler, PipelineSpec.StreamMapping settings,
                                                           String group, Consumer<String> onFailure) throws Exception {
        KafkaEventSourceMapping mapping = new KafkaEventSourceMapping(handler, settings, onFailure::accept,
                KafkaEventSourceMapping.Options.local(runtime.endpoints().region(), EmbeddedRuntime.ACCOUNT,
                        EmbeddedRuntime.functionName(spec), runtime.kafka().bootstrapServers(), spec.stream().name(), settings)
                        .withConsumerGroup(group).withPacing(Duration.ofMillis(20), Duration.ofMillis(50)),
                Clock.systemUTC(), NOWHERE);
        try (mapping) {
            mapping.start();
            long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
            while (mapping.stats().recordsRead() < RECORDS || mapping.stats().inFlight() > 0) {
                assertThat(System.nanoTime()).as("the %s mapping settles: %s", group, mapping.stats()).isLessThan(deadline);
                Thread.sleep(50);
            }
            return mapping.stats();
        }
    }

    private static String event(String device, String eventId, Instant ts, double temperature) {
        return "{\"schemaVersion\":1,\"eventId\":\"" + eventId + "\",\"deviceId\":\"" + device + "\",\"ts\":\"" + ts
                + "\",\"metrics\":{\"temperature\":" + temperature + ",\"battery\":0.5}}";
    }

    private static StreamProcessorHandler handler(PipelineSpec pipeline) {
        return StreamProcessorHandler.builder().settings(FunctionSettings.local(pipeline, URI.create(runtime.endpoints().dynamodb()),
                URI.create(runtime.endpoints().s3()))).summaryOutput(NOWHERE).build();
    }

    private static void send(String body) {
        queue.send(body);
    }

    private static long queueDepth() {
        return queue.depth();
    }

    private static Map<String, List<String>> liveTables(PipelineSpec pipeline) {
        return queue.liveTables(pipeline, d -> true);
    }

    private static JsonNode readTree(String body) {
        try {
            return JSON.readTree(body);
        } catch (Exception e) {
            throw new AssertionError(body, e);
        }
    }

    private static CliRun cli(String... args) {
        return CliRun.of(dir.resolve("endpoints.json"), args);
    }
}
