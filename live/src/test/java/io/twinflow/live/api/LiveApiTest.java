package io.twinflow.live.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.twinflow.core.aggregate.MetricAggregate;
import io.twinflow.core.event.Location;
import io.twinflow.live.LiveReads;
import io.twinflow.live.LiveStateReader.AlertItem;
import io.twinflow.live.LiveStateReader.AlertPosition;
import io.twinflow.live.LiveStateReader.DevicePage;
import io.twinflow.live.LiveStateReader.DeviceState;
import io.twinflow.live.LiveStateReader.WindowSummary;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import software.amazon.awssdk.core.exception.SdkClientException;

class LiveApiTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant NOW = Instant.parse("2026-11-28T12:00:30Z");

    private final Fleet fleet = new Fleet();
    private final LiveApi api = new LiveApi(fleet, Clock.fixed(NOW, ZoneOffset.UTC));

    @Test
    void aDeviceIsTheStateJsonOfTheCli() throws Exception {
        fleet.add("sensor-1", new Location(52.5, 13.4));
        LiveApi.Response response = api.handle("GET", "/v1/devices/sensor-1", null);
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.headers()).containsEntry("content-type", "application/json; charset=utf-8");
        assertThat(JSON.readTree(response.body())).isEqualTo(JSON.readTree(
                "{\"deviceId\":\"sensor-1\",\"ts\":\"2026-11-28T12:00:00Z\",\"metrics\":{\"battery\":0.5,\"temperature\":21.5},"
                        + "\"location\":{\"lat\":52.5,\"lon\":13.4}}"));
    }

    @Test
    void aDeviceWithoutLocationHasNoLocationField() throws Exception {
        fleet.add("sensor-2", null);
        assertThat(body(api.handle("GET", "/v1/devices/sensor-2", Map.of())).has("location")).isFalse();
    }

    @Test
    void aPercentEncodedDeviceIdIsDecoded() throws Exception {
        fleet.add("site:a.b", null);
        assertThat(body(api.handle("GET", "/v1/devices/site%3Aa.b", Map.of())).get("deviceId").asText()).isEqualTo("site:a.b");
    }

    @Test
    void anUnknownDeviceIs404() throws Exception {
        assertError(api.handle("GET", "/v1/devices/nobody", Map.of()), 404, LiveApi.DEVICE_NOT_FOUND);
    }

    @Test
    void walkingThePagesReturnsEveryDeviceOnceAndEndsWithNextNull() throws Exception {
        for (int i = 0; i < 25; i++) {
            fleet.add("d-" + i, null);
        }
        List<String> seen = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            Map<String, String> query = new HashMap<>(Map.of("limit", "10"));
            if (cursor != null) {
                query.put("cursor", cursor);
            }
            JsonNode page = body(api.handle("GET", "/v1/devices", query));
            assertThat(page.get("devices").size()).isLessThanOrEqualTo(10);
            page.get("devices").forEach(d -> seen.add(d.get("deviceId").asText()));
            cursor = page.get("next").isNull() ? null : page.get("next").asText();
            pages++;
        } while (cursor != null);
        assertThat(seen).hasSize(25).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(fleet.states.keySet());
        assertThat(pages).isEqualTo(3);
        assertThat(fleet.limits).containsOnly(10);
    }

    @Test
    void theDefaultPageIs100Devices() throws Exception {
        body(api.handle("GET", "/v1/devices", Map.of()));
        assertThat(fleet.limits).containsExactly(LiveApi.DEFAULT_LIMIT);
    }

    @ParameterizedTest
    @CsvSource({"0", "-1", "1001", "ten", "1.5", "''", "'1,2'", "99999999999"})
    void limitsOutside1To1000AreBadLimit(String limit) throws Exception {
        assertError(api.handle("GET", "/v1/devices", Map.of("limit", limit)), 400, LiveApi.BAD_LIMIT);
        assertThat(fleet.limits).isEmpty();
    }

    @Test
    void aChangedCutOrMadeUpCursorIsBadCursor() throws Exception {
        String good = DeviceCursor.encode("d-1");
        char last = good.charAt(good.length() - 1);
        String changed = good.substring(0, good.length() - 1) + (last == 'A' ? 'B' : 'A');
        String madeUp = Base64.getUrlEncoder().withoutPadding().encodeToString("d-1".getBytes());
        for (String cursor : List.of(changed, good.substring(0, good.length() - 2), madeUp, "", "!!!", "x".repeat(300), good + "=")) {
            assertError(api.handle("GET", "/v1/devices", Map.of("cursor", cursor)), 400, LiveApi.BAD_CURSOR);
        }
        assertThat(fleet.limits).isEmpty();
    }

    @Test
    void windowsAreTheMetricsJsonOfTheCliForTheGivenRange() throws Exception {
        fleet.add("sensor-1", null);
        LiveApi.Response response = api.handle("GET", "/v1/devices/sensor-1/windows",
                Map.of("from", "2026-11-28T11:00:00Z", "to", "2026-11-28T12:00:00Z"));
        assertThat(response.status()).isEqualTo(200);
        assertThat(JSON.readTree(response.body())).isEqualTo(JSON.readTree(
                "[{\"windowStart\":\"2026-11-28T11:59:00Z\",\"count\":2,"
                        + "\"metrics\":{\"temperature\":{\"count\":2,\"sum\":43.0,\"min\":21.0,\"max\":22.0,\"avg\":21.5}}}]"));
        assertThat(fleet.ranges).containsExactly(List.of(Instant.parse("2026-11-28T11:00:00Z"), Instant.parse("2026-11-28T12:00:00Z")));
    }

    @Test
    void windowsDefaultToTheLastHourIncludingTheOpenWindow() throws Exception {
        body(api.handle("GET", "/v1/devices/sensor-1/windows", Map.of()));
        assertThat(fleet.ranges).containsExactly(List.of(NOW.plusSeconds(1).minusSeconds(3600), NOW.plusSeconds(1)));
    }

    @Test
    void windowRangesThatAreEmptyReversedOrLongerThan24HoursAreBadRange() throws Exception {
        assertError(api.handle("GET", "/v1/devices/d/windows", Map.of("from", "2026-11-28T11:00:00Z", "to", "2026-11-28T11:00:00Z")),
                400, LiveApi.BAD_RANGE);
        assertError(api.handle("GET", "/v1/devices/d/windows", Map.of("from", "2026-11-28T12:00:00Z", "to", "2026-11-28T11:00:00Z")),
                400, LiveApi.BAD_RANGE);
        assertError(api.handle("GET", "/v1/devices/d/windows", Map.of("from", "2026-11-27T10:59:59Z", "to", "2026-11-28T11:00:00Z")),
                400, LiveApi.BAD_RANGE);
        assertThat(fleet.ranges).isEmpty();
    }

    @ParameterizedTest
    @CsvSource({"from, yesterday", "from, 2026-11-28", "to, 2026-11-28T25:00:00Z", "to, 1h", "from, ''"})
    void timesThatAreNotIsoInstantsAreBadTime(String name, String value) throws Exception {
        assertError(api.handle("GET", "/v1/devices/d/windows", Map.of(name, value)), 400, LiveApi.BAD_TIME);
        assertError(api.handle("GET", "/v1/alerts", Map.of("since", value)), 400, LiveApi.BAD_TIME);
    }

    @Test
    void fleetAlertsSinceATimeReadTheIndexNotEveryDevice() throws Exception {
        fleet.alerts.add(alert("a-1", "2026-11-28T11:30:00Z"));
        fleet.alerts.add(alert("a-2", "2026-11-28T11:59:00Z"));
        LiveApi.Response response = api.handle("GET", "/v1/alerts", Map.of("since", "2026-11-28T11:45:00Z"));
        assertThat(response.status()).isEqualTo(200);
        assertThat(JSON.readTree(response.body())).isEqualTo(JSON.readTree(
                "[{\"deviceId\":\"a-2\",\"windowStart\":\"2026-11-28T11:59:00Z\",\"windowEnd\":\"2026-11-28T12:00:00Z\","
                        + "\"ruleId\":\"overheat\",\"metric\":\"temperature\",\"operator\":\">\",\"threshold\":60.0,\"peak\":61.5}]"));
        assertThat(fleet.fleetAlertCalls).containsExactly(LiveApi.MAX_ALERTS);
        assertThat(fleet.deviceAlertCalls).isEmpty();
    }

    @Test
    void alertsOfOneDeviceReadThatDevice() throws Exception {
        fleet.alerts.add(alert("a-1", "2026-11-28T11:30:00Z"));
        fleet.alerts.add(alert("a-2", "2026-11-28T11:40:00Z"));
        JsonNode alerts = body(api.handle("GET", "/v1/alerts", Map.of("deviceId", "a-1")));
        assertThat(alerts).hasSize(1);
        assertThat(alerts.get(0).get("deviceId").asText()).isEqualTo("a-1");
        assertThat(fleet.deviceAlertCalls).containsExactly("a-1");
        assertThat(fleet.fleetAlertCalls).isEmpty();
    }

    /**
     * More alerts than one answer holds, all of one window (a fleet-wide threshold crossed in the same minute, which
     * a later {@code since} could never get past): a full answer names the next request's cursor in a header, the body
     * stays a plain array, and following the cursors reads every alert once.
     */
    @Test
    void aFullAnswerOfAlertsNamesTheCursorThatGoesOnAfterItsLastAlert() throws Exception {
        for (int i = 0; i < 2_345; i++) {
            fleet.alerts.add(alert(String.format("fleet-%04d", i), "2026-11-28T11:30:00Z"));
        }
        List<String> read = new ArrayList<>();
        List<Integer> answers = new ArrayList<>();
        Map<String, String> query = new HashMap<>(Map.of("since", "2026-11-28T11:00:00Z"));
        String next;
        do {
            LiveApi.Response response = api.handle("GET", "/v1/alerts", query);
            JsonNode alerts = body(response);
            assertThat(alerts.isArray()).isTrue();
            answers.add(alerts.size());
            alerts.forEach(a -> read.add(a.get("deviceId").asText()));
            next = response.headers().get(LiveApi.NEXT_CURSOR_HEADER);
            query.put("cursor", next);
        } while (next != null);
        assertThat(answers).containsExactly(1000, 1000, 345);
        assertThat(read).hasSize(2_345).doesNotHaveDuplicates();
    }

    @Test
    void anAnswerThatIsNotFullHasNoCursor() throws Exception {
        fleet.alerts.add(alert("a-1", "2026-11-28T11:30:00Z"));
        assertThat(api.handle("GET", "/v1/alerts", Map.of("since", "2026-11-28T11:00:00Z")).headers()).doesNotContainKey(LiveApi.NEXT_CURSOR_HEADER);
    }

    @Test
    void aDevicesAlertsGoOnFromTheirCursorAndRefuseAnotherDevicesCursor() throws Exception {
        for (int i = 0; i < 1_200; i++) {
            fleet.alerts.add(alert("busy-1", Instant.parse("2026-11-28T11:00:00Z").plusSeconds(i).toString()));
        }
        LiveApi.Response first = api.handle("GET", "/v1/alerts", Map.of("deviceId", "busy-1", "since", "2026-11-28T11:00:00Z"));
        assertThat(body(first)).hasSize(1000);
        String cursor = first.headers().get(LiveApi.NEXT_CURSOR_HEADER);
        JsonNode rest = body(api.handle("GET", "/v1/alerts", Map.of("deviceId", "busy-1", "cursor", cursor)));
        assertThat(rest).hasSize(200);
        assertThat(rest.get(0).get("windowStart").asText()).isEqualTo("2026-11-28T11:16:40Z");
        assertError(api.handle("GET", "/v1/alerts", Map.of("deviceId", "other-1", "cursor", cursor)), 400, LiveApi.BAD_CURSOR);
    }

    @Test
    void anAlertCursorThatIsChangedMadeUpOrOfTheDeviceListIsBadCursor() throws Exception {
        String good = AlertCursor.encode(new AlertPosition("a-1", "2026-11-28T11:30:00Z#overheat"));
        char last = good.charAt(good.length() - 1);
        String changed = good.substring(0, good.length() - 1) + (last == 'A' ? 'B' : 'A');
        for (String cursor : List.of(changed, good.substring(0, good.length() - 2), DeviceCursor.encode("a-1"), "", "x".repeat(2000))) {
            assertError(api.handle("GET", "/v1/alerts", Map.of("cursor", cursor)), 400, LiveApi.BAD_CURSOR);
        }
        assertThat(AlertCursor.decode(good)).contains(new AlertPosition("a-1", "2026-11-28T11:30:00Z#overheat"));
        assertThat(fleet.fleetAlertCalls).isEmpty();
    }

    @Test
    void alertsDefaultToTheLastHourAndGoBackAtMost24Hours() throws Exception {
        fleet.alerts.add(alert("a-1", "2026-11-28T10:59:00Z"));
        fleet.alerts.add(alert("a-2", "2026-11-28T11:01:00Z"));
        assertThat(body(api.handle("GET", "/v1/alerts", Map.of()))).extracting(a -> a.get("deviceId").asText()).containsExactly("a-2");
        assertThat(body(api.handle("GET", "/v1/alerts", Map.of("since", "2026-11-27T12:00:30Z")))).hasSize(2);
        assertError(api.handle("GET", "/v1/alerts", Map.of("since", "2026-11-27T12:00:29Z")), 400, LiveApi.BAD_RANGE);
    }

    @ParameterizedTest
    @CsvSource({"/v1/devices/bad%20id", "/v1/devices/a%2Fb", "/v1/devices/%ZZ", "/v1/devices/caf%C3%A9/windows", "/v1/devices/a+b"})
    void malformedDeviceIdsInThePathAreBadDeviceId(String path) throws Exception {
        assertError(api.handle("GET", path, Map.of()), 400, LiveApi.BAD_DEVICE_ID);
    }

    @Test
    void aMalformedOrTooLongDeviceIdInTheQueryIsBadDeviceId() throws Exception {
        assertError(api.handle("GET", "/v1/alerts", Map.of("deviceId", "no spaces")), 400, LiveApi.BAD_DEVICE_ID);
        assertError(api.handle("GET", "/v1/alerts", Map.of("deviceId", "x".repeat(129))), 400, LiveApi.BAD_DEVICE_ID);
        assertError(api.handle("GET", "/v1/alerts", Map.of("deviceId", "")), 400, LiveApi.BAD_DEVICE_ID);
    }

    @ParameterizedTest
    @CsvSource({"/", "''", "/v1", "/v2/devices", "/v1/devices/", "/v1/devices/d/windows/x", "/v1/devices/d/alerts", "/v1/alerts/x", "v1/devices",
        "/v1/devices//windows"})
    void unknownPathsAreNotFound(String path) throws Exception {
        assertError(api.handle("GET", path, Map.of()), 404, LiveApi.NOT_FOUND);
    }

    @ParameterizedTest
    @CsvSource({"POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS"})
    void methodsOtherThanGetAre405WithAllowGet(String method) throws Exception {
        LiveApi.Response response = api.handle(method, "/v1/devices", Map.of());
        assertError(response, 405, LiveApi.METHOD_NOT_ALLOWED);
        assertThat(response.headers()).containsEntry("allow", "GET");
    }

    @Test
    void unknownQueryParametersAreRefusedByName() throws Exception {
        JsonNode error = assertError(api.handle("GET", "/v1/devices", Map.of("limt", "5")), 400, LiveApi.UNKNOWN_PARAMETER);
        assertThat(error.get("message").asText()).contains("'limt'").contains("[cursor, limit]");
        assertError(api.handle("GET", "/v1/devices/d", Map.of("limit", "5")), 400, LiveApi.UNKNOWN_PARAMETER);
    }

    @Test
    void aStorageFailureIs503AndAnyOtherFailure500WithoutAStackTrace() throws Exception {
        LiveApi down = new LiveApi(new Fleet() {
            @Override
            public Optional<DeviceState> state(String deviceId) {
                throw SdkClientException.create("Unable to execute HTTP request: Connection refused");
            }

            @Override
            public DevicePage devices(int limit, String afterDeviceId) {
                throw new IllegalStateException("corrupt item");
            }
        });
        JsonNode unavailable = assertError(down.handle("GET", "/v1/devices/d", Map.of()), 503, LiveApi.STORAGE_UNAVAILABLE);
        JsonNode internal = assertError(down.handle("GET", "/v1/devices", Map.of()), 500, LiveApi.INTERNAL_ERROR);
        for (JsonNode error : List.of(unavailable, internal)) {
            assertThat(error.get("message").asText()).doesNotContain("Exception").doesNotContain("at io.").doesNotContain("corrupt")
                    .doesNotContain("Connection refused");
        }
    }

    @Test
    void echoedInputIsCutShortAndPrintable() throws Exception {
        JsonNode error = assertError(api.handle("GET", "/v1/alerts", Map.of("since", "\u0007" + "x".repeat(500))), 400, LiveApi.BAD_TIME);
        assertThat(error.get("message").asText()).hasSizeLessThan(200).contains("?xxx").contains("...");
    }

    private static JsonNode body(LiveApi.Response response) throws Exception {
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    private static JsonNode assertError(LiveApi.Response response, int status, String code) throws Exception {
        assertThat(response.status()).as(response.body()).isEqualTo(status);
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.get("error").asText()).isEqualTo(code);
        assertThat(body.get("message").asText()).isNotBlank();
        assertThat(body.size()).isEqualTo(2);
        return body;
    }

    private static AlertItem alert(String deviceId, String windowStart) {
        Instant start = Instant.parse(windowStart);
        return new AlertItem(deviceId, start, start.plusSeconds(60), "overheat", "temperature", ">", 60.0, 61.5);
    }

    /** An in-memory fleet that records what the API asked of it. */
    private static class Fleet implements LiveReads {

        final TreeMap<String, DeviceState> states = new TreeMap<>();
        final List<AlertItem> alerts = new ArrayList<>();
        final List<Integer> limits = new ArrayList<>();
        final List<List<Instant>> ranges = new ArrayList<>();
        final List<Integer> fleetAlertCalls = new ArrayList<>();
        final List<String> deviceAlertCalls = new ArrayList<>();

        void add(String deviceId, Location location) {
            states.put(deviceId, new DeviceState(deviceId, Instant.parse("2026-11-28T12:00:00Z"), "e-" + deviceId,
                    new TreeMap<>(Map.of("temperature", 21.5, "battery", 0.5)), location));
        }

        @Override
        public Optional<DeviceState> state(String deviceId) {
            return Optional.ofNullable(states.get(deviceId));
        }

        @Override
        public DevicePage devices(int limit, String afterDeviceId) {
            limits.add(limit);
            var tail = afterDeviceId == null ? states : states.tailMap(afterDeviceId, false);
            List<DeviceState> page = tail.values().stream().limit(limit).toList();
            String last = page.size() == limit ? page.get(page.size() - 1).deviceId() : null;
            return new DevicePage(page, last);
        }

        @Override
        public List<WindowSummary> windows(String deviceId, Instant from, Instant to) {
            ranges.add(List.of(from, to));
            return List.of(new WindowSummary(deviceId, Instant.parse("2026-11-28T11:59:00Z"), 2,
                    new TreeMap<>(Map.of("temperature", new MetricAggregate(2, 43.0, 21.0, 22.0)))));
        }

        @Override
        public List<AlertItem> alerts(String deviceId, Instant from, Instant to, AlertPosition after, int limit) {
            deviceAlertCalls.add(deviceId);
            return page(alerts.stream().filter(a -> a.deviceId().equals(deviceId)), from, to, after, limit);
        }

        @Override
        public List<AlertItem> fleetAlerts(Instant from, Instant to, AlertPosition after, int limit) {
            fleetAlertCalls.add(limit);
            return page(alerts.stream(), from, to, after, limit);
        }

        /** In the index's order (window start, then device and alert key), the first {@code limit} after {@code after}. */
        private static List<AlertItem> page(Stream<AlertItem> alerts, Instant from, Instant to, AlertPosition after, int limit) {
            Comparator<AlertPosition> order = Comparator.comparing(AlertPosition::windowStart).thenComparing(AlertPosition::deviceId)
                    .thenComparing(AlertPosition::alertKey);
            return alerts.filter(a -> !a.windowStart().isBefore(from) && a.windowStart().isBefore(to))
                    .filter(a -> after == null || after.windowStart().isBefore(from) || order.compare(a.position(), after) > 0)
                    .sorted(Comparator.comparing(AlertItem::position, order)).limit(limit).toList();
        }
    }
}
