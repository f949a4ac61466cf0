package io.twinflow.local.runtime;

import io.twinflow.core.error.UserMistakeException;
import io.twinflow.emulators.KafkaBroker;
import java.util.Arrays;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A Kafka broker the stack did not start (a compose or Testcontainers broker beside LocalStack, or any
 * other the user points at): the stack creates its topic there through the Admin API and, on close,
 * leaves the broker running.
 *
 * @param bootstrapServers {@code host:port[,host:port...]}, validated by {@link #at}
 */
public record ExternalKafka(String bootstrapServers) implements KafkaBroker {

    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9._-]+|\\[[0-9A-Fa-f:.]+]");

    /**
     * The broker at {@code bootstrapServers}.
     *
     * @throws UserMistakeException when it is not a comma-separated list of {@code host:port}
     */
    public static ExternalKafka at(String bootstrapServers) {
        String value = bootstrapServers == null ? "" : bootstrapServers.strip();
        if (value.isEmpty() || !Arrays.stream(value.split(",", -1)).allMatch(ExternalKafka::isHostPort)) {
            throw new UserMistakeException("--kafka-bootstrap '" + bootstrapServers
                    + "' is not HOST:PORT (e.g. localhost:9092, or several separated by commas): pass the broker's listener address");
        }
        return new ExternalKafka(value);
    }

    private static boolean isHostPort(String server) {
        int colon = server.lastIndexOf(':');
        if (colon <= 0 || !HOST.matcher(server.substring(0, colon)).matches()) {
            return false;
        }
        String port = server.substring(colon + 1);
        if (port.isEmpty() || port.length() > 5 || !port.chars().allMatch(Character::isDigit)) {
            return false;
        }
        int number = Integer.parseInt(port);
        return number >= 1 && number <= 65_535;
    }

    /** As {@link KafkaBroker#createTopic}; a broker that does not answer is the user's to start or to name rightly. */
    @Override
    public void createTopic(String name, int partitions, Map<String, String> configs) {
        try {
            KafkaBroker.super.createTopic(name, partitions, configs);
        } catch (IllegalStateException e) {
            throw new UserMistakeException(e.getMessage() + ": start the broker (localstack/docker-compose.yml has one) or pass its "
                    + "listener address with --kafka-bootstrap", e);
        }
    }

    /** The broker is not the stack's: it keeps running, with its topic and records. */
    @Override
    public void close() {
        // nothing started, nothing to stop
    }
}
