package io.twinflow.benchmarks;

import io.twinflow.core.event.EventRules;
import io.twinflow.core.event.TelemetryEvent;
import io.twinflow.core.event.Timestamps;
import io.twinflow.functions.stream.StreamRecord;
import io.twinflow.live.LiveTables;
import java.time.Instant;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Local experiments behind the proposals for core and functions: each pair is what the code did for
 * every record before the proposal and the cheaper way the pipeline now takes (core's and functions'
 * own methods, not copies), run on the benchmark's records in the same interleaved slices as
 * everything else. The difference is the gain, in microseconds per record.
 */
final class ComponentCosts {

    // The patterns EventDecoder uses for these fields.
    private static final Pattern DEVICE_ID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");
    private static final Pattern METRIC_NAME = Pattern.compile("[A-Za-z0-9_]{1,64}");

    private final String[] ts;
    private final Instant[] instants;
    private final String[] eventIds;
    private final String[] deviceIds;
    private final String[][] metricNames;

    ComponentCosts(List<StreamRecord> records, List<TelemetryEvent> events) {
        int n = records.size();
        ts = new String[n];
        instants = new Instant[n];
        eventIds = new String[n];
        deviceIds = new String[n];
        metricNames = new String[n][];
        for (int i = 0; i < n; i++) {
            var e = events.get(i);
            ts[i] = e.ts().toString();
            instants[i] = e.ts();
            eventIds[i] = e.eventId();
            deviceIds[i] = e.deviceId();
            metricNames[i] = e.metrics().keySet().toArray(String[]::new);
        }
    }

    int size() {
        return ts.length;
    }

    /** EventDecoder: {@code Instant.parse} of every event time. */
    long instantParse() {
        long sum = 0;
        for (String s : ts) {
            sum += Instant.parse(s).getNano();
        }
        return sum;
    }

    /** The same instants from a fixed-layout fast path, falling back to {@code Instant.parse} for any other form. */
    long instantParseFast() {
        long sum = 0;
        for (String s : ts) {
            sum += Timestamps.parse(s).getNano();
        }
        return sum;
    }

    /** StreamProcessor.newer: two order keys formatted per event to pick the device's latest event. */
    long orderKeyTwice() {
        long sum = 0;
        for (int i = 1; i < ts.length; i++) {
            sum += LiveTables.orderKey(instants[i], eventIds[i]).compareTo(LiveTables.orderKey(instants[i - 1], eventIds[i - 1]));
        }
        return sum;
    }

    /** The same order without formatting: event time, then eventId (what StreamProcessor.newer now calls). */
    long compareTsThenId() {
        long sum = 0;
        for (int i = 1; i < ts.length; i++) {
            sum += LiveTables.compareOrder(instants[i], eventIds[i], instants[i - 1], eventIds[i - 1]);
        }
        return sum;
    }

    /** EventDecoder: a regex match for the device id and for every metric name. */
    long regexNames() {
        long sum = 0;
        for (int i = 0; i < ts.length; i++) {
            sum += DEVICE_ID.matcher(deviceIds[i]).matches() ? 1 : 0;
            for (String m : metricNames[i]) {
                sum += METRIC_NAME.matcher(m).matches() ? 1 : 0;
            }
        }
        return sum;
    }

    /** The same rules as character loops. */
    long loopNames() {
        long sum = 0;
        for (int i = 0; i < ts.length; i++) {
            sum += EventRules.isDeviceId(deviceIds[i]) ? 1 : 0;
            for (String m : metricNames[i]) {
                sum += EventRules.isMetricName(m) ? 1 : 0;
            }
        }
        return sum;
    }
}
