package io.twinflow.localstack;

import io.twinflow.resources.ServiceEndpoints;
import java.net.URI;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.utility.DockerImageName;
import software.amazon.awssdk.regions.Region;

/**
 * Floci (MIT-licensed, no auth token) in a container: it serves the AWS APIs on LocalStack's edge
 * port 4566 and answers LocalStack's health path, so a plain container is enough. The image is pinned
 * to {@value #DEFAULT_IMAGE}; {@code TWINFLOW_FLOCI_IMAGE} overrides it.
 */
final class FlociEnvironment {

    static final String DEFAULT_IMAGE = "floci/floci:1.5.34";
    static final String IMAGE_VARIABLE = "TWINFLOW_FLOCI_IMAGE";
    private static final int EDGE_PORT = 4566;

    private FlociEnvironment() {
    }

    static Environment start() {
        GenericContainer<?> container = new GenericContainer<>(
                DockerImageName.parse(ContainerEnvironment.image(IMAGE_VARIABLE, DEFAULT_IMAGE)))
                .withExposedPorts(EDGE_PORT)
                // The function signs for us-east-1; Floci would accept any region, this keeps ARNs alike.
                .withEnv("FLOCI_DEFAULT_REGION", Region.US_EAST_1.id())
                .waitingFor(Wait.forHttp("/_localstack/health").forPort(EDGE_PORT));
        return ContainerEnvironment.start("floci", container, c -> ServiceEndpoints.edge(
                URI.create("http://" + c.getHost() + ":" + c.getMappedPort(EDGE_PORT)), Region.US_EAST_1));
    }
}
