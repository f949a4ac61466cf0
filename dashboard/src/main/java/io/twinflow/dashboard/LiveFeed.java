package io.twinflow.dashboard;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * What one open page watches, read again every {@link #TICK}: the fleet view's page of devices (one bounded
 * read of at most {@code limit} devices, whatever the fleet's size) plus the alert feed every
 * {@link #ALERTS_EVERY}; or one device's state (one item) plus, when it changed, its newest windows (all of the
 * last {@link #HISTORY} once every {@link #FULL_WINDOWS_EVERY}) and its alerts. Each read goes through the
 * {@link LiveSource}, so it costs what the live API's route costs.
 */
final class LiveFeed {

    /** Records show up at most this long after they were processed, plus the read itself. */
    static final Duration TICK = Duration.ofSeconds(1);
    /** The alert feed is a wider read: refreshed less often than the devices. */
    static final Duration ALERTS_EVERY = Duration.ofSeconds(5);
    /** Late events can change older windows: the device view reads all of its windows again this often. */
    static final Duration FULL_WINDOWS_EVERY = Duration.ofMinutes(1);
    /** How far back the alert feed and the device charts look. */
    static final Duration HISTORY = Duration.ofHours(3);

    private static final ObjectMapper JSON = new ObjectMapper();

    private final LiveSource live;
    private final Supplier<Instant> clock;
    private final String deviceId;
    private final Map<String, String> pageQuery;
    private String alerts = "[]";
    private Instant alertsRead = Instant.MIN;
    private String deviceState;
    /** The device's windows by start, as the windows route gives them. */
    private final TreeMap<String, String> windows = new TreeMap<>();
    private Instant windowsFullRead = Instant.MIN;

    private LiveFeed(LiveSource live, Supplier<Instant> clock, String deviceId, Map<String, String> pageQuery) {
        this.live = live;
        this.clock = clock;
        this.deviceId = deviceId;
        this.pageQuery = pageQuery;
    }

    static LiveFeed fleet(LiveSource live, Supplier<Instant> clock, int limit, String cursor) {
        return new LiveFeed(live, clock, null, cursor == null ? Map.of("limit", String.valueOf(limit))
                : Map.of("limit", String.valueOf(limit), "cursor", cursor));
    }

    static LiveFeed device(LiveSource live, Supplier<Instant> clock, String deviceId) {
        return new LiveFeed(live, clock, deviceId, Map.of());
    }

    /** The view's JSON now: {@code {fleet, alerts}} or {@code {state, windows, alerts}}; a failed read's reply as {@code {problem}}. */
    String snapshot() {
        Instant now = clock.get();
        String since = now.minus(HISTORY).toString();
        if (deviceId == null) {
            LiveSource.Reply page = live.get("/v1/devices", pageQuery);
            if (page.status() != 200) {
                return problem(page);
            }
            if (Duration.between(alertsRead, now).compareTo(ALERTS_EVERY) >= 0 || alertsRead.equals(Instant.MIN)) {
                LiveSource.Reply feed = live.get("/v1/alerts", Map.of("since", since));
                if (feed.status() != 200) {
                    return problem(feed);
                }
                alerts = feed.json();
                alertsRead = now;
            }
            return "{\"fleet\":" + page.json() + ",\"alerts\":" + alerts + "}";
        }
        String path = "/v1/devices/" + PathSegments.encode(deviceId);
        LiveSource.Reply state = live.get(path, Map.of());
        if (state.status() == 404) {
            return "{\"state\":null,\"windows\":[],\"alerts\":[]}";
        }
        if (state.status() != 200) {
            return problem(state);
        }
        if (!state.json().equals(deviceState)) {
            // The windows and alerts change only when the device sends: read them again only then.
            boolean full = windows.isEmpty() || Duration.between(windowsFullRead, now).compareTo(FULL_WINDOWS_EVERY) >= 0;
            // Between full reads only the newest window (perhaps still open) and later ones: a bounded read per tick.
            String from = full ? since : windows.lastKey();
            LiveSource.Reply read = live.get(path + "/windows", Map.of("from", from, "to", now.plusSeconds(1).toString()));
            LiveSource.Reply feed = live.get("/v1/alerts", Map.of("since", since, "deviceId", deviceId));
            if (read.status() != 200 || feed.status() != 200) {
                return problem(read.status() != 200 ? read : feed);
            }
            if (full) {
                windows.clear();
                windowsFullRead = now;
            }
            try {
                for (JsonNode window : JSON.readTree(read.json())) {
                    windows.put(window.get("windowStart").asText(), window.toString());
                }
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("the windows route answered something that is not JSON", e);
            }
            windows.headMap(since).clear();
            deviceState = state.json();
            alerts = feed.json();
        }
        return "{\"state\":" + deviceState + ",\"windows\":[" + String.join(",", windows.values()) + "],\"alerts\":" + alerts + "}";
    }

    private static String problem(LiveSource.Reply reply) {
        return "{\"problem\":" + reply.json() + ",\"status\":" + reply.status() + "}";
    }
}
