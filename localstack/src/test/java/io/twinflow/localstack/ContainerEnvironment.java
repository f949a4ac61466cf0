package io.twinflow.localstack;

import io.twinflow.resources.ServiceEndpoints;
import java.util.Optional;
import java.util.function.Function;
import org.testcontainers.containers.GenericContainer;

/**
 * A container-based local AWS (LocalStack, Floci) started by Testcontainers: every service behind one
 * edge endpoint. The kinds differ only in the container they configure and how its endpoint is read.
 * Their stream source is Kinesis (the default {@link Environment#openSource}): LocalStack has Amazon MSK only
 * in its paid edition, so the scenarios over Kafka run on {@link EmbeddedEnvironment#withKafka()}.
 */
final class ContainerEnvironment implements Environment {

    private final String kind;
    private final GenericContainer<?> container;
    private final ServiceEndpoints endpoints;

    private ContainerEnvironment(String kind, GenericContainer<?> container, ServiceEndpoints endpoints) {
        this.kind = kind;
        this.container = container;
        this.endpoints = endpoints;
    }

    /** The image named by {@code variable} when it is set, else the pinned {@code defaultImage}. */
    static String image(String variable, String defaultImage) {
        return Optional.ofNullable(System.getenv(variable)).filter(s -> !s.isBlank()).orElse(defaultImage);
    }

    /** Starts {@code container} and reads its endpoints; a container whose endpoints cannot be read is stopped. */
    static <C extends GenericContainer<?>> ContainerEnvironment start(String kind, C container,
                                                                      Function<C, ServiceEndpoints> endpoints) {
        container.start();
        try {
            return new ContainerEnvironment(kind, container, endpoints.apply(container));
        } catch (RuntimeException e) {
            container.stop();
            throw e;
        }
    }

    @Override
    public String name() {
        return kind + " (" + container.getDockerImageName() + ")";
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
