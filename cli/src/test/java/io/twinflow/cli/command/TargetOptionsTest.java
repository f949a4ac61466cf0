package io.twinflow.cli.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.twinflow.core.error.UserMistakeException;
import io.twinflow.local.config.Endpoints;
import io.twinflow.local.config.ServiceClients;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.kinesis.KinesisClient;

class TargetOptionsTest {

    private static ServiceClients parse(String... args) {
        return parse(Map.of(), args);
    }

    /** Parses {@code args} with {@code env} as the only environment variables. */
    private static ServiceClients parse(Map<String, String> env, String... args) {
        return options(env, args).clients();
    }

    private static TargetOptions options(Map<String, String> env, String... args) {
        TargetOptions options = new TargetOptions();
        new CommandLine(options).setCaseInsensitiveEnumValuesAllowed(true).parseArgs(args);
        options.environment = new CliEnvironment(env::get);
        return options;
    }

    @Test
    void theTargetComesFromTheFlagThenTwinflowTargetThenLocal() {
        assertThat(options(Map.of()).target()).isEqualTo(TargetOptions.Target.local);
        assertThat(options(Map.of("TWINFLOW_TARGET", "localstack")).target()).isEqualTo(TargetOptions.Target.localstack);
        assertThat(options(Map.of("TWINFLOW_TARGET", "AWS")).target()).as("any case, as the flag").isEqualTo(TargetOptions.Target.aws);
        assertThat(options(Map.of("TWINFLOW_TARGET", "aws"), "--target", "local").target()).isEqualTo(TargetOptions.Target.local);
        assertThat(options(Map.of("TWINFLOW_TARGET", " "), "--endpoints-file", "x").target()).as("blank is unset")
                .isEqualTo(TargetOptions.Target.local);
    }

    @Test
    void aBadTwinflowTargetIsAOneLineMistake() {
        assertThatThrownBy(() -> options(Map.of("TWINFLOW_TARGET", "cloud")).target()).isInstanceOf(UserMistakeException.class)
                .hasMessage("TWINFLOW_TARGET=cloud is not a target: set it to local, localstack, aws, or unset it");
    }

    @Test
    void prefixAndRegionComeFromTheFlagThenTheEnvironmentThenTheDefault() {
        Map<String, String> env = Map.of("TWINFLOW_TARGET", "localstack", "TWINFLOW_PREFIX", "envpfx", "AWS_REGION", "eu-west-3");
        ServiceClients fromEnv = parse(env);
        assertThat(fromEnv.spec().prefix()).isEqualTo("envpfx");
        assertThat(fromEnv.region().id()).isEqualTo("eu-west-3");
        ServiceClients fromFlags = parse(env, "--prefix", "flagpfx", "--region", "ap-south-1");
        assertThat(fromFlags.spec().prefix()).isEqualTo("flagpfx");
        assertThat(fromFlags.region().id()).isEqualTo("ap-south-1");
        ServiceClients defaults = parse(Map.of(), "--target", "localstack");
        assertThat(defaults.spec().prefix()).isEqualTo("twinflow");
        assertThat(defaults.region().id()).isEqualTo("us-east-1");
    }

    @Test
    void aBadTwinflowPrefixIsAOneLineMistakeNamingTheVariable() {
        assertThatThrownBy(() -> parse(Map.of("TWINFLOW_PREFIX", "Twin_Flow"), "--target", "localstack"))
                .isInstanceOf(UserMistakeException.class).hasMessageStartingWith("TWINFLOW_PREFIX=Twin_Flow: ")
                .hasMessageEndingWith("; fix or unset it").hasMessageNotContaining("\n");
    }

    @Test
    void theProfileComesFromTheFlagThenAwsProfileAndGivesItsCredentialsAndRegion(@TempDir Path dir) throws Exception {
        Path config = Files.writeString(dir.resolve("config"), "[profile envprof]\nregion = eu-north-1\n[profile flagprof]\nregion = sa-east-1\n");
        Path credentials = Files.writeString(dir.resolve("credentials"),
                "[envprof]\naws_access_key_id = AKENV\naws_secret_access_key = s\n[flagprof]\naws_access_key_id = AKFLAG\naws_secret_access_key = s\n");
        String configProperty = System.getProperty("aws.configFile");
        String credentialsProperty = System.getProperty("aws.sharedCredentialsFile");
        System.setProperty("aws.configFile", config.toString());
        System.setProperty("aws.sharedCredentialsFile", credentials.toString());
        try {
            Map<String, String> env = Map.of("TWINFLOW_TARGET", "aws", "AWS_PROFILE", "envprof");
            assertThat(parse(env).region().id()).isEqualTo("eu-north-1");
            assertThat(accessKey(parse(env))).isEqualTo("AKENV");
            assertThat(parse(env, "--profile", "flagprof").region().id()).isEqualTo("sa-east-1");
            assertThat(accessKey(parse(env, "--profile", "flagprof"))).isEqualTo("AKFLAG");
            assertThat(parse(env, "--profile", "flagprof", "--region", "us-west-2").region().id()).as("--region wins").isEqualTo("us-west-2");
            assertThat(parse(Map.of("TWINFLOW_TARGET", "aws", "AWS_PROFILE", "envprof", "AWS_REGION", "ca-central-1")).region().id())
                    .as("AWS_REGION wins over the profile's region").isEqualTo("ca-central-1");
        } finally {
            restore("aws.configFile", configProperty);
            restore("aws.sharedCredentialsFile", credentialsProperty);
        }
    }

    private static String accessKey(ServiceClients clients) {
        try (DynamoDbClient dynamoDb = clients.dynamoDb()) {
            return dynamoDb.serviceClientConfiguration().credentialsProvider().resolveIdentity().join().accessKeyId();
        }
    }

    private static void restore(String property, String value) {
        if (value == null) {
            System.clearProperty(property);
        } else {
            System.setProperty(property, value);
        }
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
