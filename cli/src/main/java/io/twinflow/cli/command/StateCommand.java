package io.twinflow.cli.command;

import io.twinflow.live.LiveJson;
import io.twinflow.live.LiveStateReader;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;

@CommandLine.Command(name = "state", mixinStandardHelpOptions = true,
        description = "Shows a device's live state (its latest event by event time) from DynamoDB. Exit code 1 when the device has none.")
public final class StateCommand implements Callable<Integer> {

    @CommandLine.Mixin
    LiveDevice device = new LiveDevice();

    @CommandLine.Option(names = "--json", description = "Print {deviceId, ts, metrics:{name:value}, location?} as JSON.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        Optional<LiveStateReader.DeviceState> state = device.read(LiveStateReader::state);
        if (state.isEmpty()) {
            System.err.println("twinflow: no state for device " + device.deviceId);
            return 1;
        }
        LiveStateReader.DeviceState s = state.get();
        if (json) {
            JsonOutput.print(LiveJson.state(s));
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
