package io.twinflow.local.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.KafkaEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.twinflow.core.pipeline.PipelineSpec;
import io.twinflow.emulators.EmbeddedKafka;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The local Kafka event source mapping against a real broker (one for the class): the documented
 * semantics of Lambda's Kafka mapping, not the Kinesis one's.
 */
class KafkaEventSourceMappingIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static EmbeddedKafka kafka;

    @BeforeAll
    static void startBroker() {
        kafka = EmbeddedKafka.start();
    }

    @AfterAll
    static void stopBroker() {
        kafka.close();
    }

    private static void produce(String topic, int records) throws Exception {
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                kafka.bootstrapServers(), ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true), new StringSerializer(), new StringSerializer())) {
            for (int i = 0; i < records; i++) {
                producer.send(new ProducerRecord<>(topic, "device-" + (i % 5), "r" + i)).get();
            }
        }
    }

    private static KafkaEventSourceMapping mapping(String topic, PipelineSpec.StreamMapping settings,
                                                   RequestHandler<KafkaEvent, Void> handler,
                                                   List<String> destination) {
        KafkaEventSourceMapping.Options options = KafkaEventSourceMapping.Options.local("us-east-1", "000000000000", topic,
                kafka.bootstrapServers(), topic, settings).withPacing(Duration.ofMillis(10), Duration.ofMillis(50));
        return new KafkaEventSourceMapping(handler, settings, destination::add, options, Clock.systemUTC(),
                new PrintStream(OutputStream.nullOutputStream()));
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("condition not met within 60 s").isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    private static Map<TopicPartition, OffsetAndMetadata> committed(String group) throws Exception {
        try (Admin admin = kafka.adminClient()) {
            return admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS);
        }
    }

    private static List<String> values(KafkaEvent event) {
        List<String> values = new ArrayList<>();
        event.getRecords().values().forEach(records -> records.forEach(r ->
                values.add(new String(Base64.getDecoder().decode(r.getValue()), StandardCharsets.UTF_8))));
        return values;
    }

    @Test
    void aFailingBatchIsRetriedWholeAndItsOffsetsCommittedOnlyAfterSuccess() throws Exception {
        kafka.createTopic("retried", 3);
        String group = "retried-mapping"; // named after the function, which the helper names after the topic
        produce("retried", 40);
        PipelineSpec.StreamMapping settings = PipelineSpec.defaults().streamMapping().toBuilder().batchSize(100)
                .maxBatchingWindow(Duration.ofMillis(300)).maxRetries(5).build();
        List<KafkaEvent> invocations = new CopyOnWriteArrayList<>();
        AtomicInteger failuresLeft = new AtomicInteger(2);
        List<String> destination = new CopyOnWriteArrayList<>();
        try (KafkaEventSourceMapping mapping = mapping("retried", settings, (event, context) -> {
            invocations.add(event);
            if (failuresLeft.getAndDecrement() > 0) {
                // Nothing may be committed while the batch keeps failing.
                try {
                    assertThat(committed(group)).isEmpty();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
                throw new IllegalStateException("transient");
            }
            return null;
        }, destination)) {
            mapping.start();
            await(() -> mapping.stats().recordsSucceeded() == 40);

            assertThat(invocations).hasSizeGreaterThanOrEqualTo(3);
            // The two retries carry exactly the first delivery's records: the whole batch, not a part of it.
            assertThat(values(invocations.get(1))).isEqualTo(values(invocations.get(0)));
            assertThat(values(invocations.get(2))).isEqualTo(values(invocations.get(0)));
            // Records of one partition arrive in offset order, under "topic-partition".
            invocations.get(0).getRecords().forEach((key, records) -> {
                assertThat(key).isEqualTo("retried-" + records.get(0).getPartition());
                assertThat(records).isSortedAccordingTo((a, b) -> Long.compare(a.getOffset(), b.getOffset()));
            });
            assertThat(mapping.stats().functionErrors()).isEqualTo(2);
            assertThat(mapping.stats().inFlight()).isZero();
            await(() -> {
                try {
                    return committed(group).values().stream().mapToLong(OffsetAndMetadata::offset).sum() == 40;
                } catch (Exception e) {
                    return false;
                }
            });
            assertThat(destination).isEmpty();
        }
    }

    @Test
    void aBatchFailingPastItsRetriesGoesToTheOnFailureDestinationAndIsSkipped() throws Exception {
        kafka.createTopic("poison", 1);
        String group = "poison-mapping";
        produce("poison", 3);
        PipelineSpec.StreamMapping settings = PipelineSpec.defaults().streamMapping().toBuilder().batchSize(10)
                .maxBatchingWindow(Duration.ofMillis(200)).maxRetries(2).build();
        AtomicInteger calls = new AtomicInteger();
        List<String> destination = new CopyOnWriteArrayList<>();
        try (KafkaEventSourceMapping mapping = mapping("poison", settings, (event, context) -> {
            calls.incrementAndGet();
            throw new IllegalStateException("poison");
        }, destination)) {
            mapping.start();
            await(() -> mapping.stats().recordsDiscarded() == 3);

            assertThat(calls.get()).isEqualTo(3); // the first invocation and two retries
            assertThat(destination).hasSize(1);
            JsonNode record = JSON.readTree(destination.get(0));
            assertThat(record.at("/requestContext/condition").asText()).isEqualTo("RetryAttemptsExhausted");
            assertThat(record.at("/requestContext/approximateInvokeCount").asInt()).isEqualTo(3);
            assertThat(record.at("/KafkaBatchInfo/batchSize").asInt()).isEqualTo(3);
            assertThat(record.at("/KafkaBatchInfo/recordsInfo/poison-0/firstRecordOffset").asText()).isEqualTo("0");
            assertThat(record.at("/KafkaBatchInfo/recordsInfo/poison-0/lastRecordOffset").asText()).isEqualTo("2");
            // Skipped: its offsets are committed, so the partition moves on.
            await(() -> {
                try {
                    return committed(group).getOrDefault(new TopicPartition("poison", 0), new OffsetAndMetadata(0)).offset() == 3;
                } catch (Exception e) {
                    return false;
                }
            });
        }
    }
}
