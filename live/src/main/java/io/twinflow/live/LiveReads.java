package io.twinflow.live;

import io.twinflow.live.LiveStateReader.AlertItem;
import io.twinflow.live.LiveStateReader.AlertPosition;
import io.twinflow.live.LiveStateReader.DevicePage;
import io.twinflow.live.LiveStateReader.DeviceState;
import io.twinflow.live.LiveStateReader.WindowSummary;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The reads of the live state that the live API serves, apart from where they are stored: {@link LiveStateReader}
 * reads DynamoDB; tests of the API give it an in-memory fleet.
 */
public interface LiveReads {

    /** A device's latest state, or empty when it has none. */
    Optional<DeviceState> state(String deviceId);

    /** At most {@code limit} device states after {@code afterDeviceId} (null: from the start), in storage order. */
    DevicePage devices(int limit, String afterDeviceId);

    /** A device's windows that start in [from, to), oldest first. */
    List<WindowSummary> windows(String deviceId, Instant from, Instant to);

    /**
     * The first {@code limit} of a device's alerts of windows that start in [from, to), oldest first, after the alert at
     * {@code after} (null: from the start; a position before {@code from} is not used).
     */
    List<AlertItem> alerts(String deviceId, Instant from, Instant to, AlertPosition after, int limit);

    /**
     * The first {@code limit} alerts of the whole fleet of windows that start in [from, to), oldest first, after the alert
     * at {@code after} (null: from the start; a position before {@code from} is not used).
     */
    List<AlertItem> fleetAlerts(Instant from, Instant to, AlertPosition after, int limit);
}
