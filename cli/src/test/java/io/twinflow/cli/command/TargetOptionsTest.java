package io.twinflow.cli.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.twinflow.cli.config.ServiceClients;
import java.net.URI;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.kinesis.KinesisClient;

class TargetOptionsTest {

    private static ServiceClients parse(String... args) {
        TargetOptions options = new TargetOptions();
        new CommandLine(options).parseArgs(args);
        return options.clients();
    }

    @Test
    void localstackTargetsTheComposeEdgeEndpointByDefault() {
        ServiceClients clients = parse("--target", "localstack");
        try (DynamoDbClient dynamoDb = clients.dynamoDb(); KinesisClient kinesis = clients.kinesis()) {
            assertThat(dynamoDb.serviceClientConfiguration().endpointOverride()).contains(URI.create("http://localhost:4566"));
            assertThat(kinesis.serviceClientConfiguration().endpointOverride()).contains(URI.create("http://localhost:4566"));
        }
        assertThat(clients.region().id()).isEqualTo("us-east-1");
        assertThat(clients.spec().prefix()).isEqualTo("twinflow");
        assertThat(System.getProperty("aws.cborEnabled")).isEqualTo("false");
    }

    @Test
    void localstackTakesAnotherEdgeRegionAndPrefix() {
        ServiceClients clients = parse("--target", "localstack", "--endpoint-url", "http://127.0.0.1:4999",
                "--region", "eu-central-1", "--prefix", "demo");
        try (DynamoDbClient dynamoDb = clients.dynamoDb()) {
            assertThat(dynamoDb.serviceClientConfiguration().endpointOverride()).contains(URI.create("http://127.0.0.1:4999"));
        }
        assertThat(clients.region().id()).isEqualTo("eu-central-1");
        assertThat(clients.spec().tables().deviceState()).isEqualTo("demo-device-state");
    }

    @Test
    void theBatchPathIsRefusedOnAContainerWithAPointerToWhereItRuns() {
        ServiceClients clients = parse("--target", "localstack");
        assertThatThrownBy(clients::redshiftData).hasMessageContaining("--target local");
        assertThatThrownBy(clients::glue).hasMessageContaining("LocalStack");
    }
}
