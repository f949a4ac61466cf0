package io.twinflow.localstack;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.twinflow.core.archive.ArchiveLine;
import io.twinflow.core.event.DecodeResult;
import io.twinflow.core.event.EventDecoder;
import io.twinflow.core.event.ReasonCode;
import io.twinflow.core.pipeline.PipelineSpec;
import io.twinflow.core.testing.BadInputCorpus;
import io.twinflow.live.LiveTables;
import io.twinflow.local.runtime.EventSourceMapping;
import io.twinflow.local.runtime.KinesisEventSourceMapping;
import io.twinflow.local.simulate.FleetSimulator;
import io.twinflow.local.simulate.PlannedRecord;
import io.twinflow.local.simulate.RecordPublisher;
import io.twinflow.local.simulate.SendLedger;
import io.twinflow.local.simulate.SimulationConfig;
import io.twinflow.local.simulate.TelemetryGenerator;
import io.twinflow.resources.PipelineResources;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.zip.GZIPInputStream;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The bodies of the {@link Scenario}s. Each builds its expectation from what the stream acknowledged
 * (never from what was merely intended), so the same assertions hold on every environment; each reaches
 * the stream only through the pipeline's {@link SourceUnderTest}, so they hold over Kinesis and Kafka.
 */
final class Scenarios {

    private static final ObjectMapper JSON = new ObjectMapper();
    /**
     * A Kinesis record carries at most 1 MiB of data and partition key together; a Kafka producer sends at
     * most 1 MiB a request by default ({@code max.request.size}), headers and framing included, as MSK's
     * default {@code message.max.bytes} is about the same.
     */
    private static final int MAX_RECORD_BYTES = 1024 * 1024;
    private static final Set<String> TIME_RULES = Set.of(ReasonCode.FUTURE_TIMESTAMP.name(), ReasonCode.TOO_LATE.name());

    private Scenarios() {
    }

    static void resourcesMatchTheSpec(Environment environment, String slug) {
        try (PipelineUnderTest pipeline = PipelineUnderTest.start(environment, slug)) {
            PipelineSpec spec = pipeline.spec();
            PipelineResources.Created again = environment.createResources(spec);
            assertThat(again.queueUrls()).as("queue URLs after a second run").isEqualTo(pipeline.resources().queueUrls());

            assertThat(pipeline.source().shardIds()).as("shards or partitions of the " + pipeline.source().kind().cliName() + " stream")
                    .hasSize(spec.stream().shardCount());

            for (LiveTables.TableDefinition definition : LiveTables.definitions(spec.tables().deviceState(),
                    spec.tables().deviceWindows(), spec.tables().alerts())) {
                TableDescription table = pipeline.dynamoDb().describeTable(b -> b.tableName(definition.name())).table();
                List<String> expected = definition.sortKey() == null
                        ? List.of(KeyType.HASH + ":" + definition.partitionKey())
                        : List.of(KeyType.HASH + ":" + definition.partitionKey(), KeyType.RANGE + ":" + definition.sortKey());
                assertThat(table.keySchema()).extracting(Scenarios::keyText).as(definition.name()).isEqualTo(expected);
            }

            Set<String> buckets = new HashSet<>();
            pipeline.s3().listBuckets().buckets().forEach(b -> buckets.add(b.name()));
            assertThat(buckets).containsAll(PipelineResources.buckets(spec));

            for (String queue : PipelineResources.queues(spec)) {
                assertThat(pipeline.sqs().getQueueUrl(b -> b.queueName(queue)).queueUrl()).as(queue)
                        .isEqualTo(pipeline.resources().queueUrl(queue));
            }
        }
    }

    private static String keyText(KeySchemaElement key) {
        return key.keyType() + ":" + key.attributeName();
    }

