package io.twinflow.functions.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.twinflow.core.pipeline.PipelineSpec;
import io.twinflow.functions.FunctionSettings;
import io.twinflow.live.LiveReads;
import io.twinflow.live.LiveStateReader.AlertItem;
import io.twinflow.live.LiveStateReader.AlertPosition;
import io.twinflow.live.LiveStateReader.DevicePage;
import io.twinflow.live.LiveStateReader.DeviceState;
import io.twinflow.live.LiveStateReader.WindowSummary;
import io.twinflow.live.api.LiveApi;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The handler passes API Gateway's payload format 2.0 through to the router and its answer back, unchanged. */
class LiveApiHandlerTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<String> asked = new ArrayList<>();
    private final LiveApiHandler handler = new LiveApiHandler(new LiveApi(new OneDevice()));

    @Test
    void aGetOfAnEventAsApiGatewaySendsItReachesTheRouterWithItsPathAndQuery() throws Exception {
        APIGatewayV2HTTPEvent event = event("GET", "/v1/devices", "{\"limit\":\"7\"}");
        APIGatewayV2HTTPResponse response = handler.handleRequest(event, null);
        assertThat(response.getStatusCode()).isEqualTo(200);
        assertThat(response.getHeaders()).containsEntry("content-type", "application/json; charset=utf-8");
        assertThat(response.getIsBase64Encoded()).isFalse();
        JsonNode body = JSON.readTree(response.getBody());
        assertThat(body.get("devices").get(0).get("deviceId").asText()).isEqualTo("sensor-1");
        assertThat(body.get("next").isNull()).isTrue();
        assertThat(asked).containsExactly("devices 7");
    }

    @Test
    void theSnapStartRehearsalAsksEveryRouteThroughTheSdkWithoutTheNetwork() {
        // Nothing listens on port 9: a request on the real client would fail, and the rehearsal must not make one.
        FunctionSettings settings = FunctionSettings.local(PipelineSpec.defaults(),
                URI.create("http://127.0.0.1:9"), URI.create("http://127.0.0.1:9"));

        List<String> requests = new LiveApiHandler(settings).rehearse();

        assertThat(requests).contains("Scan", "GetItem", "Query");
    }

    @Test
    void anEncodedPathIsPassedRawAndDecodedOnce() throws Exception {
        APIGatewayV2HTTPResponse response = handler.handleRequest(event("GET", "/v1/devices/sensor%2D1", null), null);
        assertThat(response.getStatusCode()).isEqualTo(200);
        assertThat(asked).containsExactly("state sensor-1");
    }

    @Test
    void errorsKeepTheirStatusCodeAndHeaders() throws Exception {
        APIGatewayV2HTTPResponse wrongMethod = handler.handleRequest(event("DELETE", "/v1/devices", null), null);
        assertThat(wrongMethod.getStatusCode()).isEqualTo(405);
        assertThat(wrongMethod.getHeaders()).containsEntry("allow", "GET");
        assertThat(JSON.readTree(wrongMethod.getBody()).get("error").asText()).isEqualTo(LiveApi.METHOD_NOT_ALLOWED);
        APIGatewayV2HTTPResponse badLimit = handler.handleRequest(event("GET", "/v1/devices", "{\"limit\":\"0\"}"), null);
        assertThat(badLimit.getStatusCode()).isEqualTo(400);
        assertThat(JSON.readTree(badLimit.getBody()).get("error").asText()).isEqualTo(LiveApi.BAD_LIMIT);
    }

    @Test
    void anEventWithoutRequestContextIsRefusedNotThrown() {
        APIGatewayV2HTTPEvent bare = new APIGatewayV2HTTPEvent();
        bare.setRawPath("/v1/devices");
        assertThat(handler.handleRequest(bare, null).getStatusCode()).isEqualTo(405);
    }

    /** An event in the JSON the Lambda runtime receives from an HTTP API, read by the runtime's own serializer. */
    private static APIGatewayV2HTTPEvent event(String method, String rawPath, String query) {
        String json = "{\"version\":\"2.0\",\"routeKey\":\"$default\",\"rawPath\":\"" + rawPath + "\",\"rawQueryString\":\"\","
                + (query == null ? "" : "\"queryStringParameters\":" + query + ",")
                + "\"headers\":{\"host\":\"abc.execute-api.eu-west-1.amazonaws.com\"},"
                + "\"requestContext\":{\"http\":{\"method\":\"" + method + "\",\"path\":\"" + rawPath + "\",\"protocol\":\"HTTP/1.1\","
                + "\"sourceIp\":\"192.0.2.1\",\"userAgent\":\"test\"},\"stage\":\"$default\",\"requestId\":\"r1\",\"timeEpoch\":1764324000000},"
                + "\"isBase64Encoded\":false}";
        return LambdaEventSerializers.serializerFor(APIGatewayV2HTTPEvent.class, LiveApiHandlerTest.class.getClassLoader())
                .fromJson(json);
    }

    private final class OneDevice implements LiveReads {

        private final DeviceState state = new DeviceState("sensor-1", Instant.parse("2026-11-28T10:00:00Z"), "e1",
                new TreeMap<>(Map.of("temperature", 21.5)), null);

        @Override
        public Optional<DeviceState> state(String deviceId) {
            asked.add("state " + deviceId);
            return deviceId.equals(state.deviceId()) ? Optional.of(state) : Optional.empty();
        }

        @Override
        public DevicePage devices(int limit, String afterDeviceId) {
            asked.add("devices " + limit);
            return new DevicePage(List.of(state), null);
        }

        @Override
        public List<WindowSummary> windows(String deviceId, Instant from, Instant to) {
            return List.of();
        }

        @Override
        public List<AlertItem> alerts(String deviceId, Instant from, Instant to, AlertPosition after, int limit) {
            return List.of();
        }

        @Override
        public List<AlertItem> fleetAlerts(Instant from, Instant to, AlertPosition after, int limit) {
            return List.of();
        }
    }
}
