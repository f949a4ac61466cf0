package io.twinflow.local.config;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.twinflow.core.pipeline.PipelineSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.Optional;

/**
 * The contents of {@code .twinflow/endpoints.json}, written by {@code twinflow local up} and read by
 * every other command (and by the aws CLI, boto3 or psql users who want to talk to the local stack).
 * The field names are an interface: add fields, never rename one.
 *
 * @param pid the process serving the stack: a file whose process is gone is stale
 * @param target {@code embedded} (the emulators on loopback) or {@code localstack} (a container's edge
 *               endpoint serves the four AWS services; PostgreSQL is still embedded); absent in files
 *               written before it existed, which were all embedded
 * @param dataDir where the stack keeps its state across restarts; absent when it keeps none
 * @param api the base URL of the live API on loopback ({@code GET <api>/v1/devices}); absent in files written before
 *            it existed
 * @param dashboard the address of the dashboard {@code local up} serves; absent in files written before it existed
 * @param kafka the Kafka broker and topic when the stack runs on Kafka ({@code --source kafka|both}); absent otherwise
 * @param source the streams the stack's processor reads: {@code kinesis}, {@code kafka} or {@code both}; absent in files
 *               written before it existed, which were all {@code kinesis}
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Endpoints(String region, String kinesis, String dynamodb, String s3, String sqs, Postgres postgres,
                        Resources resources, Credentials credentials, long pid, String startedAt, String target,
                        String dataDir, String api, String dashboard, Kafka kafka, String source) {

    /** The endpoints of a stack that serves no live API and no dashboard and runs no Kafka broker. */
    public Endpoints(String region, String kinesis, String dynamodb, String s3, String sqs, Postgres postgres,
                     Resources resources, Credentials credentials, long pid, String startedAt, String target, String dataDir) {
        this(region, kinesis, dynamodb, s3, sqs, postgres, resources, credentials, pid, startedAt, target, dataDir, null, null, null, null);
    }

    /** Where a Kafka client produces to the stack: {@code bootstrap.servers} and the pipeline's topic. */
    public record Kafka(String bootstrapServers, String topic) {
    }

    /** A stack's endpoints before anything is served on top of it (no dashboard yet). */
    public Endpoints(String region, String kinesis, String dynamodb, String s3, String sqs, Postgres postgres,
                     Resources resources, Credentials credentials, long pid, String startedAt, String target, String dataDir,
                     String api) {
        this(region, kinesis, dynamodb, s3, sqs, postgres, resources, credentials, pid, startedAt, target, dataDir, api, null, null, null);
    }

    /** The same endpoints with the dashboard's address. */
    public Endpoints withDashboard(String url) {
        return new Endpoints(region, kinesis, dynamodb, s3, sqs, postgres, resources, credentials, pid, startedAt, target, dataDir, api,
                url, kafka, source);
    }

    /** Whether the stack's processor reads the Kinesis stream (every stack before {@code source} existed did). */
    public boolean readsKinesis() {
        return source == null || !source.equals("kafka");
    }

    /**
     * The keys the stack's own clients sign with. The emulators accept any; one shared pair keeps
     * every client in one account where the keys choose it (LocalStack, Floci).
     */
    public record Credentials(String accessKeyId, String secretAccessKey) {
    }

    /** How to reach the warehouse stand-in. */
    public record Postgres(String jdbcUrl, String host, int port, String database, String user, String password) {
    }

    /** The resources the stack created, named by {@link PipelineSpec}. */
    public record Resources(String prefix, String stream, int shardCount, Map<String, String> tables,
                            Map<String, String> buckets, Map<String, String> queues, Map<String, String> queueUrls) {
    }

    public static final String FILE_NAME = "endpoints.json";
    /** The directory the CLI's state lives under ({@link #stateDir()}); the {@code twinflow} script sets it. */
    public static final String HOME_VARIABLE = "TWINFLOW_HOME";

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    /** Where the CLI keeps its state: {@code $TWINFLOW_HOME/.twinflow}, else {@code ./.twinflow}. */
    public static Path stateDir() {
        String home = System.getenv(HOME_VARIABLE);
        return (home == null || home.isBlank() ? Path.of("") : Path.of(home)).toAbsolutePath().resolve(".twinflow");
    }

    public static Path defaultFile() {
        return stateDir().resolve(FILE_NAME);
    }

    /** Writes atomically, so a reader never sees half a file. */
    public void write(Path file) throws IOException {
        Files.createDirectories(file.getParent());
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        JSON.writeValue(tmp.toFile(), this);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    public static Endpoints read(Path file) throws IOException {
        return JSON.readValue(file.toFile(), Endpoints.class);
    }

    /** The running local stack's endpoints, if the file exists and its process is still alive. */
    public static Optional<Endpoints> running(Path file) throws IOException {
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        Endpoints e = read(file);
        boolean alive = ProcessHandle.of(e.pid()).map(ProcessHandle::isAlive).orElse(false);
        return alive ? Optional.of(e) : Optional.empty();
    }

    public String toJson() {
        try {
            return JSON.writeValueAsString(this);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