    static void fleetIsAccountedForExactly(Environment environment, String slug) throws Exception {
        try (PipelineUnderTest pipeline = PipelineUnderTest.start(environment, slug)) {
            SimulationConfig config = new SimulationConfig(8, 1000, Duration.ofMillis(1500), 0.06, 0.05, 0.25, 11);
            Fleet fleet = Fleet.run(pipeline, config);
            PipelineUnderTest.awaitSettled(pipeline.mapping(), fleet.accepted().size());
            PipelineSpec spec = pipeline.spec();

            assertThat(fleet.ledger().duplicates()).as("the run must hold duplicates").isPositive();
            assertThat(fleet.ledger().late()).as("the run must hold late events").isPositive();
            assertThat(fleet.ledger().badTotal()).as("the run must hold bad records").isPositive();

            // Expected: the first copy of each eventId, in the window of its event time.
            long window = spec.window().toMillis();
            Map<String, Map<String, Long>> expectedWindows = new TreeMap<>();
            Map<String, JsonNode> expectedLatest = new TreeMap<>();
            Set<String> seen = new HashSet<>();
            for (PlannedRecord r : fleet.accepted()) {
                if (r.kind() == PlannedRecord.Kind.BAD) {
                    continue;
                }
                JsonNode event = JSON.readTree(r.data());
                if (!seen.add(event.get("eventId").asText())) {
                    continue;
                }
                Instant ts = Instant.parse(event.get("ts").asText());
                Instant start = Instant.ofEpochMilli(Math.floorDiv(ts.toEpochMilli(), window) * window);
                String device = event.get("deviceId").asText();
                expectedWindows.computeIfAbsent(device, d -> new TreeMap<>()).merge(LiveTables.windowKey(start), 1L, Long::sum);
                expectedLatest.merge(device, event, Scenarios::later);
            }
            assertThat((long) seen.size()).isEqualTo(fleet.ledger().uniqueValid());

            Map<String, Map<String, Long>> actualWindows = new TreeMap<>();
            for (Map<String, AttributeValue> item : pipeline.scan(spec.tables().deviceWindows())) {
                if (LiveTables.isPage(item)) {
                    continue;
                }
                actualWindows.computeIfAbsent(item.get(LiveTables.DEVICE_ID).s(), d -> new TreeMap<>())
                        .put(item.get(LiveTables.WINDOW_START).s(), Long.parseLong(item.get(LiveTables.WINDOW_EVENT_COUNT).n()));
            }
            assertThat(actualWindows).isEqualTo(expectedWindows);

            Map<String, String> actualLatest = new TreeMap<>();
            for (Map<String, AttributeValue> item : pipeline.scan(spec.tables().deviceState())) {
                actualLatest.put(item.get(LiveTables.DEVICE_ID).s(), item.get(LiveTables.STATE_EVENT_ID).s());
            }
            Map<String, String> expectedLatestIds = new TreeMap<>();
            expectedLatest.forEach((device, event) -> expectedLatestIds.put(device, event.get("eventId").asText()));
            assertThat(actualLatest).as("latest event per device").isEqualTo(expectedLatestIds);

            Map<String, Long> expectedReasons = new TreeMap<>();
            fleet.ledger().badByReason().forEach((reason, count) -> expectedReasons.put(reason.name(), count));
            Map<String, Long> actualReasons = new TreeMap<>();
            for (JsonNode quarantined : quarantined(pipeline)) {
                actualReasons.merge(quarantined.get("reason").asText(), 1L, Long::sum);
            }
            assertThat(actualReasons).isEqualTo(expectedReasons);

            assertThat(pipeline.failureMessages()).as("messages on the on-failure destination").isZero();
            KinesisEventSourceMapping.Stats stats = pipeline.mapping().stats();
            assertThat(stats.recordsSucceeded()).isEqualTo(fleet.accepted().size());
            assertThat(stats.recordsDiscarded() + stats.recordsExpired()).isZero();
        }
    }

    /** Of two events of one device, the one the state must keep: later event time, then larger eventId. */
    private static JsonNode later(JsonNode a, JsonNode b) {
        int byTime = Instant.parse(a.get("ts").asText()).compareTo(Instant.parse(b.get("ts").asText()));
        if (byTime != 0) {
            return byTime > 0 ? a : b;
        }
        return a.get("eventId").asText().compareTo(b.get("eventId").asText()) >= 0 ? a : b;
    }

