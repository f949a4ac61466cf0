package io.twinflow.live;

import io.twinflow.core.aggregate.MetricAggregate;
import io.twinflow.live.LiveStateReader.AlertItem;
import io.twinflow.live.LiveStateReader.DeviceState;
import io.twinflow.live.LiveStateReader.WindowSummary;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON shapes of the live state, in one place for {@code twinflow state --json}, {@code twinflow metrics --json}
 * and the live API, so that they cannot drift apart. They are an interface: keep them exactly. Values are maps and
 * lists in field order, for any JSON writer.
 */
public final class LiveJson {

    private LiveJson() {
    }

    /** {@code {deviceId, ts, metrics:{name:value}, location?:{lat, lon}}} */
    public static Map<String, Object> state(DeviceState s) {
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
    public static List<Map<String, Object>> windows(List<WindowSummary> windows) {
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

    /** {@code {devices:[state, ...], next: cursor|null}} */
    public static Map<String, Object> devicePage(List<DeviceState> devices, String next) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("devices", devices.stream().map(LiveJson::state).toList());
        m.put("next", next);
        return m;
    }

    /** {@code [{deviceId, windowStart, windowEnd, ruleId, metric, operator, threshold, peak}]} */
    public static List<Map<String, Object>> alerts(List<AlertItem> alerts) {
        return alerts.stream().map(a -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("deviceId", a.deviceId());
            m.put("windowStart", a.windowStart().toString());
            m.put("windowEnd", a.windowEnd().toString());
            m.put("ruleId", a.ruleId());
            m.put("metric", a.metric());
            m.put("operator", a.operator());
            m.put("threshold", a.threshold());
            m.put("peak", a.peak());
            return m;
        }).toList();
    }

    /** {@code {error: CODE, message}} */
    public static Map<String, Object> error(String code, String message) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("error", code);
        m.put("message", message);
        return m;
    }
}
