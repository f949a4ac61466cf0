package io.twinflow.cli.command;

import io.twinflow.live.LiveStateReader;
import io.twinflow.local.config.ServiceClients;
import java.util.function.BiFunction;
import picocli.CommandLine;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** The device whose live state a command reads ({@code state}, {@code metrics}), and where it reads it. */
final class LiveDevice {

    @CommandLine.Mixin
    TargetOptions target = new TargetOptions();

    @CommandLine.Parameters(paramLabel = "DEVICE_ID")
    String deviceId;

    /** Runs one query for the device against the target's DynamoDB tables. */
    <T> T read(BiFunction<LiveStateReader, String, T> query) {
        ServiceClients clients = target.clients();
        try (DynamoDbClient dynamoDb = clients.dynamoDb()) {
            return query.apply(LiveQueries.reader(clients, dynamoDb), deviceId);
        }
    }
}
