package io.twinflow.emulators;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** One broker for the class: starting a JVM is the slow part. */
class EmbeddedKafkaIT {

    private static EmbeddedKafka kafka;

    @BeforeAll
    static void startBroker() {
        kafka = EmbeddedKafka.start();
        System.out.println("Kafka broker ready in " + kafka.startupTime().toMillis() + " ms");
    }

    @AfterAll
    static void stopBroker() {
        kafka.close();
    }

    private KafkaProducer<String, String> producer() {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true, ProducerConfig.ACKS_CONFIG, "all"),
                new StringSerializer(), new StringSerializer());
    }

    private KafkaConsumer<String, String> consumer(String group) {
        return new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, group, ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false), new StringDeserializer(), new StringDeserializer());
    }

    private static List<String> readAll(KafkaConsumer<String, String> consumer, int expected) {
        List<String> values = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (values.size() < expected && System.nanoTime() < deadline) {
            for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                values.add(r.value());
            }
        }
        return values;
    }

    @Test
    void recordsAndCommittedOffsetsSurviveABrokerRestart() throws Exception {
        kafka.createTopic("restart", 2);
        kafka.createTopic("restart", 2); // a second create finds it and leaves it
        try (KafkaProducer<String, String> producer = producer()) {
            for (int i = 0; i < 10; i++) {
                producer.send(new ProducerRecord<>("restart", "device-" + (i % 3), "v" + i)).get();
            }
        }
        try (KafkaConsumer<String, String> consumer = consumer("restart-group")) {
            consumer.subscribe(List.of("restart"));
            assertThat(readAll(consumer, 10)).hasSize(10);
            consumer.commitSync();
        }

        kafka.restart();

        try (KafkaProducer<String, String> producer = producer()) {
            producer.send(new ProducerRecord<>("restart", "device-0", "after")).get();
        }
        try (KafkaConsumer<String, String> consumer = consumer("restart-group")) {
            consumer.subscribe(List.of("restart"));
            // The group resumes after what it committed before the restart: only the new record.
            assertThat(readAll(consumer, 1)).containsExactly("after");
            Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(
                    Set.of(new TopicPartition("restart", 0), new TopicPartition("restart", 1)));
            assertThat(committed.values().stream().mapToLong(OffsetAndMetadata::offset).sum()).isEqualTo(10);
        }
    }

    @Test
    void theDistributionsConsoleProducerRunsAsItsOwnProcess() throws Exception {
        kafka.createTopic("console", 1);
        Process producer = new ProcessBuilder(EmbeddedKafka.javaCommand("org.apache.kafka.tools.ConsoleProducer",
                List.of("--bootstrap-server", kafka.bootstrapServers(), "--topic", "console")))
                .redirectErrorStream(true).start();
        producer.getOutputStream().write("one\ntwo\n".getBytes(StandardCharsets.UTF_8));
        producer.getOutputStream().close();
        assertThat(producer.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(producer.exitValue()).as(new String(producer.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).isZero();

        try (KafkaConsumer<String, String> consumer = consumer("console-group")) {
            consumer.subscribe(List.of("console"));
            assertThat(readAll(consumer, 2)).containsExactly("one", "two");
        }
    }
}
