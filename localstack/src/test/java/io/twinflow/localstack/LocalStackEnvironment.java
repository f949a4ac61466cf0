package io.twinflow.localstack;

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
final class LocalStackEnvironment implements Environment {

    static final String DEFAULT_IMAGE = "localstack/localstack:4.14.0";
    static final String IMAGE_VARIABLE = "TWINFLOW_LOCALSTACK_IMAGE";
    static final String TOKEN_VARIABLE = "LOCALSTACK_AUTH_TOKEN";

    private final LocalStackContainer container;
    private final ServiceEndpoints endpoints;

    private LocalStackEnvironment(LocalStackContainer container) {
        this.container = container;
        this.endpoints = ServiceEndpoints.edge(container.getEndpoint(), Region.of(container.getRegion()));
    }

    static LocalStackEnvironment start() {
        String image = Optional.ofNullable(System.getenv(IMAGE_VARIABLE)).filter(s -> !s.isBlank()).orElse(DEFAULT_IMAGE);
        LocalStackContainer container = new LocalStackContainer(DockerImageName.parse(image)
                .asCompatibleSubstituteFor("localstack/localstack"))
                .withServices(LocalStackContainer.Service.KINESIS, LocalStackContainer.Service.DYNAMODB,
                        LocalStackContainer.Service.S3, LocalStackContainer.Service.SQS);
        Optional.ofNullable(System.getenv(TOKEN_VARIABLE)).filter(s -> !s.isBlank())
                .ifPresent(token -> container.withEnv(TOKEN_VARIABLE, token));
        container.start();
        try {
            return new LocalStackEnvironment(container);
        } catch (RuntimeException e) {
            container.stop();
            throw e;
        }
    }

    @Override
    public String name() {
        return "localstack (" + container.getDockerImageName() + ")";
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
