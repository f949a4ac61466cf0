package io.twinflow.local.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.twinflow.core.pipeline.PipelineSpec;
import io.twinflow.emulators.EmbeddedKafka;
import io.twinflow.local.config.Endpoints;
import io.twinflow.local.config.ServiceClients;
import io.twinflow.local.demo.DemoRun;
import io.twinflow.local.simulate.SimulationConfig;
import java.io.OutputStream;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The external-broker path for real without Docker: a broker started apart from the stack, as a compose broker
 * beside LocalStack would be, is handed to the runtime by its address alone ({@link StackServices#withKafka}).
 */
class ExternalKafkaIT {

    private static final PrintStream NOWHERE = new PrintStream(OutputStream.nullOutputStream());

    @Test
    void aStackOnAnExternalBrokerCreatesItsTopicThereAccountsForTheDemoAndLeavesTheBrokerRunning() throws Exception {
        PipelineSpec spec = PipelineSpec.defaults();
        try (EmbeddedKafka outside = EmbeddedKafka.start()) {
            ExternalKafka broker = ExternalKafka.at(outside.bootstrapServers());
            Map<String, Object> report;
            try (EmbeddedRuntime runtime = EmbeddedRuntime.start(spec, NOWHERE,
                    () -> StackServices.embedded(Optional.empty()).withKafka(broker), StreamSource.KAFKA)) {
                assertThat(runtime.embeddedKafka()).isEmpty();
                Endpoints.Kafka kafka = runtime.endpoints().kafka();
                assertThat(kafka.bootstrapServers()).isEqualTo(outside.bootstrapServers());
                assertThat(kafka.topic()).isEqualTo(spec.stream().name());

                ServiceClients clients = ServiceClients.local(runtime.endpoints());
                SimulationConfig config = new SimulationConfig(4, 300, Duration.ofSeconds(2), 0.05, 0.04, 0.2, 5);
                try (DynamoDbClient dynamoDb = clients.dynamoDb(); S3Client s3 = clients.s3(); SqsClient sqs = clients.sqs();
                     KinesisClient kinesis = clients.kinesis()) {
                    report = DemoRun.run(runtime, dynamoDb, s3, sqs, kinesis, config, (done, total, ledger) -> { }, Duration.ofMinutes(2));
                }
            }
            assertThat(report.get("source")).isEqualTo("kafka");
            assertThat(report.get("drained")).isEqualTo(true);
            assertThat(((Number) report.get("unaccounted")).longValue()).as(report.toString()).isZero();
            assertThat(((Number) report.get("sent")).longValue()).isPositive()
                    .isEqualTo(((Number) report.get("archived")).longValue());

            // The stack stopped; the broker is not its to stop, and keeps the topic it created, one partition per shard.
            try (Admin admin = outside.adminClient()) {
                TopicDescription topic = admin.describeTopics(List.of(spec.stream().name())).allTopicNames()
                        .get(30, TimeUnit.SECONDS).get(spec.stream().name());
                assertThat(topic.partitions()).hasSize(spec.stream().shardCount());
            }
        }
    }
}
