package io.twinflow.core.event;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.twinflow.core.testing.BadInputCorpus;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The sample Lambda events in {@code events/kinesis} say what events/README.md says they hold, decoded
 * with the same rule the stream processor uses: the reference time is the record's arrival time.
 */
class SampleKinesisEventsTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private final EventDecoder decoder = new EventDecoder();

    private record Delivered(JsonNode record, String sequence, byte[] data, DecodeResult result) {
    }

    private List<Delivered> read(String name) throws IOException {
        JsonNode root = MAPPER.readTree(BadInputCorpus.eventsDir().resolve("kinesis").resolve(name).toFile());
        List<Delivered> out = new ArrayList<>();
        for (JsonNode record : root.get("Records")) {
            JsonNode kinesis = record.get("kinesis");
            byte[] data = Base64.getDecoder().decode(kinesis.get("data").asText());
            BigDecimal seconds = kinesis.get("approximateArrivalTimestamp").decimalValue();
            Instant arrival = Instant.ofEpochMilli(seconds.movePointRight(3).longValueExact());
            String sequence = kinesis.get("sequenceNumber").asText();
            out.add(new Delivered(record, sequence, data, decoder.decode(data, arrival)));
        }
        return out;
    }

    private static void assertLooksLikeALambdaKinesisRecord(Delivered d) {
        JsonNode r = d.record();
        assertThat(r.get("eventSource").asText()).isEqualTo("aws:kinesis");
        assertThat(r.get("eventName").asText()).isEqualTo("aws:kinesis:record");
        assertThat(r.get("eventVersion").asText()).isEqualTo("1.0");
        assertThat(r.get("kinesis").get("kinesisSchemaVersion").asText()).isEqualTo("1.0");
        assertThat(r.get("eventID").asText()).isEqualTo("shardId-000000000000:" + d.sequence());
        assertThat(r.get("eventSourceARN").asText()).startsWith("arn:aws:kinesis:eu-central-1:");
        assertThat(r.get("kinesis").get("approximateArrivalTimestamp").isNumber()).isTrue();
        assertThat(d.sequence()).matches("[1-9][0-9]{55}");
    }

    private static void assertStrictlyIncreasing(List<String> sequences) {
        for (int i = 1; i < sequences.size(); i++) {
            assertThat(new BigInteger(sequences.get(i))).isGreaterThan(new BigInteger(sequences.get(i - 1)));
        }
    }

    private static TelemetryEvent valid(Delivered d) {
        assertThat(d.result()).as(d.sequence()).isInstanceOf(DecodeResult.Valid.class);
        return ((DecodeResult.Valid) d.result()).event();
    }

    @Test
    void normalBatchIsFortyValidEventsFromFiveDevicesOverThreeMinutes() throws IOException {
        List<Delivered> batch = read("normal-batch.json");

        assertThat(batch).hasSizeBetween(35, 45);
        batch.forEach(SampleKinesisEventsTest::assertLooksLikeALambdaKinesisRecord);
        assertStrictlyIncreasing(batch.stream().map(Delivered::sequence).toList());
        Set<String> devices = new HashSet<>();
        Set<String> ids = new HashSet<>();
        boolean hot = false;
        boolean flat = false;
        for (Delivered d : batch) {
            TelemetryEvent e = valid(d);
            devices.add(e.deviceId());
            ids.add(e.eventId());
            assertThat(d.record().get("kinesis").get("partitionKey").asText()).isEqualTo(e.deviceId());
            assertThat(e.ts()).isBetween(Instant.parse("2026-11-24T10:15:00Z"), Instant.parse("2026-11-24T10:17:59.999Z"));
            assertThat(e.metrics()).containsOnlyKeys("temperature", "humidity", "battery");
            hot |= e.metrics().get("temperature") > 50;
            flat |= e.metrics().get("battery") < 0.1;
        }
        assertThat(devices).hasSize(5);
        assertThat(ids).hasSize(batch.size());
        assertThat(hot).as("an event above the temperature alert threshold").isTrue();
        assertThat(flat).as("an event below the battery alert threshold").isTrue();
    }

    @Test
    void duplicatesBatchHoldsProducerRetriesAndRedeliveredRecords() throws IOException {
        List<Delivered> batch = read("duplicates-batch.json");
        batch.forEach(SampleKinesisEventsTest::assertLooksLikeALambdaKinesisRecord);

        Map<String, String> bodyBySequence = new HashMap<>();
        Map<String, Set<String>> sequencesByEventId = new HashMap<>();
        List<String> firstSeen = new ArrayList<>();
        int redelivered = 0;
        for (Delivered d : batch) {
            TelemetryEvent e = valid(d);
            String body = new String(d.data(), StandardCharsets.UTF_8);
            String previous = bodyBySequence.putIfAbsent(d.sequence(), body);
            if (previous != null) {
                assertThat(body).isEqualTo(previous);
                redelivered++;
            } else {
                firstSeen.add(d.sequence());
            }
            sequencesByEventId.computeIfAbsent(e.eventId(), k -> new HashSet<>()).add(d.sequence());
        }
        assertStrictlyIncreasing(firstSeen);
        long producerDuplicates = sequencesByEventId.values().stream().filter(s -> s.size() > 1).count();
        assertThat(redelivered).as("records repeated with their sequence number").isPositive();
        assertThat(producerDuplicates).as("eventIds sent under two sequence numbers").isPositive();
    }

    @Test
    void mixedBatchVerdictsMatchTheDecoderAndTheCorpus() throws IOException {
        List<Delivered> batch = read("mixed-batch.json");
        JsonNode verdicts = MAPPER.readTree(BadInputCorpus.eventsDir().resolve("kinesis").resolve("mixed-batch.expected.json").toFile());
        Path corpus = BadInputCorpus.dir();
        JsonNode expectedReasons = MAPPER.readTree(corpus.resolve("expected.json").toFile());

        batch.forEach(SampleKinesisEventsTest::assertLooksLikeALambdaKinesisRecord);
        assertStrictlyIncreasing(batch.stream().map(Delivered::sequence).toList());
        assertThat(verdicts.size()).isEqualTo(batch.size());

        Set<String> corpusFilesSeen = new HashSet<>();
        for (Delivered d : batch) {
            JsonNode verdict = verdicts.get(d.sequence());
            assertThat(verdict).as(d.sequence()).isNotNull();
            if (verdict.get("valid").asBoolean()) {
                valid(d);
                continue;
            }
            String file = verdict.get("corpusFile").asText();
            corpusFilesSeen.add(file);
            assertThat(d.data()).isEqualTo(Files.readAllBytes(corpus.resolve(file)));
            assertThat(d.result()).isInstanceOf(DecodeResult.Rejected.class);
            assertThat(((DecodeResult.Rejected) d.result()).reason().name())
                    .isEqualTo(verdict.get("reason").asText())
                    .isEqualTo(expectedReasons.get(file).asText());
        }
        // Every committed corpus record is in the batch; only the 1 MiB recipe is left out.
        Set<String> committed = new HashSet<>();
        expectedReasons.fieldNames().forEachRemaining(name -> {
            if (Files.isRegularFile(corpus.resolve(name))) {
                committed.add(name);
            }
        });
        assertThat(corpusFilesSeen).isEqualTo(committed);
        assertThat(batch.stream().filter(d -> d.result() instanceof DecodeResult.Valid).count()).isGreaterThanOrEqualTo(10);
    }

    @Test
    void hourlyScheduledEventHasTheEventBridgeShape() throws IOException {
        JsonNode event = MAPPER.readTree(BadInputCorpus.eventsDir().resolve("scheduled").resolve("hourly.json").toFile());
        assertThat(event.get("version").asText()).isEqualTo("0");
        assertThat(event.get("detail-type").asText()).isEqualTo("Scheduled Event");
        assertThat(event.get("source").asText()).isEqualTo("aws.events");
        assertThat(Instant.parse(event.get("time").asText())).isNotNull();
        assertThat(event.get("resources").isArray()).isTrue();
        assertThat(event.get("detail").isObject()).isTrue();
    }
}
