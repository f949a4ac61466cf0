package io.twinflow.cli.command;

import io.twinflow.live.LiveJson;
import io.twinflow.live.LiveStateReader;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;

@CommandLine.Command(name = "state", mixinStandardHelpOptions = true,
        description = {"Shows a device's live state (its latest event by event time) from DynamoDB. Exit code 1 when the device has none.",
                "--output json: {deviceId, ts, metrics:{name:value}, location?}; csv: one row per field (field,value: "
                        + "deviceId, ts, metrics.NAME, location.lat, location.lon)."})
public final class StateCommand implements Callable<Integer> {

    @CommandLine.Mixin
    LiveDevice device = new LiveDevice();

    @CommandLine.Mixin
    OutputOptions output = new OutputOptions();

    @Override
    public Integer call() throws Exception {
        Optional<LiveStateReader.DeviceState> state = device.read(LiveStateReader::state);
        if (state.isEmpty()) {
            System.err.println("twinflow: no state for device " + device.deviceId);
            return 1;
        }
        output.print(view(state.get()));
        return 0;
    }

    static View view(LiveStateReader.DeviceState s) {
        StringBuilder text = new StringBuilder(s.deviceId() + " at " + s.ts() + System.lineSeparator());
        s.metrics().forEach((k, v) -> text.append(String.format("  %-12s %s%n", k, v)));
        if (s.location() != null) {
            text.append(String.format("  %-12s %s, %s%n", "location", s.location().lat(), s.location().lon()));
        }
        return View.fields(LiveJson.state(s), text.toString());
    }
}
