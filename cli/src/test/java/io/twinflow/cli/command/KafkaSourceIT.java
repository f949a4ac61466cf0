package io.twinflow.cli.command;

import static org.assertj.core.api.Assertions.assertThat;

import io.twinflow.core.pipeline.PipelineSpec;
import io.twinflow.emulators.EmbeddedKafka;
import io.twinflow.functions.FunctionSettings;
import io.twinflow.functions.stream.KafkaProcessorHandler;
import io.twinflow.live.LiveStateReader;
import io.twinflow.local.config.Endpoints;
import io.twinflow.local.config.ServiceClients;
import io.twinflow.local.demo.DemoBatch;
import io.twinflow.local.demo.DemoRun;
import io.twinflow.local.quarantine.QuarantineStore;
import io.twinflow.local.runtime.EmbeddedRuntime;
import io.twinflow.local.runtime.KafkaEventSourceMapping;
import io.twinflow.local.runtime.StackServices;
import io.twinflow.local.runtime.StreamSource;
import io.twinflow.local.simulate.FleetSimulator;
import io.twinflow.local.simulate.KafkaPublisher;
import io.twinflow.local.simulate.KinesisPublisher;
import io.twinflow.local.simulate.SendLedger;
import io.twinflow.local.simulate.SimulationConfig;
import io.twinflow.local.simulate.TelemetryGenerator;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The whole pipeline fed by Kafka (one embedded stack, one broker, for the class): the demo's accounting
 * and reconcile, a replay of every partition from offset zero, a broker restart in the middle of a run,
 * and a standard Kafka client from outside the project. The tests run in order on the same stack; each
 * counts what its own records did.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class KafkaSourceIT {

    private static final PrintStream NOWHERE = new PrintStream(OutputStream.nullOutputStream());

    private static EmbeddedRuntime runtime;
    private static ServiceClients clients;
    private static DynamoDbClient dynamoDb;
    private static S3Client s3;

    @TempDir
    static Path dir;

    @BeforeAll
    static void start() {
        runtime = EmbeddedRuntime.start(PipelineSpec.defaults(), NOWHERE, () -> StackServices.embedded(Optional.empty()),
                StreamSource.KAFKA);
        clients = ServiceClients.local(runtime.endpoints());
        dynamoDb = clients.dynamoDb();
        s3 = clients.s3();
    }

    @AfterAll
    static void stop() {
        if (runtime != null) {
            dynamoDb.close();
            s3.close();
            runtime.close();
        }
    }

    @Test
    @Order(1)
    void demoOverKafkaAccountsForEveryRecordAndReconcilesClean() throws Exception {
        Endpoints.Kafka kafka = runtime.endpoints().kafka();
        assertThat(kafka.bootstrapServers()).isEqualTo(runtime.kafka().bootstrapServers());
        assertThat(kafka.topic()).isEqualTo(runtime.spec().stream().name());
        assertThat(runtime.endpoints().source()).isEqualTo("kafka");
        assertThat(runtime.endpoints().readsKinesis()).isFalse();

        SimulationConfig config = new SimulationConfig(8, 1000, Duration.ofSeconds(3), 0.05, 0.04, 0.2, 5);
        Map<String, Object> report;
        try (SqsClient sqs = clients.sqs(); KinesisClient kinesis = clients.kinesis()) {
            report = DemoRun.run(runtime, dynamoDb, s3, sqs, kinesis, config, (done, total, ledger) -> { }, Duration.ofMinutes(2));
        }
        long sent = number(report, "sent");
        assertThat(report.get("source")).isEqualTo("kafka");
        assertThat(report.get("drained")).isEqualTo(true);
        assertThat(number(report, "unaccounted")).as(report.toString()).isZero();
        assertThat(number(report, "failed")).isZero();
        assertThat(sent).isEqualTo(number(report, "applied") + number(report, "duplicates") + number(report, "quarantined"));
        assertThat(number(report, "applied")).isEqualTo(number(report, "expectedApplied"));
        assertThat(number(report, "quarantined")).isEqualTo(number(report, "expectedQuarantined"));
        assertThat(number(report, "duplicates")).isPositive();
        // Every record the topic took is in the raw archive once, in the same layout as from Kinesis.
        assertThat(number(report, "archived")).isEqualTo(sent);
        assertThat(s3.listObjectsV2(b -> b.bucket(runtime.spec().buckets().raw()).prefix(runtime.spec().buckets().rawPrefix()))
                .contents()).allSatisfy(o -> assertThat(o.key()).matches(".*/dt=\\d{4}-\\d{2}-\\d{2}/hour=\\d{2}/.*\\.json\\.gz"));

        DemoBatch.Outcome outcome = DemoBatch.run(runtime.batch(), dynamoDb, dir.resolve("rollup.log"), NOWHERE);
        assertThat(outcome.jobsSucceeded()).as(outcome.batch().toString()).isTrue();
        assertThat(outcome.clean()).as(outcome.reconcile().toString()).isTrue();
    }

    @Test
    @Order(2)
    void redeliveryOfEveryPartitionFromOffsetZeroChangesNoTable() throws Exception {
        Map<String, List<String>> before = tables();
        long records = recordsInTopic();
        assertThat(records).isPositive();

        // A second mapping in a new consumer group starts at offset zero of every partition: the whole
        // topic delivered again to the same handler and tables.
        PipelineSpec spec = runtime.spec();
        Endpoints e = runtime.endpoints();
        FunctionSettings settings = FunctionSettings.local(spec, URI.create(e.dynamodb()), URI.create(e.s3()));
        KafkaEventSourceMapping.Options options = KafkaEventSourceMapping.Options.local(e.region(), EmbeddedRuntime.ACCOUNT,
                "replay", runtime.kafka().bootstrapServers(), spec.stream().name(), spec.streamMapping());
        try (KafkaEventSourceMapping replay = new KafkaEventSourceMapping(new KafkaProcessorHandler(settings), spec.streamMapping(),
                record -> { }, options, Clock.systemUTC(), NOWHERE)) {
            replay.start();
            await(() -> replay.stats().recordsSucceeded() >= records, Duration.ofMinutes(2));
        }

        assertThat(tables()).isEqualTo(before);
    }

    @Test
    @Order(3)
    void aBrokerRestartDuringARunLosesAndDoubleCountsNothing() throws Exception {
        SimulationConfig config = new SimulationConfig(6, 500, Duration.ofSeconds(4), 0.05, 0.04, 0.2, 21);
        long appliedBefore = applied(config.devices());
        long quarantinedBefore = quarantined();

        SendLedger ledger;
        try (KafkaPublisher publisher = new KafkaPublisher(runtime.kafka().bootstrapServers(), runtime.spec().stream().name())) {
            CompletableFuture<SendLedger> run = CompletableFuture.supplyAsync(() -> {
                try {
                    return new FleetSimulator(config).run(publisher, (record, ack, at) -> { }, (done, total, l) -> { });
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
            Thread.sleep(1_500);
            runtime.embeddedKafka().orElseThrow().restart(); // the producer and the mapping's consumer ride it out
            ledger = run.get(3, TimeUnit.MINUTES);
        }
        assertThat(ledger.notPut()).isZero();

        long expected = ledger.uniqueValid();
        await(() -> applied(config.devices()) - appliedBefore >= expected
                && quarantined() - quarantinedBefore >= ledger.badTotal(), Duration.ofMinutes(2));
        Thread.sleep(2_000); // anything delivered twice would land by now
        assertThat(applied(config.devices()) - appliedBefore).isEqualTo(expected);
        assertThat(quarantined() - quarantinedBefore).isEqualTo(ledger.badTotal());
        assertThat(runtime.kafkaMapping().stats().inFlight()).isZero();
    }

    @Test
    @Order(4)
    void aStandardKafkaClientFromOutsideTheProjectFeedsThePipeline() throws Exception {
        Endpoints.Kafka kafka = runtime.endpoints().kafka();
        String device = "console-producer-1";
        Instant ts = Instant.now().minusSeconds(5);
        String event = "{\"schemaVersion\":1,\"eventId\":\"console-1\",\"deviceId\":\"" + device + "\",\"ts\":\"" + ts
                + "\",\"metrics\":{\"temperature\":19.5}}";
        // The distribution's own console producer, in a process of its own, reading "key|value" lines.
        Process producer = new ProcessBuilder(EmbeddedKafka.javaCommand("org.apache.kafka.tools.ConsoleProducer",
                List.of("--bootstrap-server", kafka.bootstrapServers(), "--topic", kafka.topic(),
                        "--reader-property", "parse.key=true", "--reader-property", "key.separator=|")))
                .redirectErrorStream(true).start();
        producer.getOutputStream().write((device + "|" + event + "\n").getBytes(StandardCharsets.UTF_8));
        producer.getOutputStream().close();
        assertThat(producer.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(producer.exitValue()).as(new String(producer.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).isZero();

        LiveStateReader reader = reader();
        await(() -> reader.state(device).isPresent(), Duration.ofSeconds(60));
        assertThat(reader.state(device).orElseThrow().eventId()).isEqualTo("console-1");
        assertThat(reader.windows(device, ts.minusSeconds(120), ts.plusSeconds(120)))
                .extracting(LiveStateReader.WindowSummary::count).containsExactly(1L);
    }

    @Test
    @Order(5)
    void aRecordTheKafkaProcessorQuarantinedIsRequeuedOntoTheTopicItCameFrom() throws Exception {
        PipelineSpec spec = runtime.spec();
        String topic = spec.stream().name();
        long before = quarantined();
        try (KinesisClient kinesis = clients.kinesis();
             KafkaPublisher kafka = new KafkaPublisher(runtime.kafka().bootstrapServers(), topic)) {
            QuarantineStore store = new QuarantineStore(s3, Optional.of(new KinesisPublisher(kinesis, topic)), Optional.of(kafka),
                    spec.buckets().quarantine(), spec.buckets().quarantinePrefix(), topic, Clock.systemUTC());
            QuarantineStore.Entry entry = store.list(Optional.empty(), Optional.empty()).stream()
                    .filter(e -> e.requeued().isEmpty()).findFirst().orElseThrow();
            assertThat(entry.record().shardId()).matches(topic + "-\\d+");

            QuarantineStore.Outcome outcome = store.requeue(List.of(entry.key())).get(0);

            assertThat(outcome.putOnStream()).isTrue();
            assertThat(outcome.requeued().shardId()).matches(topic + "-\\d+");
            // Its cause is not fixed, so the Kafka processor quarantines it again, at its new offset.
            await(() -> quarantined() > before, Duration.ofSeconds(60));
            assertThat(store.list(Optional.empty(), Optional.empty())).anySatisfy(e -> {
                assertThat(e.record().shardId()).isEqualTo(outcome.requeued().shardId());
                assertThat(e.record().sequenceNumber()).isEqualTo(outcome.requeued().sequenceNumber());
                assertThat(e.record().payload()).isEqualTo(entry.record().payload());
            });
        }
    }

    private static LiveStateReader reader() {
        var tables = runtime.spec().tables();
        return new LiveStateReader(dynamoDb, tables.deviceState(), tables.deviceWindows(), tables.alerts());
    }

    /** The sum of the window counts of the simulated devices: each applied event is in exactly one window. */
    private static long applied(int devices) {
        LiveStateReader reader = reader();
        Instant from = Instant.now().minus(Duration.ofHours(2));
        Instant to = Instant.now().plus(Duration.ofHours(1));
        long total = 0;
        for (int i = 0; i < devices; i++) {
            total += reader.windows(TelemetryGenerator.deviceId(i), from, to).stream().mapToLong(LiveStateReader.WindowSummary::count).sum();
        }
        return total;
    }

    private static long quarantined() {
        PipelineSpec.Buckets buckets = runtime.spec().buckets();
        List<String> keys = new ArrayList<>();
        s3.listObjectsV2Paginator(b -> b.bucket(buckets.quarantine()).prefix(buckets.quarantinePrefix())).contents()
                .forEach(o -> keys.add(o.key()));
        return keys.size();
    }

    /** Every item of the three live tables, attributes in name order, items sorted: two states compare whole. */
    private static Map<String, List<String>> tables() {
        var tables = runtime.spec().tables();
        Map<String, List<String>> all = new TreeMap<>();
        for (String table : List.of(tables.deviceState(), tables.deviceWindows(), tables.alerts())) {
            List<String> items = new ArrayList<>();
            dynamoDb.scanPaginator(b -> b.tableName(table).consistentRead(true)).items()
                    .forEach(item -> items.add(new TreeMap<String, AttributeValue>(item).toString()));
            items.sort(null);
            all.put(table, items);
        }
        return all;
    }

    private static long recordsInTopic() throws Exception {
        String topic = runtime.spec().stream().name();
        try (Admin admin = runtime.kafka().adminClient()) {
            Map<TopicPartition, OffsetSpec> latest = new TreeMap<>((a, b) -> Integer.compare(a.partition(), b.partition()));
            for (int p = 0; p < runtime.spec().stream().shardCount(); p++) {
                latest.put(new TopicPartition(topic, p), OffsetSpec.latest());
            }
            return admin.listOffsets(latest).all().get(30, TimeUnit.SECONDS).values().stream()
                    .mapToLong(info -> info.offset()).sum();
        }
    }

    private static long number(Map<String, Object> report, String key) {
        return ((Number) report.get(key)).longValue();
    }

    private static void await(BooleanSupplier condition, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("condition not met within " + timeout).isLessThan(deadline);
            Thread.sleep(100);
        }
    }
}
