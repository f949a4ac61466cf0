package io.twinflow.localstack;

import java.net.URI;
import java.util.Optional;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.utility.DockerImageName;
import software.amazon.awssdk.regions.Region;

/**
 * Floci (MIT-licensed, no auth token) in a container: it serves the AWS APIs on LocalStack's edge
 * port 4566 and answers LocalStack's health path, so a plain container is enough. The image is pinned
 * to {@value #DEFAULT_IMAGE}; {@code TWINFLOW_FLOCI_IMAGE} overrides it.
 */
final class FlociEnvironment implements Environment {

    static final String DEFAULT_IMAGE = "floci/floci:1.5.34";
    static final String IMAGE_VARIABLE = "TWINFLOW_FLOCI_IMAGE";
    private static final int EDGE_PORT = 4566;

    private final GenericContainer<?> container;
    private final ServiceEndpoints endpoints;

    private FlociEnvironment(GenericContainer<?> container) {
        this.container = container;
        URI edge = URI.create("http://" + container.getHost() + ":" + container.getMappedPort(EDGE_PORT));
        this.endpoints = ServiceEndpoints.edge(edge, Region.US_EAST_1);
    }

    static FlociEnvironment start() {
        String image = Optional.ofNullable(System.getenv(IMAGE_VARIABLE)).filter(s -> !s.isBlank()).orElse(DEFAULT_IMAGE);
        GenericContainer<?> container = new GenericContainer<>(DockerImageName.parse(image))
                .withExposedPorts(EDGE_PORT)
                // The function signs for us-east-1; Floci would accept any region, this keeps ARNs alike.
                .withEnv("FLOCI_DEFAULT_REGION", Region.US_EAST_1.id())
                .waitingFor(Wait.forHttp("/_localstack/health").forPort(EDGE_PORT));
        container.start();
        try {
            return new FlociEnvironment(container);
        } catch (RuntimeException e) {
            container.stop();
            throw e;
        }
    }

    @Override
    public String name() {
        return "floci (" + container.getDockerImageName() + ")";
    }

    @Override
    public ServiceEndpoints endpoints() {
        return endpoints;
    }

    @Override
    public void close() {
        container.stop();
    }
}
