package io.twinflow.emulators;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import org.gaul.s3proxy.BlobStores;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * An S3 API served by s3proxy in this JVM over its transient (in-memory) blob store, so every
 * instance starts with no buckets and leaves nothing on disk; or over its filesystem store
 * ({@link #startOnDisk}).
 *
 * <p>Requests must be signed with {@link EmulatorClients#CREDENTIALS}: checking signatures is what
 * makes s3proxy decode the chunked uploads that the SDK sends, so it behaves like S3 does for the
 * code under test.
 */
public final class EmbeddedS3 implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedS3.class);

    private final S3Proxy proxy;
    private final URI endpoint;
    private final Duration startupTime;

    private EmbeddedS3(S3Proxy proxy, Duration startupTime) {
        this.proxy = proxy;
        this.endpoint = URI.create("http://" + LoopbackPorts.HOST + ":" + proxy.getPort());
        this.startupTime = startupTime;
    }

    /** Starts on a free port. */
    public static EmbeddedS3 start() {
        return start(0);
    }

    /** Starts on the given port, or on a free one when the port is 0. */
    public static EmbeddedS3 start(int port) {
        return launch(port, BlobStores.create("transient", new Properties()));
    }

    /**
     * Starts on a free port with its buckets and objects as files under {@code directory} (created
     * when missing), so that a later instance on the same directory serves them again.
     */
    public static EmbeddedS3 startOnDisk(Path directory) {
        Properties properties = new Properties();
        properties.setProperty("jclouds.filesystem.basedir", StoreDirectory.create(directory, "S3").toString());
        return launch(0, BlobStores.create("filesystem", properties));
    }

    private static EmbeddedS3 launch(int port, BlobStore store) {
        long began = System.nanoTime();
        AwsCredentials credentials = EmulatorClients.CREDENTIALS.resolveCredentials();
        S3Proxy proxy = S3Proxy.builder()
                .blobStore(store)
                .endpoint(URI.create("http://" + LoopbackPorts.HOST + ":" + port))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4,
                        credentials.accessKeyId(), credentials.secretAccessKey())
                .build();
        try {
            proxy.start();
        } catch (Exception e) {
            throw new EmulatorStartException("s3proxy did not start on port " + port, e);
        }
        EmbeddedS3 started = new EmbeddedS3(proxy, Duration.ofNanos(System.nanoTime() - began));
        LOG.info("s3proxy started at {} in {} ms", started.endpoint, started.startupTime.toMillis());
        return started;
    }

    public URI endpoint() {
        return endpoint;
    }

    public Duration startupTime() {
        return startupTime;
    }

    /**
     * A new path-style client for this instance; the caller closes it. Path style because a
     * loopback address has no bucket subdomains. The SDK's default integrity checksums stay on:
     * s3proxy 4 understands them, so uploads take the same code path as against S3.
     *
     * <p>More attempts than the SDK's default: an upload through the JDK's HTTP client has been seen to
     * fail with "Error writing request body to server" four times in a row on a quiet machine, now and
     * then (the connection closed under it, as a pooled keep-alive connection the server already closed
     * would be). Each failed attempt drops its connection, so the later ones go out on fresh ones.
     */
    public S3Client s3Client() {
        return EmulatorClients.setup(endpoint).maxAttempts(10).configure(S3Client.builder())
                .forcePathStyle(true)
                .build();
    }

    @Override
    public void close() {
        try {
            proxy.stop();
        } catch (Exception e) {
            throw new IllegalStateException("s3proxy did not stop cleanly", e);
        }
    }
}
