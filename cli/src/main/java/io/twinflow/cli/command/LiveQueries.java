package io.twinflow.cli.command;

import io.twinflow.live.LiveStateReader;
import io.twinflow.local.config.ServiceClients;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** The live-state reader of the target's tables; the JSON shapes are live's {@code LiveJson}, shared with the live API. */
final class LiveQueries {

    private LiveQueries() {
    }

    static LiveStateReader reader(ServiceClients clients, DynamoDbClient dynamoDb) {
        var tables = clients.spec().tables();
        return new LiveStateReader(dynamoDb, tables.deviceState(), tables.deviceWindows(), tables.alerts());
    }
}
