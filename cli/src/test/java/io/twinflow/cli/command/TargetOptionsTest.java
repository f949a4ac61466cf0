package io.twinflow.cli.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.twinflow.local.config.Endpoints;
import io.twinflow.local.config.ServiceClients;
import java.net.URI;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
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

    @Test
    void aRunningStackOnTheSameContainerServesTheLocalstackTargetWarehouseIncluded(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("endpoints.json");
        new Endpoints("us-east-1", "http://127.0.0.1:4566", "http://127.0.0.1:4566", "http://127.0.0.1:4566",
                "http://127.0.0.1:4566", new Endpoints.Postgres("jdbc:postgresql://127.0.0.1:5/postgres", "127.0.0.1", 5, "postgres", "u", "p"),
                new Endpoints.Resources("twinflow", "twinflow-telemetry", 2, Map.of(), Map.of(), Map.of(), Map.of()),
                new Endpoints.Credentials("twinflow", "twinflow"), ProcessHandle.current().pid(), "2026-11-28T00:00:00Z",
                "localstack", null).write(file);

        assertThat(parse("--target", "localstack", "--endpoints-file", file.toString()).localEndpoints())
                .as("localhost:4566 is the stack's 127.0.0.1:4566").isPresent();
        assertThat(parse("--target", "localstack", "--endpoint-url", "http://localhost:4999", "--endpoints-file", file.toString())
                .localEndpoints()).as("another container").isEmpty();
        assertThat(parse("--target", "localstack", "--prefix", "demo", "--endpoints-file", file.toString()).localEndpoints())
                .as("another prefix").isEmpty();
    }
}
