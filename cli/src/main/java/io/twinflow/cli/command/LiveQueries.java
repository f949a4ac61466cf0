package io.twinflow.cli.command;

import io.twinflow.core.aggregate.MetricAggregate;
import io.twinflow.live.LiveStateReader;
import io.twinflow.local.config.ServiceClients;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** The JSON shapes of {@code state} and {@code metrics}: an interface, keep them exactly. */
final class LiveQueries {

    private LiveQueries() {
    }

    static LiveStateReader reader(ServiceClients clients, DynamoDbClient dynamoDb) {
        var tables = clients.spec().tables();
        return new LiveStateReader(dynamoDb, tables.deviceState(), tables.deviceWindows(), tables.alerts());
    }

    /** {@code {deviceId, ts, metrics:{name:value}, location?}} */
    static Map<String, Object> state(LiveStateReader.DeviceState s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("deviceId", s.deviceId());
        m.put("ts", s.ts().toString());
        m.put("metrics", new LinkedHashMap<>(s.metrics()));
        if (s.location() != null) {
            Map<String, Object> loc = new LinkedHashMap<>();
            loc.put("lat", s.location().lat());
            loc.put("lon", s.location().lon());
            m.put("location", loc);
        }
        return m;
    }

    /** {@code [{windowStart, count, metrics:{name:{count,sum,min,max,avg}}}]} */
    static List<Map<String, Object>> windows(List<LiveStateReader.WindowSummary> windows) {
        return windows.stream().map(w -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("windowStart", w.windowStart().toString());
            m.put("count", w.count());
            Map<String, Object> metrics = new LinkedHashMap<>();
            for (Map.Entry<String, MetricAggregate> e : w.metrics().entrySet()) {
                MetricAggregate a = e.getValue();
                Map<String, Object> agg = new LinkedHashMap<>();
                agg.put("count", a.count());
                agg.put("sum", a.sum());
                agg.put("min", a.min());
                agg.put("max", a.max());
                agg.put("avg", a.avg());
                metrics.put(e.getKey(), agg);
            }
            m.put("metrics", metrics);
            return m;
        }).toList();
    }
}
