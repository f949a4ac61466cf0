package io.twinflow.local.runtime;

import io.twinflow.core.error.UserMistakeException;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** Which stream feeds the stream-processor: Kinesis, Kafka (Amazon MSK in AWS), or both at once. */
public enum StreamSource {
    KINESIS,
    KAFKA,
    BOTH;

    public boolean kinesis() {
        return this != KAFKA;
    }

    public boolean kafka() {
        return this != KINESIS;
    }

    /** The name on the command line: {@code kinesis}, {@code kafka}, {@code both}. */
    public String cliName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** @throws UserMistakeException for anything but the three names */
    public static StreamSource parse(String value) {
        for (StreamSource source : values()) {
            if (source.cliName().equalsIgnoreCase(value == null ? "" : value.strip())) {
                return source;
            }
        }
        throw new UserMistakeException("unknown stream source '" + value + "': use --source "
                + Arrays.stream(values()).map(StreamSource::cliName).collect(Collectors.joining("|")));
    }
}
