package io.twinflow.emulators;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * A Kafka broker a local stack streams through: the one it starts itself ({@link EmbeddedKafka}) or one
 * that runs elsewhere (a compose or Testcontainers broker beside LocalStack). Everything the stack needs
 * of it goes through {@link #bootstrapServers()} and the Admin API, so both serve the same way.
 */
public interface KafkaBroker extends AutoCloseable {

    /** {@code host:port[,host:port...]}, for {@code bootstrap.servers}. */
    String bootstrapServers();

    /** Stops what the stack started; a broker that runs elsewhere is left running. */
    @Override
    void close();

    /** An admin client for this broker; the caller closes it. */
    default Admin adminClient() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000));
    }

    /** Creates the topic unless it exists (with whatever partitions it has). */
    default void createTopic(String name, int partitions) {
        createTopic(name, partitions, Map.of());
    }

    /**
     * Creates the topic with these topic configs unless it exists (as it is). One replica: the brokers a
     * local stack uses are single nodes.
     */
    default void createTopic(String name, int partitions, Map<String, String> configs) {
        try (Admin admin = adminClient()) {
            admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1).configs(configs))).all().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new IllegalStateException("cannot create Kafka topic " + name + " on " + bootstrapServers() + ": " + e.getCause(),
                        e.getCause());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating Kafka topic " + name, e);
        } catch (TimeoutException e) {
            throw new IllegalStateException("Kafka topic " + name + " not created on " + bootstrapServers() + " within 30 s", e);
        }
    }
}
