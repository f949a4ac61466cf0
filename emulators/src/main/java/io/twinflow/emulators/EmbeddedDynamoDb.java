package io.twinflow.emulators;

import java.nio.file.Path;
import java.util.List;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * A DynamoDB API served by dynalite (Apache-2.0), run as a Node subprocess on loopback: in memory, so
 * that every instance starts empty, or on disk with {@link #startOnDisk}. Tables are ACTIVE as soon as
 * they are created. One database serves every set of credentials, as one account's DynamoDB does.
 *
 * <p>dynalite has no UpdateTimeToLive (items never expire locally), no transactions and no PartiQL;
 * table names need at least 3 characters.
 *
 * <p><b>Where dynalite is.</b> The module build installs it with {@code npm ci} into
 * {@code emulators/dynalite}; {@value #HOME_PROPERTY} or {@value #HOME_ENV} name another directory.
 * How it is found and run, and why it dies with this JVM: {@link NodeEmulator}.
 */
public final class EmbeddedDynamoDb extends NodeEmulatorService {

    public static final String HOME_PROPERTY = "twinflow.dynalite.home";
    public static final String HOME_ENV = "TWINFLOW_DYNALITE_HOME";

    private static final NodeEmulator.Package DYNALITE = new NodeEmulator.Package("dynalite", HOME_PROPERTY, HOME_ENV, EmbeddedDynamoDb.class);

    private EmbeddedDynamoDb(NodeEmulator node) {
        super(node);
    }

    /** Starts on a free port, in memory. */
    public static EmbeddedDynamoDb start() {
        return start(0);
    }

    /** Starts in memory on the given port, or on a free one when the port is 0. */
    public static EmbeddedDynamoDb start(int port) {
        return launch(List.of(Integer.toString(port)));
    }

    /**
     * Starts on a free port with its tables in a LevelDB store in {@code directory} (created when
     * missing), so that a later instance on the same directory finds them again.
     */
    public static EmbeddedDynamoDb startOnDisk(Path directory) {
        Path store = StoreDirectory.create(directory, "DynamoDB");
        return launch(List.of("0", store.toString()));
    }

    private static EmbeddedDynamoDb launch(List<String> arguments) {
        return new EmbeddedDynamoDb(launch(DYNALITE, arguments));
    }

    /** A new client for this instance; the caller closes it. */
    public DynamoDbClient dynamoDbClient() {
        return EmulatorClients.configure(DynamoDbClient.builder(), endpoint()).build();
    }
}