    static void redeliveryChangesNothing(Environment environment, String slug) throws Exception {
        try (PipelineUnderTest pipeline = PipelineUnderTest.start(environment, slug)) {
            Fleet fleet = Fleet.run(pipeline, new SimulationConfig(6, 800, Duration.ofMillis(1000), 0.1, 0.05, 0.25, 23));
            PipelineUnderTest.awaitSettled(pipeline.mapping(), fleet.accepted().size());
            // The window's write counter grows with every delivery; everything else must not move.
            Set<String> ignored = Set.of(LiveTables.WINDOW_VERSION);
            Map<String, List<String>> before = pipeline.tables(ignored);
            List<String> quarantineBefore = quarantineKeys(pipeline);
            assertThat(before.values()).allSatisfy(items -> assertThat(items).isNotEmpty());

            // A mapping without checkpoints delivers the whole stream again, as after a lost checkpoint.
            try (EventSourceMapping replay = pipeline.newMapping()) {
                replay.start();
                PipelineUnderTest.awaitSettled(replay, fleet.accepted().size());
                assertThat(replay.stats().recordsSucceeded()).isEqualTo(fleet.accepted().size());
            }

            assertThat(pipeline.tables(ignored)).isEqualTo(before);
            assertThat(quarantineKeys(pipeline)).isEqualTo(quarantineBefore);
            assertThat(pipeline.failureMessages()).isZero();
        }
    }

    static void badInputCorpusIsQuarantinedWithReasons(Environment environment, String slug) throws Exception {
        try (PipelineUnderTest pipeline = PipelineUnderTest.start(environment, slug)) {
            PipelineSpec spec = pipeline.spec();
            TelemetryGenerator generator = new TelemetryGenerator(4, 0, 5);
            RecordPublisher publisher = pipeline.source().publisher();
            // Keyed by shard and position: a Kafka offset is unique within its partition only.
            Map<String, String> reasonByPosition = new HashMap<>();
            Map<String, byte[]> payloadByPosition = new HashMap<>();
            List<ReasonCode> tooLargeForTheStream = new ArrayList<>();
            int valid = 0;
            int n = 0;
            for (Map.Entry<String, ReasonCode> entry : BadInputCorpus.expected().entrySet()) {
                byte[] payload = BadInputCorpus.bytes(entry.getKey());
                String key = "corpus-" + n++;
                if (payload.length + key.length() > MAX_RECORD_BYTES) {
                    tooLargeForTheStream.add(entry.getValue()); // the stream refuses it: no consumer can ever see it
                    continue;
                }
                // Good records between the bad ones: a poison record must not hold up its neighbours.
                PlannedRecord good = generator.next(Instant.now());
                List<RecordPublisher.Ack> acks = publisher.put(List.of(
                        new PlannedRecord(PlannedRecord.Kind.BAD, key, payload, null, null, entry.getValue(), false, null), good));
                assertThat(acks).as(entry.getKey() + " and a good record put").doesNotContainNull();
                reasonByPosition.put(position(acks.get(0).shardId(), acks.get(0).sequenceNumber()), entry.getValue().name());
                payloadByPosition.put(position(acks.get(0).shardId(), acks.get(0).sequenceNumber()), payload);
                valid++;
            }
            // Only the record that is too large by design may be left out, not a whole class of faults.
            assertThat(tooLargeForTheStream).containsOnly(ReasonCode.RECORD_TOO_LARGE);
            PipelineUnderTest.awaitSettled(pipeline.mapping(), reasonByPosition.size() + valid);

            Map<String, String> actualReasons = new HashMap<>();
            EventDecoder decoder = new EventDecoder();
            for (JsonNode quarantined : quarantined(pipeline)) {
                String position = position(quarantined.get("shardId").asText(), quarantined.get("sequenceNumber").asText());
                actualReasons.put(position, quarantined.get("reason").asText());
                assertThat(Base64.getDecoder().decode(quarantined.get("payloadBase64").asText())).as(position)
                        .isEqualTo(payloadByPosition.get(position));
                // The corpus is written for arrival on its base day; the time rules judge the real arrival.
                if (TIME_RULES.contains(reasonByPosition.get(position)) || ReasonCode.TOO_LATE.name().equals(actualReasons.get(position))) {
                    Instant arrival = Instant.parse(quarantined.get("approximateArrivalTimestamp").asText());
                    reasonByPosition.put(position, ((DecodeResult.Rejected) decoder.decode(payloadByPosition.get(position), arrival))
                            .reason().name());
                }
            }
            assertThat(actualReasons).isEqualTo(reasonByPosition);

            long applied = 0;
            for (Map<String, AttributeValue> item : pipeline.scan(spec.tables().deviceWindows())) {
                if (LiveTables.isPage(item)) {
                    continue;
                }
                applied += Long.parseLong(item.get(LiveTables.WINDOW_EVENT_COUNT).n());
            }
            assertThat(applied).as("valid events applied").isEqualTo(valid);
            assertThat(pipeline.failureMessages()).isZero();
        }
    }

