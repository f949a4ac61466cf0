package io.twinflow.local.simulate;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Produces to a Kafka topic keyed by the record's partition key (the deviceId), so one partition holds a
 * device in order. The producer is idempotent ({@code enable.idempotence}, {@code acks=all}): its own
 * retries of a send (a lost acknowledgement, a leader change, a broker restart) never append a record
 * twice, and it keeps retrying until {@code delivery.timeout.ms}. What it cannot put is reported as
 * refused (a null ack), like an entry PutRecords refused for good.
 */
public final class KafkaPublisher implements RecordPublisher, AutoCloseable {

    private final KafkaProducer<byte[], byte[]> producer;
    private final String topic;

    public KafkaPublisher(String bootstrapServers, String topic) {
        Map<String, Object> config = new HashMap<>();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.RETRIES_CONFIG, Integer.MAX_VALUE);
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 120_000);
        config.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        config.put(ProducerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 1_000);
        this.producer = new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer());
        this.topic = topic;
    }

    @Override
    public List<Ack> put(List<PlannedRecord> records) {
        List<Future<RecordMetadata>> sent = new ArrayList<>(records.size());
        for (PlannedRecord r : records) {
            sent.add(producer.send(new ProducerRecord<>(topic, r.partitionKey().getBytes(StandardCharsets.UTF_8), r.data())));
        }
        producer.flush();
        List<Ack> acks = new ArrayList<>(records.size());
        for (Future<RecordMetadata> f : sent) {
            try {
                RecordMetadata m = f.get();
                acks.add(new Ack(m.topic() + "-" + m.partition(), Long.toString(m.offset())));
            } catch (ExecutionException e) {
                acks.add(null);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while producing to " + topic, e);
            }
        }
        return acks;
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(10));
    }
}
