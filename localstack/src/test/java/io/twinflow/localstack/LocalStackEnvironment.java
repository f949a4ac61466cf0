package io.twinflow.localstack;

import io.twinflow.resources.ServiceEndpoints;
import java.util.Optional;
import org.testcontainers.containers.localstack.LocalStackContainer;
import org.testcontainers.utility.DockerImageName;
import software.amazon.awssdk.regions.Region;

/**
 * LocalStack in a container started by Testcontainers, with the services the scenarios use.
 *
 * <p>The image is pinned to {@value #DEFAULT_IMAGE}, the last release that starts without an account.
 * Releases after March 2026 (calendar versions such as {@code 2026.08.3}) need an auth token: set
 * {@code TWINFLOW_LOCALSTACK_IMAGE} to such a tag and {@code LOCALSTACK_AUTH_TOKEN} to the token, which
 * is passed through to the container whenever it is set.
 */
final class LocalStackEnvironment {

    static final String DEFAULT_IMAGE = "localstack/localstack:4.14.0";
    static final String IMAGE_VARIABLE = "TWINFLOW_LOCALSTACK_IMAGE";
    static final String TOKEN_VARIABLE = "LOCALSTACK_AUTH_TOKEN";

    private LocalStackEnvironment() {
    }

    static Environment start() {
        LocalStackContainer container = new LocalStackContainer(
                DockerImageName.parse(ContainerEnvironment.image(IMAGE_VARIABLE, DEFAULT_IMAGE))
                        .asCompatibleSubstituteFor("localstack/localstack"))
                .withServices(LocalStackContainer.Service.KINESIS, LocalStackContainer.Service.DYNAMODB,
                        LocalStackContainer.Service.S3, LocalStackContainer.Service.SQS);
        Optional.ofNullable(System.getenv(TOKEN_VARIABLE)).filter(s -> !s.isBlank())
                .ifPresent(token -> container.withEnv(TOKEN_VARIABLE, token));
        return ContainerEnvironment.start("localstack", container,
                c -> ServiceEndpoints.edge(c.getEndpoint(), Region.of(c.getRegion())));
    }
}
