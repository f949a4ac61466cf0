package io.twinflow.emulators;

import io.twinflow.aws.SdkClients;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.kinesis.KinesisClient;

/**
 * A Kinesis API served by kinesalite, run as a Node subprocess with an in-memory store (or on disk,
 * {@link #startOnDisk}).
 *
 * <p><b>CBOR.</b> The SDK talks CBOR to Kinesis by default and kinesalite's CBOR support breaks on
 * large PutRecords and GetRecords. The SDK reads the system property {@value #CBOR_PROPERTY} each
 * time a Kinesis client is built, so {@link #start} sets it to {@code false}: every Kinesis client
 * built in this JVM afterwards, including those the code under test builds for itself, speaks JSON.
 * A client built before {@code start} keeps CBOR. Another JVM pointed at this emulator needs
 * {@code -Daws.cborEnabled=false} or the environment variable {@code CBOR_ENABLED=false}. JSON is
 * also accepted by the real Kinesis, so nothing else changes.
 *
 * <p><b>Where kinesalite is.</b> The module build installs it with {@code npm ci} into
 * {@code emulators/kinesalite}; {@value #HOME_PROPERTY} or {@value #HOME_ENV} name another
 * directory. How it is found and run, and why it dies with this JVM: {@link NodeEmulator}.
 */
public final class EmbeddedKinesis extends NodeEmulatorService {

    public static final String CBOR_PROPERTY = SdkClients.CBOR_PROPERTY;
    public static final String HOME_PROPERTY = "twinflow.kinesalite.home";
    public static final String HOME_ENV = "TWINFLOW_KINESALITE_HOME";
    public static final String NODE_PROPERTY = NodeInstallation.NODE_PROPERTY;
    public static final String NODE_ENV = NodeInstallation.NODE_ENV;

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKinesis.class);
    private static final NodeEmulator.Package KINESALITE = new NodeEmulator.Package("kinesalite", HOME_PROPERTY, HOME_ENV, EmbeddedKinesis.class);

    private EmbeddedKinesis(NodeEmulator node) {
        super(node);
    }

    /** Starts on a free port, with streams that become ACTIVE at once. */
    public static EmbeddedKinesis start() {
        return start(0, Duration.ZERO);
    }

    /**
     * Starts on the given port (0 for a free one). {@code transitionTime} is how long streams stay
     * CREATING, UPDATING or DELETING, for tests of code that must wait for a stream to be usable.
     */
    public static EmbeddedKinesis start(int port, Duration transitionTime) {
        return launch(List.of(Integer.toString(port), Long.toString(transitionTime.toMillis())));
    }

    /**
     * Starts on a free port with its streams and records in a LevelDB store in {@code directory}
     * (created when missing), so that a later instance on the same directory serves them again.
     */
    public static EmbeddedKinesis startOnDisk(Path directory) {
        Path store = StoreDirectory.create(directory, "Kinesis");
        return launch(List.of("0", "0", store.toString()));
    }

    private static EmbeddedKinesis launch(List<String> arguments) {
        disableCbor();
        return new EmbeddedKinesis(launch(KINESALITE, arguments));
    }

    /** A new JSON (not CBOR) client for this instance; the caller closes it. */
    public KinesisClient kinesisClient() {
        disableCbor();
        return EmulatorClients.configure(KinesisClient.builder(), endpoint()).build();
    }

    private static void disableCbor() {
        if (SdkClients.kinesisOverJson()) {
            LOG.info("set {}=false so that Kinesis clients built from now on speak JSON to kinesalite", CBOR_PROPERTY);
        }
    }
}
