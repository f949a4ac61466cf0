package io.twinflow.dashboard;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.twinflow.core.aggregate.MetricAggregate;
import io.twinflow.live.LiveStateReader;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The live routes answered straight from {@link LiveStateReader}, until the live API's router serves them.
 * The device list is a scan of the state table's keys (one small item per device) cut into pages.
 */
final class ReaderLiveSource implements LiveSource {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_LIMIT = 100;

    private final LiveStateReader reader;
    private final Duration window;

    ReaderLiveSource(LiveStateReader reader, Duration window) {
        this.reader = reader;
        this.window = window;
    }

    @Override
    public Reply get(String path, Map<String, String> query) {
        try {
            String[] parts = path.split("/");
            if (path.equals("/v1/devices")) {
                return ok(devices(query));
            }
            if (path.equals("/v1/alerts")) {
                return ok(alerts(query));
            }
            if (parts.length == 4 && parts[2].equals("devices")) {
                Optional<LiveStateReader.DeviceState> state = reader.state(PathSegments.decode(parts[3]));
                return state.map(s -> ok(state(s))).orElseGet(() -> error(404, "DEVICE_NOT_FOUND", "no live state for " + parts[3]));
            }
            if (parts.length == 5 && parts[2].equals("devices") && parts[4].equals("windows")) {
                Instant to = instant(query.get("to"), Instant.now().plusSeconds(1));
                Instant from = instant(query.get("from"), to.minus(Duration.ofHours(1)));
                return ok(windows(reader.windows(PathSegments.decode(parts[3]), from, to)));
            }
            return error(404, "NOT_FOUND", "no route " + path);
        } catch (IllegalArgumentException | DateTimeParseException e) {
            return error(400, "BAD_REQUEST", e.getMessage());
        }
    }

    private Map<String, Object> devices(Map<String, String> query) {
        int limit = Math.min(MAX_LIMIT, Integer.parseInt(query.getOrDefault("limit", "50")));
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be 1 to " + MAX_LIMIT);
        }
        String cursor = query.get("cursor");
        List<String> ids = reader.deviceIds();
        int start = cursor == null ? 0 : (int) ids.stream().filter(id -> id.compareTo(cursor) <= 0).count();
        List<Map<String, Object>> devices = new ArrayList<>();
        int end = Math.min(ids.size(), start + limit);
        for (String id : ids.subList(start, end)) {
            reader.state(id).ifPresent(s -> devices.add(state(s)));
        }
        Map<String, Object> page = new LinkedHashMap<>();
        page.put("devices", devices);
        page.put("next", end < ids.size() ? ids.get(end - 1) : null);
        return page;
    }

    private List<Map<String, Object>> alerts(Map<String, String> query) {
        Instant since = instant(query.get("since"), Instant.now().minus(Duration.ofHours(1)));
        Instant until = Instant.now().plus(Duration.ofDays(1));
        String deviceId = query.get("deviceId");
        List<String> devices = deviceId != null ? List.of(deviceId) : reader.deviceIds();
        List<Map<String, Object>> alerts = new ArrayList<>();
        for (String device : devices) {
            for (LiveStateReader.AlertItem a : reader.alerts(device, since, until)) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("deviceId", a.deviceId());
                m.put("windowStart", a.windowStart().toString());
                m.put("windowEnd", a.windowStart().plus(window).toString());
                m.put("ruleId", a.ruleId());
                m.put("metric", a.metric());
                m.put("operator", a.operator());
                m.put("threshold", a.threshold());
                m.put("peak", a.peak());
                alerts.add(m);
            }
        }
        return alerts;
    }

    private static Map<String, Object> state(LiveStateReader.DeviceState s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("deviceId", s.deviceId());
        m.put("ts", s.ts().toString());
        m.put("metrics", new LinkedHashMap<>(s.metrics()));
        if (s.location() != null) {
            m.put("location", Map.of("lat", s.location().lat(), "lon", s.location().lon()));
        }
        return m;
    }

    private static List<Map<String, Object>> windows(List<LiveStateReader.WindowSummary> windows) {
        List<Map<String, Object>> list = new ArrayList<>();
        for (LiveStateReader.WindowSummary w : windows) {
            Map<String, Object> metrics = new LinkedHashMap<>();
            for (Map.Entry<String, MetricAggregate> e : w.metrics().entrySet()) {
                MetricAggregate a = e.getValue();
                metrics.put(e.getKey(), Map.of("count", a.count(), "sum", a.sum(), "min", a.min(), "max", a.max(), "avg", a.avg()));
            }
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("windowStart", w.windowStart().toString());
            m.put("count", w.count());
            m.put("metrics", metrics);
            list.add(m);
        }
        return list;
    }

    private static Instant instant(String value, Instant fallback) {
        return value == null || value.isBlank() ? fallback : Instant.parse(value);
    }

    private static Reply ok(Object body) {
        try {
            return new Reply(200, JSON.writeValueAsString(body));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("live values are always JSON-serialisable", e);
        }
    }

    private static Reply error(int status, String code, String message) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", code);
        body.put("message", message);
        Reply reply = ok(body);
        return new Reply(status, reply.json());
    }
}
