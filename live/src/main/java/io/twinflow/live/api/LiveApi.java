package io.twinflow.live.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.twinflow.core.event.EventRules;
import io.twinflow.live.LiveJson;
import io.twinflow.live.LiveReads;
import io.twinflow.live.LiveStateReader.AlertItem;
import io.twinflow.live.LiveStateReader.AlertPosition;
import io.twinflow.live.LiveStateReader.DevicePage;
import io.twinflow.live.LiveStateReader.DeviceState;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * The live API, apart from how requests arrive: (method, path, query parameters) in, (status, JSON body) out. The
 * Lambda handler behind API Gateway and the local runtime's loopback server both call {@link #handle}; the reads go to
 * a {@link LiveReads}. Every answer is JSON: bad input is a 4xx with {@code {"error": CODE, "message": ...}}, a failed
 * read a 503 or 500 of the same shape, never a stack trace.
 *
 * <p>Every request reads a bounded amount: a device page is one Scan page of at most {@link #MAX_LIMIT} items, a
 * window range at most {@link #MAX_RANGE}, and alerts at most {@link #MAX_ALERTS} of at most the last
 * {@link #MAX_RANGE}.
 */
public final class LiveApi {

    public static final int DEFAULT_LIMIT = 100;
    public static final int MAX_LIMIT = 1000;
    public static final int MAX_ALERTS = 1000;
    /** The response header of an alerts answer that may have more: its value is the next request's {@code cursor}. */
    public static final String NEXT_CURSOR_HEADER = "x-next-cursor";
    /** The default range of windows and alerts: the last hour. */
    public static final Duration DEFAULT_RANGE = Duration.ofHours(1);
    /** The longest range of windows, and how far back alerts may be asked for. */
    public static final Duration MAX_RANGE = Duration.ofHours(24);
    /**
     * How far past now alerts are looked for: event times may run ahead of the clock by the decoder's allowed
     * future skew (core's {@code DecoderLimits}); an hour covers it with one more index Query.
     */
    static final Duration ALERT_LOOKAHEAD = Duration.ofHours(1);

    /** Reason codes of the error answers. */
    public static final String NOT_FOUND = "NOT_FOUND";
    public static final String METHOD_NOT_ALLOWED = "METHOD_NOT_ALLOWED";
    public static final String UNKNOWN_PARAMETER = "UNKNOWN_PARAMETER";
    public static final String BAD_DEVICE_ID = "BAD_DEVICE_ID";
    public static final String DEVICE_NOT_FOUND = "DEVICE_NOT_FOUND";
    public static final String BAD_LIMIT = "BAD_LIMIT";
    public static final String BAD_CURSOR = "BAD_CURSOR";
    public static final String BAD_TIME = "BAD_TIME";
    public static final String BAD_RANGE = "BAD_RANGE";
    public static final String STORAGE_UNAVAILABLE = "STORAGE_UNAVAILABLE";
    public static final String INTERNAL_ERROR = "INTERNAL_ERROR";

    private static final System.Logger LOG = System.getLogger(LiveApi.class.getName());
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, String> JSON_HEADERS = Map.of(
            "content-type", "application/json; charset=utf-8",
            // Live data: a cache in between would serve yesterday's state.
            "cache-control", "no-store");

    /** An answer: HTTP status, JSON body and the headers to send with it. */
    public record Response(int status, String body, Map<String, String> headers) {

        public Response {
            headers = Map.copyOf(headers);
        }
    }

    private final LiveReads reads;
    private final Clock clock;

    public LiveApi(LiveReads reads) {
        this(reads, Clock.systemUTC());
    }

    /** @param clock where "now" comes from: the default ends of the time ranges */
    public LiveApi(LiveReads reads, Clock clock) {
        this.reads = reads;
        this.clock = clock;
    }

    /**
     * Answers one request.
     *
     * @param method the HTTP method
     * @param rawPath the request path as sent, percent-encoding included, without the query string
     * @param query the query parameters, decoded; a parameter given more than once has its values joined by commas, as
     *              API Gateway does; null for none
     */
    public Response handle(String method, String rawPath, Map<String, String> query) {
        Map<String, String> parameters = query == null ? Map.of() : query;
        try {
            Route route = route(rawPath == null ? "" : rawPath);
            if (!"GET".equals(method)) {
                throw new ApiError(405, METHOD_NOT_ALLOWED, method + " is not allowed on " + rawPath + ": use GET");
            }
            route.accept(parameters);
            Object answer = route.answer(this, parameters);
            if (answer instanceof Continued continued) {
                Response page = json(200, continued.body());
                return continued.next() == null ? page : withHeader(page, NEXT_CURSOR_HEADER, continued.next());
            }
            return json(200, answer);
        } catch (ApiError e) {
            Response error = json(e.status, LiveJson.error(e.code, e.getMessage()));
            return e.status == 405 ? withHeader(error, "allow", "GET") : error;
        } catch (SdkException e) {
            LOG.log(System.Logger.Level.WARNING, "live state read failed: " + method + " " + rawPath, e);
            return json(503, LiveJson.error(STORAGE_UNAVAILABLE, "the live state could not be read just now; try again"));
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "live API failed: " + method + " " + rawPath, e);
            return json(500, LiveJson.error(INTERNAL_ERROR, "the request failed on the server; it is logged"));
        }
    }

    /** The routes, each with the query parameters it takes. */
    private record Route(Kind kind, String deviceId) {

        enum Kind {
            DEVICES(Set.of("limit", "cursor")),
            DEVICE(Set.of()),
            WINDOWS(Set.of("from", "to")),
            ALERTS(Set.of("since", "deviceId", "cursor"));

            private final Set<String> parameters;

            Kind(Set<String> parameters) {
                this.parameters = parameters;
            }
        }

        void accept(Map<String, String> query) {
            for (String name : new TreeSet<>(query.keySet())) {
                if (!kind.parameters.contains(name)) {
                    throw new ApiError(400, UNKNOWN_PARAMETER, "unknown query parameter '" + abbreviate(name) + "'"
                            + (kind.parameters.isEmpty() ? ": this route takes none" : ": this route takes " + new TreeSet<>(kind.parameters)));
                }
            }
        }

        Object answer(LiveApi api, Map<String, String> query) {
            return switch (kind) {
                case DEVICES -> api.devices(query);
                case DEVICE -> api.device(deviceId);
                case WINDOWS -> api.windows(deviceId, query);
                case ALERTS -> api.alerts(query);
            };
        }
    }

    private static Route route(String rawPath) {
        String[] segments = rawPath.startsWith("/") ? rawPath.substring(1).split("/", -1) : new String[0];
        if (segments.length >= 2 && segments[0].equals("v1")) {
            if (segments.length == 2 && segments[1].equals("alerts")) {
                return new Route(Route.Kind.ALERTS, null);
            }
            if (segments[1].equals("devices")) {
                if (segments.length == 2) {
                    return new Route(Route.Kind.DEVICES, null);
                }
                if (segments.length == 3 && !segments[2].isEmpty()) {
                    return new Route(Route.Kind.DEVICE, deviceId(segments[2]));
                }
                if (segments.length == 4 && !segments[2].isEmpty() && segments[3].equals("windows")) {
                    return new Route(Route.Kind.WINDOWS, deviceId(segments[2]));
                }
            }
        }
        throw new ApiError(404, NOT_FOUND, "no route " + abbreviate(rawPath)
                + ": the routes are /v1/devices, /v1/devices/{deviceId}, /v1/devices/{deviceId}/windows and /v1/alerts");
    }

    private Map<String, Object> devices(Map<String, String> query) {
        int limit = DEFAULT_LIMIT;
        String limitText = query.get("limit");
        if (limitText != null) {
            try {
                limit = Integer.parseInt(limitText);
            } catch (NumberFormatException notANumber) {
                limit = -1;
            }
            if (limit < 1 || limit > MAX_LIMIT) {
                throw new ApiError(400, BAD_LIMIT, "limit '" + abbreviate(limitText) + "' is not a whole number from 1 to " + MAX_LIMIT);
            }
        }
        String after = null;
        String cursor = query.get("cursor");
        if (cursor != null) {
            after = DeviceCursor.decode(cursor).orElseThrow(() -> new ApiError(400, BAD_CURSOR,
                    "cursor is not one this API gave out: pass the 'next' value of the previous page unchanged, or leave it out to start over"));
        }
        DevicePage page = reads.devices(limit, after);
        return LiveJson.devicePage(page.devices(), page.lastDeviceId() == null ? null : DeviceCursor.encode(page.lastDeviceId()));
    }

    private Map<String, Object> device(String deviceId) {
        Optional<DeviceState> state = reads.state(deviceId);
        return LiveJson.state(state.orElseThrow(() -> new ApiError(404, DEVICE_NOT_FOUND, "device " + deviceId + " has no live state")));
    }

    private List<Map<String, Object>> windows(String deviceId, Map<String, String> query) {
        // Without 'to', the window that is still open is included: it starts before now plus a second.
        Instant to = time(query, "to").orElseGet(() -> clock.instant().plusSeconds(1));
        Instant from = time(query, "from").orElse(to.minus(DEFAULT_RANGE));
        if (!from.isBefore(to)) {
            throw new ApiError(400, BAD_RANGE, "from " + from + " is not before to " + to);
        }
        if (Duration.between(from, to).compareTo(MAX_RANGE) > 0) {
            throw new ApiError(400, BAD_RANGE, "from " + from + " to " + to + " is longer than " + hours(MAX_RANGE) + ": ask in parts");
        }
        return LiveJson.windows(reads.windows(deviceId, from, to));
    }

    /**
     * At most {@link #MAX_ALERTS} alerts, oldest first; when there may be more, the {@link #NEXT_CURSOR_HEADER} header
     * says where the next request ({@code cursor=}) goes on: the body stays the plain array it always was.
     */
    private Continued alerts(Map<String, String> query) {
        Instant now = clock.instant();
        String cursor = query.get("cursor");
        AlertPosition after = null;
        if (cursor != null) {
            after = AlertCursor.decode(cursor).orElseThrow(() -> new ApiError(400, BAD_CURSOR, "cursor is not one this API gave out: pass the "
                    + NEXT_CURSOR_HEADER + " header of the previous answer unchanged, or leave it out to start over"));
        }
        // Going on from a cursor starts at its window unless 'since' is later.
        Instant since = time(query, "since").orElse(after != null ? after.windowStart() : now.minus(DEFAULT_RANGE));
        if (since.isBefore(now.minus(MAX_RANGE))) {
            throw new ApiError(400, BAD_RANGE, "since " + since + " is more than " + hours(MAX_RANGE) + " ago");
        }
        Instant until = now.plus(ALERT_LOOKAHEAD);
        String deviceIdText = query.get("deviceId");
        String deviceId = deviceIdText == null ? null : checkedDeviceId(deviceIdText);
        if (deviceId != null && after != null && !after.deviceId().equals(deviceId)) {
            throw new ApiError(400, BAD_CURSOR, "cursor belongs to the alerts of another device: pass it with the same deviceId, or leave it out");
        }
        List<AlertItem> alerts;
        if (!since.isBefore(until)) {
            alerts = List.of();
        } else if (deviceId != null) {
            alerts = reads.alerts(deviceId, since, until, after, MAX_ALERTS);
        } else {
            alerts = reads.fleetAlerts(since, until, after, MAX_ALERTS);
        }
        String next = alerts.size() < MAX_ALERTS ? null : AlertCursor.encode(alerts.get(alerts.size() - 1).position());
        return new Continued(LiveJson.alerts(alerts), next);
    }

    /** An answer whose body is one page, and the cursor of the next page (null: this is the last). */
    private record Continued(Object body, String next) {
    }

    private static Optional<Instant> time(Map<String, String> query, String name) {
        String text = query.get(name);
        if (text == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(Instant.parse(text));
        } catch (DateTimeParseException notAnInstant) {
            throw new ApiError(400, BAD_TIME, name + " '" + abbreviate(text) + "' is not an ISO-8601 UTC instant such as 2026-11-28T10:15:00Z");
        }
    }

    /** A deviceId from the path: percent-decoded, then held to the event schema's rule. */
    private static String deviceId(String segment) {
        String decoded = segment;
        if (segment.indexOf('%') >= 0) {
            try {
                // A path keeps '+' as it is; only the %XX escapes are decoded.
                decoded = URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException badEscape) {
                throw new ApiError(400, BAD_DEVICE_ID, "deviceId '" + abbreviate(segment) + "' has a broken %-escape");
            }
        }
        return checkedDeviceId(decoded);
    }

    private static String checkedDeviceId(String deviceId) {
        if (!EventRules.isDeviceId(deviceId)) {
            throw new ApiError(400, BAD_DEVICE_ID, "deviceId '" + abbreviate(deviceId) + "' is not 1-128 of [A-Za-z0-9._:-]");
        }
        return deviceId;
    }

    private static String hours(Duration d) {
        return d.toHours() + " hours";
    }

    /** Echoed input is cut short and kept to printable ASCII, so an error message stays one readable line. */
    private static String abbreviate(String text) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < text.length() && out.length() < 64; i++) {
            char c = text.charAt(i);
            out.append(c >= 0x20 && c < 0x7f ? c : '?');
        }
        return text.length() > 64 ? out + "..." : out.toString();
    }

    private static Response json(int status, Object body) {
        try {
            return new Response(status, JSON.writeValueAsString(body), JSON_HEADERS);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("maps, lists, strings and numbers always serialize", e);
        }
    }

    private static Response withHeader(Response response, String name, String value) {
        Map<String, String> headers = new HashMap<>(response.headers());
        headers.put(name, value);
        return new Response(response.status(), response.body(), headers);
    }

    /** A request the API refuses, with its status and reason code. */
    private static final class ApiError extends RuntimeException {

        private final int status;
        private final String code;

        ApiError(int status, String code, String message) {
            super(message, null, false, false);
            this.status = status;
            this.code = code;
        }
    }
}