    static void archiveHoldsEveryAcceptedRecord(Environment environment, String slug) throws Exception {
        try (PipelineUnderTest pipeline = PipelineUnderTest.start(environment, slug)) {
            PipelineSpec spec = pipeline.spec();
            Fleet fleet = Fleet.run(pipeline, new SimulationConfig(5, 800, Duration.ofMillis(1000), 0.1, 0.05, 0.25, 37));
            long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
            while (pipeline.archiver().recordsArchived() < fleet.accepted().size() && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertThat(pipeline.archiver().recordsArchived()).as("records archived").isEqualTo(fleet.accepted().size());

            List<String> archived = new ArrayList<>();
            for (S3Object o : pipeline.objects(spec.buckets().raw(), spec.buckets().rawPrefix())) {
                assertThat(o.key()).matches(spec.buckets().rawPrefix() + "dt=\\d{4}-\\d{2}-\\d{2}/hour=\\d{2}/"
                        + spec.stream().name() + "-.+\\.json\\.gz");
                archived.addAll(lines(pipeline.object(spec.buckets().raw(), o.key())));
            }
            List<String> sent = fleet.accepted().stream().map(r -> Base64.getEncoder().encodeToString(r.data())).toList();
            assertThat(archived).containsExactlyInAnyOrderElementsOf(sent);
        }
    }

    /** Where a record lies in the stream: its shard (or topic-partition) and its position there. */
    private static String position(String shardId, String sequenceNumber) {
        return shardId + "/" + sequenceNumber;
    }

    /** The record in each envelope line of a gzip archive object, base64 so that any bytes compare exactly. */
    private static List<String> lines(byte[] gzip) {
        byte[] text;
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gzip))) {
            text = in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> lines = new ArrayList<>();
        int from = 0;
        for (int i = 0; i < text.length; i++) {
            if (text[i] == '\n') {
                ArchiveLine.Read read = ArchiveLine.read(Arrays.copyOfRange(text, from, i), Instant.EPOCH);
                assertThat(read).as("an envelope line").isInstanceOf(ArchiveLine.Record.class);
                lines.add(Base64.getEncoder().encodeToString(((ArchiveLine.Record) read).record().data()));
                from = i + 1;
            }
        }
        assertThat(from).as("the object ends with a newline").isEqualTo(text.length);
        return lines;
    }

    private static List<JsonNode> quarantined(PipelineUnderTest pipeline) throws IOException {
        PipelineSpec spec = pipeline.spec();
        List<JsonNode> records = new ArrayList<>();
        for (S3Object o : pipeline.objects(spec.buckets().quarantine(), spec.buckets().quarantinePrefix())) {
            records.add(JSON.readTree(new String(pipeline.object(spec.buckets().quarantine(), o.key()), StandardCharsets.UTF_8)));
        }
        return records;
    }

    private static List<String> quarantineKeys(PipelineUnderTest pipeline) {
        PipelineSpec spec = pipeline.spec();
        return pipeline.objects(spec.buckets().quarantine(), spec.buckets().quarantinePrefix()).stream()
                .map(S3Object::key).sorted().toList();
    }

    /** A simulated fleet's run against the pipeline: the ledger and every record the stream accepted. */
    private record Fleet(SendLedger ledger, List<PlannedRecord> accepted) {
        static Fleet run(PipelineUnderTest pipeline, SimulationConfig config) throws InterruptedException {
            List<PlannedRecord> accepted = new CopyOnWriteArrayList<>();
            SendLedger ledger = new FleetSimulator(config).run(
                    pipeline.source().publisher(),
                    (record, ack, at) -> accepted.add(record), (done, total, l) -> { });
            assertThat(ledger.notPut()).as("records the stream refused").isZero();
            return new Fleet(ledger, List.copyOf(accepted));
        }
    }
}
