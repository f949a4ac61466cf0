package io.twinflow.cli.command;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.twinflow.live.LiveStateReader;
import io.twinflow.local.config.ServiceClients;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

@CommandLine.Command(name = "state", mixinStandardHelpOptions = true,
        description = "Shows a device's live state (its latest event by event time) from DynamoDB. Exit code 1 when the device has none.")
public final class StateCommand implements Callable<Integer> {

    @CommandLine.Mixin
    TargetOptions target = new TargetOptions();

    @CommandLine.Parameters(paramLabel = "DEVICE_ID")
    String deviceId;

    @CommandLine.Option(names = "--json", description = "Print {deviceId, ts, metrics:{name:value}, location?} as JSON.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        ServiceClients clients = target.clients();
        try (DynamoDbClient dynamoDb = clients.dynamoDb()) {
            Optional<LiveStateReader.DeviceState> state = LiveQueries.reader(clients, dynamoDb).state(deviceId);
            if (state.isEmpty()) {
                System.err.println("twinflow: no state for device " + deviceId);
                return 1;
            }
            LiveStateReader.DeviceState s = state.get();
            if (json) {
                System.out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(LiveQueries.state(s)));
            } else {
                System.out.println(s.deviceId() + " at " + s.ts());
                s.metrics().forEach((k, v) -> System.out.printf("  %-12s %s%n", k, v));
                if (s.location() != null) {
                    System.out.printf("  %-12s %s, %s%n", "location", s.location().lat(), s.location().lon());
                }
            }
            return 0;
        }
    }
}
